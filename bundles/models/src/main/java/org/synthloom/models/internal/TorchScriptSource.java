package org.synthloom.models.internal;

import java.nio.file.Path;

import org.synthloom.djl.DeviceService;

/**
 * What the {@code torchscript} encoders share: the resolved module file, its output width and
 * whether it trains, validated once; {@link #newBlock} loads the file on the runtime's default device.
 *
 * @param pid the component's PID, for messages
 * @param file the module file, absolute
 * @param outputDim the configured output width
 * @param trainable false to freeze the module
 * @param devices the DJL runtime, whose default device the module is loaded to
 */
record TorchScriptSource(String pid, Path file, int outputDim, boolean trainable, DeviceService devices) {

    /**
     * @param home what a relative path is resolved against
     * @throws IllegalArgumentException naming the PID and the property if the path is blank or
     *     invalid, or {@code output.dim} is not positive
     */
    static TorchScriptSource of(String pid, Path home, String path, int outputDim, boolean trainable,
            DeviceService devices) {
        Path file = TorchScriptBlock.resolve(pid, home, path);
        Checks.positive(pid, "output.dim", outputDim);
        return new TorchScriptSource(pid, file, outputDim, trainable, devices);
    }

    /** @return a new block with its own copy of the module, for images or for {@code (tokens, mask)} */
    TorchScriptBlock newBlock(boolean text) {
        return new TorchScriptBlock(pid, file, outputDim, trainable, text, devices.newManager(devices.defaultDevice()));
    }
}
