package org.synthloom.datasets.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.synthloom.datasets.internal.TestSupport.assertProblem;
import static org.synthloom.datasets.internal.TestSupport.readAll;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.synthloom.api.data.Caption;
import org.synthloom.api.data.ImagePixels;
import org.synthloom.api.data.Sample;
import org.synthloom.api.data.SampleSource;

/** Fashion-MNIST on small gzip idx files written by the test. */
class FashionMnistDatasetTest {

    @TempDir
    Path data;
    Path folder;

    @BeforeEach
    void idxFiles() throws IOException {
        folder = data.resolve(FashionMnistDataset.DEFAULT_PATH);
        writeImages(folder.resolve("train-images-idx3-ubyte.gz"), 5, 5);
        writeLabels(folder.resolve("train-labels-idx1-ubyte.gz"), new int[] {9, 0, 3, 12, 2});
        writeImages(folder.resolve("t10k-images-idx3-ubyte.gz"), 3, 3);
        writeLabels(folder.resolve("t10k-labels-idx1-ubyte.gz"), new int[] {1, 8, 7});
    }

    /** Image i is filled with the value i * 10 + its row. */
    static void writeImages(Path file, int declared, int written) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeInt(2051);
        out.writeInt(declared);
        out.writeInt(28);
        out.writeInt(28);
        for (int i = 0; i < written; i++) {
            out.write(image(i));
        }
        gzip(file, bytes.toByteArray());
    }

    static byte[] image(int i) {
        byte[] pixels = new byte[28 * 28];
        for (int r = 0; r < 28; r++) {
            Arrays.fill(pixels, r * 28, r * 28 + 28, (byte) (i * 10 + r));
        }
        return pixels;
    }

    static void writeLabels(Path file, int[] labels) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeInt(2049);
        out.writeInt(labels.length);
        for (int label : labels) {
            out.write(label);
        }
        gzip(file, bytes.toByteArray());
    }

    static void gzip(Path file, byte[] content) throws IOException {
        Files.createDirectories(file.getParent());
        try (GZIPOutputStream gz = new GZIPOutputStream(Files.newOutputStream(file))) {
            gz.write(content);
        }
    }

    FashionMnistDataset dataset(Map<String, ?> properties) {
        return new FashionMnistDataset(TestSupport.config(FashionMnistConfig.class, properties), TestSupport.store(data));
    }

    @Test
    void readsBothSplitsWithGreyImagesLabelsAndTemplateCaptions() throws IOException {
        FashionMnistDataset fashion = dataset(Map.of());
        assertEquals(List.of("train", "test"), fashion.splits());
        assertEquals(List.of("t-shirt or top", "trouser", "pullover", "dress", "coat", "sandal", "shirt", "sneaker", "bag",
                "ankle boot"), fashion.classNames());
        assertEquals(5, fashion.size("train"));
        assertEquals(3, fashion.size("test"));

        SampleSource source = fashion.open("train");
        List<Sample> train = readAll(source);
        assertEquals(List.of("fashion-mnist-train-00000", "fashion-mnist-train-00001", "fashion-mnist-train-00002",
                "fashion-mnist-train-00004"), train.stream().map(Sample::id).toList());
        Sample first = train.get(0);
        assertEquals(List.of("ankle boot"), first.labels());
        assertEquals(List.of("a photo of a ankle boot", "a picture of a ankle boot", "a ankle boot"),
                first.captions().stream().map(Caption::text).toList());
        ImagePixels pixels = first.pixels().orElseThrow();
        assertEquals(List.of(28, 28, 1), List.of(pixels.width(), pixels.height(), pixels.channels()));
        assertArrayEquals(image(0), pixels.data());
        assertArrayEquals(image(4), train.get(3).pixels().orElseThrow().data());
        assertEquals(List.of("t-shirt or top"), train.get(1).labels());
        assertEquals("fashion-mnist", first.imageProvenance().source());
        // the label 12 of sample 3 is no class: skipped and recorded, the samples after it are read
        assertEquals(1, source.problems().size(), TestSupport.describe(source.problems()));
        assertProblem(source.problems(), folder.resolve("train-labels-idx1-ubyte.gz").toString(), "label 3",
                "label 12 is not a class index (0 to 9)");

        List<Sample> test = readAll(fashion.open("test"));
        assertEquals(List.of("trouser", "bag", "sneaker"), test.stream().map(s -> s.labels().get(0)).toList());
    }

    @Test
    void captionTemplatesAreConfigurable() throws IOException {
        FashionMnistDataset fashion = dataset(Map.of("captions", new String[] {"{} on a plain background", "{}"}));
        Sample s = readAll(fashion.open("test")).get(0);
        assertEquals(List.of("trouser on a plain background", "trouser"), s.captions().stream().map(Caption::text).toList());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> dataset(Map.of("captions", new String[] {"no placeholder"})));
        assertTrue(e.getMessage().contains("'{}'"), e.getMessage());
    }

    @Test
    void countsThatDisagreeAreAClearError() throws IOException {
        writeLabels(folder.resolve("t10k-labels-idx1-ubyte.gz"), new int[] {1, 8});
        FashionMnistDataset fashion = dataset(Map.of());
        IOException e = assertThrows(IOException.class, () -> fashion.open("test"));
        assertEquals("fashion-mnist split test: " + folder.resolve("t10k-images-idx3-ubyte.gz") + " holds 3 images but "
                + folder.resolve("t10k-labels-idx1-ubyte.gz") + " holds 2 labels; the files do not belong together"
                + " (fetch them again with './synthloom data')", e.getMessage());
        assertEquals(e.getMessage(), assertThrows(IllegalStateException.class, () -> fashion.size("test")).getMessage());
        assertEquals(5, fashion.size("train"), "the other split is fine");
    }

    @Test
    void wrongMagicAndNonGzipFilesAreNamed() throws IOException {
        writeLabels(folder.resolve("train-images-idx3-ubyte.gz"), new int[] {1});
        IOException magic = assertThrows(IOException.class, () -> dataset(Map.of()).open("train"));
        assertEquals(folder.resolve("train-images-idx3-ubyte.gz") + ": not an idx image file (magic 2049, expected 2051)",
                magic.getMessage());
        Files.writeString(folder.resolve("t10k-labels-idx1-ubyte.gz"), "not gzip");
        IOException gzip = assertThrows(IOException.class, () -> dataset(Map.of()).open("test"));
        assertTrue(gzip.getMessage().startsWith(folder.resolve("t10k-labels-idx1-ubyte.gz") + ": not a valid gzip file"),
                gzip.getMessage());
    }

    @Test
    void aTruncatedImageFileKeepsTheSamplesBeforeTheCut() throws IOException {
        writeImages(folder.resolve("train-images-idx3-ubyte.gz"), 5, 2); // the header says 5, 2 are there
        SampleSource source = dataset(Map.of()).open("train");
        List<Sample> samples = readAll(source);
        assertEquals(2, samples.size());
        assertProblem(source.problems(), folder.resolve("train-images-idx3-ubyte.gz").toString(), "image 2",
                "the file ends after 2 of 5 images (truncated)", "the remaining samples are skipped");
    }

    @Test
    void absentFilesSayToRunSynthloomData() {
        FashionMnistDataset fashion = dataset(Map.of("path", "datasets/elsewhere"));
        Path expected = data.resolve("datasets/elsewhere/train-images-idx3-ubyte.gz").toAbsolutePath();
        IOException open = assertThrows(IOException.class, () -> fashion.open("train"));
        assertEquals("the Fashion-MNIST file train-images-idx3-ubyte.gz not found at " + expected
                + ": run './synthloom data' to fetch it", open.getMessage());
        assertEquals(open.getMessage(), assertThrows(IllegalStateException.class, fashion::classNames).getMessage());
        assertEquals(open.getMessage(), assertThrows(IllegalStateException.class, () -> fashion.size("train")).getMessage());
        assertThrows(IllegalArgumentException.class, () -> fashion.open("val"));
    }

    @Test
    void readsLazilyOneSampleAtATime() throws IOException {
        // 20000 images: read one, close; the source holds no decoded list
        writeImages(folder.resolve("train-images-idx3-ubyte.gz"), 20000, 20000);
        int[] labels = new int[20000];
        writeLabels(folder.resolve("train-labels-idx1-ubyte.gz"), labels);
        FashionMnistDataset fashion = dataset(Map.of());
        assertEquals(20000, fashion.size("train"));
        try (SampleSource source = fashion.open("train")) {
            assertEquals("fashion-mnist-train-00000", source.next().orElseThrow().id());
        }
        SampleSource closed = fashion.open("train");
        closed.close();
        assertThrows(IOException.class, closed::next);
    }
}
