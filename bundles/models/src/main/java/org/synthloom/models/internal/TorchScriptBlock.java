package org.synthloom.models.internal;

import java.io.DataInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.IValueUtils;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * A TorchScript module loaded from a file by DJL's PyTorch engine, as a block whose parameters
 * DJL's trainer, {@code saveParameters} and {@code loadParameters} see: the block of the
 * {@code torchscript} and {@code torchscript-text} encoders.
 *
 * <p>Forward input: images float32 {@code (B, C, H, W)}, or for text {@code NDList(tokens, mask)},
 * both {@code (B, T)}, handed to the module as int64. Output: {@code NDList(features)}, float32
 * {@code (B, outputDim)}; anything else the module returns is an error naming {@code output.dim}.
 *
 * <p>Parameters: each of the module's {@code named_parameters()} is a parameter of this block (same
 * name, e.g. {@code conv1.weight}) whose array <em>is</em> the module's tensor (same storage), so
 * that the optimizer's in-place updates are the module's weights. DJL's trainer asks its
 * {@link ParameterStore} for every parameter when it is initialised and updates what the store
 * holds; a training pass checks that the store holds the module's own arrays (not copies on another
 * device, which the module would never read). A frozen block ({@code trainable = false}) marks them as not requiring a gradient, the
 * mechanism that keeps the MIM teacher out of the optimizer: {@code ParameterStore.updateAllParameters}
 * skips them and autograd computes no gradient for them.
 *
 * <p>The module always runs in eval mode (as it was loaded), in training passes too: its buffers
 * (BatchNorm running statistics) never change, so the parameters are its whole trainable state and
 * what a checkpoint must hold; dropout inside the module is off. Saved parameters are DJL's format,
 * one array per module parameter; {@link #loadParameters} copies them <em>into</em> the module's
 * tensors rather than replacing the arrays, which would disconnect them from the module.
 *
 * <p>Memory: the module and its parameters live in an {@link NDManager} of this block. The block is
 * {@link AutoCloseable}; the first manager that initialises it (or loads parameters into it), the
 * model's, closes it when that manager closes.
 */
final class TorchScriptBlock extends AbstractBlock implements AutoCloseable {

    private static final byte VERSION = 1;

    private final String pid;
    private final Path file;
    private final int outputDim;
    private final boolean text;
    private final NDManager owner;
    private final PtSymbolBlock module;
    private final List<Parameter> moduleParameters = new ArrayList<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    /** This block's key among the resources of the manager that closes it. */
    private final String uid = UUID.randomUUID().toString();
    private NDManager closer;

    /**
     * Loads the module from the file; every call loads its own copy.
     *
     * @param pid the configuring component's PID, for messages
     * @param file the TorchScript file ({@code torch.jit.save})
     * @param outputDim the configured width of the features, checked when the block is initialised
     * @param trainable false to freeze the module's parameters
     * @param text true for a text module {@code (tokens, mask)}, false for an image module
     * @param manager a new PyTorch manager on the device the module is loaded to; the block owns it
     *     (and closes it if the module does not load)
     * @throws IllegalArgumentException naming the PID and the file if it is missing or not a
     *     TorchScript module the engine can load
     */
    TorchScriptBlock(String pid, Path file, int outputDim, boolean trainable, boolean text, NDManager manager) {
        super(VERSION);
        this.pid = pid;
        this.file = file;
        this.outputDim = outputDim;
        this.text = text;
        if (!Files.isRegularFile(file)) {
            manager.close();
            throw new IllegalArgumentException(pid + ": path = " + file
                    + " does not exist or is not a file (expected a TorchScript module saved with torch.jit.save)");
        }
        if (!(manager instanceof PtNDManager)) {
            manager.close();
            throw new IllegalArgumentException(pid + ": a TorchScript module needs DJL's PyTorch engine, the runtime's is "
                    + manager.getEngine().getEngineName());
        }
        try {
            // trainParam = true loads outside inference mode: tensors loaded in inference mode can
            // neither be trained nor updated in place. The module is left in eval mode.
            this.module = JniUtils.loadModule((PtNDManager) manager, file, true, new String[0], new String[0], true);
            for (NDArray array : JniUtils.moduleGetParams(module, (PtNDManager) manager)) {
                moduleParameters.add(addParameter(Parameter.builder().setName(array.getName())
                        .setType(Parameter.Type.OTHER).optArray(array).build()));
            }
        } catch (RuntimeException e) {
            manager.close();
            throw new IllegalArgumentException(pid + ": path = " + file + " is not a TorchScript module that DJL's"
                    + " PyTorch engine can load: " + firstLine(e.getMessage()), e);
        }
        this.owner = manager;
        // Sets requires_grad on the module's own tensors (the arrays share them) either way.
        freezeParameters(!trainable);
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "(no message)";
        }
        String line = message.strip();
        int end = line.indexOf('\n');
        return end < 0 ? line : line.substring(0, end);
    }

    /**
     * Resolves a configured module path: absolute paths stay, relative ones are taken below the
     * Synthloom home.
     *
     * @throws IllegalArgumentException naming the PID if the path is blank or invalid
     */
    static Path resolve(String pid, Path home, String configured) {
        if (configured == null || configured.isBlank()) {
            throw new IllegalArgumentException(pid + ": path is required: the TorchScript module file (.pt), absolute"
                    + " or relative to the Synthloom home " + home);
        }
        try {
            return home.toAbsolutePath().resolve(configured.strip()).normalize();
        } catch (InvalidPathException e) {
            throw new IllegalArgumentException(pid + ": path is not a valid path: '" + configured + "'", e);
        }
    }

    @Override
    protected NDList forwardInternal(ParameterStore parameterStore, NDList inputs, boolean training,
            PairList<String, Object> params) {
        int expected = text ? 2 : 1;
        if (inputs.size() != expected) {
            throw new IllegalArgumentException(pid + ": the module " + file.getFileName() + " takes "
                    + (text ? "(tokens, mask)" : "images") + ", got " + Inputs.describe(inputs));
        }
        if (!inputs.get(0).getDevice().equals(owner.getDevice())) {
            throw new IllegalArgumentException(pid + ": the module was loaded on " + owner.getDevice()
                    + " but its input is on " + inputs.get(0).getDevice());
        }
        if (training) {
            // The store updates the arrays it holds; the module reads its own tensors, so a copy
            // (another device, a copying store) would be trained in vain.
            for (Parameter parameter : moduleParameters) {
                if (parameterStore.getValue(parameter, owner.getDevice(), true) != parameter.getArray()) {
                    throw new IllegalStateException(pid + ": the parameter store copies " + parameter.getName()
                            + ", which a TorchScript module would not see; train on the module's device without copies");
                }
            }
        }
        NDList moduleInputs = text
                ? new NDList(inputs.get(0).toType(DataType.INT64, false), inputs.get(1).toType(DataType.INT64, false))
                : new NDList(inputs.get(0).toType(DataType.FLOAT32, false));
        NDList outputs = IValueUtils.forward(module, moduleInputs, training);
        Shape shape = outputs.size() == 1 ? outputs.get(0).getShape() : null;
        if (shape == null || shape.dimension() != 2 || shape.get(0) != inputs.get(0).getShape().get(0)
                || shape.get(1) != outputDim) {
            String got = Inputs.describe(outputs);
            outputs.close();
            throw new IllegalArgumentException(pid + ": output.dim = " + outputDim + " but the module " + file
                    + " maps " + Inputs.describe(inputs) + " to " + got + " (expected one (B, " + outputDim + ") array)");
        }
        NDArray features = outputs.get(0);
        if (!training) {
            // Inference passes run in libtorch's inference mode, whose tensors autograd refuses to
            // save; a clone made outside it is an ordinary tensor for the layers that follow.
            NDArray ordinary = features.duplicate();
            features.close();
            features = ordinary;
        }
        return new NDList(features.toType(DataType.FLOAT32, false));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[0].get(0), outputDim)};
    }

    /** Checks the module's real output width on one sample of the given shapes. */
    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        closeWith(manager);
        if (inputShapes.length != (text ? 2 : 1)) {
            throw new IllegalArgumentException(pid + ": the module is initialised with the shape of "
                    + (text ? "(tokens, mask)" : "images") + ", got " + Arrays.toString(inputShapes));
        }
        try (NDManager probe = owner.newSubManager()) {
            NDList sample = new NDList();
            for (Shape shape : inputShapes) {
                Shape one = new Shape(1).addAll(shape.slice(1));
                sample.add(text ? probe.ones(one, DataType.INT64) : probe.zeros(one, DataType.FLOAT32));
            }
            try {
                forwardInternal(new ParameterStore(probe, false), sample, false, null);
            } catch (RuntimeException e) {
                if (e instanceof IllegalArgumentException && e.getMessage() != null && e.getMessage().startsWith(pid)) {
                    throw e;
                }
                throw new IllegalArgumentException(pid + ": the module " + file + " fails on an input of shape "
                        + Arrays.toString(inputShapes) + ": " + firstLine(e.getMessage()), e);
            }
        }
    }

    /**
     * Reads parameters saved by {@link #saveParameters} and copies them into the module's tensors.
     *
     * @throws MalformedModelException if a saved parameter is missing, misnamed or of another shape
     */
    @Override
    public void loadParameters(NDManager manager, DataInputStream is) throws IOException, MalformedModelException {
        closeWith(manager);
        byte loadVersion = is.readByte();
        loadMetadata(loadVersion, is);
        try (NDManager scratch = owner.newSubManager()) {
            for (Parameter parameter : moduleParameters) {
                Parameter saved = Parameter.builder().setName(parameter.getName()).setType(Parameter.Type.OTHER).build();
                saved.load(scratch, is);
                NDArray source = saved.getArray();
                NDArray target = parameter.getArray();
                if (source == null || !source.getShape().equals(target.getShape())
                        || source.getDataType() != target.getDataType()) {
                    throw new MalformedModelException(pid + ": saved parameter " + parameter.getName() + " is "
                            + (source == null ? "empty" : source.getDataType() + " " + source.getShape()) + ", the module "
                            + file + " has " + target.getDataType() + " " + target.getShape());
                }
                copyInto(source, target, parameter.requiresGradient());
            }
        }
    }

    /**
     * Overwrites {@code target}'s values in place, keeping its storage (the module's). A leaf
     * that requires a gradient refuses in-place writes while autograd records, so the flag is
     * lowered for the copy.
     */
    private static void copyInto(NDArray source, NDArray target, boolean requiresGradient) {
        target.setRequiresGradient(false);
        try (NDArray flat = target.reshape(-1); NDArray values = source.reshape(-1)) {
            flat.set(new NDIndex(":"), values);
        } finally {
            target.setRequiresGradient(requiresGradient);
        }
    }

    /** Lets {@code manager} (the model's) close this block, once. */
    private synchronized void closeWith(NDManager manager) {
        if (closer == null && manager != null) {
            closer = manager;
            manager.attachInternal(uid, this);
        }
    }

    /** Frees the module and its parameters; the block cannot run afterwards. */
    @Override
    public void close() {
        if (closed.getAndSet(true)) {
            return;
        }
        module.close();
        owner.close();
        NDManager attached;
        synchronized (this) {
            attached = closer;
        }
        if (attached != null && attached.isOpen()) {
            attached.detachInternal(uid);
        }
    }
}
