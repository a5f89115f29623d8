package org.synthloom.captionlm.internal;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

import org.synthloom.api.model.Tokenizer;
import org.synthloom.models.nn.SavedParameters;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDManager;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonParseException;

/**
 * What a fit keeps in its directory: {@code caption-lm.params} (the block's parameters, DJL's
 * format) and {@code caption-lm.json} (architecture, class names, tokenizer identity), written
 * last, each through a temporary file and a rename: the JSON's presence means the state is complete.
 * Loading checks that the saved model was made for the same architecture, classes and tokenizer,
 * so that a directory is never read by a model it does not fit.
 */
final class SavedModel {

    static final String PARAMS = "caption-lm.params";
    static final String JSON = "caption-lm.json";
    private static final int FORMAT = 1;
    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create();
    /** Text whose ids, with the class names, fingerprint the tokenizer. */
    private static final String PROBE = "A small red circle, left of 2 BIG blue squares; on a striped grey backdrop!";

    /** The JSON document. */
    record Description(int format, CaptionLmBlock.Architecture architecture, List<String> classes,
            TokenizerIdentity tokenizer) {}

    /** Enough of a tokenizer to tell another one apart: type, sizes, special ids, the ids of a probe. */
    record TokenizerIdentity(String type, int vocabularySize, int pad, int start, int end, long fingerprint) {

        static TokenizerIdentity of(Tokenizer tokenizer, List<String> classes) {
            long h = 0xcbf29ce484222325L;
            for (int id : tokenizer.encode(PROBE + " " + String.join(" | ", classes))) {
                h = (h ^ id) * 0x100000001b3L;
            }
            return new TokenizerIdentity(tokenizer.getClass().getName(), tokenizer.vocabularySize(), tokenizer.padId(),
                    tokenizer.startId(), tokenizer.endId(), h);
        }
    }

    private SavedModel() {}

    /**
     * @param directory the fit's directory
     * @return the description of the complete model saved there, or null if there is none
     * @throws IOException if the description cannot be read
     */
    static Description find(Path directory) throws IOException {
        Path json = directory.resolve(JSON);
        if (!Files.exists(json)) {
            return null;
        }
        try {
            Description d = GSON.fromJson(Files.readString(json, StandardCharsets.UTF_8), Description.class);
            if (d == null || d.format() != FORMAT || d.architecture() == null || d.classes() == null
                    || d.tokenizer() == null || !Files.exists(directory.resolve(PARAMS))) {
                throw new IOException(json + " is not a complete caption model of format " + FORMAT
                        + ": delete the directory to train again");
            }
            return d;
        } catch (JsonParseException e) {
            throw new IOException(json + " cannot be read: " + e.getMessage(), e);
        }
    }

    /**
     * Checks that a saved model is the one this fit would train.
     *
     * @throws IOException naming what differs
     */
    static void check(Path directory, Description saved, Description wanted) throws IOException {
        String what = !saved.architecture().equals(wanted.architecture()) ? "architecture " + saved.architecture()
                + ", this fit wants " + wanted.architecture()
                : !saved.classes().equals(wanted.classes()) ? "classes " + saved.classes() + ", this fit has "
                        + wanted.classes()
                : !saved.tokenizer().equals(wanted.tokenizer()) ? "tokenizer " + saved.tokenizer()
                        + ", this fit has " + wanted.tokenizer()
                : null;
        if (what != null) {
            throw new IOException(directory + " holds a caption model for another " + what
                    + ": delete the directory to train again");
        }
    }

    /**
     * Loads the parameters into a block built for the saved architecture.
     *
     * @param manager where the parameters will live
     * @return the block
     * @throws IOException if the parameters cannot be read or do not fit
     */
    static CaptionLmBlock load(Path directory, Description saved, NDManager manager) throws IOException {
        CaptionLmBlock block = new CaptionLmBlock(saved.architecture());
        Path params = directory.resolve(PARAMS);
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(params)))) {
            block.loadParameters(manager, in);
        } catch (MalformedModelException | RuntimeException e) {
            throw new IOException(params + " does not fit the architecture " + saved.architecture() + ": " + e.getMessage(),
                    e);
        }
        return block;
    }

    /**
     * Saves the parameters, then the description (each written whole or not at all, so a killed
     * process leaves either a complete model or none that {@link #find} accepts).
     *
     * @throws IOException if a file cannot be written
     */
    static void save(Path directory, CaptionLmBlock block, Description description) throws IOException {
        SavedParameters.save(block, directory.resolve(PARAMS));
        Path json = directory.resolve(JSON);
        Path temporary = json.resolveSibling(json.getFileName() + ".tmp");
        Files.writeString(temporary, GSON.toJson(description), StandardCharsets.UTF_8);
        Files.move(temporary, json, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** @return a description of a model, for saving or comparing */
    static Description describe(CaptionLmBlock.Architecture architecture, List<String> classes, Tokenizer tokenizer) {
        return new Description(FORMAT, architecture, List.copyOf(classes), TokenizerIdentity.of(tokenizer, classes));
    }
}
