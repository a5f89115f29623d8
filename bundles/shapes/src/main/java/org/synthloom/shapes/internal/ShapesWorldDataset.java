package org.synthloom.shapes.internal;

import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.synthloom.api.SynthloomPlugin;
import org.synthloom.api.data.Caption;
import org.synthloom.api.data.Dataset;
import org.synthloom.api.data.Provenance;
import org.synthloom.api.data.Sample;
import org.synthloom.api.data.SampleSource;

/**
 * The shapes world as a dataset: splits train, val and test of procedurally drawn scenes with
 * human-like captions, the platform's offline stand-in for a human-annotated set.
 *
 * <p>Sample {@code i} of split {@code s} is a pure function of (seed, s, i): nothing is stored,
 * each sample is drawn when read. The train split follows the configured coverage (held-out
 * concepts never appear, rare ones seldom); val and test are balanced: every block of 48
 * consecutive samples has each concept once as its label, in a seeded order.
 *
 * <p>Labels are the main object's concept; {@link #classNames()} lists the 48 concepts
 * colour-major ({@code red circle, red square, ..., black diamond}).
 */
@Component(service = Dataset.class, configurationPid = ShapesWorldDataset.PID)
@Designate(ocd = ShapesWorldConfig.class)
@SynthloomPlugin(kind = Dataset.KIND, name = ShapesWorldDataset.NAME)
public class ShapesWorldDataset implements Dataset {

    static final String NAME = "shapes-world";
    static final String PID = "org.synthloom.shapes";
    static final Provenance HUMAN = Provenance.human(NAME);
    /** Metadata key: how the train split covers the sample's label ({@code held-out}, {@code rare}, {@code common}). */
    static final String COVERAGE = "train.coverage";

    private static final Logger LOG = LoggerFactory.getLogger(ShapesWorldDataset.class);

    private final WorldSettings settings;

    @Activate
    public ShapesWorldDataset(ShapesWorldConfig config) {
        this(WorldSettings.from(config));
        LOG.info("{}: seed {}, {}x{} px, train {} / val {} / test {}, train coverage: {}", NAME, settings.seed(),
                settings.imageSize(), settings.imageSize(), settings.trainSize(), settings.valSize(),
                settings.testSize(), settings.coverage());
    }

    ShapesWorldDataset(WorldSettings settings) {
        this.settings = settings;
    }

    @Override
    public List<String> splits() {
        return WorldSettings.SPLITS;
    }

    @Override
    public List<String> classNames() {
        return Vocabulary.CONCEPTS;
    }

    @Override
    public long size(String split) {
        return settings.size(split);
    }

    @Override
    public SampleSource open(String split) {
        return new Source(split, settings.size(split));
    }

    /** @return the scene of sample {@code index} of a split */
    Scene scene(String split, int index) {
        return draw(split, index).scene();
    }

    /**
     * @param split a split
     * @param index 0 .. size-1 (larger indices work too: the world is unbounded)
     * @return the sample
     */
    Sample sample(String split, int index) {
        Drawn drawn = draw(split, index);
        Scene scene = drawn.scene();
        Sample.Builder b = Sample.builder(String.format(Locale.ROOT, "shapes-%s-%06d", split, index))
                .pixels(SceneRenderer.render(scene, settings.imageSize()))
                .imageProvenance(HUMAN)
                .label(scene.concept())
                .metadata("scene", scene.toJson())
                .metadata("split", split)
                .metadata("index", Integer.toString(index))
                // so that evaluation can score held-out and rare concepts apart (the captioning evaluator's group.by)
                .metadata(COVERAGE, settings.coverage().role(scene.concept()));
        for (String text : SceneCaptioner.captions(scene, drawn.rng())) {
            b.caption(new Caption(text, HUMAN));
        }
        return b.build();
    }

    private record Drawn(Scene scene, Rng rng) {}

    private Drawn draw(String split, int index) {
        WorldSettings.requireSplit(split);
        if (index < 0) {
            throw new IndexOutOfBoundsException("negative sample index " + index);
        }
        Rng rng = new Rng(Rng.derive(settings.seed(), split, index));
        boolean train = "train".equals(split);
        String main = train ? settings.coverage().pick(rng) : balanced(split, index);
        Scene scene = SceneSampler.sample(rng, main, train ? settings.coverage() : Coverage.UNIFORM);
        return new Drawn(scene, rng);
    }

    /** The label of an evaluation sample: each block of 48 indices is a seeded permutation of the concepts. */
    private String balanced(String split, int index) {
        List<String> concepts = Vocabulary.CONCEPTS;
        int[] order = new Rng(Rng.derive(settings.seed(), split + "/labels", index / concepts.size()))
                .permutation(concepts.size());
        return concepts.get(order[index % concepts.size()]);
    }

    /** Reads a split in index order, drawing each sample on demand. */
    private final class Source implements SampleSource {
        private final String split;
        private final int size;
        private int next;
        private boolean closed;

        Source(String split, int size) {
            this.split = split;
            this.size = size;
        }

        @Override
        public Optional<Sample> next() throws IOException {
            if (closed) {
                throw new IOException("the " + NAME + " source of split " + split + " is closed");
            }
            return next < size ? Optional.of(sample(split, next++)) : Optional.empty();
        }

        @Override
        public void close() {
            closed = true;
        }
    }
}
