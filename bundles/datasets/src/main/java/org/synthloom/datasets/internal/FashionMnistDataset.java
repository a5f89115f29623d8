package org.synthloom.datasets.internal;

import java.io.EOFException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.synthloom.api.SynthloomPlugin;
import org.synthloom.api.data.Caption;
import org.synthloom.api.data.Dataset;
import org.synthloom.api.data.ImagePixels;
import org.synthloom.api.data.Provenance;
import org.synthloom.api.data.Sample;
import org.synthloom.api.data.SampleSource;
import org.synthloom.store.RunStore;
import org.synthloom.store.wds.ProblemLog;

/**
 * Fashion-MNIST from its idx files: splits train (60000) and test (10000), 28x28 grey images with
 * one channel, label = class name, captions from templates. The files are read sequentially as
 * samples are asked for: nothing but the current image is held in memory.
 */
@Component(service = Dataset.class, configurationPid = FashionMnistDataset.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = FashionMnistConfig.class)
@SynthloomPlugin(kind = Dataset.KIND, name = FashionMnistDataset.NAME)
public class FashionMnistDataset implements Dataset {

    static final String NAME = "fashion-mnist";
    static final String PID = "org.synthloom.datasets.fashionmnist";
    static final String DEFAULT_PATH = "datasets/fashion-mnist/usr/share/datasets/fashion-mnist";
    static final List<String> SPLITS = List.of("train", "test");
    /** Zalando's class names in label order, lower-cased; "T-shirt/top" reads "t-shirt or top". */
    static final List<String> CLASSES = List.of("t-shirt or top", "trouser", "pullover", "dress", "coat", "sandal",
            "shirt", "sneaker", "bag", "ankle boot");
    static final Provenance HUMAN = Provenance.human(NAME);

    private static final Logger LOG = LoggerFactory.getLogger(FashionMnistDataset.class);

    private final Path root;
    private final List<String> templates;
    private final Map<String, Idx.Header> headers = new ConcurrentHashMap<>();

    @Activate
    public FashionMnistDataset(FashionMnistConfig config, @Reference(name = "store") RunStore store) {
        this.root = DataFiles.resolve(store.dataDirectory(), config.path(), "path");
        List<String> t = new ArrayList<>();
        for (String template : config.captions() == null ? new String[0] : config.captions()) {
            if (template != null && !template.isBlank()) {
                if (!template.contains("{}")) {
                    throw new IllegalArgumentException(NAME + ": the caption template '" + template
                            + "' has no '{}' for the class name");
                }
                t.add(template.strip());
            }
        }
        if (t.isEmpty()) {
            throw new IllegalArgumentException(NAME + ": 'captions' needs at least one template such as 'a photo of a {}'");
        }
        this.templates = List.copyOf(t);
        LOG.info("{}: {}, caption templates {}", NAME, root, templates);
    }

    @Override
    public List<String> splits() {
        return SPLITS;
    }

    @Override
    public List<String> classNames() {
        for (String split : SPLITS) {
            for (Path file : List.of(file(split, "images-idx3"), file(split, "labels-idx1"))) {
                if (!Files.isRegularFile(file)) {
                    throw new IllegalStateException(DataFiles.notFetched("the Fashion-MNIST file " + file.getFileName(), file));
                }
            }
        }
        return CLASSES;
    }

    @Override
    public long size(String split) {
        requireSplit(split);
        try {
            return header(split).count();
        } catch (IOException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    @Override
    public SampleSource open(String split) throws IOException {
        requireSplit(split);
        Path imagesFile = existing(file(split, "images-idx3"));
        Path labelsFile = existing(file(split, "labels-idx1"));
        Idx.Open images = Idx.open(imagesFile, Idx.IMAGES_MAGIC);
        try {
            Idx.Open labels = Idx.open(labelsFile, Idx.LABELS_MAGIC);
            checkCounts(split, imagesFile, images.header(), labelsFile, labels.header());
            headers.put(split, images.header());
            return new Source(split, imagesFile, images, labelsFile, labels);
        } catch (IOException | RuntimeException e) {
            images.in().close();
            throw e;
        }
    }

    private static void requireSplit(String split) {
        if (!SPLITS.contains(split)) {
            throw new IllegalArgumentException(NAME + " has no split '" + split + "'; it has " + SPLITS);
        }
    }

    /** The file of a split, e.g. train-images-idx3-ubyte.gz (or the same without .gz, if only that exists). */
    Path file(String split, String kind) {
        String base = ("train".equals(split) ? "train" : "t10k") + "-" + kind + "-ubyte";
        Path gz = root.resolve(base + ".gz");
        Path plain = root.resolve(base);
        return !Files.exists(gz) && Files.isRegularFile(plain) ? plain : gz;
    }

    private static Path existing(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException(DataFiles.notFetched("the Fashion-MNIST file " + file.getFileName(), file));
        }
        return file;
    }

    private Idx.Header header(String split) throws IOException {
        Idx.Header known = headers.get(split);
        if (known != null) {
            return known;
        }
        Path imagesFile = existing(file(split, "images-idx3"));
        Path labelsFile = existing(file(split, "labels-idx1"));
        Idx.Header images = Idx.header(imagesFile, Idx.IMAGES_MAGIC);
        checkCounts(split, imagesFile, images, labelsFile, Idx.header(labelsFile, Idx.LABELS_MAGIC));
        headers.put(split, images);
        return images;
    }

    private static void checkCounts(String split, Path imagesFile, Idx.Header images, Path labelsFile, Idx.Header labels)
            throws IOException {
        if (images.count() != labels.count()) {
            throw new IOException(NAME + " split " + split + ": " + imagesFile + " holds " + images.count()
                    + " images but " + labelsFile + " holds " + labels.count() + " labels; the files do not belong"
                    + " together (fetch them again with './synthloom data')");
        }
    }

    /** Reads the two files in step, one image and one label at a time. */
    private final class Source extends BaseSource {
        private final String split;
        private final Path imagesFile;
        private final Idx.Open images;
        private final Path labelsFile;
        private final Idx.Open labels;
        private final int imageBytes;
        private int next;
        private boolean ended;

        Source(String split, Path imagesFile, Idx.Open images, Path labelsFile, Idx.Open labels) {
            super(NAME + " split " + split, new ProblemLog());
            this.split = split;
            this.imagesFile = imagesFile;
            this.images = images;
            this.labelsFile = labelsFile;
            this.labels = labels;
            this.imageBytes = images.header().rows() * images.header().columns();
        }

        @Override
        protected Optional<Sample> read() {
            int count = images.header().count();
            while (!ended && next < count) {
                int index = next++;
                byte[] pixels = new byte[imageBytes];
                int label;
                try {
                    images.in().readFully(pixels);
                } catch (IOException e) {
                    end(imagesFile, index, count, "images", e);
                    break;
                }
                try {
                    label = labels.in().readUnsignedByte();
                } catch (IOException e) {
                    end(labelsFile, index, count, "labels", e);
                    break;
                }
                if (label >= CLASSES.size()) {
                    problems.add(labelsFile.toString(), "label " + index, "label " + label
                            + " is not a class index (0 to " + (CLASSES.size() - 1) + "); the sample is skipped");
                    continue;
                }
                return Optional.of(sample(index, label, pixels));
            }
            return Optional.empty();
        }

        private void end(Path file, int index, int count, String what, IOException e) {
            ended = true;
            problems.add(file.toString(), (what.equals("images") ? "image " : "label ") + index,
                    (e instanceof EOFException ? "the file ends after " + index + " of " + count + " " + what
                            + " (truncated)" : "the file cannot be read further (" + DataFiles.describe(e) + ")")
                            + "; the remaining samples are skipped");
        }

        private Sample sample(int index, int label, byte[] pixels) {
            String className = CLASSES.get(label);
            Sample.Builder b = Sample.builder(String.format(Locale.ROOT, "fashion-mnist-%s-%05d", split, index))
                    .pixels(new ImagePixels(images.header().columns(), images.header().rows(), 1, pixels))
                    .imageProvenance(HUMAN)
                    .label(className)
                    .metadata("split", split)
                    .metadata("index", Integer.toString(index))
                    .metadata("class.index", Integer.toString(label));
            for (String template : templates) {
                b.caption(new Caption(template.replace("{}", className), HUMAN));
            }
            return b.build();
        }

        @Override
        protected void release() throws IOException {
            try {
                images.in().close();
            } finally {
                labels.in().close();
            }
        }
    }
}
