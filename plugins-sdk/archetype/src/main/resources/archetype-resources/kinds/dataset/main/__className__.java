package ${package};

import java.util.List;
import java.util.Optional;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.metatype.annotations.Designate;
import org.synthloom.api.SynthloomPlugin;
import org.synthloom.api.data.Caption;
import org.synthloom.api.data.Dataset;
import org.synthloom.api.data.ImagePixels;
import org.synthloom.api.data.Provenance;
import org.synthloom.api.data.Sample;
import org.synthloom.api.data.SampleSource;

/**
 * The {@code ${pluginName}} dataset: squares of one colour, captioned {@code "a <colour> square"}
 * and labelled with the colour, in splits {@code train} and {@code test}. Sample {@code i} of a
 * split is a pure function of the split and {@code i}, so reading is deterministic. Replace
 * {@code sample} with reading your files.
 */
@Component(service = Dataset.class, configurationPid = ${className}.PID)
@SynthloomPlugin(kind = Dataset.KIND, name = ${className}.NAME)
@Designate(ocd = ${className}Config.class)
public class ${className} implements Dataset {

    /** The plugin's {@code synthloom.name}. */
    public static final String NAME = "${pluginName}";
    /** The configuration PID. */
    public static final String PID = "${package}.${pluginName}";

    private static final List<String> COLOURS = List.of("red", "green", "blue", "yellow", "purple", "orange");
    private static final int[][] RGB = {{220, 30, 30}, {30, 180, 60}, {40, 60, 220}, {230, 220, 40}, {140, 50, 170}, {240, 140, 20}};

    private final int trainSize;
    private final int testSize;
    private final int imageSize;

    /**
     * @param config the configuration
     * @throws IllegalArgumentException if a size is out of range
     */
    @Activate
    public ${className}(${className}Config config) {
        this.trainSize = check("train.size", config.train_size(), 1, 1_000_000);
        this.testSize = check("test.size", config.test_size(), 1, 1_000_000);
        this.imageSize = check("image.size", config.image_size(), 4, 512);
    }

    private static int check(String property, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(PID + ": " + property + " must be in [" + min + ", " + max + "], got " + value);
        }
        return value;
    }

    @Override
    public List<String> splits() {
        return List.of("train", "test");
    }

    @Override
    public List<String> classNames() {
        return COLOURS;
    }

    @Override
    public long size(String split) {
        return switch (split) {
            case "train" -> trainSize;
            case "test" -> testSize;
            default -> throw new IllegalArgumentException(NAME + " has no split '" + split + "'; splits: " + splits());
        };
    }

    @Override
    public SampleSource open(String split) {
        long size = size(split);
        return new SampleSource() {
            private int next;

            @Override
            public Optional<Sample> next() {
                return next < size ? Optional.of(sample(split, next++)) : Optional.empty();
            }

            @Override
            public void close() {}
        };
    }

    private Sample sample(String split, int index) {
        // The test split starts at another colour, so it is not the train split's prefix.
        int c = (index + (split.equals("test") ? 3 : 0)) % COLOURS.size();
        byte[] pixels = new byte[imageSize * imageSize * 3];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (byte) RGB[c][i % 3];
        }
        Provenance human = Provenance.human(NAME);
        return Sample.builder(split + "-" + index).pixels(new ImagePixels(imageSize, imageSize, 3, pixels))
                .imageProvenance(human).caption(new Caption("a " + COLOURS.get(c) + " square", human))
                .label(COLOURS.get(c)).build();
    }
}
