package org.synthloom.api.train;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;
import org.synthloom.api.data.SampleSource;
import org.synthloom.api.model.ImageTokenizer;
import org.synthloom.api.model.ModelRecipe;
import org.synthloom.api.model.Tokenizer;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;

/**
 * What the engine gives a {@link Fittable} plugin: the pipeline's human training data, a place to
 * keep what it learns, and the engine's training loop, so that no plugin needs a loop of its own.
 */
@ProviderType
public interface FitContext {

    /**
     * A directory private to this fit, addressed by the plugin's identity and configuration, the
     * data and the seed: if it holds a complete state, a repeated or resumed pipeline loads it
     * instead of learning again.
     *
     * @return the directory; it exists
     */
    Path directory();

    /** @return the seed to learn with */
    long seed();

    /** @return the device the pipeline runs on */
    Device device();

    /**
     * @return where the fitted instance keeps its tensors, on {@link #device()}; the engine
     *     closes it when the run ends
     */
    NDManager manager();

    /** @return the side of the pipeline's square images in pixels */
    int imageSize();

    /** @return the class names of the human data, in label order; empty if unlabelled */
    List<String> classNames();

    /** @return the pipeline's text tokenizer */
    Tokenizer tokenizer();

    /**
     * @return the pipeline's fitted image tokenizer, when it has one (then the human samples
     *     carry VQ tokens from it), else empty
     */
    Optional<ImageTokenizer> imageTokenizer();

    /**
     * Opens the human training samples, as the pipeline prepared them (resized pixels, VQ tokens
     * when the pipeline has an image tokenizer).
     *
     * @return a fresh source over the human training split
     * @throws IOException if it cannot be read
     */
    SampleSource open() throws IOException;

    /**
     * Trains a model on the human training data with the engine's loop: batches built as for
     * the pipeline's own model (the fields the recipe reads), AdamW with warm-up and cosine decay,
     * checkpoints next to {@link #directory()} so that a killed run resumes (and a repeated fit
     * returns the trained model without training again), a progress bar named {@code label} and
     * metrics prefixed with {@code label/}.
     *
     * @param label names the training in progress output and metrics, e.g. {@code vqgan}
     * @param recipe builds the model and names the fields it reads
     * @param objectives the weighted sum of whose losses is minimised (weight 1 each)
     * @param options steps, batch size, learning rate
     * @return the trained model; its parameters live until the run ends
     * @throws IOException if the data cannot be read or a checkpoint cannot be written
     */
    Block train(String label, ModelRecipe recipe, List<Objective> objectives, TrainingOptions options) throws IOException;

    /**
     * Reports measurements of what the plugin learnt (a tokenizer's reconstruction PSNR and
     * codebook usage, a generator's loss on held-back data) as metrics of the run, named
     * {@code label/name}.
     *
     * @param label what was measured, e.g. {@code vqgan}
     * @param metrics values by name
     */
    void report(String label, java.util.Map<String, Double> metrics);

    /**
     * Reports progress of work the plugin does itself (e.g. encoding a codebook's statistics).
     *
     * @param label what is in progress
     * @param done units done
     * @param total units in all, or 0 if unknown
     */
    void progress(String label, long done, long total);
}
