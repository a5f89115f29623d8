package org.synthloom.vqgan.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.synthloom.testkit.ClasspathDevices;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/** k-means on three well separated clusters in the plane. */
class KMeansTest {

    private static final float[][] CENTRES = {{0, 0}, {10, 0}, {0, 10}};
    private static final int PER_CLUSTER = 60;

    private NDManager manager;
    private NDArray points;

    @BeforeEach
    void clusters() {
        manager = new ClasspathDevices().newManager(Device.cpu());
        // unequal clusters (60, 30, 15 points), noise 0.3: the means are the centres to within ~0.1
        Random random = new Random(3);
        float[] data = new float[2 * (PER_CLUSTER + PER_CLUSTER / 2 + PER_CLUSTER / 4)];
        int i = 0;
        for (int c = 0; c < 3; c++) {
            for (int n = 0; n < PER_CLUSTER >> c; n++) {
                data[i++] = CENTRES[c][0] + 0.3f * (float) random.nextGaussian();
                data[i++] = CENTRES[c][1] + 0.3f * (float) random.nextGaussian();
            }
        }
        points = manager.create(data, new Shape(data.length / 2, 2));
    }

    @AfterEach
    void close() {
        manager.close();
    }

    @Test
    void recoversWellSeparatedClusters() {
        float[] found = KMeans.fit(points, 3, 10, 11, manager).toFloatArray();
        boolean[] matched = new boolean[3];
        for (int j = 0; j < 3; j++) {
            int c = cluster(found[2 * j], found[2 * j + 1]);
            matched[c] = true;
            assertEquals(CENTRES[c][0], found[2 * j], 0.15, "centre " + j + " x");
            assertEquals(CENTRES[c][1], found[2 * j + 1], 0.15, "centre " + j + " y");
        }
        assertArrayEquals(new boolean[] {true, true, true}, matched, "one centre per cluster: " + Arrays.toString(found));
    }

    @Test
    void seedingIsDeterministicForASeedAndSpreadsTheCentres() {
        // no Lloyd iteration: the centres are the k-means++ seeds themselves
        float[] a = KMeans.fit(points, 3, 0, 5, manager).toFloatArray();
        float[] b = KMeans.fit(points, 3, 0, 5, manager).toFloatArray();
        assertArrayEquals(a, b, 0f);
        float[] data = points.toFloatArray();
        boolean[] covered = new boolean[3];
        for (int j = 0; j < 3; j++) {
            assertTrue(isDataPoint(a[2 * j], a[2 * j + 1], data), "seed " + j + " is one of the points");
            covered[cluster(a[2 * j], a[2 * j + 1])] = true;
        }
        // seeding proportional to squared distance all but never takes two seeds from one cluster
        // (uniform seeding would, in 7 of 9 cases)
        assertArrayEquals(new boolean[] {true, true, true}, covered, Arrays.toString(a));
    }

    @Test
    void moreCentresThanDistinctPointsRepeatSomeAndStayFinite() {
        NDArray two = manager.create(new float[] {1, 1, 3, 3}, new Shape(2, 2));
        NDArray centres = KMeans.fit(two, 4, 3, 1, manager);
        assertEquals(new Shape(4, 2), centres.getShape());
        for (float v : centres.toFloatArray()) {
            assertTrue(v == 1f || v == 3f, Arrays.toString(centres.toFloatArray()));
        }
    }

    private static int cluster(float x, float y) {
        int best = 0;
        for (int c = 1; c < 3; c++) {
            if (Math.hypot(x - CENTRES[c][0], y - CENTRES[c][1]) < Math.hypot(x - CENTRES[best][0], y - CENTRES[best][1])) {
                best = c;
            }
        }
        return best;
    }

    private static boolean isDataPoint(float x, float y, float[] data) {
        for (int i = 0; i < data.length; i += 2) {
            if (data[i] == x && data[i + 1] == y) {
                return true;
            }
        }
        return false;
    }
}
