package org.synthloom.datasets.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;
import org.synthloom.api.data.ImagePixels;
import org.synthloom.api.data.Sample;
import org.synthloom.api.data.SampleSource;

/** The real Fashion-MNIST files fetched by './synthloom data'. Fails (does not skip) when they are absent. */
class FashionMnistRealDataTest {

    @Test
    void readsTheRealFashionMnist() throws IOException {
        Path datasets = TestSupport.realDatasets("fashion-mnist/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz")
                .getParent().getParent().getParent().getParent().getParent().getParent();
        assertEquals("datasets", datasets.getFileName().toString());
        FashionMnistDataset fashion = new FashionMnistDataset(TestSupport.config(FashionMnistConfig.class, Map.of()),
                TestSupport.store(datasets.getParent()));
        assertEquals(60000, fashion.size("train"));
        assertEquals(10000, fashion.size("test"));
        assertEquals(10, fashion.classNames().size());

        Map<String, Integer> perClass = new TreeMap<>();
        List<String> firstTrain = new ArrayList<>();
        long start = System.nanoTime();
        int count = 0;
        try (SampleSource source = fashion.open("train")) {
            for (Optional<Sample> s = source.next(); s.isPresent(); s = source.next()) {
                Sample sample = s.get();
                ImagePixels p = sample.pixels().orElseThrow();
                if (p.width() != 28 || p.height() != 28 || p.channels() != 1) {
                    throw new AssertionError(sample.id() + " is " + p);
                }
                if (count < 10) {
                    firstTrain.add(sample.labels().get(0));
                }
                perClass.merge(sample.labels().get(0), 1, Integer::sum);
                count++;
            }
            assertEquals(List.of(), source.problems());
        }
        long ms = (System.nanoTime() - start) / 1_000_000;
        assertEquals(60000, count);
        // the real first labels (9, 0, 0, 3, 0, 2, 7, 2, 5, 5 in the idx file)
        assertEquals(List.of("ankle boot", "t-shirt or top", "t-shirt or top", "dress", "t-shirt or top", "pullover",
                "sneaker", "pullover", "sandal", "sandal"), firstTrain);
        perClass.values().forEach(n -> assertEquals(6000, n)); // Fashion-MNIST is balanced
        assertEquals(10, perClass.size());

        List<Sample> test = new ArrayList<>();
        try (SampleSource source = fashion.open("test")) {
            for (int i = 0; i < 5; i++) {
                test.add(source.next().orElseThrow());
            }
        }
        assertEquals(List.of("ankle boot", "pullover", "trouser", "trouser", "shirt"),
                test.stream().map(s -> s.labels().get(0)).toList());
        assertEquals("a photo of a ankle boot", test.get(0).captions().get(0).text());
        System.out.printf("fashion-mnist (real): train 60000 (first labels %s), test 10000, streamed in %d ms%n",
                firstTrain.subList(0, 3), ms);
    }
}
