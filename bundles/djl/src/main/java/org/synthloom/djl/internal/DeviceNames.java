package org.synthloom.djl.internal;

import java.util.Locale;

import ai.djl.Device;

/** Parses device names ({@code auto}, {@code cpu}, {@code gpu}, {@code gpu:N}) against the GPUs present. */
final class DeviceNames {

    private DeviceNames() {}

    static Device resolve(String name, int gpuCount) {
        if (name == null) {
            throw new IllegalArgumentException("no device named; " + choices(gpuCount));
        }
        String normalized = name.trim().toLowerCase(Locale.ROOT);
        switch (normalized) {
            case "auto":
                return gpuCount > 0 ? Device.gpu(0) : Device.cpu();
            case "cpu":
                return Device.cpu();
            case "gpu":
            case "cuda":
                return gpu(0, name, gpuCount);
            default:
                break;
        }
        int colon = normalized.indexOf(':');
        String kind = colon < 0 ? normalized : normalized.substring(0, colon);
        if (colon > 0 && (kind.equals("gpu") || kind.equals("cuda"))) {
            try {
                return gpu(Integer.parseInt(normalized.substring(colon + 1)), name, gpuCount);
            } catch (NumberFormatException e) {
                // falls through to the general message
            }
        }
        throw new IllegalArgumentException("device '" + name + "' is not one of auto, cpu, gpu, gpu:N; "
                + choices(gpuCount));
    }

    private static Device gpu(int index, String name, int gpuCount) {
        if (index < 0 || index >= gpuCount) {
            throw new IllegalArgumentException("device '" + name + "' is not available: " + choices(gpuCount));
        }
        return Device.gpu(index);
    }

    static String choices(int gpuCount) {
        if (gpuCount == 0) {
            return "this machine has no CUDA GPU, so only cpu (or auto) is available";
        }
        return "available: auto, cpu, " + (gpuCount == 1 ? "gpu:0" : "gpu:0 .. gpu:" + (gpuCount - 1));
    }
}
