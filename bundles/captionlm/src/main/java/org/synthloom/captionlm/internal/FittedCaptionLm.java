package org.synthloom.captionlm.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.synthloom.api.data.Caption;
import org.synthloom.api.data.Provenance;
import org.synthloom.api.generate.CaptionGenerator;
import org.synthloom.api.generate.CaptionRequest;
import org.synthloom.api.generate.Concept;
import org.synthloom.api.generate.GeneratedCaption;

/**
 * The fitted {@code lm} caption generator: samples captions from the trained language model,
 * conditioned on each concept's class.
 *
 * <p>A concept names a class of the human data (compared trimmed and case-insensitively); any
 * other concept gets the "unknown" class token, which learnt from the unlabelled captions, if
 * there were any. Caption {@code i} of the request's concept {@code c} is sampled with the seed
 * derived from the request's seed, {@code c}, {@code i} and the attempt, so the answer depends on
 * the request only. A caption that is empty or repeats an earlier caption of its concept is
 * sampled again, up to the configured retries; then a repeat is accepted (and counted in the log)
 * and an empty caption becomes the concept's name. The answer has exactly
 * {@code captionsPerConcept} captions per concept, in request order.
 */
final class FittedCaptionLm implements CaptionGenerator, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(FittedCaptionLm.class);

    private final String version;
    private final Sampler sampler;
    private final Map<String, Integer> classIndex = new HashMap<>();
    private final int unknownClass;
    private final int retries;
    private final AutoCloseable resources;

    /**
     * @param version the bundle's version, for provenance
     * @param sampler samples from the trained model
     * @param classNames the classes the model knows, in index order (unknown not included)
     * @param retries samples again for a repeated or empty caption at most this often
     * @param resources closed with this instance (the loaded parameters), or null
     */
    FittedCaptionLm(String version, Sampler sampler, List<String> classNames, int retries, AutoCloseable resources) {
        this.version = version;
        this.sampler = sampler;
        for (int i = 0; i < classNames.size(); i++) {
            classIndex.putIfAbsent(key(classNames.get(i)), i);
        }
        this.unknownClass = classNames.size();
        this.retries = retries;
        this.resources = resources;
    }

    private static String key(String name) {
        return name.trim().toLowerCase(Locale.ROOT);
    }

    @Override
    public List<GeneratedCaption> generate(CaptionRequest request) {
        List<Concept> concepts = request.concepts();
        int per = request.captionsPerConcept();
        int total = concepts.size() * per;
        int[] classOf = new int[concepts.size()];
        List<String> unknown = new ArrayList<>();
        for (int c = 0; c < classOf.length; c++) {
            classOf[c] = classIndex.getOrDefault(key(concepts.get(c).name()), unknownClass);
            if (classOf[c] == unknownClass) {
                unknown.add(concepts.get(c).name());
            }
        }
        if (!unknown.isEmpty()) {
            LOG.warn("{}: {} are not classes of the human data the model learnt from; their captions are sampled with"
                    + " the 'unknown' class token", CaptionLm.NAME, unknown);
        }
        String[] texts = new String[total];
        List<Set<String>> seen = new ArrayList<>();
        for (int c = 0; c < concepts.size(); c++) {
            seen.add(new HashSet<>());
        }
        int[] pending = new int[total];
        for (int s = 0; s < total; s++) {
            pending[s] = s;
        }
        int repeats = 0;
        int empty = 0;
        for (int attempt = 0; pending.length > 0; attempt++) {
            int[] classes = new int[pending.length];
            long[] seeds = new long[pending.length];
            for (int k = 0; k < pending.length; k++) {
                int slot = pending[k];
                classes[k] = classOf[slot / per];
                seeds[k] = seed(request.seed(), slot / per, slot % per, attempt);
            }
            String[] drawn = sampler.sample(classes, seeds);
            boolean last = attempt >= retries;
            int[] again = new int[pending.length];
            int count = 0;
            // In slot order, so that which of two equal captions is redrawn does not depend on batching.
            for (int k = 0; k < pending.length; k++) {
                int slot = pending[k];
                String text = drawn[k];
                Set<String> concept = seen.get(slot / per);
                if (!text.isEmpty() && concept.add(text)) {
                    texts[slot] = text;
                } else if (!last) {
                    again[count++] = slot;
                } else if (text.isEmpty()) {
                    texts[slot] = concepts.get(slot / per).name();
                    empty++;
                } else {
                    texts[slot] = text;
                    repeats++;
                }
            }
            pending = java.util.Arrays.copyOf(again, count);
        }
        if (repeats > 0 || empty > 0) {
            LOG.warn("{}: after {} retries, {} of {} captions repeat an earlier caption of their concept and {} were empty"
                    + " (replaced by the concept's name)", CaptionLm.NAME, retries, repeats, total, empty);
        }
        List<GeneratedCaption> out = new ArrayList<>(total);
        for (int s = 0; s < total; s++) {
            out.add(new GeneratedCaption(concepts.get(s / per),
                    new Caption(texts[s], Provenance.synthetic(CaptionLm.NAME, version, request.seed()))));
        }
        return out;
    }

    /** An independent seed per request seed, concept position, caption index and attempt. */
    static long seed(long requestSeed, int concept, int index, int attempt) {
        long h = requestSeed;
        for (long part : new long[] {concept, index, attempt}) {
            // SplittableRandom's output is a strong mix of its seed.
            h = new SplittableRandom(h ^ (part * 0x9E3779B97F4A7C15L + 0x7F4A7C15L)).nextLong();
        }
        return h;
    }

    @Override
    public void close() throws Exception {
        if (resources != null) {
            resources.close();
        }
    }
}
