package org.synthloom.models.internal;

import java.util.List;
import java.util.SplittableRandom;

import org.synthloom.api.model.Fields;
import org.synthloom.models.nn.Mlp;
import org.synthloom.models.nn.Params;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.ConstantInitializer;
import ai.djl.util.PairList;

/**
 * Masked image modelling with an EMA teacher (iBOT's patch loss, SynCLR's second loss): the part
 * of {@link ClipBlock} that exists when {@code mim.ratio > 0}.
 *
 * <p>A training pass ({@link #apply}) first moves the teacher toward the student,
 * {@code teacher <- m teacher + (1 - m) student} parameter by parameter, without gradient (at the
 * start of each training pass, which is the same as after each optimizer step); then draws a mask
 * of {@code round(ratio * N)} patches per image (at least one); runs the student with those patch
 * embeddings replaced by a learned mask token and applies the prediction head (an MLP, width to
 * width) to its patch features; runs the teacher on the full image and normalises each of its
 * patch tokens to mean 0 and variance 1 (LayerNorm without affine, as data2vec and iBOT's
 * centring do for targets). Outputs {@code mim_predictions} {@code (B, N, W)}, {@code mim_targets}
 * {@code (B, N, W)} (detached) and {@code mim_mask} (int32 {@code (B, N)}, 1 = masked).
 *
 * <p>The teacher is a second encoder block of the same architecture, a child of this block (so its
 * parameters are saved, loaded and hashed with the model), frozen ({@code requiresGradient()}
 * false): DJL's {@code ParameterStore.updateAllParameters} hands the optimizer only parameters that
 * require a gradient, so neither DJL's optimizers nor the engine's {@code AdamW} ever see it. A
 * freshly initialised teacher is a copy of the student.
 *
 * <p>Randomness: the masks are a pure function of a seed and a step counter, both frozen
 * parameters saved with the model. The seed is drawn from the engine's generator when the block
 * is initialised (after the engine has been seeded, so it follows the run's seed); the counter
 * counts training passes. A run resumed from a checkpoint therefore draws the masks the
 * uninterrupted run would have drawn; the engine's global generator, which a resumed run re-seeds,
 * could not promise that. The masks are drawn on the host ({@code B x N} numbers a step, the size
 * of a label array) and copied to the device once.
 */
final class MaskedImageModelling extends AbstractBlock {

    private static final byte VERSION = 1;
    /** Largest float32 integer that all smaller integers can be told apart from: seeds stay exact. */
    private static final float SEED_RANGE = 1 << 24;
    private static final float TARGET_EPSILON = 1e-6f;

    private final PatchEncoder student;
    private final PatchEncoder teacher;
    private final float ratio;
    private final float momentum;
    private final int patches;
    private final int masked;
    private final Parameter maskToken;
    private final Parameter seed;
    private final Parameter step;
    private final Mlp predictor;
    private final List<Parameter> studentParameters;
    private final List<Parameter> teacherParameters;

    /** The counter's array whose value {@link #counter} mirrors; another array (loaded) is read again. */
    private NDArray counted;
    private long seedValue;
    private long counter;

    /**
     * @param student the image encoder block of the model (not a child of this block: its parent registers it)
     * @param teacher a fresh block of the same architecture, which becomes the EMA teacher
     * @param ratio fraction of the patches masked, in {@code (0, 1)}
     * @param momentum EMA momentum, in {@code [0, 1]}
     */
    MaskedImageModelling(PatchEncoder student, PatchEncoder teacher, float ratio, float momentum) {
        super(VERSION);
        this.student = student;
        this.teacher = addChildBlock("teacher", teacher);
        this.ratio = ratio;
        this.momentum = momentum;
        this.patches = student.patchCount();
        this.masked = Math.max(1, Math.min(patches, Math.round(ratio * patches)));
        int width = student.patchWidth();
        maskToken = addParameter(Params.normal("mask_token", 0.02f, width));
        seed = addParameter(Parameter.builder().setName("mask_seed").setType(Parameter.Type.OTHER).optShape(new Shape())
                .optInitializer((manager, shape, type) -> manager.randomUniform(0f, SEED_RANGE, shape, type).floor())
                .optRequiresGrad(false).build());
        step = addParameter(Parameter.builder().setName("mask_step").setType(Parameter.Type.OTHER).optShape(new Shape())
                .optInitializer(new ConstantInitializer(0f)).optRequiresGrad(false).build());
        predictor = addChildBlock("predictor", new Mlp(width, width));
        teacher.freezeParameters(true);
        studentParameters = student.getParameters().values();
        teacherParameters = teacher.getParameters().values();
        if (!student.getParameters().keys().equals(teacher.getParameters().keys())) {
            throw new IllegalArgumentException("the MIM teacher must have the student's parameters, got "
                    + teacher.getParameters().keys() + " for " + student.getParameters().keys());
        }
    }

    /** @return the number of patches masked per image */
    int maskedPerImage() {
        return masked;
    }

    /**
     * One training pass of masked image modelling.
     *
     * @param store the parameter store of the pass
     * @param images float32 {@code (B, C, S, S)}
     * @return {@code mim_predictions}, {@code mim_targets}, {@code mim_mask}, named
     */
    NDList apply(ParameterStore store, NDArray images, boolean training) {
        updateTeacher();
        NDManager m = images.getManager();
        Device device = images.getDevice();
        int b = (int) images.getShape().get(0);
        NDArray mask = m.create(drawMask(b), new Shape(b, patches)).toDevice(device, false);
        NDArray token = store.getValue(maskToken, device, training);
        NDArray features = student.patchFeatures(store, images, mask, token, training);
        NDArray predictions = predictor.apply(store, features, training);
        predictions.setName(Fields.MIM_PREDICTIONS);
        NDArray targets = normalise(teacher.patchFeatures(store, images, null, null, false).stopGradient());
        targets.setName(Fields.MIM_TARGETS);
        NDArray maskOut = mask.toType(DataType.INT32, false);
        maskOut.setName(Fields.MIM_MASK);
        return new NDList(predictions, targets, maskOut);
    }

    /** Per-token LayerNorm without affine parameters; no gradient flows here. */
    private static NDArray normalise(NDArray x) {
        NDArray centred = x.sub(x.mean(new int[] {-1}, true));
        return centred.div(centred.square().mean(new int[] {-1}, true).add(TARGET_EPSILON).sqrt());
    }

    /** {@code teacher <- m teacher + (1 - m) student}, in place, outside the autograd graph. */
    private void updateTeacher() {
        NDArray first = teacherParameters.get(0).getArray();
        try (NDManager scope = first.getManager().newSubManager()) {
            for (int i = 0; i < teacherParameters.size(); i++) {
                NDArray t = teacherParameters.get(i).getArray();
                NDArray s = studentParameters.get(i).getArray().stopGradient();
                s.attach(scope);
                t.muli(momentum).addi(s.mul(1f - momentum));
            }
        }
    }

    /**
     * The mask of this training pass, {@code (B, N)} row-major, and the counter moved on (in the
     * saved parameter too). The seed and counter are read from their parameters once per array,
     * i.e. after initialisation or loading, not at every step.
     */
    private float[] drawMask(int b) {
        NDArray counterArray = step.getArray();
        if (counterArray != counted) {
            seedValue = (long) seed.getArray().getFloat();
            counter = (long) counterArray.getFloat();
            counted = counterArray;
        }
        SplittableRandom random = new SplittableRandom(seedValue * 0x9E3779B97F4A7C15L + counter);
        counter++;
        counterArray.addi(1f);
        float[] mask = new float[b * patches];
        int[] order = new int[patches];
        for (int row = 0; row < b; row++) {
            for (int i = 0; i < patches; i++) {
                order[i] = i;
            }
            // The first `masked` entries of a partial Fisher-Yates shuffle: a uniform subset.
            for (int i = 0; i < masked; i++) {
                int j = i + random.nextInt(patches - i);
                int swap = order[i];
                order[i] = order[j];
                order[j] = swap;
                mask[row * patches + order[i]] = 1f;
            }
        }
        return mask;
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
            PairList<String, Object> params) {
        return apply(store, inputs.head(), training);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape features = new Shape(inputShapes[0].get(0), patches, student.patchWidth());
        return new Shape[] {features, features, new Shape(inputShapes[0].get(0), patches)};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        // Loaded (or already initialised) teacher weights are the teacher's; only a new teacher starts as the student.
        boolean fresh = teacherParameters.stream().noneMatch(Parameter::isInitialized);
        teacher.initialize(manager, dataType, inputShapes[0]);
        predictor.initialize(manager, dataType, new Shape(inputShapes[0].get(0), patches, student.patchWidth()));
        if (fresh) {
            for (int i = 0; i < teacherParameters.size(); i++) {
                studentParameters.get(i).getArray().copyTo(teacherParameters.get(i).getArray());
            }
        }
    }
}
