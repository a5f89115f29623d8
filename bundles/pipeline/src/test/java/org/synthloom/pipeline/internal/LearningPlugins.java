package org.synthloom.pipeline.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import org.synthloom.api.data.ImagePixels;
import org.synthloom.api.data.ImageSpace;
import org.synthloom.api.data.Provenance;
import org.synthloom.api.data.Sample;
import org.synthloom.api.data.SampleSource;
import org.synthloom.api.data.TokenGrid;
import org.synthloom.api.generate.GeneratedCaption;
import org.synthloom.api.generate.ImageGenerator;
import org.synthloom.api.generate.ImageRequest;
import org.synthloom.api.model.Fields;
import org.synthloom.api.model.ImageTokenizer;
import org.synthloom.api.model.Tokenizer;
import org.synthloom.api.train.FitContext;
import org.synthloom.api.train.Fittable;
import org.synthloom.api.train.TrainingOptions;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;

/**
 * Test plugins that learn from the pipeline's human data through {@link Fittable}: an image
 * tokenizer whose codebook is a k-means palette of patch colours, and a token-space image generator
 * that trains a tiny CLIP with the engine's loop and retrieves, for each caption, the human token
 * grid that model matches best.
 */
final class LearningPlugins {

    private LearningPlugins() {}

    /** Patch colours clustered with k-means: 4x4 patches, 6 codes. */
    static final class Palette implements ImageTokenizer, Fittable<ImageTokenizer> {
        static final int PATCH = 4;
        static final int CODES = 6;
        final AtomicInteger fits = new AtomicInteger();
        final AtomicInteger learnt = new AtomicInteger();

        @Override
        public int codebookSize() {
            return CODES;
        }

        @Override
        public int gridSize(int imageSize) {
            return imageSize / PATCH;
        }

        @Override
        public List<TokenGrid> encode(List<ImagePixels> images, NDManager manager) {
            throw new IllegalStateException("the palette has not learnt its colours");
        }

        @Override
        public List<ImagePixels> decode(List<TokenGrid> grids, NDManager manager) {
            throw new IllegalStateException("the palette has not learnt its colours");
        }

        @Override
        public ImageTokenizer fit(FitContext context) throws IOException {
            fits.incrementAndGet();
            Path file = context.directory().resolve("palette.txt");
            double[][] centres;
            if (Files.exists(file)) {
                centres = Files.readAllLines(file).stream().map(l -> Arrays.stream(l.split(" "))
                        .mapToDouble(Double::parseDouble).toArray()).toArray(double[][]::new);
            } else {
                learnt.incrementAndGet();
                List<double[]> patches = new ArrayList<>();
                try (SampleSource source = context.open()) {
                    for (Optional<Sample> s = source.next(); s.isPresent(); s = source.next()) {
                        patches.addAll(patchMeans(s.get().pixels().orElseThrow()));
                    }
                }
                centres = kMeans(patches, context.seed());
                Files.write(file, Arrays.stream(centres).map(c -> Arrays.stream(c).mapToObj(Double::toString)
                        .collect(Collectors.joining(" "))).toList());
            }
            return new Fitted(centres, "palette-" + Integer.toHexString(Arrays.deepHashCode(centres)));
        }

        static List<double[]> patchMeans(ImagePixels image) {
            List<double[]> means = new ArrayList<>();
            int side = image.width() / PATCH;
            for (int r = 0; r < side; r++) {
                for (int c = 0; c < side; c++) {
                    double[] mean = new double[3];
                    for (int y = r * PATCH; y < (r + 1) * PATCH; y++) {
                        for (int x = c * PATCH; x < (c + 1) * PATCH; x++) {
                            for (int ch = 0; ch < 3; ch++) {
                                mean[ch] += (image.data()[(y * image.width() + x) * image.channels()
                                        + Math.min(ch, image.channels() - 1)] & 0xff) / (double) (PATCH * PATCH);
                            }
                        }
                    }
                    means.add(mean);
                }
            }
            return means;
        }

        private static double[][] kMeans(List<double[]> points, long seed) {
            // k-means++ seeding: each next centre drawn with probability proportional to its squared distance.
            SplittableRandom random = new SplittableRandom(seed);
            double[][] centres = new double[CODES][];
            centres[0] = points.get(random.nextInt(points.size())).clone();
            for (int k = 1; k < CODES; k++) {
                double[] weights = new double[points.size()];
                double total = 0;
                for (int i = 0; i < points.size(); i++) {
                    double[] nearestCentre = centres[nearest(Arrays.copyOf(centres, k), points.get(i))];
                    double d = 0;
                    for (int ch = 0; ch < 3; ch++) {
                        d += Math.pow(points.get(i)[ch] - nearestCentre[ch], 2);
                    }
                    weights[i] = d;
                    total += d;
                }
                double draw = random.nextDouble() * total;
                int chosen = 0;
                while (chosen < points.size() - 1 && (draw -= weights[chosen]) > 0) {
                    chosen++;
                }
                centres[k] = points.get(chosen).clone();
            }
            for (int iteration = 0; iteration < 15; iteration++) {
                double[][] sums = new double[CODES][3];
                int[] counts = new int[CODES];
                for (double[] p : points) {
                    int k = nearest(centres, p);
                    counts[k]++;
                    for (int ch = 0; ch < 3; ch++) {
                        sums[k][ch] += p[ch];
                    }
                }
                for (int k = 0; k < CODES; k++) {
                    if (counts[k] > 0) {
                        for (int ch = 0; ch < 3; ch++) {
                            centres[k][ch] = sums[k][ch] / counts[k];
                        }
                    }
                }
            }
            return centres;
        }

        static int nearest(double[][] centres, double[] p) {
            int best = 0;
            double bestDistance = Double.MAX_VALUE;
            for (int k = 0; k < centres.length; k++) {
                double d = 0;
                for (int ch = 0; ch < 3; ch++) {
                    d += (p[ch] - centres[k][ch]) * (p[ch] - centres[k][ch]);
                }
                if (d < bestDistance) {
                    bestDistance = d;
                    best = k;
                }
            }
            return best;
        }

        /** The palette once learnt. */
        private static final class Fitted implements ImageTokenizer {
            private final double[][] centres;
            private final String codebook;

            Fitted(double[][] centres, String codebook) {
                this.centres = centres;
                this.codebook = codebook;
            }

            @Override
            public int codebookSize() {
                return CODES;
            }

            @Override
            public int gridSize(int imageSize) {
                return imageSize / PATCH;
            }

            @Override
            public List<TokenGrid> encode(List<ImagePixels> images, NDManager manager) {
                List<TokenGrid> grids = new ArrayList<>();
                for (ImagePixels image : images) {
                    List<double[]> means = patchMeans(image);
                    int side = image.width() / PATCH;
                    grids.add(new TokenGrid(side, side, means.stream().mapToInt(m -> nearest(centres, m)).toArray(),
                            codebook, CODES));
                }
                return grids;
            }

            @Override
            public List<ImagePixels> decode(List<TokenGrid> grids, NDManager manager) {
                List<ImagePixels> images = new ArrayList<>();
                for (TokenGrid grid : grids) {
                    int size = grid.columns() * PATCH;
                    byte[] data = new byte[size * size * 3];
                    for (int p = 0; p < size * size; p++) {
                        int token = grid.ids()[(p / size / PATCH) * grid.columns() + (p % size) / PATCH];
                        for (int ch = 0; ch < 3; ch++) {
                            data[p * 3 + ch] = (byte) Math.round(centres[token][ch]);
                        }
                    }
                    images.add(new ImagePixels(size, size, 3, data));
                }
                return images;
            }
        }
    }

    /**
     * A token-space generator that learns: it trains a tiny CLIP on the human token grids and
     * captions with the engine's loop, then answers each caption with the human grids that model
     * ranks best.
     */
    static final class Retriever implements ImageGenerator, Fittable<ImageGenerator> {
        static final int STEPS = 40;
        final AtomicInteger fits = new AtomicInteger();
        volatile Block trained;

        @Override
        public ImageSpace outputSpace() {
            return ImageSpace.TOKENS;
        }

        @Override
        public List<Sample> generate(ImageRequest request, NDManager manager) {
            throw new IllegalStateException("the retriever has not learnt yet");
        }

        @Override
        public ImageGenerator fit(FitContext context) throws IOException {
            fits.incrementAndGet();
            Block block = context.train("retriever", new TestPlugins.TinyClip(true), List.of(new TestPlugins.InfoNce()),
                    new TrainingOptions(STEPS, 16, 0.02, 0, 4));
            trained = block;
            List<TokenGrid> gallery = new ArrayList<>();
            try (SampleSource source = context.open()) {
                for (Optional<Sample> s = source.next(); s.isPresent(); s = source.next()) {
                    gallery.add(s.get().tokens().orElseThrow(() -> new IllegalStateException("human data without tokens")));
                }
            }
            return new Fitted(block, gallery, context.tokenizer(), 24);
        }

        private static final class Fitted implements ImageGenerator {
            private final Block model;
            private final List<TokenGrid> gallery;
            private final Tokenizer tokenizer;
            private final int context;

            Fitted(Block model, List<TokenGrid> gallery, Tokenizer tokenizer, int context) {
                this.model = model;
                this.gallery = gallery;
                this.tokenizer = tokenizer;
                this.context = context;
            }

            @Override
            public ImageSpace outputSpace() {
                return ImageSpace.TOKENS;
            }

            @Override
            public List<Sample> generate(ImageRequest request, NDManager manager) {
                int n = request.captions().size();
                int cells = gallery.get(0).ids().length;
                int[] gridIds = new int[gallery.size() * cells];
                for (int g = 0; g < gallery.size(); g++) {
                    System.arraycopy(gallery.get(g).ids(), 0, gridIds, g * cells, cells);
                }
                int[] tokens = new int[n * context];
                int[] mask = new int[n * context];
                for (int i = 0; i < n; i++) {
                    int[] ids = tokenizer.encode(request.captions().get(i).caption().text());
                    int length = Math.min(ids.length, context - 2);
                    tokens[i * context] = tokenizer.startId();
                    System.arraycopy(ids, 0, tokens, i * context + 1, length);
                    tokens[i * context + 1 + length] = tokenizer.endId();
                    Arrays.fill(mask, i * context, i * context + 2 + length, 1);
                }
                ParameterStore parameters = new ParameterStore(manager, false);
                NDArray grids = manager.create(gridIds, new Shape(gallery.size(), cells));
                NDArray galleryText = manager.zeros(new Shape(gallery.size(), context), ai.djl.ndarray.types.DataType.INT32);
                NDArray imageEmbeds = model.forward(parameters, new NDList(grids, galleryText, galleryText), false)
                        .get(Fields.IMAGE_EMBEDS);
                NDArray captions = manager.create(tokens, new Shape(n, context));
                NDArray captionMask = manager.create(mask, new Shape(n, context));
                NDArray noGrids = manager.zeros(new Shape(n, cells), ai.djl.ndarray.types.DataType.INT32);
                NDArray textEmbeds = model.forward(parameters, new NDList(noGrids, captions, captionMask), false)
                        .get(Fields.TEXT_EMBEDS);
                NDArray ranking = textEmbeds.matMul(imageEmbeds.transpose()).argSort(1, false);
                List<Sample> out = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    GeneratedCaption caption = request.captions().get(i);
                    for (int k = 0; k < request.imagesPerCaption(); k++) {
                        int pick = (int) ranking.getLong(i, k);
                        long seed = Hashes.seed(request.seed(), i, k);
                        out.add(Sample.builder("r-" + Long.toHexString(seed)).tokens(gallery.get(pick))
                                .imageProvenance(Provenance.synthetic("retriever", "1.0.0", seed))
                                .caption(caption.caption()).label(caption.concept().name()).build());
                    }
                }
                return out;
            }
        }
    }
}
