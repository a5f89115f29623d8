package org.synthloom.pipeline.internal;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.synthloom.api.data.ImageSpace;
import org.synthloom.api.data.Sample;
import org.synthloom.api.generate.GeneratedCaption;
import org.synthloom.api.generate.ImageGenerator;
import org.synthloom.api.model.ImageTokenizer;
import org.synthloom.api.generate.ImageRequest;
import org.synthloom.store.wds.SampleCodec;
import org.synthloom.store.wds.ShardWriter;

import ai.djl.ndarray.NDManager;

import com.google.gson.JsonObject;

/**
 * Asks the image generator for images of the synthetic captions, a generation batch at a time,
 * into shards. A shard holds whole batches, so a resumed stage restarts exactly at the first batch
 * of the first missing shard; each batch has its own seed, so the regenerated samples are the same.
 * The generator's declared output space is checked on every sample.
 */
final class ImageStage {

    static final String NAME = "images";

    private ImageStage() {}

    static StageDir run(RunContext ctx, StageDir captionsDir) throws IOException {
        PipelineSpec spec = ctx.spec;
        List<GeneratedCaption> captions = CaptionStage.read(captionsDir);
        Bound<ImageGenerator> first = ctx.component(ctx.components.generator, spec.generatorTarget, 0);
        JsonObject parameters = new JsonObject();
        parameters.addProperty("captions", captionsDir.address());
        parameters.addProperty("generator", first.identity() + ctx.fits.address(first));
        Bound<ImageTokenizer> imageTokenizer = ctx.imageTokenizer();
        if (imageTokenizer != null) {
            parameters.addProperty("image.tokenizer", imageTokenizer.identity() + "|" + ctx.fits.address(imageTokenizer));
        }
        parameters.addProperty("images.per.caption", spec.imagesPerCaption);
        parameters.addProperty("generation.batch", spec.generationBatch);
        parameters.addProperty("image.size", spec.imageSize);
        parameters.addProperty("resize.mode", spec.resizeMode.name());
        parameters.addProperty("shard.size", spec.shardSize);
        parameters.addProperty("seed", spec.seed);
        StageDir dir = ctx.stage(NAME, parameters);
        if (dir.complete()) {
            reportCost(ctx, dir);
            return dir;
        }
        HumanStage.Shards shards = new HumanStage.Shards(dir);
        int perBatch = spec.generationBatch * spec.imagesPerCaption;
        int batches = (captions.size() + spec.generationBatch - 1) / spec.generationBatch;
        int doneBatches = (int) (shards.samples() / perBatch);
        RunContext.Progress progress = ctx.progress(NAME, doneBatches, batches);
        SampleCodec codec = SampleCodec.create("synthetic");
        Set<String> producers = new LinkedHashSet<>();
        // Seconds spent generating (and tokenizing), for the cost of synthetic pairs per output space.
        double[] seconds = {dir.manifest().has("generation.seconds") ? dir.manifest().get("generation.seconds").getAsDouble()
                : 0};
        try (ShardWriter writer = new ShardWriter(dir.path(), "synthetic", spec.shardSize, shards.count(), info -> {
            shards.completed(info, producers.toArray(new String[0]));
            producers.clear();
        })) {
            try {
                for (int b = doneBatches; b < batches; b++) {
                    ctx.control.boundary(b);
                    List<GeneratedCaption> batch = captions.subList(b * spec.generationBatch,
                            Math.min(captions.size(), (b + 1) * spec.generationBatch));
                    long seed = Hashes.seed(spec.seed, NAME, b);
                    int index = b;
                    List<Sample> samples = ctx.call(ctx.components.generator, spec.generatorTarget, b, generator -> {
                        producers.add(generator.identity());
                        ImageGenerator serving = ctx.fits.serving(generator, ImageGenerator.class);
                        long started = System.nanoTime();
                        List<Sample> generated;
                        try (NDManager manager = ctx.devices.newManager(ctx.device)) {
                            generated = check(generator, serving.outputSpace(), serving.generate(
                                    new ImageRequest(batch, spec.imagesPerCaption, seed), manager),
                                    batch.size() * spec.imagesPerCaption, index);
                        }
                        if (imageTokenizer != null) {
                            // Pixel-space output for a token-space model: encoded here, and counted as generation cost.
                            generated = TokenStage.encode(ctx, imageTokenizer,
                                    ctx.fits.serving(imageTokenizer, ImageTokenizer.class), generated);
                        }
                        seconds[0] += (System.nanoTime() - started) / 1e9;
                        return generated;
                    });
                    samples = labelled(samples, batch, spec.imagesPerCaption);
                    for (int i = 0; i < samples.size(); i++) {
                        // Keys must be unique in a shard whatever ids a generator invents.
                        long key = (long) b * perBatch + i;
                        writer.write(codec.encode(Images.fit(Keys.rename(samples.get(i), "syn", key), spec)));
                    }
                    dir.manifest().addProperty("generation.seconds", seconds[0]);
                    progress.at(b + 1);
                }
            } catch (RuntimeException | Error e) {
                writer.abandon();
                throw e;
            }
        }
        dir.manifest().addProperty("samples", shards.samples());
        dir.markComplete();
        reportCost(ctx, dir);
        return dir;
    }

    /**
     * Gives each generated sample that has no label the concept it was generated for, so that
     * objectives and evaluators that read labels (the supervised baseline) can use synthetic data;
     * a label the generator set is kept. Samples come caption by caption (the generator's contract),
     * so sample {@code i} illustrates caption {@code i / imagesPerCaption}.
     *
     * @param samples a generation batch, {@code captions.size() * imagesPerCaption} samples
     * @param captions the batch's captions
     * @param imagesPerCaption images per caption
     * @return the samples, the unlabelled ones with their concept's name as label
     */
    static List<Sample> labelled(List<Sample> samples, List<GeneratedCaption> captions, int imagesPerCaption) {
        List<Sample> out = new ArrayList<>(samples.size());
        for (int i = 0; i < samples.size(); i++) {
            Sample sample = samples.get(i);
            out.add(sample.labels().isEmpty()
                    ? sample.toBuilder().label(captions.get(i / imagesPerCaption).concept().name()).build()
                    : sample);
        }
        return out;
    }

    /** Reports what the synthetic pairs cost, from the stage's manifest (also when it is reused). */
    private static void reportCost(RunContext ctx, StageDir dir) {
        JsonObject manifest = dir.manifest();
        if (!manifest.has("generation.seconds") || !manifest.has("samples")) {
            return;
        }
        double seconds = manifest.get("generation.seconds").getAsDouble();
        long pairs = manifest.get("samples").getAsLong();
        ctx.events.emit(org.synthloom.api.run.RunEvent.Type.METRIC, b -> b.message(NAME)
                .metric("synthetic_pairs", pairs).metric("generation_seconds", seconds)
                .metric("synthetic_pairs_per_second", seconds > 0 ? pairs / seconds : 0));
    }

    /** Holds the generator to its contract: the count asked for, in its declared output space. */
    private static List<Sample> check(Bound<ImageGenerator> generator, ImageSpace space, List<Sample> samples, int expected,
            int batch) {
        if (samples == null || samples.size() != expected) {
            throw new StageFailure(generator.identity() + " returned " + (samples == null ? "null" : samples.size())
                    + " samples for batch " + batch + ", " + expected + " were asked for", generator.identity(), null);
        }
        List<Sample> checked = new ArrayList<>(samples.size());
        for (Sample sample : samples) {
            if (!sample.hasImage(space)) {
                throw new StageFailure(generator.identity() + " declares output space " + space + " but sample "
                        + sample.id() + " has no image in it", generator.identity(), null);
            }
            if (!sample.imageProvenance().isSynthetic()) {
                throw new StageFailure(generator.identity() + " returned sample " + sample.id()
                        + " without synthetic provenance", generator.identity(), null);
            }
            checked.add(sample);
        }
        return checked;
    }
}
