package org.synthloom.pipeline.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;

import org.synthloom.api.data.Caption;
import org.synthloom.api.data.Dataset;
import org.synthloom.api.data.ImagePixels;
import org.synthloom.api.data.ImageSpace;
import org.synthloom.api.data.Provenance;
import org.synthloom.api.data.Sample;
import org.synthloom.api.data.SampleSource;
import org.synthloom.api.generate.CaptionGenerator;
import org.synthloom.api.generate.CaptionRequest;
import org.synthloom.api.generate.Concept;
import org.synthloom.api.generate.GeneratedCaption;
import org.synthloom.api.generate.ImageGenerator;
import org.synthloom.api.generate.ImageRequest;
import org.synthloom.api.model.DataSpec;
import org.synthloom.api.model.Fields;
import org.synthloom.api.model.ModelRecipe;
import org.synthloom.api.model.Tokenizer;
import org.synthloom.api.train.EvaluationContext;
import org.synthloom.api.train.EvaluationResult;
import org.synthloom.api.train.Evaluator;
import org.synthloom.api.train.LossOutput;
import org.synthloom.api.train.Objective;
import org.synthloom.api.train.Scalars;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.ConstantInitializer;
import ai.djl.util.PairList;

/**
 * Small plugins for testing the engine on its own: a world of coloured squares, captions and
 * images for it, a tiny CLIP and its loss, and a zero-shot accuracy evaluator.
 */
final class TestPlugins {

    static final List<String> COLOURS = List.of("red", "green", "blue", "yellow");
    static final int[][] RGB = {{220, 30, 30}, {30, 200, 40}, {40, 60, 230}, {230, 220, 40}};
    static final int SIZE = 16;

    private TestPlugins() {}

    static List<String> classes() {
        return COLOURS.stream().map(c -> c + " square").toList();
    }

    static ImagePixels square(int colour, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        byte[] data = new byte[SIZE * SIZE * 3];
        for (int p = 0; p < SIZE * SIZE; p++) {
            for (int c = 0; c < 3; c++) {
                data[p * 3 + c] = (byte) Math.max(0, Math.min(255, RGB[colour][c] + random.nextInt(-40, 41)));
            }
        }
        return new ImagePixels(SIZE, SIZE, 3, data);
    }

    /** Coloured noisy squares: "train" and "test" splits, labelled, with two captions each. */
    static final class Squares implements Dataset {
        final int trainSize;

        Squares(int trainSize) {
            this.trainSize = trainSize;
        }

        @Override
        public List<String> splits() {
            return List.of("train", "test");
        }

        @Override
        public List<String> classNames() {
            return classes();
        }

        @Override
        public long size(String split) {
            return split.equals("train") ? trainSize : 40;
        }

        @Override
        public SampleSource open(String split) {
            if (!splits().contains(split)) {
                throw new IllegalArgumentException("no split " + split);
            }
            long size = size(split);
            AtomicInteger next = new AtomicInteger();
            return new SampleSource() {
                @Override
                public Optional<Sample> next() {
                    int i = next.getAndIncrement();
                    if (i >= size) {
                        return Optional.empty();
                    }
                    int colour = (i * 7 + (split.equals("test") ? 1 : 0)) % COLOURS.size();
                    Provenance human = Provenance.human("squares");
                    return Optional.of(Sample.builder(split + "-" + i).pixels(square(colour, split.hashCode() * 31L + i))
                            .imageProvenance(human).caption(new Caption("a " + classes().get(colour), human))
                            .caption(new Caption(classes().get(colour), human)).label(classes().get(colour)).build());
                }

                @Override
                public void close() {
                }
            };
        }
    }

    /** Template captions; can be told to fail, to test the engine's error policy. */
    static final class Captioner implements CaptionGenerator {
        private static final String[] TEMPLATES = {"a %s", "one %s", "a picture of a %s", "%s"};
        final String tag;
        volatile boolean fail;
        final AtomicInteger calls = new AtomicInteger();

        Captioner(String tag) {
            this.tag = tag;
        }

        @Override
        public List<GeneratedCaption> generate(CaptionRequest request) {
            calls.incrementAndGet();
            if (fail) {
                throw new IllegalStateException("captioner " + tag + " is broken");
            }
            List<GeneratedCaption> out = new ArrayList<>();
            SplittableRandom random = new SplittableRandom(request.seed());
            for (Concept concept : request.concepts()) {
                for (int i = 0; i < request.captionsPerConcept(); i++) {
                    String text = String.format(TEMPLATES[random.nextInt(TEMPLATES.length)], concept.name());
                    out.add(new GeneratedCaption(concept, new Caption(text, Provenance.synthetic("template", tag,
                            request.seed() + i))));
                }
            }
            return out;
        }
    }

    /** Draws the square a caption names (pixel space). */
    static final class Painter implements ImageGenerator {
        @Override
        public ImageSpace outputSpace() {
            return ImageSpace.PIXELS;
        }

        @Override
        public List<Sample> generate(ImageRequest request, NDManager manager) {
            List<Sample> out = new ArrayList<>();
            for (int j = 0; j < request.captions().size(); j++) {
                GeneratedCaption caption = request.captions().get(j);
                int colour = Math.max(0, classes().indexOf(caption.concept().name()));
                for (int k = 0; k < request.imagesPerCaption(); k++) {
                    long seed = Hashes.seed(request.seed(), j, k);
                    out.add(Sample.builder("g-" + Long.toHexString(seed)).pixels(square(colour, seed))
                            .imageProvenance(Provenance.synthetic("painter", "1.0.0", seed)).caption(caption.caption())
                            .label(caption.concept().name()).build());
                }
            }
            return out;
        }
    }

    /**
     * A linear image encoder (over pixels, or over one-hot VQ tokens) and a bag-of-bytes text
     * encoder into a shared space, CLIP style.
     */
    static final class TinyClip implements ModelRecipe {
        private final boolean tokens;

        TinyClip() {
            this(false);
        }

        TinyClip(boolean tokens) {
            this.tokens = tokens;
        }

        @Override
        public List<String> inputs() {
            return List.of(tokens ? Fields.IMAGE_TOKENS : Fields.IMAGES, Fields.TEXT_TOKENS, Fields.TEXT_MASK);
        }

        @Override
        public Set<String> outputs() {
            return Set.of(Fields.IMAGE_EMBEDS, Fields.TEXT_EMBEDS, Fields.LOGIT_SCALE);
        }

        @Override
        public Block newModel(DataSpec spec) {
            return new TinyClipBlock(spec.vocabularySize(), tokens ? spec.codebookSize() : 0);
        }
    }

    static final class TinyClipBlock extends AbstractBlock {
        private final int vocabulary;
        private final int codes;
        private final Block image;
        private final Block text;
        private final Parameter logitScale;

        /** @param codes the codebook size when the image input is VQ tokens, else 0 */
        TinyClipBlock(int vocabulary, int codes) {
            this.vocabulary = vocabulary;
            this.codes = codes;
            this.image = addChildBlock("image", Linear.builder().setUnits(16).build());
            this.text = addChildBlock("text", Linear.builder().setUnits(16).build());
            this.logitScale = addParameter(Parameter.builder().setName("logit_scale").setType(Parameter.Type.OTHER)
                    .optShape(new Shape(1)).optInitializer(new ConstantInitializer((float) Math.log(1 / 0.07))).build());
        }

        @Override
        protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
            NDArray images = codes > 0 ? inputs.get(0).oneHot(codes).toType(DataType.FLOAT32, false) : inputs.get(0);
            long batch = images.getShape().get(0);
            NDArray imageEmbeds = normalize(image.forward(ps, new NDList(images.reshape(batch, -1)), training).head());
            NDArray oneHot = inputs.get(1).oneHot(vocabulary).toType(DataType.FLOAT32, false);
            NDArray mask = inputs.get(2).toType(DataType.FLOAT32, false).expandDims(-1);
            NDArray bag = oneHot.mul(mask).sum(new int[] {1}).div(mask.sum(new int[] {1}).add(1e-6f));
            NDArray textEmbeds = normalize(text.forward(ps, new NDList(bag), training).head());
            NDArray scale = ps.getValue(logitScale, images.getDevice(), training).exp().clip(0, 100);
            imageEmbeds.setName(Fields.IMAGE_EMBEDS);
            textEmbeds.setName(Fields.TEXT_EMBEDS);
            scale.setName(Fields.LOGIT_SCALE);
            return new NDList(imageEmbeds, textEmbeds, scale);
        }

        private static NDArray normalize(NDArray x) {
            return x.div(x.norm(new int[] {1}, true).add(1e-6f));
        }

        @Override
        public Shape[] getOutputShapes(Shape[] inputShapes) {
            long b = inputShapes[0].get(0);
            return new Shape[] {new Shape(b, 16), new Shape(b, 16), new Shape(1)};
        }

        @Override
        protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
            long b = inputShapes[0].get(0);
            image.initialize(manager, dataType, new Shape(b, inputShapes[0].size() / b * Math.max(1, codes)));
            text.initialize(manager, dataType, new Shape(b, vocabulary));
        }
    }

    /** CLIP's symmetric InfoNCE; can be told to fail. */
    static final class InfoNce implements Objective {
        volatile boolean fail;
        final AtomicInteger calls = new AtomicInteger();

        @Override
        public Set<String> requires() {
            return Set.of(Fields.IMAGE_EMBEDS, Fields.TEXT_EMBEDS, Fields.LOGIT_SCALE);
        }

        @Override
        public LossOutput compute(NDList outputs, NDList batch) {
            calls.incrementAndGet();
            if (fail) {
                throw new IllegalStateException("objective broken");
            }
            NDArray logits = outputs.get(Fields.IMAGE_EMBEDS).matMul(outputs.get(Fields.TEXT_EMBEDS).transpose())
                    .mul(outputs.get(Fields.LOGIT_SCALE));
            long n = logits.getShape().get(0);
            NDArray eye = logits.getManager().eye((int) n);
            NDArray i2t = logits.logSoftmax(1).mul(eye).sum().neg().div(Scalars.like(logits, n));
            NDArray t2i = logits.transpose().logSoftmax(1).mul(eye).sum().neg().div(Scalars.like(logits, n));
            return new LossOutput(i2t.add(t2i).div(Scalars.like(i2t, 2f)), java.util.Map.of());
        }
    }

    /** Zero-shot accuracy over the class names with the prompt "a {class}". */
    static final class ZeroShot implements Evaluator {
        @Override
        public EvaluationResult evaluate(EvaluationContext context) throws IOException {
            List<String> classes = context.classNames();
            NDArray texts = context.forward(context.tokenize(classes.stream().map(c -> "a " + c).toList()))
                    .get(Fields.TEXT_EMBEDS);
            int correct = 0;
            int total = 0;
            try (SampleSource source = context.open("test")) {
                List<Sample> batch = new ArrayList<>();
                for (Optional<Sample> s = source.next(); s.isPresent(); s = source.next()) {
                    batch.add(s.get());
                }
                NDArray images = context.forward(context.toBatch(batch)).get(Fields.IMAGE_EMBEDS);
                long[] predicted = images.matMul(texts.transpose()).argMax(1).toLongArray();
                for (int i = 0; i < batch.size(); i++) {
                    total++;
                    if (classes.get((int) predicted[i]).equals(batch.get(i).labels().get(0))) {
                        correct++;
                    }
                }
            }
            return new EvaluationResult(java.util.Map.of("zero_shot_accuracy", correct / (double) total),
                    java.util.Map.of("counted", correct + " of " + total + " correct"));
        }
    }
}
