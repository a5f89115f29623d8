package org.synthloom.pipeline.internal;

import java.io.IOException;
import java.util.List;
import java.util.function.UnaryOperator;

import org.synthloom.api.data.Dataset;
import org.synthloom.api.data.Sample;
import org.synthloom.api.data.SampleSource;
import org.synthloom.api.model.Fields;
import org.synthloom.api.model.Tokenizer;
import org.synthloom.api.train.EvaluationContext;
import org.synthloom.batch.BatchBuilder;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;

/**
 * What an evaluator sees: the trained model in inference mode, the evaluation data, and the
 * batching training uses (first caption, no augmentation). A batch that lacks some model input
 * (text only, to embed prompts; images only) is completed with placeholders, and the outputs that
 * depend on them are to be ignored.
 */
final class EngineEvaluationContext implements EvaluationContext {

    private final NDManager manager;
    private final Device device;
    private final Block model;
    private final List<String> inputs;
    private final BatchBuilder builder;
    private final UnaryOperator<List<Sample>> prepare;
    private final Dataset dataset;
    private final List<String> classNames;
    private final TrainStage.ModelShape shape;
    private final int imageSize;
    private final ParameterStore parameters;

    /**
     * @param prepare brings evaluation samples to what the model reads (image size, VQ tokens)
     */
    EngineEvaluationContext(NDManager manager, Device device, Block model, List<String> inputs, BatchBuilder builder,
            UnaryOperator<List<Sample>> prepare, Dataset dataset, List<String> classNames, TrainStage.ModelShape shape, int imageSize) {
        this.manager = manager;
        this.device = device;
        this.model = model;
        this.inputs = inputs;
        this.builder = builder;
        this.prepare = prepare;
        this.dataset = dataset;
        this.classNames = classNames;
        this.shape = shape;
        this.imageSize = imageSize;
        this.parameters = new ParameterStore(manager, false);
    }

    @Override
    public NDManager manager() {
        return manager;
    }

    @Override
    public List<String> classNames() {
        return classNames;
    }

    @Override
    public SampleSource open(String split) throws IOException {
        return dataset.open(split);
    }

    @Override
    public NDList toBatch(List<Sample> samples) {
        return builder.build(prepare.apply(samples), -1).toNDList(manager, device);
    }

    @Override
    public Tokenizer tokenizer() {
        return builder.tokenizer();
    }

    @Override
    public NDList tokenize(List<String> captions) {
        NDList all = builder.texts(captions).toNDList(manager, device);
        return new NDList(all.get(Fields.TEXT_TOKENS), all.get(Fields.TEXT_MASK));
    }

    @Override
    public NDList forward(NDList batch) {
        long size = batch.head().getShape().get(0);
        NDList ordered = new NDList(inputs.size());
        for (String name : inputs) {
            NDArray field = batch.get(name);
            if (field == null) {
                field = placeholder(name, size);
            }
            ordered.add(field);
        }
        return model.forward(parameters, ordered, false);
    }

    private NDArray placeholder(String name, long size) {
        NDArray array = switch (name) {
            case Fields.IMAGES -> manager.zeros(new Shape(size, 3, imageSize, imageSize), DataType.FLOAT32, device);
            case Fields.IMAGE_TOKENS -> manager.zeros(new Shape(size, shape.tokensPerImage()), DataType.INT32, device);
            case Fields.TEXT_TOKENS, Fields.TEXT_MASK -> {
                NDArray mask = manager.zeros(new Shape(size, shape.spec().contextLength()), DataType.INT32, device);
                mask.set(new ai.djl.ndarray.index.NDIndex(":, 0:2"), 1);
                yield mask;
            }
            default -> manager.zeros(new Shape(size), DataType.INT32, device);
        };
        array.setName(name);
        return array;
    }
}
