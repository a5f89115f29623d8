package org.synthloom.datasets.internal;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.FileVisitOption;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

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
import org.synthloom.api.data.Provenance;
import org.synthloom.api.data.Sample;
import org.synthloom.api.data.SampleSource;
import org.synthloom.store.RunStore;
import org.synthloom.store.wds.ProblemLog;

/**
 * A folder of images with caption files: {@code photo.jpg} + {@code photo.txt}, one caption per
 * non-blank line. Sub-folders named after splits ({@code train/}, {@code val/}, {@code test/}, ...)
 * are the splits; without them the whole folder is the split {@code train}. Images are read in the
 * order of their relative paths; hidden files and folders (starting with '.') are ignored.
 */
@Component(service = Dataset.class, configurationPid = FolderDataset.FACTORY_PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE)
@Designate(ocd = FolderConfig.class, factory = true)
@SynthloomPlugin(kind = Dataset.KIND, name = FolderDataset.NAME)
public class FolderDataset implements Dataset {

    static final String NAME = "folder";
    static final String FACTORY_PID = "org.synthloom.datasets.folder";
    /** Folder names recognised as splits, in the order splits are listed. */
    static final List<String> SPLIT_NAMES = List.of("train", "val", "validation", "valid", "dev", "test");
    static final Set<String> IMAGE_EXTENSIONS = Set.of("png", "jpg", "jpeg", "gif", "bmp");
    static final String DEFAULT_SPLIT = "train";

    private static final Logger LOG = LoggerFactory.getLogger(FolderDataset.class);

    private final String name;
    private final Path root;
    private final boolean recursive;
    private final boolean labelsFromDirectory;
    private final Provenance human;

    @Activate
    public FolderDataset(FolderConfig config, @Reference(name = "store") RunStore store) {
        this.name = config.synthloom_name() == null || config.synthloom_name().isBlank() ? NAME : config.synthloom_name();
        this.root = DataFiles.resolve(store.dataDirectory(), config.path(), "path");
        this.recursive = config.recursive();
        this.labelsFromDirectory = config.labels_from_directory();
        this.human = Provenance.human(name);
        LOG.info("folder dataset {}: {} (recursive {}, labels from directories {})", name, root, recursive,
                labelsFromDirectory);
        if (NAME.equals(name)) {
            LOG.info("folder dataset at {} is named '{}'; set synthloom.name in its configuration to name it", root, NAME);
        }
    }

    /** An image of a split: its file, path relative to the dataset folder ('/'-separated), id. */
    record Image(Path file, String relative, String id, String label) {}

    @Override
    public List<String> splits() {
        List<String> splits = splitFolders();
        return splits.isEmpty() ? List.of(DEFAULT_SPLIT) : splits;
    }

    /** The split sub-folders present, in {@link #SPLIT_NAMES} order (names as on disk). */
    private List<String> splitFolders() {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        List<String> found = new ArrayList<>();
        try (Stream<Path> children = Files.list(root)) {
            children.filter(Files::isDirectory).map(p -> p.getFileName().toString())
                    .filter(n -> SPLIT_NAMES.contains(n.toLowerCase(Locale.ROOT))).forEach(found::add);
        } catch (IOException e) {
            LOG.warn("folder dataset {}: cannot list {}: {}", name, root, e.toString());
            return List.of();
        }
        found.sort(Comparator.comparingInt((String n) -> SPLIT_NAMES.indexOf(n.toLowerCase(Locale.ROOT)))
                .thenComparing(Comparator.naturalOrder()));
        return found;
    }

    @Override
    public List<String> classNames() {
        if (!labelsFromDirectory || !Files.isDirectory(root)) {
            return List.of();
        }
        TreeSet<String> labels = new TreeSet<>();
        ProblemLog ignored = new ProblemLog();
        for (String split : splits()) {
            try {
                for (Image image : list(split, ignored)) {
                    if (image.label() != null) {
                        labels.add(image.label());
                    }
                }
            } catch (IOException e) {
                LOG.warn("folder dataset {}: cannot list split {}: {}", name, split, e.toString());
            }
        }
        return List.copyOf(labels);
    }

    /**
     * The number of images of the split that have a caption file next to them: an upper bound,
     * since images whose caption file is empty or whose image is corrupt are skipped when read.
     */
    @Override
    public long size(String split) {
        requireSplit(split);
        if (!Files.isDirectory(root)) {
            return -1;
        }
        try {
            return list(split, new ProblemLog()).stream().filter(i -> captionFile(i.file()) != null).count();
        } catch (IOException e) {
            return -1;
        }
    }

    @Override
    public SampleSource open(String split) throws IOException {
        requireSplit(split);
        if (!Files.isDirectory(root)) {
            throw new IOException("folder dataset " + name + ": folder not found at " + root);
        }
        ProblemLog problems = new ProblemLog();
        List<Image> images = list(split, problems);
        LOG.debug("folder dataset {}: {} images in split {}", name, images.size(), split);
        return new Source(split, images, problems);
    }

    private void requireSplit(String split) {
        if (!splits().contains(split)) {
            throw new IllegalArgumentException("folder dataset " + name + " has no split '" + split + "'; it has " + splits());
        }
    }

    /** Lists the images of a split, sorted by relative path, with their ids. */
    List<Image> list(String split, ProblemLog problems) throws IOException {
        boolean splitFolders = !splitFolders().isEmpty();
        Path start = splitFolders ? root.resolve(split) : root;
        List<Path> files = new ArrayList<>();
        Files.walkFileTree(start, EnumSet.noneOf(FileVisitOption.class), recursive ? Integer.MAX_VALUE : 1,
                new SimpleFileVisitor<>() {
                    @Override
                    public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                        if (!dir.equals(start) && hidden(dir)) {
                            return FileVisitResult.SKIP_SUBTREE;
                        }
                        return FileVisitResult.CONTINUE;
                    }

                    @Override
                    public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                        if (!hidden(file) && isImage(file) && (attrs.isRegularFile() || Files.isRegularFile(file))) {
                            files.add(file);
                        }
                        return FileVisitResult.CONTINUE;
                    }

                    @Override
                    public FileVisitResult visitFileFailed(Path file, IOException e) {
                        problems.add(root.toString(), relative(file), "cannot be listed (" + DataFiles.describe(e)
                                + "); it is skipped");
                        return FileVisitResult.CONTINUE;
                    }
                });
        List<String> relatives = new ArrayList<>(files.size());
        for (Path file : files) {
            relatives.add(relative(file));
        }
        List<Integer> order = new ArrayList<>(files.size());
        for (int i = 0; i < files.size(); i++) {
            order.add(i);
        }
        order.sort(Comparator.comparing(relatives::get));
        Ids.Unique ids = new Ids.Unique();
        List<Image> images = new ArrayList<>(files.size());
        for (int i : order) {
            Path file = files.get(i);
            String label = null;
            if (labelsFromDirectory && !file.getParent().equals(start)) {
                label = file.getParent().getFileName().toString();
            }
            images.add(new Image(file, relatives.get(i), ids.claim(Ids.sanitize(relatives.get(i))), label));
        }
        return images;
    }

    private String relative(Path file) {
        return root.relativize(file).toString().replace(file.getFileSystem().getSeparator(), "/");
    }

    private static boolean hidden(Path path) {
        Path name = path.getFileName();
        return name != null && name.toString().startsWith(".");
    }

    static boolean isImage(Path file) {
        String n = file.getFileName().toString();
        int dot = n.lastIndexOf('.');
        return dot > 0 && IMAGE_EXTENSIONS.contains(n.substring(dot + 1).toLowerCase(Locale.ROOT));
    }

    /** @return the caption file of an image (photo.jpg: photo.txt, else photo.TXT), or null */
    static Path captionFile(Path image) {
        String n = image.getFileName().toString();
        String base = n.substring(0, n.lastIndexOf('.'));
        for (String extension : new String[] {".txt", ".TXT", ".Txt"}) {
            Path candidate = image.resolveSibling(base + extension);
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    /** Reads the listed images in order: caption file first (cheap), then the image. */
    private final class Source extends BaseSource {
        private final String split;
        private final List<Image> images;
        private int next;

        Source(String split, List<Image> images, ProblemLog problems) {
            super("folder dataset " + name + " split " + split, problems);
            this.split = split;
            this.images = images;
        }

        @Override
        protected Optional<Sample> read() {
            while (next < images.size()) {
                Image image = images.get(next++);
                Optional<Sample> sample = load(image);
                if (sample.isPresent()) {
                    return sample;
                }
            }
            return Optional.empty();
        }

        private Optional<Sample> load(Image image) {
            String where = root.toString();
            Path txt = captionFile(image.file());
            String stem = image.file().getFileName().toString();
            stem = stem.substring(0, stem.lastIndexOf('.')) + ".txt";
            if (txt == null) {
                problems.add(where, image.relative(), "no caption: " + stem + " is missing; the image is skipped");
                return Optional.empty();
            }
            List<String> captions = new ArrayList<>();
            byte[] bytes;
            try {
                bytes = DataFiles.read(txt, DataFiles.MAX_TEXT_BYTES, "caption file");
            } catch (IOException e) {
                problems.add(where, image.relative(), DataFiles.describe(e) + "; the image is skipped");
                return Optional.empty();
            }
            try {
                for (String line : DataFiles.utf8(bytes).split("\\R")) {
                    if (!line.isBlank()) {
                        captions.add(line.strip());
                    }
                }
            } catch (IOException e) {
                problems.add(where, image.relative(), "the caption file " + txt.getFileName() + " is "
                        + DataFiles.describe(e) + "; the image is skipped");
                return Optional.empty();
            }
            if (captions.isEmpty()) {
                problems.add(where, image.relative(), "no caption: " + txt.getFileName() + " is empty; the image is skipped");
                return Optional.empty();
            }
            try {
                Sample.Builder b = Sample.builder(image.id())
                        .pixels(DataFiles.loadImage(image.file(), image.file().toString()))
                        .imageProvenance(human)
                        .metadata("file", image.relative())
                        .metadata("split", split);
                captions.forEach(c -> b.caption(new Caption(c, human)));
                if (image.label() != null) {
                    b.label(image.label());
                }
                return Optional.of(b.build());
            } catch (IOException | RuntimeException e) {
                problems.add(where, image.relative(), DataFiles.describe(e) + "; the image is skipped");
                return Optional.empty();
            }
        }
    }
}
