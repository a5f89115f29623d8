package org.synthloom.store;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the interop script with a Python that has NumPy: Debian's {@code /usr/bin/python3} with
 * {@code python3-numpy} (which {@code ./synthloom test} installs), or the first {@code python3}
 * on the PATH that has it.
 */
public final class PythonWithNumpy {

    private static String python;

    private PythonWithNumpy() {}

    static synchronized String python() {
        if (python == null) {
            for (String candidate : new String[] {"/usr/bin/python3", "python3"}) {
                try {
                    Process p = new ProcessBuilder(candidate, "-c", "import numpy").redirectErrorStream(true).start();
                    if (p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0) {
                        python = candidate;
                        return python;
                    }
                } catch (IOException | InterruptedException e) {
                    // try the next one
                }
            }
            throw new IllegalStateException("no python3 with numpy found: install Debian's python3-numpy"
                    + " (./synthloom test does) to run the interop tests");
        }
        return python;
    }

    /**
     * Runs {@code wds_interop.py} with arguments.
     *
     * @return its standard output
     */
    public static String run(String... arguments) throws IOException, InterruptedException {
        Path script = Files.createTempFile("wds_interop", ".py");
        try (InputStream in = PythonWithNumpy.class.getResourceAsStream("/wds_interop.py")) {
            Files.copy(in, script, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        List<String> command = new ArrayList<>(List.of(python(), script.toString()));
        command.addAll(List.of(arguments));
        Process p = new ProcessBuilder(command).start();
        byte[] out = p.getInputStream().readAllBytes();
        byte[] err = p.getErrorStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("python failed: " + new String(err, StandardCharsets.UTF_8));
        }
        Files.deleteIfExists(script);
        return new String(out, StandardCharsets.UTF_8);
    }
}
