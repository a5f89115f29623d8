package org.synthloom.shapes.internal;

import java.awt.AWTError;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.osgi.framework.Bundle;
import org.osgi.framework.FrameworkUtil;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.metatype.annotations.Designate;
import org.synthloom.api.SynthloomPlugin;
import org.synthloom.api.data.Caption;
import org.synthloom.api.data.ImageSpace;
import org.synthloom.api.data.Provenance;
import org.synthloom.api.data.Sample;
import org.synthloom.api.generate.GenerationException;
import org.synthloom.api.generate.ImageGenerator;
import org.synthloom.api.generate.ImageRequest;

import ai.djl.ndarray.NDManager;

/**
 * The shapes world's oracle text-to-image generator: it reads the world's words in a caption
 * (see {@link CaptionParser}) and draws a scene that satisfies them, sampling whatever the
 * caption leaves open. Only the objects a caption mentions are drawn (plus a random second object
 * when it names a relation but one object). A caption without a colour or a shape still gets an
 * image: the missing words are drawn at random, and the label is the concept actually drawn.
 *
 * <p>Image k of caption j is drawn from a seed derived from the request seed, j, k and the
 * caption text; that seed is the image's provenance seed and, in hex, its sample id
 * ({@code gen-0123456789abcdef}). The same caption and seed always give the same image. The
 * {@link NDManager} is not used: pixels are drawn in Java.
 */
@Component(service = ImageGenerator.class, configurationPid = ShapesRenderer.PID)
@Designate(ocd = ShapesRendererConfig.class)
@SynthloomPlugin(kind = ImageGenerator.KIND, name = ShapesRenderer.NAME)
public class ShapesRenderer implements ImageGenerator {

    static final String NAME = "shapes-renderer";
    static final String PID = "org.synthloom.shapes.renderer";
    static final String FALLBACK_VERSION = "1.0.0";

    private final int imageSize;
    private final String version;

    @Activate
    public ShapesRenderer(ShapesRendererConfig config) {
        this(config.image_size(), bundleVersion());
    }

    ShapesRenderer(int imageSize, String version) {
        this.imageSize = WorldSettings.requireImageSize(imageSize);
        this.version = version;
    }

    @Override
    public ImageSpace outputSpace() {
        return ImageSpace.PIXELS;
    }

    @Override
    public List<Sample> generate(ImageRequest request, NDManager manager) throws GenerationException {
        List<Sample> samples = new ArrayList<>(request.captions().size() * request.imagesPerCaption());
        for (int j = 0; j < request.captions().size(); j++) {
            Caption caption = request.captions().get(j).caption();
            for (int k = 0; k < request.imagesPerCaption(); k++) {
                samples.add(render(caption, imageSeed(request.seed(), j, k, caption.text())));
            }
        }
        return samples;
    }

    /**
     * Draws one image for a caption.
     *
     * @param caption the caption to illustrate, carried by the sample
     * @param seed the image's seed (its provenance seed)
     * @return the sample, labelled with the concept of the main object drawn
     * @throws GenerationException if Java2D is unusable in this JVM
     */
    Sample render(Caption caption, long seed) throws GenerationException {
        Scene scene = SceneSampler.realise(CaptionParser.parse(caption.text()), Integer.MAX_VALUE, new Rng(seed));
        try {
            return Sample.builder(String.format(Locale.ROOT, "gen-%016x", seed))
                    .pixels(SceneRenderer.render(scene, imageSize))
                    .caption(caption)
                    .label(scene.concept())
                    .imageProvenance(Provenance.synthetic(NAME, version, seed))
                    .metadata("scene", scene.toJson())
                    .build();
        } catch (RuntimeException | AWTError e) {
            throw new GenerationException("Java2D could not draw '" + caption.text() + "': " + e
                    + ". The shapes renderer needs the java.desktop module (a headless JRE is enough).", e);
        }
    }

    /** The seed of image k of caption j of a request. */
    static long imageSeed(long requestSeed, int captionIndex, int imageIndex, String text) {
        return Rng.derive(Rng.derive(requestSeed, "caption", captionIndex) ^ Rng.hash(text), "image", imageIndex);
    }

    /** @return this bundle's version, or {@value #FALLBACK_VERSION} outside OSGi */
    static String bundleVersion() {
        Bundle bundle = FrameworkUtil.getBundle(ShapesRenderer.class);
        return bundle == null ? FALLBACK_VERSION : bundle.getVersion().toString();
    }
}
