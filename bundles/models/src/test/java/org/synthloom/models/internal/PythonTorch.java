package org.synthloom.models.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@code torchscript_encoder.py} (a test resource) with a Python that has PyTorch: Debian's
 * {@code /usr/bin/python3} with {@code python3-torch} (which {@code ./synthloom test} installs), or
 * the first {@code python3} on the PATH that has it. Without one the tests fail and say so.
 */
final class PythonTorch {

    private static String python;

    private PythonTorch() {}

    private static synchronized String python() {
        if (python == null) {
            for (String candidate : new String[] {"/usr/bin/python3", "python3"}) {
                try {
                    Process p = new ProcessBuilder(candidate, "-c", "import torch").redirectErrorStream(true).start();
                    p.getInputStream().readAllBytes();
                    if (p.waitFor(120, TimeUnit.SECONDS) && p.exitValue() == 0) {
                        python = candidate;
                        return python;
                    }
                } catch (IOException | InterruptedException e) {
                    // try the next one
                }
            }
            throw new IllegalStateException("no python3 with torch found: install Debian's python3-torch"
                    + " (./synthloom test does) to run the TorchScript encoder tests");
        }
        return python;
    }

    /**
     * Writes {@code encoder.pt} and {@code reference.json} of a module into a folder.
     *
     * @param kind {@code image} or {@code text}
     * @param dir the folder
     */
    static void generate(String kind, Path dir) throws IOException, InterruptedException {
        Path script = dir.resolve("torchscript_encoder.py");
        try (InputStream in = PythonTorch.class.getResourceAsStream("/torchscript_encoder.py")) {
            Files.copy(in, script, StandardCopyOption.REPLACE_EXISTING);
        }
        Process p = new ProcessBuilder(python(), script.toString(), kind, dir.toString()).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(300, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("torchscript_encoder.py " + kind + " failed: "
                    + new String(out, StandardCharsets.UTF_8));
        }
    }
}
