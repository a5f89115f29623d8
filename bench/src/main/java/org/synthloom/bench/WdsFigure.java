package org.synthloom.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;

import org.synthloom.api.data.Sample;
import org.synthloom.store.wds.ProblemLog;
import org.synthloom.store.wds.RawSample;
import org.synthloom.store.wds.SampleCodec;
import org.synthloom.store.wds.ShardStream;

/**
 * WebDataset read + decode throughput: the shards a pipeline run wrote (human and synthetic),
 * read in order by the store's {@link ShardStream} and decoded to pixels by {@link SampleCodec}, as
 * the training loop's loader does, on one thread.
 */
final class WdsFigure {

    private WdsFigure() {}

    /**
     * @param folders the shard folders of the pipeline run (human and synthetic; other runs of the
     *     same home may have written token-only shards, which are not this figure's)
     * @param passes how many times to read the shards (more passes, steadier figure)
     */
    static void measure(List<Path> folders, int passes, Figures figures) throws IOException {
        List<Path> shards = new java.util.ArrayList<>();
        for (Path folder : folders) {
            try (Stream<Path> files = Files.walk(folder)) {
                files.filter(p -> p.getFileName().toString().endsWith(".tar")).sorted().forEach(shards::add);
            }
        }
        if (shards.isEmpty()) {
            figures.na("wds.read_decode_samples_per_s", "the pipeline run wrote no shards under " + folders);
            return;
        }
        SampleCodec codec = SampleCodec.create("data").withPixelDecoding(true);
        ProblemLog problems = new ProblemLog();
        read(shards, codec, problems); // warm-up: JIT and page cache
        long samples = 0;
        long start = System.nanoTime();
        for (int i = 0; i < passes; i++) {
            samples += read(shards, codec, problems);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        figures.value("wds.read_decode_samples_per_s", samples / seconds, String.format(Locale.ROOT,
                "%d shards of the run (64x64 PNG + caption), ShardStream + SampleCodec to pixels, one thread,"
                        + " %d passes after a warm-up pass, %d problems", shards.size(), passes, problems.count()));
    }

    private static long read(List<Path> shards, SampleCodec codec, ProblemLog problems) throws IOException {
        long count = 0;
        try (ShardStream stream = new ShardStream(shards, 0, false, false, problems)) {
            for (Optional<RawSample> raw = stream.next(); raw.isPresent(); raw = stream.next()) {
                Sample sample = codec.decode(raw.get());
                if (sample.pixels().isEmpty()) {
                    throw new IOException("sample " + sample.id() + " decoded without pixels");
                }
                count++;
            }
        }
        return count;
    }
}
