package org.synthloom.testkit.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.synthloom.api.data.Caption;
import org.synthloom.api.data.Provenance;
import org.synthloom.api.generate.CaptionGenerator;
import org.synthloom.api.generate.CaptionRequest;
import org.synthloom.api.generate.Concept;
import org.synthloom.api.generate.GeneratedCaption;

/** The caption generator suite passes a conforming fake and catches broken ones. */
class CaptionGeneratorConformanceTest {

    private static final String[] WORDS = {"small", "large", "bright", "pale", "shiny", "dull", "old", "new"};

    /** Adjective + concept, the adjective drawn from the seed and the concept's index. */
    static class Fake implements CaptionGenerator {
        final int drop;
        final boolean ignoreSeed;
        final boolean human;

        Fake(int drop, boolean ignoreSeed, boolean human) {
            this.drop = drop;
            this.ignoreSeed = ignoreSeed;
            this.human = human;
        }

        @Override
        public List<GeneratedCaption> generate(CaptionRequest request) {
            List<GeneratedCaption> out = new ArrayList<>();
            for (int c = 0; c < request.concepts().size(); c++) {
                Concept concept = request.concepts().get(c);
                long seed = (ignoreSeed ? 0 : request.seed()) * 31 + c;
                SplittableRandom random = new SplittableRandom(seed);
                Provenance p = human ? Provenance.human("fake") : Provenance.synthetic("fake", "1.0.0", seed);
                for (int i = 0; i < request.captionsPerConcept(); i++) {
                    out.add(new GeneratedCaption(concept, new Caption("a " + WORDS[random.nextInt(WORDS.length)] + " " + concept.name(), p)));
                }
            }
            return out.subList(0, out.size() - drop);
        }
    }

    /** The suite over a generator. */
    static class Suite extends CaptionGeneratorConformance {
        final CaptionGenerator generator;

        Suite(CaptionGenerator generator) {
            this.generator = generator;
        }

        @Override
        protected CaptionGenerator generator() {
            return generator;
        }
    }

    @Test
    void aConformingGeneratorPassesEveryTest() throws Exception {
        Map<String, Throwable> results = Suites.run(() -> new Suite(new Fake(0, false, false)));
        assertEquals(5, results.size(), results.keySet().toString());
        assertEquals("", Suites.failures(results));
    }

    @Test
    void aGeneratorThatDropsACaptionFailsTheCount() throws Exception {
        Map<String, Throwable> results = Suites.run(() -> new Suite(new Fake(1, false, false)));
        assertInstanceOf(AssertionError.class, results.get("returnsExactlyTheCountAskedForGroupedByConceptInRequestOrder"));
        assertNull(results.get("isDeterministicForASeed"));
    }

    @Test
    void aGeneratorThatIgnoresTheSeedFailsTheSeedTest() throws Exception {
        Map<String, Throwable> results = Suites.run(() -> new Suite(new Fake(0, true, false)));
        assertInstanceOf(AssertionError.class, results.get("anotherSeedGivesOtherCaptions"));
        assertNull(results.get("returnsExactlyTheCountAskedForGroupedByConceptInRequestOrder"));
    }

    @Test
    void aGeneratorThatLabelsItsCaptionsHumanFailsProvenance() throws Exception {
        Map<String, Throwable> results = Suites.run(() -> new Suite(new Fake(0, false, true)));
        assertInstanceOf(AssertionError.class, results.get("provenanceIsSyntheticWithGeneratorVersionAndSeed"));
    }

    @Test
    void aGeneratorThatIsNotReproducibleFailsDeterminism() throws Exception {
        CaptionGenerator random = request -> {
            List<GeneratedCaption> out = new ArrayList<>();
            SplittableRandom r = new SplittableRandom(System.nanoTime());
            for (Concept c : request.concepts()) {
                for (int i = 0; i < request.captionsPerConcept(); i++) {
                    out.add(new GeneratedCaption(c, new Caption(c.name() + " " + r.nextLong(),
                            Provenance.synthetic("fake", "1", request.seed()))));
                }
            }
            return out;
        };
        Map<String, Throwable> results = Suites.run(() -> new Suite(random));
        assertInstanceOf(AssertionError.class, results.get("isDeterministicForASeed"));
    }
}
