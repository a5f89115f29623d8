package org.synthloom.api.train;

import java.io.IOException;
import java.util.List;

import org.osgi.annotation.versioning.ProviderType;
import org.synthloom.api.data.Sample;
import org.synthloom.api.data.SampleSource;
import org.synthloom.api.model.Tokenizer;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;

/**
 * What the engine gives an {@link Evaluator}: the trained model, the data to judge it on, and the
 * means to turn samples into batches the model reads.
 */
@ProviderType
public interface EvaluationContext {

    /** @return where to allocate tensors; closed by the engine after evaluation */
    NDManager manager();

    /** @return the class names of the evaluation data, in label order; empty if unlabelled */
    List<String> classNames();

    /**
     * Opens the evaluation data.
     *
     * @param split the split to read, e.g. {@code test}
     * @return a fresh source
     * @throws IOException if it cannot be read
     */
    SampleSource open(String split) throws IOException;

    /**
     * Turns samples into a batch with the fields the model reads, as training does (without
     * augmentation).
     *
     * @param samples the samples
     * @return named batch fields, allocated in {@link #manager()}
     */
    NDList toBatch(List<Sample> samples);

    /**
     * The tokenizer of the model's text side, e.g. to decode the token ids a captioning model
     * predicts.
     *
     * @return the pipeline's text tokenizer
     */
    Tokenizer tokenizer();

    /**
     * Tokenises captions as the model's text side does.
     *
     * @param captions the texts
     * @return {@code text_tokens} and {@code text_mask} fields
     */
    NDList tokenize(List<String> captions);

    /**
     * Runs the model in inference mode.
     *
     * @param batch named batch fields
     * @return named outputs
     */
    NDList forward(NDList batch);
}
