package org.synthloom.datasets.internal;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
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
import org.synthloom.api.data.InputProblem;
import org.synthloom.api.data.Provenance;
import org.synthloom.api.data.Sample;
import org.synthloom.api.data.SampleSource;
import org.synthloom.store.RunStore;
import org.synthloom.store.wds.ProblemLog;

import com.google.gson.JsonParseException;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;

/**
 * The emoji of the {@code emoji-datasource-google} package as an image-text dataset: one sample
 * per emoji with a Google 64px image (skin-tone variations are left out), captioned with its
 * lower-cased name and its short names, labelled with its category.
 *
 * <p>The split of an emoji (train or test) is a stable hash of its {@code unified} code points and
 * the seed, so it never changes when the package gains emoji. {@code emoji.json} is read once,
 * when first needed; the images are decoded as the samples are read.
 */
@Component(service = Dataset.class, configurationPid = EmojiDataset.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = EmojiConfig.class)
@SynthloomPlugin(kind = Dataset.KIND, name = EmojiDataset.NAME)
public class EmojiDataset implements Dataset {

    static final String NAME = "emoji";
    static final String PID = "org.synthloom.datasets.emoji";
    static final String DEFAULT_PATH = "datasets/emoji-datasource-google/package";
    static final List<String> SPLITS = List.of("train", "test");
    static final Provenance HUMAN = Provenance.human(NAME);

    private static final Logger LOG = LoggerFactory.getLogger(EmojiDataset.class);

    private final Path root;
    private final double testFraction;
    private final long seed;
    private volatile Index index;

    @Activate
    public EmojiDataset(EmojiConfig config, @Reference(name = "store") RunStore store) {
        this.root = DataFiles.resolve(store.dataDirectory(), config.path(), "path");
        this.testFraction = config.test_fraction();
        this.seed = config.seed();
        if (!(testFraction >= 0 && testFraction <= 1)) {
            throw new IllegalArgumentException(NAME + ": test.fraction must be between 0 and 1: " + testFraction);
        }
        LOG.info("{}: {}, test fraction {}, seed {}", NAME, root, testFraction, seed);
    }

    /** One emoji of emoji.json that has a Google image. */
    record Emoji(String unified, String name, List<String> shortNames, String category, String subcategory,
            String image, boolean test, boolean imagePresent) {}

    /** What emoji.json says, read once. */
    record Index(List<Emoji> emoji, List<String> categories, long trainSize, long testSize, List<InputProblem> problems) {}

    Path json() {
        return root.resolve("emoji.json");
    }

    Path images() {
        return root.resolve("img").resolve("google").resolve("64");
    }

    @Override
    public List<String> splits() {
        return SPLITS;
    }

    @Override
    public List<String> classNames() {
        return indexOrFail().categories();
    }

    @Override
    public long size(String split) {
        requireSplit(split);
        Index i = indexOrFail();
        return "test".equals(split) ? i.testSize() : i.trainSize();
    }

    @Override
    public SampleSource open(String split) throws IOException {
        requireSplit(split);
        Index i = index();
        return new Source(split, i);
    }

    private static void requireSplit(String split) {
        if (!SPLITS.contains(split)) {
            throw new IllegalArgumentException(NAME + " has no split '" + split + "'; it has " + SPLITS);
        }
    }

    private Index indexOrFail() {
        try {
            return index();
        } catch (IOException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    /** Reads emoji.json on first use; a failed read is retried next time (the files may be fetched meanwhile). */
    Index index() throws IOException {
        Index current = index;
        if (current != null) {
            return current;
        }
        synchronized (this) {
            if (index == null) {
                index = readIndex();
            }
            return index;
        }
    }

    private Index readIndex() throws IOException {
        Path json = json();
        if (!Files.isRegularFile(json)) {
            throw new IOException(DataFiles.notFetched("the emoji dataset (emoji.json)", json));
        }
        if (!Files.isDirectory(images())) {
            throw new IOException(DataFiles.notFetched("the emoji images (img/google/64)", images()));
        }
        ProblemLog problems = new ProblemLog();
        List<Emoji> emoji = new ArrayList<>();
        Set<String> seen = new java.util.HashSet<>();
        try (Reader reader = Files.newBufferedReader(json, StandardCharsets.UTF_8); JsonReader in = new JsonReader(reader)) {
            if (in.peek() != JsonToken.BEGIN_ARRAY) {
                throw new IOException(json + ": expected a JSON array of emoji, found " + in.peek());
            }
            in.beginArray();
            for (int n = 0; in.hasNext(); n++) {
                Emoji e = readEmoji(in, n, problems);
                if (e != null) {
                    if (seen.add(e.unified())) {
                        emoji.add(e);
                    } else {
                        problems.add(json.toString(), "entry " + n, "a second emoji " + e.unified() + "; it is skipped");
                    }
                }
            }
            in.endArray();
        } catch (JsonParseException | IllegalStateException | NumberFormatException
                | com.google.gson.stream.MalformedJsonException | java.io.EOFException e) {
            throw new IOException(json + ": not a valid emoji.json (" + DataFiles.describe(e) + ")", e);
        }
        TreeSet<String> categories = new TreeSet<>();
        long test = 0;
        long train = 0;
        for (Emoji e : emoji) {
            categories.add(e.category());
            if (e.imagePresent()) {
                if (e.test()) {
                    test++;
                } else {
                    train++;
                }
            }
        }
        LOG.info("{}: {} emoji with Google images ({} train, {} test), {} categories{}", NAME, train + test, train, test,
                categories.size(), problems.count() > 0 ? ", " + problems.count() + " entries skipped" : "");
        return new Index(List.copyOf(emoji), List.copyOf(categories), train, test, problems.problems());
    }

    private Emoji readEmoji(JsonReader in, int n, ProblemLog problems) throws IOException {
        String name = null;
        String unified = null;
        String category = null;
        String subcategory = "";
        String image = null;
        Boolean hasGoogle = null;
        List<String> shortNames = new ArrayList<>();
        in.beginObject();
        while (in.hasNext()) {
            String key = in.nextName();
            if (in.peek() == JsonToken.NULL) {
                in.nextNull();
                continue;
            }
            switch (key) {
                case "name" -> name = in.nextString();
                case "unified" -> unified = in.nextString();
                case "category" -> category = in.nextString();
                case "subcategory" -> subcategory = in.nextString();
                case "image" -> image = in.nextString();
                case "has_img_google" -> hasGoogle = in.nextBoolean();
                case "short_names" -> {
                    in.beginArray();
                    while (in.hasNext()) {
                        shortNames.add(in.nextString());
                    }
                    in.endArray();
                }
                default -> in.skipValue(); // skin_variations and the other vendors' fields
            }
        }
        in.endObject();
        String where = json().toString();
        String entry = "entry " + n + (unified != null ? " (" + unified + ")" : "");
        if (Boolean.FALSE.equals(hasGoogle)) {
            return null; // no Google image: not part of this dataset
        }
        if (unified == null || unified.isBlank() || image == null || image.isBlank() || category == null || category.isBlank()) {
            problems.add(where, entry, "the entry lacks " + (unified == null || unified.isBlank() ? "'unified'"
                    : image == null || image.isBlank() ? "'image'" : "'category'") + "; it is skipped");
            return null;
        }
        if (image.contains("/") || image.contains("\\") || image.startsWith(".")) {
            problems.add(where, entry, "the image name '" + image + "' is not a plain file name; it is skipped");
            return null;
        }
        List<String> captions = captions(name, shortNames);
        if (captions.isEmpty()) {
            problems.add(where, entry, "the entry has neither a name nor short names to caption it; it is skipped");
            return null;
        }
        boolean present = Files.isRegularFile(images().resolve(image));
        return new Emoji(unified.strip(), name == null ? "" : name, List.copyOf(shortNames), category.strip(),
                subcategory, image, inTest(unified.strip(), seed, testFraction), present);
    }

    /** The lower-cased name, then each short name with '_' as a space; blank and repeated ones dropped. */
    static List<String> captions(String name, List<String> shortNames) {
        Set<String> captions = new LinkedHashSet<>();
        if (name != null && !name.isBlank()) {
            captions.add(name.strip().toLowerCase(Locale.ROOT));
        }
        for (String shortName : shortNames) {
            String text = shortName.replace('_', ' ').strip();
            if (!text.isEmpty()) {
                captions.add(text);
            }
        }
        return List.copyOf(captions);
    }

    /**
     * The stable split of an emoji: FNV-1a of its upper-case code points, mixed with the seed
     * (SplitMix64's finaliser), as a fraction in [0, 1).
     *
     * @return true if the emoji goes into the test split
     */
    static boolean inTest(String unified, long seed, double testFraction) {
        long h = 0xcbf29ce484222325L;
        for (byte b : unified.toUpperCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xff;
            h *= 0x100000001b3L;
        }
        long x = mix(h ^ mix(seed + 0x9E3779B97F4A7C15L));
        double u = (x >>> 11) * 0x1.0p-53;
        return u < testFraction;
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** Reads one split in the order of emoji.json, decoding each image when its sample is read. */
    private final class Source extends BaseSource {
        private final boolean test;
        private final List<Emoji> emoji;
        private int next;

        Source(String split, Index index) {
            super(NAME + " split " + split, new ProblemLog());
            this.test = "test".equals(split);
            this.emoji = index.emoji();
            for (InputProblem p : index.problems()) {
                problems.add(p.location(), p.entry(), p.reason());
            }
        }

        @Override
        protected Optional<Sample> read() {
            while (next < emoji.size()) {
                Emoji e = emoji.get(next++);
                if (e.test() != test) {
                    continue;
                }
                Path file = images().resolve(e.image());
                try {
                    Sample.Builder b = Sample.builder(Ids.sanitize("emoji-" + e.unified().toLowerCase(Locale.ROOT)))
                            .pixels(DataFiles.loadImage(file, file.toString()))
                            .imageProvenance(HUMAN)
                            .label(e.category())
                            .metadata("unified", e.unified())
                            .metadata("category", e.category())
                            .metadata("subcategory", e.subcategory())
                            .metadata("short_names", String.join(",", e.shortNames()))
                            .metadata("image", e.image());
                    for (String caption : captions(e.name(), e.shortNames())) {
                        b.caption(new Caption(caption, HUMAN));
                    }
                    return Optional.of(b.build());
                } catch (IOException | RuntimeException ex) {
                    problems.add(file.toString(), e.unified(), DataFiles.describe(ex) + "; the emoji is skipped");
                }
            }
            return Optional.empty();
        }
    }
}
