package org.synthloom.tokenizers.internal;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.synthloom.api.SynthloomPlugin;
import org.synthloom.api.model.Tokenizer;
import org.synthloom.djl.DeviceService;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;

/**
 * The {@code huggingface} tokenizer: a Hugging Face {@code tokenizer.json} from local disk (any
 * model the Rust library knows: BPE, WordPiece, WordLevel, Unigram, with its normalizer,
 * pre-tokenizer and decoder), run by DJL's binding. DJL's tokenizer classes and their native
 * library live in the {@code djl} bundle, which is never updated, because a native library binds
 * to one class loader; this bundle imports them and may be updated live.
 *
 * <p>{@link #encode} adds no special tokens and neither truncates nor pads. The vocabulary size and
 * the special ids are read from the file: the largest id of the model's vocabulary and the added
 * tokens, plus one; the pad, start and end tokens as configured, else the first of the usual
 * names the file has.
 */
@Component(service = Tokenizer.class, configurationPid = HfTokenizer.PID)
@SynthloomPlugin(kind = Tokenizer.KIND, name = HfTokenizer.NAME)
@Designate(ocd = HfConfig.class)
public class HfTokenizer implements Tokenizer {

    static final String PID = "org.synthloom.tokenizers.huggingface";
    static final String NAME = "huggingface";
    private static final Logger LOG = LoggerFactory.getLogger(HfTokenizer.class);
    private static final List<String> PADS = List.of("<pad>", "[PAD]", "<|pad|>", "<|endoftext|>", "</s>");
    private static final List<String> STARTS = List.of("<s>", "[CLS]", "<|startoftext|>", "<bos>", "<|begin_of_text|>",
            "<|endoftext|>");
    private static final List<String> ENDS = List.of("</s>", "[SEP]", "<|endoftext|>", "<eos>", "<|end_of_text|>");

    private final HuggingFaceTokenizer tokenizer;
    private final int vocabularySize;
    private final int pad;
    private final int start;
    private final int end;

    /**
     * @param context the bundle's context (the Synthloom home)
     * @param config the configuration
     * @param devices the DJL runtime: referenced so that DJL is loaded, offline, before this component
     */
    @Activate
    public HfTokenizer(BundleContext context, HfConfig config, @Reference DeviceService devices) {
        this(Home.of(context), config);
    }

    HfTokenizer(Path home, HfConfig config) {
        if (config.file().isBlank()) {
            tokenizer = null;
            vocabularySize = pad = start = end = 0;
            return;
        }
        Path file = home.resolve(config.file().strip()).normalize();
        if (Files.isDirectory(file)) {
            file = file.resolve("tokenizer.json");
        }
        Map<String, Integer> vocabulary = vocabulary(file);
        this.vocabularySize = vocabulary.values().stream().mapToInt(Integer::intValue).max().orElse(-1) + 1;
        this.pad = special(vocabulary, config.pad_token(), PADS, "pad.token", file);
        this.start = special(vocabulary, config.start_token(), STARTS, "start.token", file);
        this.end = special(vocabulary, config.end_token(), ENDS, "end.token", file);
        this.tokenizer = open(file);
        LOG.info("{}: {} ids from {} (pad {}, start {}, end {})", NAME, vocabularySize, file, pad, start, end);
    }

    /**
     * Loads the tokenizer through DJL. DJL finds its native library's properties and binary through
     * the thread's context class loader; in OSGi that must be the loader of the bundle that holds
     * them, the one that loaded DJL's classes.
     */
    private static HuggingFaceTokenizer open(Path file) {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(HuggingFaceTokenizer.class.getClassLoader());
        try {
            return HuggingFaceTokenizer.newInstance(file, Map.of("addSpecialTokens", "false", "truncation", "false",
                    "padding", "false"));
        } catch (IOException | RuntimeException | LinkageError e) {
            throw new IllegalArgumentException(PID + ": file " + file + " cannot be loaded by DJL's tokenizers: " + e, e);
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    /** Token to id over the model's vocabulary and the added tokens. */
    static Map<String, Integer> vocabulary(Path file) {
        Map<String, Integer> ids = new HashMap<>();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            JsonObject root = JsonParser.parseReader(r).getAsJsonObject();
            JsonObject model = root.getAsJsonObject("model");
            JsonElement vocab = model == null ? null : model.get("vocab");
            if (vocab != null && vocab.isJsonObject()) {
                vocab.getAsJsonObject().entrySet().forEach(e -> ids.put(e.getKey(), e.getValue().getAsInt()));
            } else if (vocab != null && vocab.isJsonArray()) {
                // Unigram: [[piece, score], ...], the id is the position
                JsonArray pieces = vocab.getAsJsonArray();
                for (int i = 0; i < pieces.size(); i++) {
                    ids.put(pieces.get(i).getAsJsonArray().get(0).getAsString(), i);
                }
            } else {
                throw new IllegalArgumentException("it has no model.vocab");
            }
            JsonArray added = root.getAsJsonArray("added_tokens");
            if (added != null) {
                for (JsonElement token : added) {
                    JsonObject t = token.getAsJsonObject();
                    ids.put(t.get("content").getAsString(), t.get("id").getAsInt());
                }
            }
        } catch (IOException e) {
            throw new IllegalArgumentException(PID + ": file " + file + " cannot be read: " + e, e);
        } catch (JsonParseException | IllegalStateException | ClassCastException | NullPointerException
                | UnsupportedOperationException | IllegalArgumentException e) {
            throw new IllegalArgumentException(PID + ": file " + file + " is not a Hugging Face tokenizer.json: "
                    + e.getMessage(), e);
        }
        if (ids.isEmpty()) {
            throw new IllegalArgumentException(PID + ": file " + file + " has an empty vocabulary");
        }
        return ids;
    }

    private static int special(Map<String, Integer> vocabulary, String configured, List<String> usual, String property,
            Path file) {
        if (!configured.isBlank()) {
            Integer id = vocabulary.get(configured);
            if (id == null) {
                throw new IllegalArgumentException(PID + ": " + property + " '" + configured + "' is not a token of " + file);
            }
            return id;
        }
        for (String name : usual) {
            if (vocabulary.containsKey(name)) {
                return vocabulary.get(name);
            }
        }
        throw new IllegalArgumentException(PID + ": " + file + " has none of " + usual + "; set " + property
                + " to the token to use");
    }

    @Deactivate
    void close() {
        if (tokenizer != null) {
            tokenizer.close();
        }
    }

    private HuggingFaceTokenizer tokenizer() {
        if (tokenizer == null) {
            throw new IllegalStateException(NAME + ": no tokenizer.json configured; set file (PID " + PID + ")");
        }
        return tokenizer;
    }

    @Override
    public int vocabularySize() {
        tokenizer();
        return vocabularySize;
    }

    @Override
    public int[] encode(String text) {
        long[] ids = tokenizer().encode(text, false, false).getIds();
        int[] out = new int[ids.length];
        for (int i = 0; i < ids.length; i++) {
            out[i] = Math.toIntExact(ids[i]);
        }
        return out;
    }

    /**
     * {@inheritDoc}
     *
     * <p>The pad, start and end ids, and the tokens the file marks special, are dropped.
     *
     * @throws IllegalArgumentException if an id is outside the vocabulary
     */
    @Override
    public String decode(int[] ids) {
        HuggingFaceTokenizer t = tokenizer();
        long[] kept = new long[ids.length];
        int n = 0;
        for (int id : ids) {
            if (id < 0 || id >= vocabularySize) {
                throw new IllegalArgumentException("token id " + id + " is outside [0, " + vocabularySize + ")");
            }
            if (id != pad && id != start && id != end) {
                kept[n++] = id;
            }
        }
        return t.decode(java.util.Arrays.copyOf(kept, n), true);
    }

    @Override
    public int padId() {
        return pad;
    }

    @Override
    public int startId() {
        return start;
    }

    @Override
    public int endId() {
        return end;
    }
}
