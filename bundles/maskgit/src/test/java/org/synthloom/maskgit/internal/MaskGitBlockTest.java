package org.synthloom.maskgit.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.synthloom.testkit.ClasspathDevices;
import org.synthloom.testkit.Configs;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;

/** The model's own masking in training: cosine-distributed ratios, targets only at masked positions. */
class MaskGitBlockTest {

    @Test
    void trainingMasksACosineDistributedFractionAndTargetsOnlyMaskedPositions() {
        Settings settings = Settings.of(Configs.of(MaskGitConfig.class, Map.of("width", 16, "depth", 1, "heads", 2,
                "mlp.ratio", 2)));
        Dims dims = new Dims(8, 4, 10, 4);
        int b = 512;
        int n = dims.tokens();
        ClasspathDevices devices = new ClasspathDevices();
        devices.engine().setRandomSeed(5);
        try (NDManager m = devices.newManager(ai.djl.Device.cpu())) {
            MaskGitBlock block = new MaskGitBlock(settings, dims, new int[] {1, 2, 0, 0}, new int[] {1, 1, 0, 0});
            Shape tokens = new Shape(b, n);
            Shape text = new Shape(b, dims.context());
            block.initialize(m, DataType.FLOAT32, tokens, text, text);
            NDArray grid = m.randomInteger(0, dims.codebookSize(), tokens, DataType.INT64);
            NDArray captions = m.ones(text, DataType.INT64);
            NDList out = block.forward(new ParameterStore(m, false), new NDList(grid, captions, captions), true);
            NDArray logits = out.get(MaskGitBlock.LOGITS);
            NDArray targets = out.get(MaskGitBlock.TARGETS);
            assertEquals(new Shape(b, n, dims.codebookSize()), logits.getShape());
            long[] t = targets.toLongArray();
            long[] g = grid.toLongArray();
            int masked = 0;
            for (int i = 0; i < b; i++) {
                int row = 0;
                for (int p = 0; p < n; p++) {
                    long target = t[i * n + p];
                    assertTrue(target == -1 || target == g[i * n + p], "target " + target + " at " + i + "," + p);
                    row += target >= 0 ? 1 : 0;
                }
                assertTrue(row >= 1, "sample " + i + " has no masked position");
                masked += row;
            }
            // E[ceil(16 cos(pi/2 u))] / 16 = 2/pi + about 1/32 for u ~ U(0, 1).
            double ratio = masked / (double) (b * n);
            assertTrue(ratio > 0.62 && ratio < 0.72, "mean mask ratio " + ratio);
        }
    }
}
