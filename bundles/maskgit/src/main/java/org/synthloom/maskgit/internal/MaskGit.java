package org.synthloom.maskgit.internal;

import java.io.IOException;
import java.util.List;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.metatype.annotations.Designate;
import org.synthloom.api.SynthloomPlugin;
import org.synthloom.api.data.ImageSpace;
import org.synthloom.api.data.Sample;
import org.synthloom.api.generate.GenerationException;
import org.synthloom.api.generate.ImageGenerator;
import org.synthloom.api.generate.ImageRequest;
import org.synthloom.api.train.FitContext;
import org.synthloom.api.train.Fittable;

import ai.djl.ndarray.NDManager;

/**
 * The {@code maskgit} image generator (Synth2's text-to-token generator): a MaskGIT/Muse-style
 * bidirectional transformer fitted on a pipeline's human token grids and captions, which predicts
 * masked VQ tokens conditioned on a caption and generates grids by iterative parallel decoding. The
 * registered service is unfitted: {@link #fit} learns (see {@link Fitting}) or loads what an earlier
 * fit saved, and returns the instance that generates ({@link FittedMaskGit}).
 */
@Component(service = {ImageGenerator.class, Fittable.class}, configurationPid = MaskGit.PID)
@SynthloomPlugin(kind = ImageGenerator.KIND, name = MaskGit.NAME)
@Designate(ocd = MaskGitConfig.class)
public class MaskGit implements ImageGenerator, Fittable<ImageGenerator> {

    static final String NAME = "maskgit";
    static final String PID = "org.synthloom.maskgit";

    private final String version;
    private final Settings settings;

    /**
     * @param context gives the bundle's version, for the provenance of generated images
     * @param config the configuration
     * @throws IllegalArgumentException if a property has a bad value; the message names the PID,
     *     the property and the value
     */
    @Activate
    public MaskGit(BundleContext context, MaskGitConfig config) {
        this(context.getBundle().getVersion().toString(), Settings.of(config));
    }

    MaskGit(String version, Settings settings) {
        this.version = version;
        this.settings = settings;
    }

    @Override
    public ImageSpace outputSpace() {
        return settings.output();
    }

    @Override
    public List<Sample> generate(ImageRequest request, NDManager manager) throws GenerationException {
        throw new GenerationException("the " + NAME + " generator has not learnt yet and cannot generate: it must be"
                + " fitted in a pipeline (name it with generator.target, with an image tokenizer in"
                + " image.tokenizer.target), which trains it on the pipeline's human token grids and captions");
    }

    @Override
    public ImageGenerator fit(FitContext context) throws IOException {
        return new Fitting(settings, version, context).fitOrLoad();
    }
}
