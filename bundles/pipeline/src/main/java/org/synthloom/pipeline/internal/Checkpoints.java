package org.synthloom.pipeline.internal;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.Locale;
import java.util.stream.Stream;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/**
 * Checkpoints of a training stage: model parameters, optimizer moments, the step and the data
 * position, in {@code checkpoints/step-NNNNNNNN/}. A checkpoint is written into a temporary
 * directory and renamed into place, so a killed process leaves only complete ones; the two newest
 * are kept.
 */
final class Checkpoints {

    private static final int KEPT = 2;

    /** What a resumed training needs besides the tensors. */
    record Position(int step, long samplesConsumed) {}

    private final StageDir dir;
    private final String name;
    private final Path root;

    Checkpoints(StageDir dir) throws IOException {
        this(dir, "checkpoints");
    }

    /**
     * @param dir the stage directory
     * @param name the subdirectory and manifest entry of this model's checkpoints (a stage may
     *     train several models)
     */
    Checkpoints(StageDir dir, String name) throws IOException {
        this.dir = dir;
        this.name = name;
        this.root = Files.createDirectories(dir.path().resolve(name));
        if (!dir.manifest().has(name)) {
            dir.manifest().add(name, new JsonArray());
        }
    }

    static String name(int step) {
        return String.format(Locale.ROOT, "step-%08d", step);
    }

    /** Writes a checkpoint after {@code position.step()} completed steps. */
    Path write(Block model, AdamW optimizer, Position position) throws IOException {
        String step = name(position.step());
        Path temporary = root.resolve(step + ".part");
        deleteTree(temporary);
        Files.createDirectories(temporary);
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(
                temporary.resolve("model.params"))))) {
            model.saveParameters(out);
        }
        Files.write(temporary.resolve("optimizer.ndlist"), optimizer.save());
        JsonObject state = new JsonObject();
        state.addProperty("step", position.step());
        state.addProperty("samples.consumed", position.samplesConsumed());
        Files.writeString(temporary.resolve("state.json"), StageDir.GSON.toJson(state));
        Path target = root.resolve(step);
        deleteTree(target);
        Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE);
        JsonArray list = dir.manifest().getAsJsonArray(name);
        JsonObject entry = new JsonObject();
        entry.addProperty("step", position.step());
        entry.addProperty("dir", name + "/" + step);
        entry.addProperty("samples.consumed", position.samplesConsumed());
        list.add(entry);
        while (list.size() > KEPT) {
            JsonObject oldest = list.remove(0).getAsJsonObject();
            deleteTree(dir.path().resolve(oldest.get("dir").getAsString()));
        }
        dir.save();
        return target;
    }

    /** @return the position of the newest complete checkpoint, or null if there is none */
    Position latest() throws IOException {
        JsonArray list = dir.manifest().getAsJsonArray(name);
        for (int i = list.size() - 1; i >= 0; i--) {
            Path path = dir.path().resolve(list.get(i).getAsJsonObject().get("dir").getAsString());
            if (Files.exists(path.resolve("state.json"))) {
                JsonObject state = JsonParser.parseString(Files.readString(path.resolve("state.json"))).getAsJsonObject();
                return new Position(state.get("step").getAsInt(), state.get("samples.consumed").getAsLong());
            }
        }
        return null;
    }

    /** Loads the parameters (and, given an optimizer, the moments) of the checkpoint at a step. */
    void restore(int step, Block model, NDManager manager, AdamW optimizer) throws IOException {
        Path path = root.resolve(name(step));
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(
                path.resolve("model.params"))))) {
            model.loadParameters(manager, in);
        } catch (MalformedModelException e) {
            throw new IOException("checkpoint " + path + " does not fit the model: " + e.getMessage(), e);
        }
        if (optimizer != null) {
            optimizer.load(Files.readAllBytes(path.resolve("optimizer.ndlist")));
        }
    }

    static void deleteTree(Path path) throws IOException {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(path)) {
            for (Path p : (Iterable<Path>) walk.sorted(Comparator.reverseOrder())::iterator) {
                Files.delete(p);
            }
        }
    }
}
