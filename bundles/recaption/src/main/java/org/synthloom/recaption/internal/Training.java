package org.synthloom.recaption.internal;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.function.LongConsumer;

import org.synthloom.api.model.Tokenizer;
import org.synthloom.api.train.TrainingOptions;
import org.synthloom.djl.DeviceService;
import org.synthloom.djl.GradientScope;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;

/**
 * The recaptioner's training loop: AdamW with linear warm-up and cosine decay over caption pairs
 * drawn in a shuffled order (reshuffled each pass, seeded), the generative next-token loss on the
 * target caption.
 *
 * <p>Why a loop of its own and not {@link org.synthloom.api.train.FitContext#train}: the engine's
 * batches carry one caption per sample, and a recaptioner learns from two captions of the same
 * image at once (the web caption it reads and the caption it writes). A killed fit therefore
 * trains again from the start (minutes at the sizes it is meant for); the trained model is saved and
 * reused.
 */
final class Training {

    private Training() {}

    /**
     * Trains a block in place; its parameters live in {@code holder}'s manager.
     *
     * @param progress told the number of steps done after each step
     * @return the loss of every step
     */
    static List<Double> train(Model holder, RecaptionBlock block, Examples examples, Tokenizer tokenizer,
            TrainingOptions options, long seed, DeviceService devices, Device device, LongConsumer progress) {
        RecaptionBlock.Architecture a = block.architecture();
        int context = a.captionContext();
        int batch = options.batchSize();
        holder.setBlock(block);
        devices.engine().setRandomSeed((int) (seed ^ (seed >>> 32)));
        Tracker cosine = Tracker.cosine().setBaseValue((float) options.learningRate()).optFinalValue(0)
                .setMaxUpdates(options.steps()).build();
        Tracker rate = options.warmupSteps() == 0 ? cosine : Tracker.warmUp().optWarmUpBeginValue(0)
                .optWarmUpSteps(options.warmupSteps()).setMainTracker(cosine).build();
        Optimizer optimizer = Optimizer.adamW().optLearningRateTracker(rate)
                .optWeightDecays((float) options.weightDecay()).build();
        Shape[] shapes = {new Shape(batch, a.imageTokens()), new Shape(batch, context), new Shape(batch, context),
            new Shape(batch, context - 1)};
        List<Double> losses = new ArrayList<>(options.steps());
        List<Examples.Pair> order = new ArrayList<>(examples.pairs);
        Random random = new Random(seed);
        int cursor = order.size();
        int[] image = new int[batch * a.imageTokens()];
        int[] web = new int[batch * context];
        int[] webMask = new int[batch * context];
        int[] target = new int[batch * context];
        int[] targetMask = new int[batch * context];
        int[] input = new int[batch * (context - 1)];
        long[] next = new long[batch * (context - 1)];
        try (Trainer trainer = holder.newTrainer(new DefaultTrainingConfig(Loss.l2Loss()).optOptimizer(optimizer)
                .optDevices(new Device[] {device}))) {
            trainer.initialize(shapes);
            for (int step = 0; step < options.steps(); step++) {
                for (int row = 0; row < batch; row++) {
                    if (cursor == order.size()) {
                        Collections.shuffle(order, random);
                        cursor = 0;
                    }
                    Examples.Pair pair = order.get(cursor++);
                    Examples.Image im = examples.images.get(pair.image());
                    System.arraycopy(im.tokens(), 0, image, row * a.imageTokens(), a.imageTokens());
                    Examples.write(tokenizer, im.captions().get(pair.web()), web, webMask, row, context);
                    Examples.write(tokenizer, im.captions().get(pair.target()), target, targetMask, row, context);
                    // Input: the target without its last position; labels: shifted by one, -1 at padding.
                    for (int t = 0; t < context - 1; t++) {
                        input[row * (context - 1) + t] = target[row * context + t];
                        int j = row * context + t + 1;
                        next[row * (context - 1) + t] = targetMask[j] == 1 ? target[j] : -1;
                    }
                }
                try (NDManager scope = trainer.getManager().newSubManager(device);
                        GradientScope gradients = devices.newGradientScope()) {
                    NDArray logits = trainer.forward(new NDList(
                            scope.create(image, new Shape(batch, a.imageTokens())),
                            scope.create(web, new Shape(batch, context)),
                            scope.create(webMask, new Shape(batch, context)),
                            scope.create(input, new Shape(batch, context - 1)))).singletonOrThrow();
                    NDArray loss = nextTokenLoss(logits, scope.create(next, new Shape(batch, context - 1)));
                    gradients.backward(loss);
                    losses.add((double) loss.getFloat());
                }
                trainer.step();
                progress.accept(step + 1);
            }
        }
        return losses;
    }

    /**
     * The generative loss: mean next-token cross-entropy over the positions whose target is not
     * {@code -1} (the loss of the {@code caption} objective).
     *
     * @param logits {@code (B, T, V)}
     * @param targets int64 {@code (B, T)}, {@code -1} where there is nothing to predict
     * @return the scalar loss
     */
    static NDArray nextTokenLoss(NDArray logits, NDArray targets) {
        NDArray valid = targets.gte(0);
        NDArray weights = valid.toType(DataType.FLOAT32, false);
        // Ignored positions gather token 0 and are then weighted 0: no gradient reaches them.
        NDArray safe = targets.mul(valid.toType(DataType.INT64, false)).expandDims(2);
        NDArray nll = logits.logSoftmax(2).gather(safe, 2).squeeze(2).neg().mul(weights);
        return nll.sum().div(weights.sum().maximum(1f));
    }
}
