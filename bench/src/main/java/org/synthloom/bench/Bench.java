package org.synthloom.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;

/**
 * The bench command ({@code ./synthloom bench [--quick]}): measures every figure of the benchmark
 * contracts and prints them one line each (see {@link Figures}); progress goes to stderr. A figure
 * that cannot be measured is printed as {@code n/a (reason)} and the others are still measured.
 *
 * <p>Sections, in order, so that they do not compete for the cores: clip-tiny in this JVM,
 * alternating with its PyTorch peer and a 2048x2048 GEMM; then a runtime in a fresh home (start
 * time, hot swap, generation, a pipeline run, peak memory); then the shards that run wrote, read
 * and decoded here.
 */
public final class Bench {

    private static final String USAGE = """
            usage: ./synthloom bench [--quick] [options]
              --quick          smoke run: 1 repetition of 2 timed steps each side, a tiny pipeline instead of the demo
              --reps N         clip-tiny repetitions of each side, alternating (default 3; --quick 1)
              --steps N        timed clip-tiny steps per repetition, after 3 warm-up steps (default 10; --quick 2)
              --threads N      intra-op threads of libtorch and of the peer (default 2)
              --python PATH    the peer's Python (default /usr/bin/python3)
              --no-peer        skip the PyTorch peer
              --no-runtime     skip the figures that need a runtime (and the shards its run writes)
              --runtime JAR    the runtime launcher (default features/target/synthloom.jar)
              --profile FILE   also record one clip-tiny step with libtorch's profiler (Chrome trace)
            Prints one line per figure: 'bench <figure>: <value> <unit> (<how>)' or 'bench <figure>: n/a (<reason>)'.""";

    private Bench() {}

    /** Options of one bench invocation. */
    record Options(boolean quick, int reps, int steps, int threads, String python, boolean peer, boolean runtime,
            Path checkout, Path runtimeJar, String profile) {

        static Options parse(String[] args, Path checkout) {
            boolean quick = List.of(args).contains("--quick");
            int reps = quick ? 1 : 3;
            int steps = quick ? 2 : 10;
            int threads = 2;
            String python = "/usr/bin/python3";
            boolean peer = true;
            boolean runtime = true;
            Path jar = checkout.resolve("features/target/synthloom.jar");
            String profile = null;
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--quick" -> { }
                    case "--reps" -> reps = positive(args, ++i);
                    case "--steps" -> steps = positive(args, ++i);
                    case "--threads" -> threads = positive(args, ++i);
                    case "--python" -> python = value(args, ++i);
                    case "--no-peer" -> peer = false;
                    case "--no-runtime" -> runtime = false;
                    case "--runtime" -> jar = Path.of(value(args, ++i)).toAbsolutePath();
                    case "--profile" -> profile = value(args, ++i);
                    default -> throw new IllegalArgumentException("unknown bench option: " + args[i]);
                }
            }
            return new Options(quick, reps, steps, threads, python, peer, runtime, checkout, jar, profile);
        }

        private static String value(String[] args, int i) {
            if (i >= args.length) {
                throw new IllegalArgumentException(args[i - 1] + " needs a value");
            }
            return args[i];
        }

        private static int positive(String[] args, int i) {
            String v = value(args, i);
            try {
                int n = Integer.parseInt(v);
                if (n > 0) {
                    return n;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw new IllegalArgumentException(args[i - 1] + " needs a positive integer, got '" + v + "'");
        }
    }

    /**
     * @param args see {@code --help}; the checkout is the system property {@code synthloom.home}
     *     or the working directory
     */
    public static void main(String[] args) {
        if (List.of(args).contains("--help") || List.of(args).contains("-h")) {
            System.out.println(USAGE);
            return;
        }
        // DJL's engine logs (platform, CUDA probing) are noise between the progress lines.
        if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "error");
        }
        Options options;
        try {
            options = Options.parse(args, Path.of(System.getProperty("synthloom.home", "")).toAbsolutePath());
        } catch (IllegalArgumentException e) {
            System.err.println("synthloom bench: " + e.getMessage());
            System.err.println(USAGE);
            System.exit(2);
            return;
        }
        run(options, System.out, System.err);
        System.exit(0);
    }

    /**
     * Measures and prints every figure.
     *
     * @param out where the figure lines go
     * @param log where progress goes
     */
    static void run(Options options, PrintStream out, PrintStream log) {
        // Before DJL loads the engine: the contract's intra-op threads, and nothing downloaded.
        System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(options.threads()));
        System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
        System.setProperty("ai.djl.offline", "true");
        System.setProperty("OPT_OUT_TRACKING", "true");
        Figures figures = new Figures(out);
        long started = System.nanoTime();
        try {
            clipTiny(options, figures, log);
        } catch (Exception | LinkageError e) {
            figures.naIfMissing(keys("clip_tiny."), "clip-tiny failed: " + e);
        }
        try {
            clipsText(options, figures, log);
        } catch (Exception | LinkageError e) {
            figures.naIfMissing(keys("clips."), "clip-tiny with partial captions failed: " + e);
        }
        if (options.runtime()) {
            runtime(options, figures, log);
        } else {
            figures.naIfMissing(keys("synth.", "wds.", "train.", "runtime."), "skipped: --no-runtime");
        }
        log.printf(Locale.ROOT, "bench: done in %.0f s%n", (System.nanoTime() - started) / 1e9);
        figures.print();
    }

    private static List<String> keys(String... prefixes) {
        List<String> keys = new ArrayList<>();
        for (String key : Figures.KEYS.keySet()) {
            for (String prefix : prefixes) {
                if (key.startsWith(prefix)) {
                    keys.add(key);
                }
            }
        }
        return keys;
    }

    private static void clipTiny(Options options, Figures figures, PrintStream log) throws IOException {
        Peer peer = new Peer(options.checkout().resolve("bench/torch_clip_tiny.py"), options.python(), options.threads());
        String peerProblem = options.peer() ? peer.unavailable() : "skipped: --no-peer";
        if (peerProblem != null) {
            figures.na("clip_tiny.peer_samples_per_s", peerProblem);
            figures.na("clip_tiny.ratio_synthloom_to_peer", "no peer figure: " + peerProblem);
        }
        List<Double> ours = new ArrayList<>();
        List<Double> theirs = new ArrayList<>();
        List<Double> gemm = new ArrayList<>();
        String peerError = null;
        log.printf("bench: clip-tiny, %d repetitions x %d steps each side, %d threads%n", options.reps(),
                options.steps(), options.threads());
        try (ClipTiny clip = new ClipTiny()) {
            for (int i = 0; i < 3; i++) {
                clip.step(); // the contract's warm-up; the peer warms up in each of its processes
            }
            for (int rep = 0; rep < options.reps(); rep++) {
                for (int g = 0; g < 3; g++) {
                    gemm.add(clip.gemmGflops());
                }
                ours.add(clip.samplesPerSecond(options.steps()));
                log.printf(Locale.ROOT, "bench: clip-tiny synthloom %.1f samples/s, GEMM %.1f GFLOP/s%n",
                        ours.get(rep), gemm.get(gemm.size() - 1));
                if (peerProblem == null && peerError == null) {
                    try {
                        theirs.add(peer.samplesPerSecond(options.steps()));
                        log.printf(Locale.ROOT, "bench: clip-tiny peer %.1f samples/s%n", theirs.get(rep));
                    } catch (IOException e) {
                        peerError = "the peer failed: " + e.getMessage();
                    }
                }
            }
            if (options.profile() != null) {
                clip.profile(options.profile());
                log.println("bench: profile of one clip-tiny step in " + options.profile());
            }
        }
        String engine = "libtorch " + ClipTiny.engineVersion() + " via DJL";
        String how = String.format(Locale.ROOT, "%s, %d threads, batch %d, median of %d x %d steps after 3 warm-up steps",
                engine, options.threads(), ClipTiny.BATCH, options.reps(), options.steps());
        double median = Stats.median(ours);
        figures.value("clip_tiny.synthloom_samples_per_s", median, how);
        if (peerError != null) {
            figures.na("clip_tiny.peer_samples_per_s", peerError);
            figures.na("clip_tiny.ratio_synthloom_to_peer", peerError);
        } else if (peerProblem == null) {
            double peerMedian = Stats.median(theirs);
            figures.value("clip_tiny.peer_samples_per_s", peerMedian, String.format(Locale.ROOT,
                    "PyTorch %s eager (bench/torch_clip_tiny.py), %d threads, median of %d processes x %d steps,"
                            + " alternating with Synthloom", peer.version(), options.threads(), theirs.size(), options.steps()));
            figures.value("clip_tiny.ratio_synthloom_to_peer", median / peerMedian, "Synthloom median / peer median");
        }
        double ceiling = Stats.median(gemm);
        figures.value("clip_tiny.gemm_ceiling_gflop_per_s", ceiling, String.format(Locale.ROOT,
                "float32 %dx%d matmul, %s, %d threads, median of %d", ClipTiny.GEMM, ClipTiny.GEMM, engine,
                options.threads(), gemm.size()));
        double achieved = ClipTiny.stepFlop() * median / ClipTiny.BATCH / 1e9;
        figures.value("clip_tiny.step_fraction_of_gemm", achieved / ceiling, String.format(Locale.ROOT,
                "step %.1f GFLOP/s (%.1f GFLOP of matrix products per step, counted by hand) / GEMM ceiling",
                achieved, ClipTiny.stepFlop() / 1e9));
    }

    /**
     * CLIPS's throughput claim: clip-tiny with a text context of 64 trained on full captions (64
     * tokens) and on sub-captions of 32 and 16 tokens, repetitions alternating so that a drift of the
     * machine's speed hits every length alike.
     */
    private static void clipsText(Options options, Figures figures, PrintStream log) {
        int[] lengths = {64, 32, 16};
        int steps = Math.max(2, options.steps() / 2);
        List<List<Double>> rates = new ArrayList<>();
        for (int i = 0; i < lengths.length; i++) {
            rates.add(new ArrayList<>());
        }
        log.printf("bench: clip-tiny with 64-, 32- and 16-token captions, %d repetitions x %d steps each%n",
                options.reps(), steps);
        try (ClipTiny clip = new ClipTiny(lengths[0])) {
            for (int length : lengths) {
                clip.samplesPerSecond(1, length); // warm-up of each shape
            }
            for (int rep = 0; rep < options.reps(); rep++) {
                for (int i = 0; i < lengths.length; i++) {
                    rates.get(i).add(clip.samplesPerSecond(steps, lengths[i]));
                }
            }
        }
        double full = Stats.median(rates.get(0));
        for (int i = 0; i < lengths.length; i++) {
            double median = Stats.median(rates.get(i));
            figures.value("clips.samples_per_s_text_" + lengths[i], median, String.format(Locale.ROOT,
                    "clip-tiny with a 64-token text context, captions of %d tokens, batch %d, %d threads, median of"
                            + " %d x %d steps alternating with the other lengths; %.2fx the full captions' rate",
                    lengths[i], ClipTiny.BATCH, options.threads(), options.reps(), steps, median / full));
        }
    }

    private static void runtime(Options options, Figures figures, PrintStream log) {
        List<String> all = keys("synth.", "wds.", "train.", "runtime.");
        RuntimeFigures runtime;
        try {
            runtime = new RuntimeFigures(options.checkout(), options.runtimeJar(), figures, options.quick());
        } catch (IOException e) {
            figures.naIfMissing(all, "could not prepare a Synthloom home: " + e.getMessage());
            return;
        }
        String pipeline = options.quick() ? RuntimeFigures.QUICK_PIPELINE : defaultPipeline(options.checkout());
        try {
            try {
                log.println("bench: starting the runtime in " + runtime.home());
                runtime.start();
                log.println("bench: restarting the runtime in the same home");
                runtime.restart();
                log.println("bench: hot swap of the probe bundle");
                runtime.hotSwap();
                // the demo first: its peak memory is the figure, and the generation runs fit bigger models
                log.println("bench: pipeline " + pipeline);
                runtime.pipeline(pipeline);
                log.println("bench: token- and pixel-space generation (pipeline " + RuntimeFigures.SYNTH_PIPELINE
                        + ", after a warm-up run)");
                try {
                    runtime.synth();
                } catch (IOException e) {
                    figures.naIfMissing(keys("synth."), e.getMessage());
                }
            } catch (IOException | RuntimeException e) {
                figures.naIfMissing(keys("synth.", "train.", "runtime."), e.getMessage());
            } finally {
                runtime.close();
            }
            try {
                log.println("bench: reading and decoding the run's shards");
                WdsFigure.measure(runtime.demoShards(), options.quick() ? 1 : 3, figures);
            } catch (IOException | RuntimeException e) {
                figures.naIfMissing(keys("wds."), "reading the run's shards failed: " + e);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            figures.naIfMissing(all, "interrupted");
        } finally {
            figures.naIfMissing(all, "no pipeline run wrote shards to read");
            try {
                runtime.deleteHome();
            } catch (IOException e) {
                log.println("bench: could not delete " + runtime.home() + ": " + e.getMessage());
            }
        }
    }

    /** @return the checkout's default pipeline ({@code default.pipeline} of the runtime's configuration) */
    static String defaultPipeline(Path checkout) {
        Properties p = new Properties();
        try (var in = Files.newBufferedReader(checkout.resolve("runtime-config/org.synthloom.runtime.cfg"))) {
            p.load(in);
        } catch (IOException e) {
            return "shapes-clip";
        }
        return p.getProperty("default.pipeline", "shapes-clip").strip();
    }
}
