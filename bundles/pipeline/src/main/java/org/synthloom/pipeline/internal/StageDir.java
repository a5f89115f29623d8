package org.synthloom.pipeline.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.stream.Stream;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/**
 * A stage's output directory, addressed by the hash of everything that determines its content
 * (its parameters, the addresses of its inputs, the seed): a stage whose address exists complete
 * is skipped, and a stage interrupted halfway resumes in the same directory. Its
 * {@code manifest.json} records the lineage (parameters, the components that produced each part)
 * and the progress; it is rewritten atomically after each durable unit of work.
 */
final class StageDir {

    static final Gson GSON = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create();

    private final Path path;
    private final JsonObject manifest;

    private StageDir(Path path, JsonObject manifest) {
        this.path = path;
        this.manifest = manifest;
    }

    /**
     * Opens (creating if needed) the directory of a stage with the given parameters.
     *
     * @param root the stage family's directory, e.g. {@code data/artifacts/captions}
     * @param stage the stage name
     * @param parameters everything that determines the output
     */
    static StageDir open(Path root, String stage, JsonObject parameters) throws IOException {
        String address = Hashes.address(GSON.toJson(parameters));
        Path path = Files.createDirectories(root.resolve(address));
        Path manifestFile = path.resolve("manifest.json");
        JsonObject manifest;
        if (Files.exists(manifestFile)) {
            manifest = JsonParser.parseString(Files.readString(manifestFile)).getAsJsonObject();
        } else {
            manifest = new JsonObject();
            manifest.addProperty("stage", stage);
            manifest.addProperty("address", address);
            manifest.add("parameters", parameters);
            manifest.addProperty("complete", false);
        }
        // A killed writer may leave temporary files; they are redone.
        try (Stream<Path> files = Files.list(path)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                if (f.getFileName().toString().endsWith(".part")) {
                    Files.deleteIfExists(f);
                }
            }
        }
        return new StageDir(path, manifest);
    }

    Path path() {
        return path;
    }

    String address() {
        return manifest.get("address").getAsString();
    }

    JsonObject manifest() {
        return manifest;
    }

    boolean complete() {
        return manifest.get("complete").getAsBoolean();
    }

    /** Writes the manifest atomically (temporary file, then move). */
    synchronized void save() throws IOException {
        writeJson(path.resolve("manifest.json"), manifest);
    }

    /**
     * Writes JSON atomically: a temporary file beside the target, then a move, so that a reader
     * (the console, while the run writes) sees the old content or the new one, never a truncated file.
     */
    static void writeJson(Path file, JsonObject json) throws IOException {
        Path temporary = file.resolveSibling(file.getFileName() + ".part");
        Files.writeString(temporary, GSON.toJson(json), StandardCharsets.UTF_8);
        Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    void markComplete() throws IOException {
        manifest.addProperty("complete", true);
        save();
    }
}
