package ${package};

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.synthloom.api.data.Caption;
import org.synthloom.api.data.Provenance;
import org.synthloom.api.data.Sample;
import org.synthloom.api.data.SampleSource;
import org.synthloom.api.model.Fields;
import org.synthloom.api.model.Tokenizer;
import org.synthloom.api.train.EvaluationContext;
import org.synthloom.api.train.Evaluator;
import org.synthloom.testkit.ClasspathDevices;
import org.synthloom.testkit.Configs;
import org.synthloom.testkit.conformance.EvaluatorConformance;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/** {@link ${className}} outside OSGi: the SDK's conformance suite (inherited) and its own behaviour. */
class ${className}Test extends EvaluatorConformance {

    private static final List<String> CLASSES = List.of("red", "green", "blue", "yellow");

    @Override
    protected Evaluator evaluator() {
        return new ${className}(Configs.of(${className}Config.class, Map.of("batch.size", 4)));
    }

    @Override
    protected EvaluationContext context(NDManager m) {
        return new FakeModel(m, 10, false);
    }

    @Test
    void aPerfectModelScoresOneAndABlindOneScoresChance() throws Exception {
        ClasspathDevices devices = new ClasspathDevices();
        try (NDManager m = devices.newManager(devices.defaultDevice())) {
            Map<String, Double> perfect = evaluator().evaluate(new FakeModel(m, 8, false)).metrics();
            assertEquals(1.0, perfect.get("pair_accuracy"), 1e-9);
            assertEquals(8.0, perfect.get("pair_samples"), 0);
            // Every image embedded alike: argmax picks the first text of each batch of 4.
            assertEquals(0.25, evaluator().evaluate(new FakeModel(m, 8, true)).metrics().get("pair_accuracy"), 1e-9);
        }
    }

    @Test
    void aBatchSizeOutOfRangeIsRejectedNamingThePidAndProperty() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ${className}(Configs.of(${className}Config.class, Map.of("batch.size", 1))));
        assertTrue(e.getMessage().contains(${className}.PID) && e.getMessage().contains("batch.size"), e.getMessage());
    }

    /**
     * Samples of four colours; the model embeds an image and its caption as the one-hot of the
     * sample's position in its batch (a perfect model), or every image alike ({@code blind}).
     */
    static final class FakeModel implements EvaluationContext {
        private final NDManager manager;
        private final List<Sample> samples = new ArrayList<>();
        private final boolean blind;

        FakeModel(NDManager manager, int count, boolean blind) {
            this.manager = manager;
            this.blind = blind;
            for (int i = 0; i < count; i++) {
                String c = CLASSES.get(i % CLASSES.size());
                samples.add(Sample.builder("s" + i).imageProvenance(Provenance.human("fake"))
                        .caption(new Caption("a " + c + " square", Provenance.human("fake"))).label(c).build());
            }
        }

        @Override
        public NDManager manager() {
            return manager;
        }

        @Override
        public List<String> classNames() {
            return CLASSES;
        }

        @Override
        public SampleSource open(String split) {
            Iterator<Sample> it = samples.iterator();
            return new SampleSource() {
                @Override
                public Optional<Sample> next() {
                    return it.hasNext() ? Optional.of(it.next()) : Optional.empty();
                }

                @Override
                public void close() {}
            };
        }

        @Override
        public NDList toBatch(List<Sample> batch) {
            return new NDList(manager.arange(0, batch.size(), 1, DataType.INT32));
        }

        @Override
        public Tokenizer tokenizer() {
            throw new UnsupportedOperationException("the fake model has no tokenizer");
        }

        @Override
        public NDList tokenize(List<String> captions) {
            throw new UnsupportedOperationException("the fake model has no tokenizer");
        }

        @Override
        public NDList forward(NDList batch) {
            int n = (int) batch.head().getShape().get(0);
            NDArray texts = manager.eye(n);
            NDArray images = blind ? manager.ones(new Shape(n, n)) : manager.eye(n);
            images.setName(Fields.IMAGE_EMBEDS);
            texts.setName(Fields.TEXT_EMBEDS);
            return new NDList(images, texts);
        }
    }
}
