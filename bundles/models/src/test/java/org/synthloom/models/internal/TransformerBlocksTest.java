package org.synthloom.models.internal;

import org.synthloom.models.nn.Attention;
import org.synthloom.models.nn.AttentionMasks;
import org.synthloom.models.nn.TransformerBlock;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.synthloom.api.data.ImageSpace;
import org.synthloom.api.model.DataSpec;
import org.synthloom.api.model.Fields;
import org.synthloom.testkit.Configs;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;

/** The shared transformer blocks and the vit, transformer-text and token-embed encoders, on the real engine. */
class TransformerBlocksTest {

    private NDManager manager;

    @BeforeEach
    void engine() {
        Engine engine = Engine.getEngine("PyTorch");
        engine.setRandomSeed(11);
        manager = engine.newBaseManager();
    }

    @AfterEach
    void close() {
        manager.close();
    }

    private NDArray forward(Block block, NDManager step, NDArray... inputs) {
        return block.forward(new ParameterStore(step, false), new NDList(inputs), false).singletonOrThrow();
    }

    @Test
    void everyBlockHasTheShapesItDeclares() {
        try (NDManager step = manager.newSubManager()) {
            ParameterStore store = new ParameterStore(step, false);
            NDArray x = step.randomNormal(new Shape(2, 5, 16));
            NDArray context = step.randomNormal(new Shape(2, 7, 12));

            Attention self = Attention.self(16, 4);
            self.initialize(manager, DataType.FLOAT32, x.getShape());
            assertEquals(new Shape(2, 5, 16), forward(self, step, x).getShape());
            Attention cross = Attention.cross(16, 4, 12);
            cross.initialize(manager, DataType.FLOAT32, x.getShape(), context.getShape());
            assertEquals(new Shape(2, 5, 16), forward(cross, step, x, context).getShape());
            assertEquals(new Shape(48, 16), self.getParameters().get("qkv_weight").getArray().getShape(), "fused QKV");
            assertEquals(new Shape(32, 12), cross.getParameters().get("kv_weight").getArray().getShape(), "fused KV");

            TransformerBlock decoderLayer = new TransformerBlock(16, 2, 64, 12);
            decoderLayer.initialize(manager, DataType.FLOAT32, x.getShape(), context.getShape());
            assertEquals(new Shape(2, 5, 16), forward(decoderLayer, step, x, context).getShape());

            for (boolean selfAttention : new boolean[] {true, false}) {
                PerceiverResampler resampler = new PerceiverResampler(12, 16, 3, 2, 2, 32, selfAttention);
                resampler.initialize(manager, DataType.FLOAT32, context.getShape());
                assertEquals(new Shape(2, 3, 16), resampler.getOutputShapes(new Shape[] {context.getShape()})[0]);
                assertEquals(new Shape(2, 3, 16), resampler.apply(store, context, false).getShape());
            }

            CaptionDecoder decoder = new CaptionDecoder(50, 9, 16, 2, 2, 32, false);
            NDArray tokens = step.randomInteger(0, 50, new Shape(2, 6), DataType.INT64);
            NDArray mask = step.ones(new Shape(2, 6), DataType.INT32);
            NDArray latents = step.randomNormal(new Shape(2, 3, 16));
            decoder.initialize(manager, DataType.FLOAT32, tokens.getShape(), mask.getShape(), latents.getShape());
            assertEquals(new Shape(2, 6, 50), forward(decoder, step, tokens, mask, latents).getShape());
        }
    }

    @Test
    void theVitPoolsAsConfiguredAndHasTheClipTinyParameterCount() {
        DataSpec spec = DataSpec.builder().images(64, 3).build();
        Shape images = new Shape(2, 3, 64, 64);
        // pool -> class token -> output shape
        Object[][] cases = {{"cls", true, new Shape(2, 192)}, {"mean", true, new Shape(2, 192)},
            {"mean", false, new Shape(2, 192)}, {"none", true, new Shape(2, 65, 192)}, {"none", false, new Shape(2, 64, 192)}};
        for (Object[] c : cases) {
            VitEncoder encoder = new VitEncoder(Configs.of(VitConfig.class,
                    Map.of("pool", c[0], "class.token", c[1], "depth", 1)));
            assertEquals(ImageSpace.PIXELS, encoder.inputSpace());
            assertEquals(192, encoder.outputDim());
            Block block = encoder.newBlock(spec);
            block.initialize(manager, DataType.FLOAT32, images);
            assertEquals(c[2], block.getOutputShapes(new Shape[] {images})[0], c[0] + " " + c[1]);
            try (NDManager step = manager.newSubManager()) {
                assertEquals(c[2], forward(block, step, step.randomNormal(images)).getShape(), c[0] + " " + c[1]);
            }
        }

        // The defaults are the clip-tiny image tower: patch 8 on 64x64, width 192, depth 4, 3 heads, MLP 768.
        Block vit = new VitEncoder(Configs.defaults(VitConfig.class)).newBlock(spec);
        vit.initialize(manager, DataType.FLOAT32, images);
        long w = 192;
        long hidden = 4 * w;
        long patchEmbedding = w * 3 * 8 * 8 + w;
        long classToken = w;
        long positions = (64 + 1) * w;
        long layerNorm = 2 * w;
        long attention = (3 * w * w + 3 * w) + (w * w + w);
        long mlp = (hidden * w + hidden) + (w * hidden + w);
        long layer = layerNorm + attention + layerNorm + mlp;
        long expected = patchEmbedding + classToken + positions + 4 * layer + layerNorm;
        assertEquals(1_829_568L, expected, "the hand count itself");
        assertEquals(expected, parameterCount(vit));
    }

    @Test
    void theVitRejectsImpossibleConfigurations() {
        assertThrows(IllegalArgumentException.class, () -> new VitEncoder(Configs.of(VitConfig.class, Map.of("heads", 5))));
        assertThrows(IllegalArgumentException.class, () -> new VitEncoder(Configs.of(VitConfig.class, Map.of("pool", "max"))));
        IllegalArgumentException noToken = assertThrows(IllegalArgumentException.class,
                () -> new VitEncoder(Configs.of(VitConfig.class, Map.of("class.token", false))));
        assertTrue(noToken.getMessage().contains(VitEncoder.PID) && noToken.getMessage().contains("class.token"),
                noToken.getMessage());
        VitEncoder encoder = new VitEncoder(Configs.defaults(VitConfig.class));
        IllegalArgumentException size = assertThrows(IllegalArgumentException.class,
                () -> encoder.newBlock(DataSpec.builder().images(60, 3).build()));
        assertTrue(size.getMessage().contains("60") && size.getMessage().contains("patch"), size.getMessage());
        Block block = encoder.newBlock(DataSpec.builder().images(64, 3).build());
        block.initialize(manager, DataType.FLOAT32, new Shape(1, 3, 64, 64));
        try (NDManager step = manager.newSubManager()) {
            assertThrows(IllegalArgumentException.class, () -> forward(block, step, step.zeros(new Shape(1, 3, 32, 32))));
        }
    }

    @Test
    void aCausalTextTransformerNeverLooksAhead() {
        int t = 10;
        for (boolean causal : new boolean[] {true, false}) {
            TextTransformer block = new TextTransformer(40, 12, 16, 2, 2, 32, causal, TextPooling.LAST);
            block.initialize(manager, DataType.FLOAT32, new Shape(1, t), new Shape(1, t));
            try (NDManager step = manager.newSubManager()) {
                ParameterStore store = new ParameterStore(step, false);
                NDArray tokens = step.randomInteger(0, 40, new Shape(1, t), DataType.INT64);
                NDArray mask = step.ones(new Shape(1, t));
                NDArray before = block.sequence(store, tokens, mask, false);
                int j = 6;
                NDArray perturbed = tokens.duplicate();
                perturbed.set(new NDIndex(0, j), (tokens.getLong(0, j) + 7) % 40);
                NDArray after = block.sequence(store, perturbed, mask, false);
                float earlier = maxAbsDifference(before, after, 0, j);
                float later = maxAbsDifference(before, after, j, t);
                assertTrue(later > 1e-3f, "position " + j + " and later see token " + j + ": " + later);
                if (causal) {
                    assertTrue(earlier <= 1e-6f, "positions before " + j + " changed by " + earlier);
                } else {
                    assertTrue(earlier > 1e-3f, "without the causal mask earlier positions do see token " + j);
                }
            }
        }
    }

    @Test
    void paddedKeysAreIrrelevant() {
        // Cross-attention: changing the context at padded keys changes nothing.
        Attention cross = Attention.cross(16, 2, 8);
        cross.initialize(manager, DataType.FLOAT32, new Shape(2, 3, 16), new Shape(2, 5, 8));
        try (NDManager step = manager.newSubManager()) {
            ParameterStore store = new ParameterStore(step, false);
            NDArray x = step.randomNormal(new Shape(2, 3, 16));
            NDArray context = step.randomNormal(new Shape(2, 5, 8));
            NDArray keyMask = step.create(new float[] {1, 1, 1, 0, 0, 1, 0, 1, 1, 0}, new Shape(2, 5));
            NDArray changed = context.add(step.randomNormal(new Shape(2, 5, 8)).mul(10f)
                    .mul(keyMask.sub(1f).neg().expandDims(2)));
            NDArray bias = AttentionMasks.keyPadding(keyMask);
            NDArray a = cross.apply(store, x, context, bias, false);
            NDArray b = cross.apply(store, x, changed, bias, false);
            assertArrayEquals(a.toFloatArray(), b.toFloatArray(), 1e-6f);
            NDArray unmasked = cross.apply(store, x, changed, null, false);
            assertTrue(maxAbsDifference(a, unmasked, 0, 3) > 1e-3f, "the changed keys matter without the mask");
        }

        // The text encoder, bidirectional and mean-pooled: pad ids, padded length and id type do not matter.
        for (String pool : new String[] {"mean", "last", "first"}) {
            TransformerTextEncoder encoder = new TransformerTextEncoder(Configs.of(TransformerTextConfig.class,
                    Map.of("width", 16, "depth", 2, "heads", 2, "causal", false, "pool", pool)));
            Block block = encoder.newBlock(DataSpec.builder().text(259, 24).build());
            block.initialize(manager, DataType.FLOAT32, new Shape(1, 16), new Shape(1, 16));
            int[] caption = new ByteTokenizer().encode("a red circle");
            try (NDManager step = manager.newSubManager()) {
                float[] padded16 = encode(step, block, caption, 16, 0, DataType.INT64);
                float[] junk16 = encode(step, block, caption, 16, 200, DataType.INT64);
                float[] padded24 = encode(step, block, caption, 24, 0, DataType.INT32);
                assertArrayEquals(padded16, junk16, 1e-5f, pool);
                assertArrayEquals(padded16, padded24, 1e-5f, pool);
                float[] other = encode(step, block, new ByteTokenizer().encode("a red square"), 16, 0, DataType.INT64);
                assertTrue(maxAbsDifference(padded16, other) > 1e-3f, pool + ": different captions, different features");
            }
        }
    }

    @Test
    void theTextEncoderPoolsTheLastRealToken() {
        // With causal attention the last real token has seen the whole caption; changing the
        // first character must change the features, changing padding must not.
        TransformerTextEncoder encoder = new TransformerTextEncoder(Configs.of(TransformerTextConfig.class,
                Map.of("width", 16, "depth", 1, "heads", 2)));
        assertEquals(16, encoder.outputDim());
        Block block = encoder.newBlock(DataSpec.builder().text(259, 16).build());
        block.initialize(manager, DataType.FLOAT32, new Shape(1, 16), new Shape(1, 16));
        try (NDManager step = manager.newSubManager()) {
            float[] a = encode(step, block, new ByteTokenizer().encode("a red circle"), 16, 0, DataType.INT64);
            float[] b = encode(step, block, new ByteTokenizer().encode("b red circle"), 16, 0, DataType.INT64);
            float[] c = encode(step, block, new ByteTokenizer().encode("a red circle"), 16, 9, DataType.INT64);
            assertTrue(maxAbsDifference(a, b) > 1e-3f, "the last token sees the first");
            assertArrayEquals(a, c, 1e-5f);
        }
        assertThrows(IllegalArgumentException.class, () -> encoder.newBlock(DataSpec.builder().text(259, 0).build()));
        assertThrows(IllegalArgumentException.class, () -> new TransformerTextEncoder(
                Configs.of(TransformerTextConfig.class, Map.of("pool", "max"))));
    }

    @Test
    void theTokenEmbeddingKnowsRowsAndColumns() {
        DataSpec spec = DataSpec.builder().tokens(3, 10).build();
        TokenEmbedEncoder sequence = new TokenEmbedEncoder(Configs.of(TokenEmbedConfig.class, Map.of("width", 8)));
        TokenEmbedEncoder pooled = new TokenEmbedEncoder(
                Configs.of(TokenEmbedConfig.class, Map.of("width", 8, "pool", "mean")));
        assertEquals(ImageSpace.TOKENS, sequence.inputSpace());
        assertEquals(8, sequence.outputDim());
        Block block = sequence.newBlock(spec);
        Block mean = pooled.newBlock(spec);
        Shape ids = new Shape(2, 9);
        block.initialize(manager, DataType.FLOAT32, ids);
        mean.initialize(manager, DataType.FLOAT32, ids);
        assertEquals(new Shape(2, 9, 8), block.getOutputShapes(new Shape[] {ids})[0]);
        assertEquals(new Shape(2, 8), mean.getOutputShapes(new Shape[] {ids})[0]);
        assertEquals(new Shape(10, 8), block.getParameters().get("code_embedding").getArray().getShape());
        try (NDManager step = manager.newSubManager()) {
            // The same code everywhere: cells differ only by their positions, which are row + column.
            NDArray same = step.full(new Shape(1, 9), 4, DataType.INT32);
            NDArray x = forward(block, step, same).get(0);
            NDArray rowDifference = x.get("3:6").sub(x.get("0:3"));
            NDArray expected = block.getParameters().get("row_positions").getArray().get(1)
                    .sub(block.getParameters().get("row_positions").getArray().get(0));
            for (int c = 0; c < 3; c++) {
                assertArrayEquals(expected.toFloatArray(), rowDifference.get(c).toFloatArray(), 1e-6f);
            }
            assertEquals(new Shape(2, 8), forward(mean, step, step.zeros(ids, DataType.INT64)).getShape());
            assertThrows(IllegalArgumentException.class, () -> forward(block, step, step.zeros(new Shape(2, 8), DataType.INT64)));
        }
        assertThrows(IllegalArgumentException.class, () -> sequence.newBlock(DataSpec.builder().build()));
        assertThrows(IllegalArgumentException.class,
                () -> new TokenEmbedEncoder(Configs.of(TokenEmbedConfig.class, Map.of("pool", "cls"))));
    }

    /**
     * Operations that start from a parameter put their result in the parameters' manager (DJL
     * attaches a result to its first operand's manager); the blocks move such results to the
     * step's manager, so training steps leave nothing behind in the model's manager.
     */
    @Test
    void trainingStepsLeaveNothingInTheModelsManager() {
        DataSpec spec = DataSpec.builder().images(16, 3).tokens(2, 8).text(50, 6).build();
        Map<String, Object> small = Map.of("perceiver.latents", 2, "perceiver.depth", 1, "perceiver.heads", 2,
                "decoder.width", 8, "decoder.depth", 1, "decoder.heads", 2);
        ClipRecipe clip = new ClipRecipe(
                new VitEncoder(Configs.of(VitConfig.class, Map.of("patch", 8, "width", 8, "depth", 1, "heads", 2))),
                new TransformerTextEncoder(Configs.of(TransformerTextConfig.class, Map.of("width", 8, "depth", 1,
                        "heads", 2, "pool", "last"))),
                Configs.of(ClipConfig.class, Map.of("embed_dim", 4)));
        CaptionerRecipe tokens = new CaptionerRecipe(
                new TokenEmbedEncoder(Configs.of(TokenEmbedConfig.class, Map.of("width", 8))),
                Configs.of(CaptionerConfig.class, small));
        CaptionerRecipe pixels = new CaptionerRecipe(new VitEncoder(Configs.of(VitConfig.class,
                Map.of("patch", 8, "width", 8, "depth", 1, "heads", 2, "pool", "none"))),
                Configs.of(CaptionerConfig.class, small));
        for (var recipe : List.of(clip, tokens, pixels)) {
            Block block = recipe.newModel(spec);
            Shape image = recipe.inputs().get(0).equals(Fields.IMAGES) ? new Shape(2, 3, 16, 16) : new Shape(2, 4);
            block.initialize(manager, DataType.FLOAT32, image, new Shape(2, 6), new Shape(2, 6));
            int[] counts = new int[3];
            for (int i = 0; i < counts.length; i++) {
                try (NDManager step = manager.newSubManager();
                        GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                    NDArray images = image.dimension() == 4 ? step.randomNormal(image)
                            : step.randomInteger(0, 8, image, DataType.INT64);
                    NDArray mask = step.create(new int[] {1, 1, 1, 1, 0, 0, 1, 1, 1, 1, 1, 1}, new Shape(2, 6));
                    NDList out = block.forward(new ParameterStore(step, false),
                            new NDList(images, step.randomInteger(0, 50, new Shape(2, 6), DataType.INT64), mask), true);
                    NDArray loss = out.head().sum();
                    for (NDArray o : out.subNDList(1)) {
                        loss = o.getDataType() == DataType.FLOAT32 ? loss.add(o.sum()) : loss;
                    }
                    collector.backward(loss);
                }
                counts[i] = manager.getManagedArrays().size();
            }
            // The first step may cache constant masks; the next ones add nothing.
            assertEquals(counts[1], counts[2], recipe.getClass().getSimpleName() + " " + recipe.inputs());
            assertEquals(counts[0], counts[1], recipe.getClass().getSimpleName() + " " + recipe.inputs());
        }
    }

    static long parameterCount(Block block) {
        long n = 0;
        for (var p : block.getParameters()) {
            n += p.getValue().getArray().size();
        }
        return n;
    }

    /** Max |a - b| over positions [from, to) of axis 1 of (B, T, W) arrays. */
    private static float maxAbsDifference(NDArray a, NDArray b, int from, int to) {
        NDIndex range = new NDIndex().addAllDim().addSliceDim(from, to);
        return a.get(range).sub(b.get(range)).abs().max().getFloat();
    }

    private static float maxAbsDifference(float[] a, float[] b) {
        float max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs(a[i] - b[i]));
        }
        return max;
    }

    /** Encodes one caption padded to {@code context} with {@code padId}; returns its features. */
    private static float[] encode(NDManager m, Block block, int[] caption, int context, int padId, DataType type) {
        int[] ids = new int[context];
        int[] mask = new int[context];
        for (int t = 0; t < context; t++) {
            ids[t] = t < caption.length ? caption[t] : padId;
            mask[t] = t < caption.length ? 1 : 0;
        }
        NDArray tokens = m.create(ids, new Shape(1, context)).toType(type, false);
        NDArray maskArray = m.create(mask, new Shape(1, context));
        return block.forward(new ParameterStore(m, false), new NDList(tokens, maskArray), false).singletonOrThrow()
                .toFloatArray();
    }
}
