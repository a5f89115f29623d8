package org.synthloom.djl;

import org.osgi.annotation.versioning.ProviderType;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;

/**
 * The loaded PyTorch engine and the devices it can compute on.
 *
 * <p>Devices are named as in pipeline configurations: {@code auto} (the first GPU when CUDA is
 * present, else the CPU), {@code cpu}, {@code gpu} (the first GPU) or {@code gpu:N}.
 */
@ProviderType
public interface DeviceService {

    /** The device name that picks a GPU when one exists and the CPU otherwise. */
    String AUTO = "auto";

    /** @return the device configured as the default ({@code auto} unless configured otherwise) */
    Device defaultDevice();

    /**
     * Resolves a device name.
     *
     * @param name {@code auto}, {@code cpu}, {@code gpu} or {@code gpu:N}, in any case
     * @return the device
     * @throws IllegalArgumentException if the name is not one of those, or names a GPU this
     *     machine does not have; the message lists what is available
     */
    Device device(String name);

    /** @return the number of CUDA devices visible to the engine; 0 on a CPU-only machine */
    int gpuCount();

    /** @return the PyTorch engine */
    Engine engine();

    /**
     * Creates a root tensor manager on a device, in the PyTorch engine whatever the calling
     * thread's context class loader. Close it to free its memory.
     *
     * @param device where its arrays live
     * @return a new manager
     */
    NDManager newManager(Device device);

    /**
     * Opens a gradient recording scope on the calling thread.
     *
     * @return the scope; close it when the backward pass is done
     */
    GradientScope newGradientScope();

    /** @return a one-line description such as {@code PyTorch 2.7.1 (DJL 0.35.1), default device cpu()} */
    String describe();
}
