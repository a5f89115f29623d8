package org.synthloom.datasets.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

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
 * Image-caption pairs from a CSV or TSV file with a header row, in OpenCLIP's convention: one row
 * per image, an image path column ({@code filepath}) and a caption column ({@code title}),
 * tab-separated by default. Optional label and split columns. Rows are read in file order; a row
 * that cannot be used is skipped and recorded with the file, its line number and the reason.
 */
@Component(service = Dataset.class, configurationPid = CsvDataset.FACTORY_PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE)
@Designate(ocd = CsvConfig.class, factory = true)
@SynthloomPlugin(kind = Dataset.KIND, name = CsvDataset.NAME)
public class CsvDataset implements Dataset {

    static final String NAME = "csv";
    static final String FACTORY_PID = "org.synthloom.datasets.csv";
    static final String DEFAULT_SPLIT = "train";

    private static final Logger LOG = LoggerFactory.getLogger(CsvDataset.class);

    private final String name;
    private final Path file;
    private final char separator;
    private final String imageColumn;
    private final String captionColumn;
    private final String labelColumn;
    private final String splitColumn;
    private final Path imagesBase;
    private final Provenance human;
    private Scan scan;

    @Activate
    public CsvDataset(CsvConfig config, @Reference(name = "store") RunStore store) {
        this.name = config.synthloom_name() == null || config.synthloom_name().isBlank() ? NAME : config.synthloom_name();
        this.file = DataFiles.resolve(store.dataDirectory(), config.path(), "path");
        this.separator = separator(config.separator());
        this.imageColumn = required(config.image_column(), "image.column");
        this.captionColumn = required(config.caption_column(), "caption.column");
        this.labelColumn = config.label_column() == null ? "" : config.label_column().strip();
        this.splitColumn = config.split_column() == null ? "" : config.split_column().strip();
        this.imagesBase = config.images_base() == null || config.images_base().isBlank()
                ? file.getParent() : DataFiles.resolve(store.dataDirectory(), config.images_base(), "images.base");
        this.human = Provenance.human(name);
        LOG.info("csv dataset {}: {} (separator {}, image '{}', caption '{}', label '{}', split '{}', images in {})", name,
                file, separator == '\t' ? "TAB" : "'" + separator + "'", imageColumn, captionColumn, labelColumn,
                splitColumn, imagesBase);
        if (NAME.equals(name)) {
            LOG.info("csv dataset {} is named '{}'; set synthloom.name in its configuration to name it", file, NAME);
        }
    }

    /**
     * @param value the configured separator: one ASCII character, or {@code \t}, {@code tab},
     *     {@code comma}, {@code semicolon}, {@code pipe}; blank means a tab (a .cfg file trims a
     *     plain tab away)
     * @return the character
     */
    static char separator(String value) {
        if (value == null || value.isEmpty() || value.isBlank() && !value.contains("\t")) {
            return '\t';
        }
        String v = value.length() == 1 ? value : value.strip();
        return switch (v.toLowerCase(Locale.ROOT)) {
            case "\\t", "tab", "\t" -> '\t';
            case "comma" -> ',';
            case "semicolon" -> ';';
            case "pipe" -> '|';
            default -> {
                if (v.length() != 1 || v.charAt(0) > 0x7f || v.charAt(0) == '"' || v.charAt(0) == '\n' || v.charAt(0) == '\r') {
                    throw new IllegalArgumentException("csv: the separator must be one ASCII character other than a quote"
                            + " or a line break (or 'tab', 'comma', 'semicolon', 'pipe'): '" + value + "'");
                }
                yield v.charAt(0);
            }
        };
    }

    private static String required(String value, String property) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("csv: '" + property + "' must name a column");
        }
        return value.strip();
    }

    @Override
    public List<String> splits() {
        if (splitColumn.isEmpty()) {
            return List.of(DEFAULT_SPLIT);
        }
        Scan s = scan();
        return s.error() != null || s.counts().isEmpty() ? List.of(DEFAULT_SPLIT) : List.copyOf(s.counts().keySet());
    }

    @Override
    public List<String> classNames() {
        if (labelColumn.isEmpty()) {
            return List.of();
        }
        Scan s = scan();
        return s.error() != null ? List.of() : s.labels();
    }

    /** The number of well-formed rows of the split (rows skipped for a bad image or caption included). */
    @Override
    public long size(String split) {
        requireSplit(split);
        Scan s = scan();
        if (s.error() != null) {
            return -1;
        }
        return splitColumn.isEmpty() ? s.rows() : s.counts().getOrDefault(split, 0L);
    }

    @Override
    public SampleSource open(String split) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException("csv dataset " + name + ": file not found at " + file);
        }
        CsvParser parser = new CsvParser(Files.newInputStream(file), separator);
        try {
            Header header = header(parser);
            requireSplit(split);
            return new Source(split, parser, header);
        } catch (IOException | RuntimeException e) {
            parser.close();
            throw e;
        }
    }

    private void requireSplit(String split) {
        List<String> splits = splits();
        if (!splits.contains(split)) {
            throw new IllegalArgumentException("csv dataset " + name + " has no split '" + split + "'; it has " + splits);
        }
    }

    /** The header's column names and the positions of the configured columns (-1: not used). */
    record Header(List<String> names, int image, int caption, int label, int split) {}

    private Header header(CsvParser parser) throws IOException {
        CsvParser.Record record = parser.next();
        if (record == null) {
            throw new IOException(file + ": the file is empty; a header row naming the columns is required");
        }
        if (record.error() != null) {
            throw new IOException(file + ": the header row cannot be read: " + record.error());
        }
        List<String> names = new ArrayList<>();
        for (byte[] field : record.fields()) {
            try {
                names.add(DataFiles.utf8(field).strip());
            } catch (IOException e) {
                throw new IOException(file + ": the header row is " + e.getMessage(), e);
            }
        }
        return new Header(List.copyOf(names), column(names, imageColumn), column(names, captionColumn),
                labelColumn.isEmpty() ? -1 : column(names, labelColumn), splitColumn.isEmpty() ? -1 : column(names, splitColumn));
    }

    private int column(List<String> names, String column) throws IOException {
        int index = names.indexOf(column);
        if (index < 0) {
            String hint = "";
            if (names.size() == 1) {
                hint = " (one column only: is the separator right? it is "
                        + (separator == '\t' ? "a tab" : "'" + separator + "'") + ")";
            }
            throw new IOException(file + ": column '" + column + "' not found; the header has: " + String.join(", ", names)
                    + hint);
        }
        return index;
    }

    /** What a pass over the whole file tells: splits with their row counts, labels, or why it failed. */
    record Scan(Object key, long rows, Map<String, Long> counts, List<String> labels, String error) {}

    /** Scans the file once per version of it (size and modification time) for splits, sizes and labels. */
    private synchronized Scan scan() {
        Object key;
        try {
            BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
            key = List.of(attributes.size(), attributes.lastModifiedTime());
        } catch (IOException e) {
            return new Scan(null, 0, Map.of(), List.of(), "csv dataset " + name + ": file not found at " + file);
        }
        if (scan != null && scan.key().equals(key)) {
            return scan;
        }
        long rows = 0;
        Map<String, Long> counts = new LinkedHashMap<>();
        TreeSet<String> labels = new TreeSet<>();
        try (CsvParser parser = new CsvParser(Files.newInputStream(file), separator)) {
            Header header = header(parser);
            for (CsvParser.Record r = parser.next(); r != null; r = parser.next()) {
                if (r.error() != null || !fits(r, header)) {
                    continue;
                }
                try {
                    if (header.split() >= 0) {
                        String split = DataFiles.utf8(r.fields().get(header.split())).strip();
                        if (split.isEmpty()) {
                            continue;
                        }
                        counts.merge(split, 1L, Long::sum);
                    }
                    if (header.label() >= 0) {
                        String label = DataFiles.utf8(r.fields().get(header.label())).strip();
                        if (!label.isEmpty()) {
                            labels.add(label);
                        }
                    }
                    rows++;
                } catch (IOException badUtf8) {
                    // counted as a problem when the row is read
                }
            }
            scan = new Scan(key, rows, counts, List.copyOf(labels), null);
        } catch (IOException e) {
            LOG.warn("csv dataset {}: {}", name, e.getMessage());
            scan = new Scan(key, 0, Map.of(), List.of(), e.getMessage());
        }
        return scan;
    }

    /** True if the record has the header's number of fields (trailing empty fields beyond it are tolerated). */
    private static boolean fits(CsvParser.Record r, Header header) {
        int expected = header.names().size();
        if (r.size() < expected) {
            return false;
        }
        for (int i = expected; i < r.size(); i++) {
            if (r.fields().get(i).length > 0) {
                return false;
            }
        }
        return true;
    }

    /** Streams the rows of one split, decoding each row's image when it is read. */
    private final class Source extends BaseSource {
        private final String split;
        private final CsvParser parser;
        private final Header header;
        private final String location = file.toString();
        private final String idPrefix = Ids.sanitize(name) + "-";

        Source(String split, CsvParser parser, Header header) {
            super("csv dataset " + name + " split " + split, new ProblemLog());
            this.split = split;
            this.parser = parser;
            this.header = header;
        }

        @Override
        protected Optional<Sample> read() throws IOException {
            for (CsvParser.Record r = parser.next(); r != null; r = parser.next()) {
                Optional<Sample> sample = row(r);
                if (sample.isPresent()) {
                    return sample;
                }
            }
            return Optional.empty();
        }

        private void problem(CsvParser.Record r, String reason) {
            problems.add(location, "line " + r.line(), reason + "; the row is skipped");
        }

        private Optional<Sample> row(CsvParser.Record r) {
            if (r.error() != null) {
                problems.add(location, "line " + r.line(), r.error());
                return Optional.empty();
            }
            if (header.split() >= 0) {
                // rows of other splits pass silently; a row whose split cannot be told is reported by every split
                if (header.split() < r.size()) {
                    try {
                        String rowSplit = DataFiles.utf8(r.fields().get(header.split())).strip();
                        if (!rowSplit.equals(split) && !rowSplit.isEmpty()) {
                            return Optional.empty();
                        }
                        if (rowSplit.isEmpty() && fits(r, header)) {
                            problem(r, "empty split in column '" + splitColumn + "'");
                            return Optional.empty();
                        }
                    } catch (IOException e) {
                        problem(r, "the split in column '" + splitColumn + "' is " + e.getMessage());
                        return Optional.empty();
                    }
                }
            }
            int expected = header.names().size();
            if (r.size() < expected) {
                problem(r, "too few fields: " + r.size() + " where the header has " + expected);
                return Optional.empty();
            }
            if (!fits(r, header)) {
                problem(r, "too many fields: " + r.size() + " where the header has " + expected);
                return Optional.empty();
            }
            String caption;
            String imagePath;
            String label = "";
            try {
                caption = DataFiles.utf8(r.fields().get(header.caption())).strip();
            } catch (IOException e) {
                problem(r, "the caption in column '" + captionColumn + "' is " + e.getMessage());
                return Optional.empty();
            }
            if (caption.isEmpty()) {
                problem(r, "empty caption in column '" + captionColumn + "'");
                return Optional.empty();
            }
            try {
                imagePath = DataFiles.utf8(r.fields().get(header.image()));
                if (header.label() >= 0) {
                    label = DataFiles.utf8(r.fields().get(header.label())).strip();
                }
            } catch (IOException e) {
                problem(r, "a field is " + e.getMessage());
                return Optional.empty();
            }
            DataFiles.Confined image = DataFiles.confine(imagesBase, imagePath);
            if (!image.ok()) {
                problem(r, image.refusal());
                return Optional.empty();
            }
            try {
                Sample.Builder b = Sample.builder(idPrefix + r.line())
                        .pixels(DataFiles.loadImage(image.file(), image.file().toString()))
                        .imageProvenance(human)
                        .caption(new Caption(caption, human))
                        .metadata("file", location)
                        .metadata("line", Long.toString(r.line()))
                        .metadata("image", imagePath.strip());
                if (!label.isEmpty()) {
                    b.label(label);
                }
                return Optional.of(b.build());
            } catch (IOException | RuntimeException e) {
                problem(r, "image '" + imagePath.strip() + "': " + DataFiles.describe(e));
                return Optional.empty();
            }
        }

        @Override
        protected void release() throws IOException {
            parser.close();
        }
    }
}
