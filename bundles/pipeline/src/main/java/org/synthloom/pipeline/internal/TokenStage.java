package org.synthloom.pipeline.internal;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import org.synthloom.api.data.ImagePixels;
import org.synthloom.api.data.Sample;
import org.synthloom.api.data.TokenGrid;
import org.synthloom.api.model.ImageTokenizer;

import ai.djl.ndarray.NDManager;

import com.google.gson.JsonObject;

/**
 * Tokenizes the human training images with the pipeline's (fitted) image tokenizer: the human
 * shards again, each sample now also carrying its VQ token grid, so that token-space models and
 * generators read them without encoding at every epoch (Synth2's VLM reads cached tokens). Pixels
 * are kept for the gallery. Resumes after the last complete shard ({@link ShardRewrite}).
 */
final class TokenStage {

    static final String NAME = "tokens";
    private TokenStage() {}

    static StageDir run(RunContext ctx, StageDir human, Bound<ImageTokenizer> tokenizer) throws IOException {
        PipelineSpec spec = ctx.spec;
        JsonObject parameters = new JsonObject();
        parameters.addProperty("human", human.address());
        parameters.addProperty("image.tokenizer", tokenizer.identity() + "|" + ctx.fits.address(tokenizer));
        parameters.addProperty("shard.size", spec.shardSize);
        StageDir dir = ctx.stage(NAME, parameters);
        if (dir.complete()) {
            return dir;
        }
        ImageTokenizer fitted = ctx.fits.serving(tokenizer, ImageTokenizer.class);
        ShardRewrite.run(ctx, human, dir, NAME, tokenizer.identity(), chunk -> encode(ctx, tokenizer, fitted, chunk));
        return dir;
    }

    /**
     * Adds the token grid to every sample that has pixels and no tokens yet.
     *
     * @throws StageFailure if the tokenizer throws or breaks its contract
     */
    static List<Sample> encode(RunContext ctx, Bound<ImageTokenizer> component, ImageTokenizer tokenizer,
            List<Sample> samples) {
        List<Integer> missing = new ArrayList<>();
        List<ImagePixels> images = new ArrayList<>();
        for (int i = 0; i < samples.size(); i++) {
            Sample s = samples.get(i);
            if (s.tokens().isEmpty() && s.pixels().isPresent()) {
                missing.add(i);
                images.add(Images.fit(s, ctx.spec).pixels().orElseThrow());
            }
        }
        if (missing.isEmpty()) {
            return samples;
        }
        List<TokenGrid> grids;
        try (NDManager manager = ctx.devices.newManager(ctx.device)) {
            grids = tokenizer.encode(images, manager);
        } catch (RuntimeException e) {
            throw new StageFailure(component.identity() + " could not tokenize images: " + e, component.identity(), e);
        }
        if (grids == null || grids.size() != images.size()) {
            throw new StageFailure(component.identity() + " returned " + (grids == null ? "null" : grids.size())
                    + " token grids for " + images.size() + " images", component.identity(), null);
        }
        List<Sample> out = new ArrayList<>(samples);
        for (int j = 0; j < missing.size(); j++) {
            int i = missing.get(j);
            out.set(i, samples.get(i).toBuilder().tokens(grids.get(j)).build());
        }
        return out;
    }
}
