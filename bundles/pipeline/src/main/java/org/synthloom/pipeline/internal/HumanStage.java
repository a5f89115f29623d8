package org.synthloom.pipeline.internal;

import java.io.IOException;
import java.util.Optional;

import org.synthloom.api.data.Dataset;
import org.synthloom.api.data.InputProblem;
import org.synthloom.api.data.Sample;
import org.synthloom.api.data.SampleSource;
import org.synthloom.store.wds.SampleCodec;
import org.synthloom.store.wds.ShardInfo;
import org.synthloom.store.wds.ShardWriter;

import com.google.gson.JsonObject;

/**
 * Writes the human training data the pipeline uses (the first {@code human.limit} samples of the
 * training split, resized) into shards, so that training reads human and synthetic data alike.
 * Resumes after the last complete shard.
 */
final class HumanStage {

    static final String NAME = "human";

    private HumanStage() {}

    static StageDir run(RunContext ctx) throws IOException {
        PipelineSpec spec = ctx.spec;
        Bound<Dataset> dataset = ctx.component(ctx.components.dataset, spec.datasetTarget, 0);
        JsonObject parameters = new JsonObject();
        parameters.addProperty("dataset", dataset.identity());
        parameters.addProperty("split", spec.trainSplit);
        parameters.addProperty("limit", spec.humanLimit);
        parameters.addProperty("image.size", spec.imageSize);
        parameters.addProperty("resize.mode", spec.resizeMode.name());
        parameters.addProperty("shard.size", spec.shardSize);
        StageDir dir = ctx.stage(NAME, parameters);
        if (dir.complete()) {
            return dir;
        }
        Shards shards = new Shards(dir);
        long done = shards.samples();
        long size = dataset.service().size(spec.trainSplit);
        long total = spec.humanLimit >= 0 ? (size >= 0 ? Math.min(size, spec.humanLimit) : spec.humanLimit) : size;
        RunContext.Progress progress = ctx.progress(NAME, done, Math.max(total, 0));
        SampleCodec codec = SampleCodec.create(dataset.name());
        try (SampleSource source = RunContext.unchecked("dataset " + dataset.identity() + " cannot open split '"
                + spec.trainSplit + "'", () -> dataset.service().open(spec.trainSplit));
                ShardWriter writer = new ShardWriter(dir.path(), NAME, spec.shardSize, shards.count(),
                        info -> shards.completed(info, dataset.identity()))) {
            for (long skipped = 0; skipped < done; skipped++) {
                if (source.next().isEmpty()) {
                    break;
                }
            }
            long written = done;
            try {
                while (spec.humanLimit < 0 || written < spec.humanLimit) {
                    ctx.control.boundary(written);
                    Optional<Sample> next = source.next();
                    if (next.isEmpty()) {
                        break;
                    }
                    writer.write(codec.encode(Images.fit(Keys.rename(next.get(), "hum", written), spec)));
                    written++;
                    progress.at(written);
                }
            } catch (RuntimeException | Error e) {
                writer.abandon();
                throw e;
            }
            for (InputProblem p : source.problems()) {
                ctx.problems.add(p.location(), p.entry(), p.reason());
            }
            if (written == 0) {
                throw new StageFailure("the training split '" + spec.trainSplit + "' of " + dataset.identity() + " is empty");
            }
        }
        dir.manifest().addProperty("samples", shards.samples());
        dir.markComplete();
        return dir;
    }

    /** The shards a stage directory holds, as its manifest lists them. */
    static final class Shards {
        private final StageDir dir;

        Shards(StageDir dir) {
            this.dir = dir;
            if (!dir.manifest().has("shards")) {
                dir.manifest().add("shards", new com.google.gson.JsonArray());
            }
        }

        int count() {
            return dir.manifest().getAsJsonArray("shards").size();
        }

        long samples() {
            long n = 0;
            for (var shard : dir.manifest().getAsJsonArray("shards")) {
                n += shard.getAsJsonObject().get("samples").getAsLong();
            }
            return n;
        }

        java.util.List<java.nio.file.Path> paths() {
            java.util.List<java.nio.file.Path> paths = new java.util.ArrayList<>();
            for (var shard : dir.manifest().getAsJsonArray("shards")) {
                paths.add(dir.path().resolve(shard.getAsJsonObject().get("file").getAsString()));
            }
            return paths;
        }

        /** Records a durable shard with the components that produced it. */
        void completed(ShardInfo info, String... producers) {
            JsonObject shard = new JsonObject();
            shard.addProperty("file", info.path().getFileName().toString());
            shard.addProperty("samples", info.samples());
            shard.addProperty("bytes", info.bytes());
            shard.addProperty("sha256", info.sha256());
            com.google.gson.JsonArray by = new com.google.gson.JsonArray();
            for (String p : producers) {
                by.add(p);
            }
            shard.add("produced.by", by);
            dir.manifest().getAsJsonArray("shards").add(shard);
            try {
                dir.save();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    }
}
