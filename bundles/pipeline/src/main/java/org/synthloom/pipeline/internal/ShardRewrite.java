package org.synthloom.pipeline.internal;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

import org.synthloom.api.data.Sample;
import org.synthloom.store.wds.DecodingSource;
import org.synthloom.store.wds.SampleCodec;
import org.synthloom.store.wds.ShardWriter;

/**
 * A stage whose output is another stage's human shards passed, a chunk of samples at a time,
 * through a fitted component (the {@code tokens} and {@code recaption} stages): reads the input's
 * shards in order, writes durable shards of the rewritten samples, resumes after the output's last
 * complete shard, reports progress, and stops at chunk boundaries when the run is paused or
 * cancelled. The rewrite must keep the number and order of samples and must not depend on how
 * samples are chunked, so that a resumed stage writes what an uninterrupted one would.
 */
final class ShardRewrite {

    /**
     * Samples rewritten per call, at most; a call also takes at most a shard, so that a pause or
     * cancel waits for one shard's work at most. Bounds memory, not the result.
     */
    private static final int CHUNK = 64;

    private ShardRewrite() {}

    /**
     * Completes {@code output} (its manifest's {@code samples}, then complete) from {@code input}.
     *
     * @param name     the stage's name: shard prefix and progress label
     * @param producer the component identity recorded for every shard
     * @param rewrite  the samples of one chunk to their rewritten versions, same count and order
     */
    static void run(RunContext ctx, StageDir input, StageDir output, String name, String producer,
            UnaryOperator<List<Sample>> rewrite) throws IOException {
        int shardSize = ctx.spec.shardSize;
        HumanStage.Shards shards = new HumanStage.Shards(output);
        long done = shards.samples();
        long total = input.manifest().has("samples") ? input.manifest().get("samples").getAsLong() : 0;
        RunContext.Progress progress = ctx.progress(name, done, total);
        SampleCodec codec = SampleCodec.create("human");
        try (DecodingSource source = DecodingSource.of(new HumanStage.Shards(input).paths(), codec);
                ShardWriter writer = new ShardWriter(output.path(), name, shardSize, shards.count(),
                        info -> shards.completed(info, producer))) {
            for (long skipped = 0; skipped < done; skipped++) {
                if (source.next().isEmpty()) {
                    break;
                }
            }
            long written = done;
            try {
                int size = Math.min(CHUNK, shardSize);
                List<Sample> chunk = new ArrayList<>(size);
                while (true) {
                    ctx.control.boundary(written);
                    chunk.clear();
                    for (Optional<Sample> next = source.next(); next.isPresent(); next = source.next()) {
                        chunk.add(next.get());
                        if (chunk.size() == size) {
                            break;
                        }
                    }
                    if (chunk.isEmpty()) {
                        break;
                    }
                    for (Sample sample : rewrite.apply(chunk)) {
                        writer.write(codec.encode(sample));
                    }
                    written += chunk.size();
                    progress.at(written);
                }
            } catch (RuntimeException | Error e) {
                writer.abandon();
                throw e;
            }
        }
        output.manifest().addProperty("samples", shards.samples());
        output.markComplete();
    }
}
