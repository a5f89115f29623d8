package org.synthloom.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The PyTorch peer of clip-tiny: {@code bench/torch_clip_tiny.py} run by Debian's Python with
 * {@code python3-torch} and OpenBLAS ({@code libopenblas0-pthread}). One repetition is one process
 * (3 warm-up steps, then the timed steps); it prints its samples per second.
 */
final class Peer {

    private static final Pattern RESULT = Pattern.compile("samples_per_s=([0-9.]+)");
    private static final List<Path> OPENBLAS = List.of(
            Path.of("/usr/lib/x86_64-linux-gnu/openblas-pthread"), Path.of("/usr/lib/aarch64-linux-gnu/openblas-pthread"));

    private final Path script;
    private final String python;
    private final int threads;
    private String version = "";

    Peer(Path script, String python, int threads) {
        this.script = script;
        this.python = python;
        this.threads = threads;
    }

    /**
     * @return why the peer cannot run on this machine, or null if it can; the check imports torch
     *     once (a few seconds)
     */
    String unavailable() {
        if (!Files.isRegularFile(script)) {
            return "the peer script " + script + " is missing";
        }
        if (!Files.isExecutable(Path.of(python))) {
            return python + " not found: install Debian's python3 and python3-torch (./synthloom bench does, as root)";
        }
        if (OPENBLAS.stream().noneMatch(Files::isDirectory)) {
            // Without OpenBLAS Debian's torch uses the reference BLAS, about 10x slower: an unfair peer.
            return "libopenblas0-pthread is not installed (without it Debian's torch falls back to the reference BLAS,"
                    + " an unfair peer); apt-get install libopenblas0-pthread";
        }
        try {
            String out = run(List.of(python, "-c", "import torch; print(torch.__version__)"), 120);
            version = out.strip();
            return null;
        } catch (IOException e) {
            return "python3-torch is not usable (" + e.getMessage() + "); apt-get install python3-torch";
        }
    }

    /** @return torch's version, once {@link #unavailable()} said the peer can run */
    String version() {
        return version;
    }

    /**
     * Runs one repetition.
     *
     * @param steps timed steps
     * @return samples per second
     * @throws IOException if the peer fails or prints no result
     */
    double samplesPerSecond(int steps) throws IOException {
        String out = run(List.of(python, script.toString(), Integer.toString(threads), Integer.toString(steps)), 1800);
        Matcher m = RESULT.matcher(out);
        if (!m.find()) {
            throw new IOException("the peer printed no samples_per_s: " + out.strip());
        }
        return Double.parseDouble(m.group(1));
    }

    private static String run(List<String> command, int timeoutSeconds) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        Map<String, String> env = builder.environment();
        // The contract: the machine's OpenBLAS tuning variables are for other programs, not the peer.
        env.remove("OPENBLAS_CORETYPE");
        env.remove("OPENBLAS_L2_SIZE");
        Process process = builder.start();
        try {
            byte[] bytes = process.getInputStream().readAllBytes();
            if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException("timed out after " + timeoutSeconds + " s: " + String.join(" ", command));
            }
            String out = new String(bytes, StandardCharsets.UTF_8);
            if (process.exitValue() != 0) {
                String[] lines = out.strip().split("\n");
                throw new IOException("exit " + process.exitValue() + ": " + lines[lines.length - 1]);
            }
            return out;
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }
}
