package org.synthloom.models.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.synthloom.api.model.DataSpec;
import org.synthloom.api.model.Fields;
import org.synthloom.api.model.ImageEncoder;
import org.synthloom.testkit.Configs;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;

/** The captioner recipe (Synth2's VLM) on the real PyTorch engine. */
class CaptionerRecipeTest {

    private static final int GRID = 4;
    private static final int CODES = 16;
    private static final String[] CAPTIONS = {"red circle", "blue square", "red square", "blue circle", "green star",
        "green circle"};
    /** Start + the longest caption (12 bytes) + end. */
    private static final int CONTEXT = 14;
    private static final DataSpec SPEC = DataSpec.builder().tokens(GRID, CODES).text(259, CONTEXT).images(16, 3).build();
    private static final int N = CAPTIONS.length;
    private static final Shape[] SHAPES = {new Shape(N, GRID * GRID), new Shape(N, CONTEXT), new Shape(N, CONTEXT)};
    private static final ByteTokenizer TOKENIZER = new ByteTokenizer();

    private NDManager manager;

    @BeforeEach
    void engine() {
        Engine engine = Engine.getEngine("PyTorch");
        engine.setRandomSeed(5);
        manager = engine.newBaseManager();
    }

    @AfterEach
    void close() {
        manager.close();
    }

    private static CaptionerRecipe recipe(ImageEncoder image, Map<String, Object> config) {
        return new CaptionerRecipe(image, Configs.of(CaptionerConfig.class, config));
    }

    private static CaptionerRecipe tiny() {
        return recipe(new TokenEmbedEncoder(Configs.of(TokenEmbedConfig.class, Map.of("width", 32))),
                Map.of("perceiver.latents", 4, "perceiver.depth", 1, "perceiver.heads", 2, "decoder.width", 32,
                        "decoder.depth", 2, "decoder.heads", 2));
    }

    @Test
    void inputsFollowTheImageEncodersSpaceAndOutputsAreTheCaptionFields() {
        assertEquals(List.of(Fields.IMAGE_TOKENS, Fields.TEXT_TOKENS, Fields.TEXT_MASK), tiny().inputs());
        assertEquals(List.of(Fields.CAPTION_LOGITS, Fields.CAPTION_TARGETS), List.copyOf(tiny().outputs()));
        CaptionerRecipe pixels = recipe(new VitEncoder(Configs.of(VitConfig.class, Map.of("patch", 8, "width", 16,
                "depth", 1, "heads", 2, "pool", "none"))), Map.of("decoder.width", 24, "decoder.heads", 2,
                "perceiver.heads", 2, "decoder.depth", 1, "perceiver.depth", 1));
        assertEquals(List.of(Fields.IMAGES, Fields.TEXT_TOKENS, Fields.TEXT_MASK), pixels.inputs());
        assertThrows(IllegalArgumentException.class, () -> recipe(new TokenEmbedEncoder(
                Configs.defaults(TokenEmbedConfig.class)), Map.of("decoder.heads", 5)));
        IllegalArgumentException latents = assertThrows(IllegalArgumentException.class, () -> recipe(
                new TokenEmbedEncoder(Configs.defaults(TokenEmbedConfig.class)), Map.of("perceiver.latents", 0)));
        assertTrue(latents.getMessage().contains(CaptionerRecipe.PID + ": perceiver.latents"), latents.getMessage());
        assertThrows(IllegalArgumentException.class, () -> tiny().newModel(DataSpec.builder().tokens(4, 16).build()));
    }

    /** ViT sequences (B, 5, 16), ViT class tokens (B, 16) and CNN features (B, 128) all feed the resampler. */
    @Test
    void anyImageEncoderFeedsTheResampler() {
        Map<String, Object> sizes = Map.of("decoder.width", 24, "decoder.heads", 2, "perceiver.heads", 2,
                "decoder.depth", 1, "perceiver.depth", 1, "perceiver.latents", 3);
        List<ImageEncoder> encoders = List.of(
                new VitEncoder(Configs.of(VitConfig.class, Map.of("patch", 8, "width", 16, "depth", 1, "heads", 2,
                        "pool", "none"))),
                new VitEncoder(Configs.of(VitConfig.class, Map.of("patch", 8, "width", 16, "depth", 1, "heads", 2))),
                new CnnImageEncoder(Configs.defaults(CnnImageConfig.class)));
        for (ImageEncoder encoder : encoders) {
            Block block = recipe(encoder, sizes).newModel(SPEC);
            Shape[] shapes = {new Shape(2, 3, 16, 16), new Shape(2, CONTEXT), new Shape(2, CONTEXT)};
            block.initialize(manager, DataType.FLOAT32, shapes);
            try (NDManager step = manager.newSubManager()) {
                NDList batch = batch(step, new int[] {0, 1});
                NDArray images = step.randomNormal(shapes[0]);
                images.setName(Fields.IMAGES);
                NDList out = block.forward(new ParameterStore(step, false),
                        new NDList(images, batch.get(Fields.TEXT_TOKENS), batch.get(Fields.TEXT_MASK)), false);
                assertEquals(new Shape(2, CONTEXT - 1, 259), out.get(Fields.CAPTION_LOGITS).getShape());
            }
        }
    }

    @Test
    void targetsAreTheNextTokensWithMinusOneAtPadding() {
        Block block = tiny().newModel(SPEC);
        block.initialize(manager, DataType.FLOAT32, SHAPES);
        assertArrayEquals(new Shape[] {new Shape(N, CONTEXT - 1, 259), new Shape(N, CONTEXT - 1)},
                block.getOutputShapes(SHAPES));
        try (NDManager step = manager.newSubManager()) {
            NDList batch = batch(step, new int[] {0, 1});
            NDList out = block.forward(new ParameterStore(step, false), batch, false);
            NDArray logits = out.get(Fields.CAPTION_LOGITS);
            NDArray targets = out.get(Fields.CAPTION_TARGETS);
            assertEquals(new Shape(2, CONTEXT - 1, 259), logits.getShape());
            assertEquals(DataType.FLOAT32, logits.getDataType());
            assertEquals(DataType.INT64, targets.getDataType());
            long[] expected = new long[2 * (CONTEXT - 1)];
            Arrays.fill(expected, -1);
            for (int row = 0; row < 2; row++) {
                int[] ids = TOKENIZER.encode(CAPTIONS[row]);
                for (int t = 0; t < ids.length; t++) {
                    expected[row * (CONTEXT - 1) + t] = ids[t];
                }
                expected[row * (CONTEXT - 1) + ids.length] = TOKENIZER.endId();
            }
            assertArrayEquals(expected, targets.toLongArray());
        }
    }

    /**
     * The decoding contract: the logits at position k of a partial caption (start + k tokens, the
     * rest padding with any ids) equal those of the full caption at k.
     */
    @Test
    void aPartialCaptionGivesTheNextTokensLogitsAtItsLastPosition() {
        Block block = tiny().newModel(SPEC);
        block.initialize(manager, DataType.FLOAT32, SHAPES);
        try (NDManager step = manager.newSubManager()) {
            ParameterStore store = new ParameterStore(step, false);
            NDList full = batch(step, new int[] {5});
            NDArray fullLogits = block.forward(store, full, false).get(Fields.CAPTION_LOGITS);
            int[] ids = TOKENIZER.encode(CAPTIONS[5]);
            for (int k = 0; k <= ids.length; k++) {
                int[] partial = new int[CONTEXT];
                int[] mask = new int[CONTEXT];
                Arrays.fill(partial, 77); // junk padding ids
                partial[0] = TOKENIZER.startId();
                mask[0] = 1;
                for (int t = 0; t < k; t++) {
                    partial[t + 1] = ids[t];
                    mask[t + 1] = 1;
                }
                NDList input = new NDList(full.get(Fields.IMAGE_TOKENS), step.create(partial, new Shape(1, CONTEXT)),
                        step.create(mask, new Shape(1, CONTEXT)));
                NDArray logits = block.forward(store, input, false).get(Fields.CAPTION_LOGITS);
                NDIndex at = new NDIndex().addAllDim().addIndices(k);
                assertArrayEquals(fullLogits.get(at).toFloatArray(), logits.get(at).toFloatArray(), 1e-5f, "k = " + k);
            }
        }
    }

    @Test
    void savedParametersLoadIntoAFreshBlockAndGiveIdenticalOutputs() throws Exception {
        for (boolean tied : new boolean[] {true, false}) {
            CaptionerRecipe recipe = recipe(new TokenEmbedEncoder(Configs.of(TokenEmbedConfig.class, Map.of("width", 16))),
                    Map.of("perceiver.latents", 2, "perceiver.depth", 1, "perceiver.heads", 2, "decoder.width", 24,
                            "decoder.depth", 1, "decoder.heads", 2, "tied.embedding", tied));
            Block trained = recipe.newModel(SPEC);
            trained.initialize(manager, DataType.FLOAT32, SHAPES);
            assertEquals(!tied, trained.getParameters().keys().stream().anyMatch(k -> k.endsWith("output_weight")));
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (DataOutputStream out = new DataOutputStream(bytes)) {
                trained.saveParameters(out);
            }
            Block loaded = recipe.newModel(SPEC);
            try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
                loaded.loadParameters(manager, in);
            }
            assertEquals(trained.getParameters().keys(), loaded.getParameters().keys());
            try (NDManager step = manager.newSubManager()) {
                NDList batch = batch(step, new int[] {0, 1, 2});
                NDArray a = trained.forward(new ParameterStore(step, false), batch, false).get(Fields.CAPTION_LOGITS);
                NDArray b = loaded.forward(new ParameterStore(step, false), batch, false).get(Fields.CAPTION_LOGITS);
                assertArrayEquals(a.toFloatArray(), b.toFloatArray(), 0f);
            }
        }
    }

    /**
     * Six random 4x4 token grids with six captions that share words (so the image must decide):
     * 150 Adam steps (lr 5e-3) on the masked next-token cross-entropy bring the loss down by a
     * factor of 20 or more, and greedy decoding by repeated forward passes then reproduces every
     * caption exactly.
     */
    @Test
    void itLearnsToCaptionAHandfulOfTokenGrids() {
        Block block = tiny().newModel(SPEC);
        try (Model model = Model.newInstance("captioner-test", Device.cpu(), "PyTorch")) {
            model.setBlock(block);
            DefaultTrainingConfig config = new DefaultTrainingConfig(Loss.l2Loss())
                    .optDevices(new Device[] {Device.cpu()})
                    .optOptimizer(Optimizer.adam().optLearningRateTracker(Tracker.fixed(5e-3f)).build());
            int[] all = {0, 1, 2, 3, 4, 5};
            try (Trainer trainer = model.newTrainer(config)) {
                trainer.initialize(SHAPES);
                double firstLoss = 0;
                double lastLoss = 0;
                long started = System.nanoTime();
                for (int i = 0; i < 150; i++) {
                    try (NDManager step = model.getNDManager().newSubManager();
                            GradientCollector collector = trainer.newGradientCollector()) {
                        NDArray loss = crossEntropy(trainer.forward(batch(step, all)));
                        collector.backward(loss);
                        lastLoss = loss.getFloat();
                        firstLoss = i == 0 ? lastLoss : firstLoss;
                    }
                    trainer.step();
                }
                List<String> decoded = greedy(block);
                System.out.printf(Locale.ROOT, "captioner toy task: loss %.3f -> %.4f, %.1f s, decoded %s%n", firstLoss,
                        lastLoss, (System.nanoTime() - started) / 1e9, decoded);
                assertTrue(lastLoss < firstLoss / 20, "loss " + firstLoss + " -> " + lastLoss);
                assertEquals(List.of(CAPTIONS), decoded);
            }
        }
    }

    /** Greedy decoding of every grid by repeated forward passes, as an evaluator would do it. */
    private List<String> greedy(Block block) {
        int[] tokens = new int[N * CONTEXT];
        int[] mask = new int[N * CONTEXT];
        boolean[] ended = new boolean[N];
        List<List<Integer>> captions = new ArrayList<>();
        for (int row = 0; row < N; row++) {
            tokens[row * CONTEXT] = TOKENIZER.startId();
            mask[row * CONTEXT] = 1;
            captions.add(new ArrayList<>());
        }
        try (NDManager step = manager.newSubManager()) {
            ParameterStore store = new ParameterStore(step, false);
            NDArray grids = grids(step, new int[] {0, 1, 2, 3, 4, 5});
            for (int k = 0; k < CONTEXT - 1; k++) {
                NDList input = new NDList(grids, step.create(tokens, new Shape(N, CONTEXT)),
                        step.create(mask, new Shape(N, CONTEXT)));
                NDArray logits = block.forward(store, input, false).get(Fields.CAPTION_LOGITS);
                long[] next = logits.get(new NDIndex().addAllDim().addIndices(k)).argMax(1).toLongArray();
                for (int row = 0; row < N; row++) {
                    if (ended[row]) {
                        continue;
                    }
                    tokens[row * CONTEXT + k + 1] = (int) next[row];
                    mask[row * CONTEXT + k + 1] = 1;
                    ended[row] = next[row] == TOKENIZER.endId();
                    if (!ended[row]) {
                        captions.get(row).add((int) next[row]);
                    }
                }
            }
        }
        List<String> texts = new ArrayList<>();
        for (List<Integer> ids : captions) {
            texts.add(TOKENIZER.decode(ids.stream().mapToInt(Integer::intValue).toArray()));
        }
        return texts;
    }

    /** Mean cross-entropy of the caption logits over the positions whose target is not -1. */
    static NDArray crossEntropy(NDList out) {
        NDArray logits = out.get(Fields.CAPTION_LOGITS);
        NDArray targets = out.get(Fields.CAPTION_TARGETS);
        NDArray valid = targets.gte(0).toType(DataType.FLOAT32, false);
        NDArray picked = logits.logSoftmax(-1).gather(targets.clip(0, Long.MAX_VALUE).expandDims(-1), -1).squeeze(-1);
        return picked.mul(valid).sum().div(valid.sum()).neg();
    }

    /** Grids for the given captions: the same seed gives the same six grids. */
    private static NDArray grids(NDManager m, int[] rows) {
        Random random = new Random(20240307);
        int[][] all = new int[N][GRID * GRID];
        for (int[] grid : all) {
            for (int i = 0; i < grid.length; i++) {
                grid[i] = random.nextInt(CODES);
            }
        }
        int[] ids = new int[rows.length * GRID * GRID];
        for (int r = 0; r < rows.length; r++) {
            System.arraycopy(all[rows[r]], 0, ids, r * GRID * GRID, GRID * GRID);
        }
        NDArray grids = m.create(ids, new Shape(rows.length, GRID * GRID));
        grids.setName(Fields.IMAGE_TOKENS);
        return grids;
    }

    /** The named batch of the given samples: grids, start + caption + end + padding, mask. */
    private static NDList batch(NDManager m, int[] rows) {
        int[] tokens = new int[rows.length * CONTEXT];
        int[] mask = new int[rows.length * CONTEXT];
        for (int r = 0; r < rows.length; r++) {
            int[] ids = TOKENIZER.encode(CAPTIONS[rows[r]]);
            int offset = r * CONTEXT;
            tokens[offset] = TOKENIZER.startId();
            System.arraycopy(ids, 0, tokens, offset + 1, ids.length);
            tokens[offset + 1 + ids.length] = TOKENIZER.endId();
            Arrays.fill(mask, offset, offset + 2 + ids.length, 1);
        }
        NDArray tokenArray = m.create(tokens, new Shape(rows.length, CONTEXT));
        tokenArray.setName(Fields.TEXT_TOKENS);
        NDArray maskArray = m.create(mask, new Shape(rows.length, CONTEXT));
        maskArray.setName(Fields.TEXT_MASK);
        return new NDList(grids(m, rows), tokenArray, maskArray);
    }
}
