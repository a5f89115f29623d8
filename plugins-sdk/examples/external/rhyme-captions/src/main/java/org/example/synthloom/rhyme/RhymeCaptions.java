package org.example.synthloom.rhyme;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.metatype.annotations.Designate;
import org.synthloom.api.SynthloomPlugin;
import org.synthloom.api.data.Caption;
import org.synthloom.api.data.Provenance;
import org.synthloom.api.generate.CaptionGenerator;
import org.synthloom.api.generate.CaptionRequest;
import org.synthloom.api.generate.Concept;
import org.synthloom.api.generate.GeneratedCaption;

/**
 * The {@code rhyme} caption generator, a third-party plugin: each caption is a couplet
 * {@code "a <concept> <ending>, <opening> <other ending>"} whose two endings rhyme, e.g.
 * {@code "a red circle in the light, and then shining bright"}. Endings are drawn without
 * repetition within a caption from a generator seeded by the request's seed and the concept's
 * position, so the answer is reproducible; provenance records {@code rhyme}, the bundle version
 * and that seed.
 */
@Component(service = CaptionGenerator.class, configurationPid = RhymeCaptions.PID)
@SynthloomPlugin(kind = CaptionGenerator.KIND, name = RhymeCaptions.NAME)
@Designate(ocd = RhymeConfig.class)
public class RhymeCaptions implements CaptionGenerator {

    /** The plugin's {@code synthloom.name}. */
    public static final String NAME = "rhyme";
    /** The configuration PID. */
    public static final String PID = "org.example.synthloom.rhyme";

    private final String version;
    private final List<String> endings;
    private final List<String> openings;

    /**
     * @param context the bundle's context, for its version
     * @param config the configuration
     */
    @Activate
    public RhymeCaptions(BundleContext context, RhymeConfig config) {
        this(context.getBundle().getVersion().toString(), config);
    }

    /**
     * @param version the version recorded in provenance
     * @param config the configuration
     * @throws IllegalArgumentException if there are fewer than two endings or no opening
     */
    public RhymeCaptions(String version, RhymeConfig config) {
        this.version = version;
        this.endings = List.copyOf(new java.util.LinkedHashSet<>(List.of(config.endings())));
        this.openings = List.of(config.openings());
        if (endings.size() < 2 || endings.stream().anyMatch(String::isBlank)) {
            throw new IllegalArgumentException(PID + ": endings must hold at least two distinct, non-blank phrases, got "
                    + List.of(config.endings()));
        }
        if (openings.isEmpty() || openings.stream().anyMatch(String::isBlank)) {
            throw new IllegalArgumentException(PID + ": openings must hold at least one non-blank phrase, got " + openings);
        }
    }

    @Override
    public List<GeneratedCaption> generate(CaptionRequest request) {
        List<GeneratedCaption> out = new ArrayList<>();
        for (int c = 0; c < request.concepts().size(); c++) {
            Concept concept = request.concepts().get(c);
            long seed = request.seed() * 0x9E3779B97F4A7C15L + c;
            SplittableRandom random = new SplittableRandom(seed);
            Provenance provenance = Provenance.synthetic(NAME, version, seed);
            Set<String> seen = new HashSet<>();
            for (int i = 0; i < request.captionsPerConcept(); i++) {
                String text = couplet(concept, random);
                // A few redraws avoid repeating a caption while combinations remain.
                for (int attempt = 0; seen.contains(text) && attempt < 16; attempt++) {
                    text = couplet(concept, random);
                }
                seen.add(text);
                out.add(new GeneratedCaption(concept, new Caption(text, provenance)));
            }
        }
        return out;
    }

    private String couplet(Concept concept, SplittableRandom random) {
        int first = random.nextInt(endings.size());
        int second = (first + 1 + random.nextInt(endings.size() - 1)) % endings.size();
        String opening = openings.get(random.nextInt(openings.size()));
        return "a " + concept.name() + " " + endings.get(first) + ", " + opening + " " + endings.get(second);
    }
}
