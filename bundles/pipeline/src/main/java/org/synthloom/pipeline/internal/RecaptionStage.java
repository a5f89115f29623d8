package org.synthloom.pipeline.internal;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import org.synthloom.api.data.Caption;
import org.synthloom.api.data.Sample;
import org.synthloom.api.generate.GenerationException;
import org.synthloom.api.generate.Recaptioner;

import com.google.gson.JsonObject;

/**
 * Rewrites the human training captions with the pipeline's recaptioner ({@code recaptioner.target},
 * CLIPS): the (fitted) recaptioner reads each human training sample as the pipeline prepared it (VQ
 * tokens when there is an image tokenizer) and its first caption, and the sample is written again
 * with the rewritten caption added after its own, its provenance synthetic and naming the
 * recaptioner. Training then reads these shards, so a batch takes the rewritten caption or one of
 * the originals. A sample without a caption is copied unchanged. The address covers the input
 * stage, the recaptioner's identity and fit, the seed and the shard size; the stage resumes after
 * its last complete shard ({@link ShardRewrite}) (the recaptioner's answer does not depend on how samples are batched).
 */
final class RecaptionStage {

    static final String NAME = "recaption";
    private RecaptionStage() {}

    static StageDir run(RunContext ctx, StageDir human, Bound<Recaptioner> recaptioner) throws IOException {
        PipelineSpec spec = ctx.spec;
        long seed = Hashes.seed(spec.seed, NAME);
        JsonObject parameters = new JsonObject();
        parameters.addProperty("human", human.address());
        parameters.addProperty("recaptioner", recaptioner.identity() + "|" + ctx.fits.address(recaptioner));
        parameters.addProperty("seed", seed);
        parameters.addProperty("shard.size", spec.shardSize);
        StageDir dir = ctx.stage(NAME, parameters);
        if (dir.complete()) {
            return dir;
        }
        Recaptioner fitted = ctx.fits.serving(recaptioner, Recaptioner.class);
        ShardRewrite.run(ctx, human, dir, NAME, recaptioner.identity(), chunk -> rewrite(recaptioner, fitted, chunk, seed));
        return dir;
    }

    /**
     * Adds the recaptioner's caption to every sample that has a caption.
     *
     * @throws StageFailure if the recaptioner throws or breaks its contract
     */
    static List<Sample> rewrite(Bound<Recaptioner> component, Recaptioner recaptioner, List<Sample> samples, long seed) {
        List<Sample> captioned = samples.stream().filter(s -> !s.captions().isEmpty()).toList();
        if (captioned.isEmpty()) {
            return samples;
        }
        List<Caption> captions;
        try {
            captions = recaptioner.recaption(captioned, seed);
        } catch (GenerationException | RuntimeException e) {
            throw new StageFailure(component.identity() + " could not rewrite captions: " + e.getMessage(),
                    component.identity(), e);
        }
        if (captions == null || captions.size() != captioned.size()) {
            throw new StageFailure(component.identity() + " returned " + (captions == null ? "null" : captions.size())
                    + " captions for " + captioned.size() + " samples", component.identity(), null);
        }
        List<Sample> out = new ArrayList<>(samples.size());
        int next = 0;
        for (Sample sample : samples) {
            if (sample.captions().isEmpty()) {
                out.add(sample);
                continue;
            }
            Caption caption = captions.get(next++);
            if (caption == null || !caption.provenance().isSynthetic()) {
                throw new StageFailure(component.identity() + " returned " + (caption == null ? "no caption"
                        : "a caption of provenance " + caption.provenance()) + " for sample " + sample.id()
                        + "; a rewritten caption is synthetic", component.identity(), null);
            }
            out.add(sample.toBuilder().caption(caption).build());
        }
        return out;
    }
}
