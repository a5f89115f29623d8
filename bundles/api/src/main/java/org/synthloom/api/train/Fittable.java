package org.synthloom.api.train;

import java.io.IOException;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * A plugin that learns from a pipeline's human training data before it serves: a VQ-GAN image
 * tokenizer, a text-to-token image generator, a caption language model, a recaptioner. The
 * registered service is the untrained plugin; the engine calls {@link #fit} once per pipeline (and
 * per data, configuration and seed: its output is content-addressed) and uses the returned
 * instance for the pipeline's work, so two pipelines never share learnt state.
 *
 * <pre>{@code
 * @Component(service = {ImageGenerator.class, Fittable.class})
 * @SynthloomPlugin(kind = ImageGenerator.KIND, name = "maskgit")
 * public class MaskGit implements ImageGenerator, Fittable<ImageGenerator> { ... }
 * }</pre>
 *
 * @param <T> the service interface the fitted instance implements
 */
@ConsumerType
public interface Fittable<T> {

    /**
     * Learns, or loads what an earlier call with the same context saved in {@link
     * FitContext#directory()} (a resumed or repeated pipeline), and returns the fitted instance.
     * Training goes through {@link FitContext#train}, which checkpoints and reports progress; the
     * instance saves what it learnt in the directory before returning.
     *
     * @param context the human data, the device, the seed and the engine's trainer
     * @return a fitted instance; if it is {@link AutoCloseable} the engine closes it when the run ends
     * @throws IOException if the data or the saved state cannot be read, or the state cannot be saved
     */
    T fit(FitContext context) throws IOException;
}
