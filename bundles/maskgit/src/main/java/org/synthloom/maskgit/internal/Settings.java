package org.synthloom.maskgit.internal;

import java.util.Locale;

import org.synthloom.api.data.ImageSpace;

import com.google.gson.JsonObject;

/**
 * The validated configuration of the generator: the architecture (what the saved parameters depend
 * on), the training and the decoding.
 *
 * @param width transformer width
 * @param depth layers
 * @param heads attention heads
 * @param mlpRatio MLP hidden width / width
 * @param steps training steps
 * @param batchSize pairs per step
 * @param learningRate peak learning rate
 * @param weightDecay AdamW weight decay
 * @param schedule the mask schedule
 * @param pUncond probability of training on the empty caption
 * @param decodingSteps steps of iterative decoding
 * @param temperature sampling temperature, 0 for the most likely token
 * @param confidenceNoise scale of the annealed Gumbel noise on the confidences
 * @param guidance classifier-free guidance weight, 0 for none
 * @param output the space generated images are emitted in
 */
record Settings(int width, int depth, int heads, int mlpRatio, int steps, int batchSize, double learningRate,
        double weightDecay, MaskSchedule schedule, double pUncond, int decodingSteps, double temperature,
        double confidenceNoise, double guidance, ImageSpace output) {

    /** Checks the values that are not already typed; the message names the PID, the property and the value. */
    Settings {
        positive("width", width);
        positive("depth", depth);
        positive("heads", heads);
        if (width % heads != 0) {
            throw bad("heads", heads, "must divide the width (" + width + ")");
        }
        positive("mlp.ratio", mlpRatio);
        positive("steps", steps);
        positive("batch.size", batchSize);
        if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
            throw bad("learning.rate", learningRate, "must be positive");
        }
        finiteNotNegative("weight.decay", weightDecay);
        if (!(pUncond >= 0 && pUncond < 1)) {
            throw bad("p.uncond", pUncond, "must be in [0, 1)");
        }
        positive("decoding.steps", decodingSteps);
        finiteNotNegative("temperature", temperature);
        finiteNotNegative("confidence.noise", confidenceNoise);
        finiteNotNegative("guidance", guidance);
        if (guidance > 0 && pUncond == 0) {
            throw bad("guidance", guidance, "needs an unconditional model: p.uncond must be positive");
        }
    }

    /**
     * @param c a configuration
     * @return its settings
     * @throws IllegalArgumentException naming the PID, the property and the value if one is bad
     */
    static Settings of(MaskGitConfig c) {
        MaskSchedule schedule = MaskSchedule.parse(c.mask_schedule());
        if (schedule == null) {
            throw bad("mask.schedule", "'" + c.mask_schedule() + "'", "must be cosine, linear or square");
        }
        String output = c.output() == null ? "" : c.output().trim().toLowerCase(Locale.ROOT);
        ImageSpace space = switch (output) {
            case "tokens" -> ImageSpace.TOKENS;
            case "pixels" -> ImageSpace.PIXELS;
            default -> throw bad("output", "'" + c.output() + "'", "must be tokens or pixels");
        };
        return new Settings(c.width(), c.depth(), c.heads(), c.mlp_ratio(), c.steps(), c.batch_size(), c.learning_rate(),
                c.weight_decay(), schedule, c.p_uncond(), c.decoding_steps(), c.temperature(), c.confidence_noise(),
                c.guidance(), space);
    }

    /** @return the MLP's hidden width */
    int hidden() {
        return width * mlpRatio;
    }

    /** @return the architecture as JSON, for the saved state (what its parameters mean) */
    JsonObject architecture() {
        JsonObject o = new JsonObject();
        o.addProperty("width", width);
        o.addProperty("depth", depth);
        o.addProperty("heads", heads);
        o.addProperty("mlp.ratio", mlpRatio);
        return o;
    }

    /** @return how the saved parameters were trained, for the record (loading does not check it) */
    JsonObject training() {
        JsonObject o = new JsonObject();
        o.addProperty("steps", steps);
        o.addProperty("batch.size", batchSize);
        o.addProperty("learning.rate", learningRate);
        o.addProperty("weight.decay", weightDecay);
        o.addProperty("mask.schedule", schedule.value());
        o.addProperty("p.uncond", pUncond);
        return o;
    }

    private static void positive(String property, int value) {
        if (value <= 0) {
            throw bad(property, value, "must be positive");
        }
    }

    private static void finiteNotNegative(String property, double value) {
        if (!(value >= 0) || Double.isInfinite(value)) {
            throw bad(property, value, "must be a finite number, not negative");
        }
    }

    private static IllegalArgumentException bad(String property, Object value, String rule) {
        return new IllegalArgumentException(MaskGit.PID + ": " + property + " " + rule + ", got " + value);
    }
}
