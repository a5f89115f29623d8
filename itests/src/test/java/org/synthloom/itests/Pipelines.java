package org.synthloom.itests;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/** Helpers for tests that run pipelines: their configuration files and what they wrote. */
public final class Pipelines {

    private Pipelines() {}

    /** Copies a test resource into a folder (atomically, as FileInstall should see files appear). */
    public static Path install(String resource, Path folder) throws IOException {
        Path target = folder.resolve(resource);
        Path partial = folder.resolve("." + resource + ".part");
        try (InputStream in = Pipelines.class.getResourceAsStream("/" + resource)) {
            Files.copy(in, partial, StandardCopyOption.REPLACE_EXISTING);
        }
        Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        return target;
    }

    /** Every complete shard of a stage family under a data directory: file name to SHA-256. */
    public static Map<String, String> shards(Path data, String stage) throws IOException {
        Map<String, String> hashes = new TreeMap<>();
        Path root = data.resolve("artifacts").resolve(stage);
        if (!Files.isDirectory(root)) {
            return hashes;
        }
        try (Stream<Path> manifests = Files.walk(root).filter(p -> p.getFileName().toString().equals("manifest.json"))) {
            for (Path manifest : (Iterable<Path>) manifests::iterator) {
                JsonObject json = JsonParser.parseString(Files.readString(manifest)).getAsJsonObject();
                if (json.has("shards")) {
                    json.getAsJsonArray("shards").forEach(s -> hashes.put(s.getAsJsonObject().get("file").getAsString(),
                            s.getAsJsonObject().get("sha256").getAsString()));
                }
            }
        }
        return hashes;
    }

    /** Deletes a directory tree. */
    public static void delete(Path path) throws IOException {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(path)) {
            for (Path p : (Iterable<Path>) walk.sorted(java.util.Comparator.reverseOrder())::iterator) {
                Files.delete(p);
            }
        }
    }
}
