package org.synthloom.evaluators.internal;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/** The {@code caption_metrics} of {@code reference-losses-metrics.json}: pycocoevalcap's values. */
record CaptionVectors(List<String> candidates, List<List<String>> references, double[] bleu, double ciderD,
        double[] ciderDEach) {

    static CaptionVectors load() throws IOException {
        JsonObject metrics;
        try (InputStream in = CaptionVectors.class.getResourceAsStream("/reference-losses-metrics.json")) {
            assertTrue(in != null, "reference-losses-metrics.json on the test class path");
            metrics = JsonParser.parseReader(new InputStreamReader(in, StandardCharsets.UTF_8)).getAsJsonObject()
                    .getAsJsonObject("caption_metrics");
        }
        List<String> candidates = new ArrayList<>();
        List<List<String>> references = new ArrayList<>();
        for (JsonElement element : metrics.getAsJsonArray("captions")) {
            JsonObject caption = element.getAsJsonObject();
            candidates.add(caption.get("candidate").getAsString());
            List<String> refs = new ArrayList<>();
            caption.getAsJsonArray("references").forEach(r -> refs.add(r.getAsString()));
            references.add(refs);
        }
        return new CaptionVectors(candidates, references, doubles(metrics, "bleu_1_4"), metrics.get("cider_d").getAsDouble(),
                doubles(metrics, "cider_d_each"));
    }

    /** The pre-tokenised text split on spaces, as pycocoevalcap's scorers split it. */
    static List<String> words(String text) {
        return text.isEmpty() ? List.of() : List.of(text.split(" "));
    }

    List<List<String>> candidateWords() {
        return candidates.stream().map(CaptionVectors::words).toList();
    }

    List<List<List<String>>> referenceWords() {
        return references.stream().map(refs -> refs.stream().map(CaptionVectors::words).toList()).toList();
    }

    private static double[] doubles(JsonObject o, String name) {
        return o.getAsJsonArray(name).asList().stream().mapToDouble(JsonElement::getAsDouble).toArray();
    }
}
