package org.synthloom.datasets.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.synthloom.api.data.Caption;
import org.synthloom.api.data.ImagePixels;
import org.synthloom.api.data.Sample;
import org.synthloom.api.data.SampleSource;

/**
 * The real emoji-datasource-google package fetched by './synthloom data'. Fails (does not skip)
 * when it is absent.
 */
class EmojiRealDataTest {

    @Test
    void readsTheRealEmojiPackage() throws IOException {
        Path datasets = TestSupport.realDatasets("emoji-datasource-google/package/emoji.json").getParent().getParent()
                .getParent();
        // the default path, resolved against a data directory whose datasets/ is the fetched folder
        EmojiDataset emoji = new EmojiDataset(TestSupport.config(EmojiConfig.class, Map.of()),
                TestSupport.store(datasets.getParent()));
        if (!datasets.getFileName().toString().equals("datasets")) {
            throw new AssertionError("expected the data/datasets folder, got " + datasets);
        }
        long start = System.nanoTime();
        List<String> classes = emoji.classNames();
        assertEquals(List.of("Activities", "Animals & Nature", "Component", "Flags", "Food & Drink", "Objects",
                "People & Body", "Smileys & Emotion", "Symbols", "Travel & Places"), classes);
        long train = emoji.size("train");
        long test = emoji.size("test");
        assertTrue(train + test <= 1911 && train + test > 1800, train + " + " + test);
        assertTrue(test > 0.07 * (train + test) && test < 0.13 * (train + test), "test share " + test);

        List<Sample> all = new ArrayList<>();
        int problems = 0;
        for (String split : emoji.splits()) {
            try (SampleSource source = emoji.open(split)) {
                List<Sample> samples = TestSupport.readAll(source);
                assertEquals(emoji.size(split), samples.size() + source.problems().size(),
                        split + TestSupport.describe(source.problems()));
                problems += source.problems().size();
                all.addAll(samples);
            }
        }
        long ms = (System.nanoTime() - start) / 1_000_000;
        assertEquals(0, problems);
        assertEquals(train + test, all.size());
        Sample grinning = all.stream().filter(s -> s.id().equals("emoji-1f600")).findFirst().orElseThrow();
        assertEquals(List.of("grinning face", "grinning"), grinning.captions().stream().map(Caption::text).toList());
        assertEquals(List.of("Smileys & Emotion"), grinning.labels());
        ImagePixels pixels = grinning.pixels().orElseThrow();
        assertEquals(List.of(64, 64, 3), List.of(pixels.width(), pixels.height(), pixels.channels()));
        Sample hash = all.stream().filter(s -> s.id().equals("emoji-0023-fe0f-20e3")).findFirst().orElseThrow();
        assertEquals(List.of("hash key", "hash"), hash.captions().stream().map(Caption::text).toList());
        for (Sample s : all) {
            ImagePixels p = s.pixels().orElseThrow();
            assertEquals(64, p.width(), s.id());
            assertEquals(64, p.height(), s.id());
            assertTrue(classes.contains(s.labels().get(0)), s.id());
        }
        System.out.printf("emoji (real): %d samples, train %d / test %d, %d categories, read and decoded in %d ms%n",
                all.size(), train, test, classes.size(), ms);
    }
}
