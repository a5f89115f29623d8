package org.synthloom.datasets.internal;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.synthloom.store.wds.ProblemLog;

import com.google.gson.JsonParseException;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import com.google.gson.stream.MalformedJsonException;

/**
 * Reads a COCO captions file with Gson's streaming reader: only the image ids, file names and
 * captions are kept, never a tree of the whole document, so a 100 MB file costs what its captions
 * weigh. {@code "images"} and {@code "annotations"} may come in either order; other members
 * ({@code info}, {@code licenses}, ...) are skipped.
 */
final class CocoCaptions {

    /** An image with its captions (trimmed, non-blank, in file order). */
    record Image(long id, String fileName, List<String> captions) {}

    private CocoCaptions() {}

    /**
     * @param file the JSON file
     * @param problems receives entries that cannot be used: malformed images or annotations,
     *     annotations of unknown images, images without a caption, repeated image ids
     * @return the images with at least one caption, sorted by id
     * @throws IOException if the file is missing, does not parse, or lacks "images" or "annotations";
     *     the message names the file and what is wrong
     */
    static List<Image> read(Path file, ProblemLog problems) throws IOException {
        String where = file.toString();
        Map<Long, String> fileNames = new TreeMap<>();
        Map<Long, List<String>> captions = new HashMap<>();
        boolean sawImages = false;
        boolean sawAnnotations = false;
        try (Reader reader = new java.io.InputStreamReader(Files.newInputStream(file), StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT));
                JsonReader in = new JsonReader(new java.io.BufferedReader(reader, 1 << 16))) {
            if (in.peek() != JsonToken.BEGIN_OBJECT) {
                throw new IOException(where + ": not a COCO captions file: the top level is " + describe(in.peek())
                        + ", not an object with \"images\" and \"annotations\"");
            }
            in.beginObject();
            while (in.hasNext()) {
                String key = in.nextName();
                switch (key) {
                    case "images" -> {
                        expectArray(in, where, key);
                        sawImages = true;
                        readImages(in, where, fileNames, problems);
                    }
                    case "annotations" -> {
                        expectArray(in, where, key);
                        sawAnnotations = true;
                        readAnnotations(in, where, captions, problems);
                    }
                    default -> in.skipValue();
                }
            }
            in.endObject();
            if (in.peek() != JsonToken.END_DOCUMENT) {
                throw new IOException(where + ": does not parse as JSON: more data after the top-level object");
            }
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new IOException(where + ": not valid UTF-8 JSON (" + DataFiles.describe(e) + ")", e);
        } catch (MalformedJsonException | JsonParseException | IllegalStateException | NumberFormatException
                | java.io.EOFException e) {
            throw new IOException(where + ": does not parse as JSON (" + DataFiles.describe(e) + ")", e);
        }
        if (!sawImages || !sawAnnotations) {
            throw new IOException(where + ": not a COCO captions file: the \""
                    + (!sawImages ? "images" : "annotations") + "\" array is missing (a captions file has \"images\""
                    + " [{\"id\", \"file_name\"}, ...] and \"annotations\" [{\"image_id\", \"caption\"}, ...])");
        }
        List<Image> images = new ArrayList<>(fileNames.size());
        for (Map.Entry<Long, String> e : fileNames.entrySet()) {
            List<String> texts = captions.remove(e.getKey());
            if (texts == null || texts.isEmpty()) {
                problems.add(where, "image " + e.getKey() + " (" + e.getValue() + ")", "no caption; the image is skipped");
            } else {
                images.add(new Image(e.getKey(), e.getValue(), List.copyOf(texts)));
            }
        }
        new TreeMap<>(captions).forEach((id, texts) -> problems.add(where, "image_id " + id, texts.size()
                + " caption(s) refer to an image id that \"images\" does not list; they are skipped"));
        return images;
    }

    private static String describe(JsonToken token) {
        return switch (token) {
            case BEGIN_ARRAY -> "an array";
            case BEGIN_OBJECT -> "an object";
            case STRING -> "a string";
            case NUMBER -> "a number";
            case BOOLEAN -> "a boolean";
            case NULL -> "null";
            case END_DOCUMENT -> "empty";
            default -> token.toString();
        };
    }

    private static void expectArray(JsonReader in, String where, String key) throws IOException {
        if (in.peek() != JsonToken.BEGIN_ARRAY) {
            throw new IOException(where + ": not a COCO captions file: \"" + key + "\" is " + describe(in.peek())
                    + ", not an array");
        }
    }

    private static void readImages(JsonReader in, String where, Map<Long, String> fileNames, ProblemLog problems)
            throws IOException {
        in.beginArray();
        for (int n = 0; in.hasNext(); n++) {
            if (in.peek() != JsonToken.BEGIN_OBJECT) {
                in.skipValue();
                problems.add(where, "images[" + n + "]", "not an object; it is skipped");
                continue;
            }
            Long id = null;
            String fileName = null;
            in.beginObject();
            while (in.hasNext()) {
                String key = in.nextName();
                if ("id".equals(key)) {
                    id = id(in);
                } else if ("file_name".equals(key) && in.peek() == JsonToken.STRING) {
                    fileName = in.nextString();
                } else {
                    in.skipValue();
                }
            }
            in.endObject();
            if (id == null || fileName == null || fileName.isBlank()) {
                problems.add(where, "images[" + n + "]", "lacks " + (id == null ? "an \"id\"" : "a \"file_name\"")
                        + "; it is skipped");
            } else if (fileNames.putIfAbsent(id, fileName) != null) {
                problems.add(where, "images[" + n + "]", "image id " + id + " is listed twice; the first ("
                        + fileNames.get(id) + ") is used");
            }
        }
        in.endArray();
    }

    private static void readAnnotations(JsonReader in, String where, Map<Long, List<String>> captions, ProblemLog problems)
            throws IOException {
        in.beginArray();
        for (int n = 0; in.hasNext(); n++) {
            if (in.peek() != JsonToken.BEGIN_OBJECT) {
                in.skipValue();
                problems.add(where, "annotations[" + n + "]", "not an object; it is skipped");
                continue;
            }
            Long imageId = null;
            String caption = null;
            in.beginObject();
            while (in.hasNext()) {
                String key = in.nextName();
                if ("image_id".equals(key)) {
                    imageId = id(in);
                } else if ("caption".equals(key) && in.peek() == JsonToken.STRING) {
                    caption = in.nextString();
                } else {
                    in.skipValue();
                }
            }
            in.endObject();
            if (imageId == null || caption == null) {
                problems.add(where, "annotations[" + n + "]", "lacks " + (imageId == null ? "an \"image_id\"" : "a \"caption\"")
                        + "; it is skipped");
            } else if (!caption.isBlank()) {
                captions.computeIfAbsent(imageId, k -> new ArrayList<>(5)).add(caption.strip());
            } else {
                captions.computeIfAbsent(imageId, k -> new ArrayList<>(5)); // blank: dropped, the image is still known
            }
        }
        in.endArray();
    }

    /** An id: a JSON integer (or a string of one, as some converters write); null if neither. */
    private static Long id(JsonReader in) throws IOException {
        JsonToken token = in.peek();
        if (token == JsonToken.NUMBER || token == JsonToken.STRING) {
            String text = in.nextString();
            try {
                return Long.parseLong(text.strip());
            } catch (NumberFormatException e) {
                try {
                    double d = Double.parseDouble(text);
                    return d == Math.rint(d) && Math.abs(d) < 0x1p53 ? (long) d : null;
                } catch (NumberFormatException notANumber) {
                    return null;
                }
            }
        }
        in.skipValue();
        return null;
    }
}
