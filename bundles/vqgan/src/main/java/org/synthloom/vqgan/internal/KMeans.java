package org.synthloom.vqgan.internal;

import java.util.SplittableRandom;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;

/**
 * k-means on tensors, to start the codebook where the encoder's outputs are (so that no code
 * starts dead): k-means++ seeding, then Lloyd iterations. Distances, assignments and means are
 * tensor operations over chunks of points; only one number per seeding round crosses to Java.
 */
final class KMeans {

    /** Points per distance matrix: bounds memory at {@code CHUNK x k} floats. */
    private static final int CHUNK = 8192;

    private KMeans() {}

    /**
     * @param points float32 {@code (M, D)}, no gradient
     * @param k number of centres; with fewer distinct points than {@code k} some centres repeat
     * @param iterations Lloyd iterations
     * @param seed drives the seeding
     * @param target where the centres are put
     * @return float32 {@code (k, D)} centres in {@code target}, detached and contiguous
     */
    static NDArray fit(NDArray points, int k, int iterations, long seed, NDManager target) {
        long m = points.getShape().get(0);
        if (m == 0) {
            throw new IllegalArgumentException("k-means needs at least one point");
        }
        try (NDManager scope = target.newSubManager()) {
            // Results belong to their receiver's manager: the points join each scope while it is open.
            scope.tempAttachAll(points);
            NDArray centres = seed(points, k, new SplittableRandom(seed), scope);
            for (int i = 0; i < iterations; i++) {
                centres = step(points, centres, scope);
            }
            NDArray out = centres.duplicate();
            out.attach(target);
            return out;
        }
    }

    /** k-means++: each next centre is drawn with probability proportional to its squared distance to the nearest centre. */
    private static NDArray seed(NDArray points, int k, SplittableRandom random, NDManager scope) {
        long m = points.getShape().get(0);
        long[] chosen = new long[k];
        chosen[0] = random.nextLong(m);
        NDArray nearest = distancesTo(points, points.get(chosen[0]));
        for (int j = 1; j < k; j++) {
            NDArray previous = nearest;
            try (NDManager round = scope.newSubManager()) {
                round.tempAttachAll(points, nearest);
                NDArray cumulative = nearest.toType(DataType.FLOAT64, false).cumSum(0);
                double total = cumulative.getDouble(m - 1);
                if (total > 0) {
                    double draw = random.nextDouble() * total;
                    // the first index whose cumulative weight exceeds the draw
                    chosen[j] = Math.min(m - 1, cumulative.lte(draw).sum().getLong());
                } else {
                    chosen[j] = random.nextLong(m); // every point is already a centre
                }
                NDArray closer = nearest.minimum(distancesTo(points, points.get(chosen[j])));
                closer.attach(scope);
                nearest = closer;
            }
            previous.close();
        }
        return points.get(scope.create(chosen));
    }

    /** @return squared distances {@code (M)} of the points to one point {@code (D)}, never negative */
    private static NDArray distancesTo(NDArray points, NDArray centre) {
        return points.sub(centre.expandDims(0)).square().sum(new int[] {1});
    }

    /** One Lloyd iteration: assign each point to its nearest centre, move each centre to its points' mean. */
    private static NDArray step(NDArray points, NDArray centres, NDManager scope) {
        long m = points.getShape().get(0);
        int k = (int) centres.getShape().get(0);
        NDArray sums = null;
        NDArray counts = null;
        try (NDManager iteration = scope.newSubManager()) {
            iteration.tempAttachAll(points, centres);
            for (long start = 0; start < m; start += CHUNK) {
                NDArray chunk = points.get(new NDIndex("{}:{}", start, Math.min(m, start + CHUNK)));
                NDArray members = Quantizer.nearest(chunk, centres).oneHot(k);
                NDArray chunkSums = members.transpose().matMul(chunk);
                NDArray chunkCounts = members.sum(new int[] {0});
                sums = sums == null ? chunkSums : sums.add(chunkSums);
                counts = counts == null ? chunkCounts : counts.add(chunkCounts);
            }
            // An empty cluster keeps its centre.
            NDArray means = sums.div(counts.maximum(1f).expandDims(1));
            NDArray filled = counts.gt(0).toType(DataType.FLOAT32, false).expandDims(1);
            NDArray moved = means.mul(filled).add(centres.mul(filled.neg().add(1f)));
            moved.attach(scope);
            return moved;
        }
    }
}
