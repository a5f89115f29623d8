package ${package};

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.metatype.annotations.Designate;
import org.synthloom.api.SynthloomPlugin;
import org.synthloom.api.data.ImagePixels;
import org.synthloom.api.data.ImageSpace;
import org.synthloom.api.data.Provenance;
import org.synthloom.api.data.Sample;
import org.synthloom.api.generate.GeneratedCaption;
import org.synthloom.api.generate.ImageGenerator;
import org.synthloom.api.generate.ImageRequest;

import ai.djl.ndarray.NDManager;

/**
 * The {@code ${pluginName}} image generator: paints each caption as a colour field (the colour
 * from the caption's text) with noise from a derived seed, so that images of one caption differ
 * and every image is reproducible. Emits pixels ({@code ImageSpace.PIXELS}). Replace {@code paint} with a
 * real generator.
 */
@Component(service = ImageGenerator.class, configurationPid = ${className}.PID)
@SynthloomPlugin(kind = ImageGenerator.KIND, name = ${className}.NAME)
@Designate(ocd = ${className}Config.class)
public class ${className} implements ImageGenerator {

    /** The plugin's {@code synthloom.name}. */
    public static final String NAME = "${pluginName}";
    /** The configuration PID. */
    public static final String PID = "${package}.${pluginName}";

    private final String version;
    private final int size;

    /**
     * @param context the bundle's context, for its version (recorded in provenance)
     * @param config the configuration
     */
    @Activate
    public ${className}(BundleContext context, ${className}Config config) {
        this(context.getBundle().getVersion().toString(), config);
    }

    /**
     * @param version the version recorded in provenance
     * @param config the configuration
     * @throws IllegalArgumentException if the image size is out of range
     */
    public ${className}(String version, ${className}Config config) {
        if (config.image_size() < 4 || config.image_size() > 512) {
            throw new IllegalArgumentException(PID + ": image.size must be in [4, 512], got " + config.image_size());
        }
        this.version = version;
        this.size = config.image_size();
    }

    @Override
    public ImageSpace outputSpace() {
        return ImageSpace.PIXELS;
    }

    @Override
    public List<Sample> generate(ImageRequest request, NDManager manager) {
        List<Sample> out = new ArrayList<>();
        for (int c = 0; c < request.captions().size(); c++) {
            GeneratedCaption caption = request.captions().get(c);
            for (int k = 0; k < request.imagesPerCaption(); k++) {
                long seed = request.seed() * 1_000_003L + (long) c * request.imagesPerCaption() + k;
                out.add(Sample.builder(NAME + "-" + seed).pixels(paint(caption.caption().text(), seed))
                        .imageProvenance(Provenance.synthetic(NAME, version, seed)).caption(caption.caption())
                        .label(caption.concept().name()).build());
            }
        }
        return out;
    }

    /** A colour field whose colour comes from the text, with noise from the seed. */
    private ImagePixels paint(String text, long seed) {
        int colour = text.hashCode();
        SplittableRandom random = new SplittableRandom(seed);
        byte[] rgb = new byte[size * size * 3];
        for (int i = 0; i < rgb.length; i++) {
            int base = (colour >>> (8 * (i % 3))) & 0xff;
            rgb[i] = (byte) Math.max(0, Math.min(255, base + random.nextInt(-24, 25)));
        }
        return new ImagePixels(size, size, 3, rgb);
    }
}
