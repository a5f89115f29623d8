package org.synthloom.recaption.internal;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

import org.synthloom.api.model.Tokenizer;
import org.synthloom.models.nn.SavedParameters;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDManager;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonParseException;

/**
 * What a fit keeps in its directory: {@code recaption.params} (the block's parameters, written
 * atomically by {@link SavedParameters}) and then {@code recaption.json} (architecture, tokenizer
 * identity, parameter hash), whose presence means the state is complete. Loading refuses a model
 * saved for another architecture or tokenizer, naming what differs.
 */
final class SavedModel {

    static final String PARAMS = "recaption.params";
    static final String JSON = "recaption.json";
    private static final int FORMAT = 1;
    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create();
    /** Text whose ids fingerprint the tokenizer. */
    private static final String PROBE = "A small red circle, left of 2 BIG blue squares; on a striped grey backdrop!";

    /** The JSON document. */
    record Description(int format, RecaptionBlock.Architecture architecture, String tokenizer, String parameters) {}

    private SavedModel() {}

    /** @return a tokenizer's type, vocabulary, special ids and a hash of the ids of a probe text */
    static String tokenizerIdentity(Tokenizer tokenizer) {
        long h = 0xcbf29ce484222325L;
        for (int id : tokenizer.encode(PROBE)) {
            h = (h ^ id) * 0x100000001b3L;
        }
        return tokenizer.getClass().getName() + "/" + tokenizer.vocabularySize() + "/" + tokenizer.padId() + ","
                + tokenizer.startId() + "," + tokenizer.endId() + "/" + Long.toHexString(h);
    }

    /**
     * @return the block saved in {@code directory} for this architecture and tokenizer, its
     *     parameters in {@code manager}, or null if the directory holds no complete model
     * @throws IOException if the saved model is for another architecture or tokenizer, or cannot be read
     */
    static RecaptionBlock load(Path directory, RecaptionBlock.Architecture architecture, Tokenizer tokenizer,
            NDManager manager) throws IOException {
        Path json = directory.resolve(JSON);
        if (!Files.exists(json)) {
            return null;
        }
        Description saved;
        try {
            saved = GSON.fromJson(Files.readString(json, StandardCharsets.UTF_8), Description.class);
        } catch (JsonParseException e) {
            throw new IOException(json + " cannot be read: " + e.getMessage(), e);
        }
        if (saved == null || saved.format() != FORMAT || saved.architecture() == null) {
            throw new IOException(json + " is not a recaptioner of format " + FORMAT + ": delete the directory to train"
                    + " again");
        }
        String differs = !saved.architecture().equals(architecture) ? "architecture " + saved.architecture()
                + ", this fit wants " + architecture
                : !tokenizerIdentity(tokenizer).equals(saved.tokenizer()) ? "tokenizer " + saved.tokenizer()
                        + ", this fit has " + tokenizerIdentity(tokenizer) : null;
        if (differs != null) {
            throw new IOException(directory + " holds a recaptioner for another " + differs
                    + ": delete the directory to train again");
        }
        RecaptionBlock block = new RecaptionBlock(architecture);
        Path params = directory.resolve(PARAMS);
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(params)))) {
            block.loadParameters(manager, in);
        } catch (MalformedModelException | RuntimeException e) {
            throw new IOException(params + " does not fit the architecture " + architecture + ": " + e.getMessage(), e);
        }
        return block;
    }

    /**
     * Saves the parameters, then the description.
     *
     * @throws IOException if a file cannot be written
     */
    static void save(Path directory, RecaptionBlock block, Tokenizer tokenizer) throws IOException {
        String hash = SavedParameters.save(block, directory.resolve(PARAMS));
        Description d = new Description(FORMAT, block.architecture(), tokenizerIdentity(tokenizer), hash);
        Path json = directory.resolve(JSON);
        Path temporary = json.resolveSibling(JSON + ".tmp");
        Files.writeString(temporary, GSON.toJson(d), StandardCharsets.UTF_8);
        Files.move(temporary, json, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
