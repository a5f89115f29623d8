package org.example.synthloom.smoothclip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.synthloom.api.model.Fields;
import org.synthloom.api.train.Objective;
import org.synthloom.testkit.ClasspathDevices;
import org.synthloom.testkit.Configs;
import org.synthloom.testkit.conformance.ObjectiveConformance;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/** The smooth-clip objective outside OSGi: the SDK's objective conformance suite and its own formula. */
class SmoothClipObjectiveTest extends ObjectiveConformance {

    private static final float[][] IMAGES = {{1, 0, 0}, {0, 1, 0}, {0, 0.6f, 0.8f}};
    private static final float[][] TEXTS = {{0.8f, 0.6f, 0}, {0, 1, 0}, {0, 0, 1}};
    private static final float SCALE = 5f;

    @Override
    protected Objective objective() {
        return new SmoothClipObjective(Configs.defaults(SmoothClipConfig.class));
    }

    private static SmoothClipObjective withSmoothing(double s) {
        return new SmoothClipObjective(Configs.of(SmoothClipConfig.class, Map.of("smoothing", s)));
    }

    private static float loss(SmoothClipObjective objective) {
        ClasspathDevices devices = new ClasspathDevices();
        try (NDManager m = devices.newManager(devices.defaultDevice())) {
            NDArray i = m.create(IMAGES);
            NDArray t = m.create(TEXTS);
            NDArray s = m.create(SCALE);
            i.setName(Fields.IMAGE_EMBEDS);
            t.setName(Fields.TEXT_EMBEDS);
            s.setName(Fields.LOGIT_SCALE);
            NDArray loss = objective.compute(new NDList(i, t, s), new NDList()).loss();
            assertEquals(new Shape(), loss.getShape());
            return loss.getFloat();
        }
    }

    /** The formula of the class comment, in double precision, over both directions. */
    private static double expected(double s) {
        int b = IMAGES.length;
        double[][] logits = new double[b][b];
        for (int i = 0; i < b; i++) {
            for (int j = 0; j < b; j++) {
                for (int d = 0; d < IMAGES[i].length; d++) {
                    logits[i][j] += SCALE * IMAGES[i][d] * TEXTS[j][d];
                }
            }
        }
        double total = 0;
        for (int direction = 0; direction < 2; direction++) {
            double sum = 0;
            for (int i = 0; i < b; i++) {
                double norm = 0;
                for (int j = 0; j < b; j++) {
                    norm += Math.exp(direction == 0 ? logits[i][j] : logits[j][i]);
                }
                double logNorm = Math.log(norm);
                double row = (1 - s) * ((logits[i][i]) - logNorm);
                for (int j = 0; j < b; j++) {
                    row += s / b * ((direction == 0 ? logits[i][j] : logits[j][i]) - logNorm);
                }
                sum -= row;
            }
            total += sum / b;
        }
        return total / 2;
    }

    @Test
    void theLossIsTheSmoothedSymmetricCrossEntropy() {
        for (double s : new double[] {0, 0.1, 0.5}) {
            assertEquals(expected(s), loss(withSmoothing(s)), 1e-5, "smoothing " + s);
        }
        // Smoothing penalises confidence: these pairs are mostly matched, so it raises the loss.
        assertTrue(loss(withSmoothing(0.1)) > loss(withSmoothing(0)));
    }

    @Test
    void aSmoothingOutsideZeroToOneIsRejectedNamingThePidAndProperty() {
        for (double bad : new double[] {-0.1, 1, Double.NaN}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> withSmoothing(bad));
            assertTrue(e.getMessage().contains(SmoothClipObjective.PID) && e.getMessage().contains("smoothing"), e.getMessage());
        }
    }
}
