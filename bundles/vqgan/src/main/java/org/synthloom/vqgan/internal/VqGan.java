package org.synthloom.vqgan.internal;

import java.io.IOException;
import java.util.List;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.metatype.annotations.Designate;
import org.synthloom.api.SynthloomPlugin;
import org.synthloom.api.data.ImagePixels;
import org.synthloom.api.data.TokenGrid;
import org.synthloom.api.model.ImageTokenizer;
import org.synthloom.api.train.FitContext;
import org.synthloom.api.train.Fittable;

import ai.djl.ndarray.NDManager;

/**
 * The {@code vqgan} image tokenizer (Synth2's VQ-GAN without its perceptual and adversarial
 * terms): fitted on a pipeline's human images, it turns images into grids of codebook indices and
 * back. The registered service is unfitted: {@link #fit} learns (autoencoder warm-up, k-means
 * codebook, VQ training; see {@link Fitting}) or loads what an earlier fit saved, and returns the
 * instance that encodes and decodes.
 */
@Component(service = {ImageTokenizer.class, Fittable.class}, configurationPid = VqGan.PID)
@SynthloomPlugin(kind = ImageTokenizer.KIND, name = VqGan.NAME)
@Designate(ocd = VqGanConfig.class)
public class VqGan implements ImageTokenizer, Fittable<ImageTokenizer> {

    static final String NAME = "vqgan";
    static final String PID = "org.synthloom.vqgan";

    private final String version;
    private final Settings settings;

    /**
     * @param context gives the bundle's version, part of the codebook's identity
     * @param config the configuration
     * @throws IllegalArgumentException if a property has a bad value; the message names it
     */
    @Activate
    public VqGan(BundleContext context, VqGanConfig config) {
        this(context.getBundle().getVersion().toString(), Settings.of(config));
    }

    VqGan(String version, Settings settings) {
        this.version = version;
        this.settings = settings;
    }

    @Override
    public int codebookSize() {
        return settings.codebookSize();
    }

    @Override
    public int gridSize(int imageSize) {
        return settings.gridSize(imageSize);
    }

    @Override
    public List<TokenGrid> encode(List<ImagePixels> images, NDManager manager) {
        throw unfitted("encode");
    }

    @Override
    public List<ImagePixels> decode(List<TokenGrid> grids, NDManager manager) {
        throw unfitted("decode");
    }

    private static IllegalStateException unfitted(String what) {
        return new IllegalStateException("the " + NAME + " tokenizer has no codebook yet and cannot " + what
                + ": it must be fitted in a pipeline (name it with image.tokenizer.target), which trains it on the"
                + " pipeline's human images");
    }

    @Override
    public ImageTokenizer fit(FitContext context) throws IOException {
        return new Fitting(settings, version, context).fitOrLoad();
    }
}
