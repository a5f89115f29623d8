package org.synthloom.datasets.internal;

import org.synthloom.testkit.Configs;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.reflect.Proxy;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.zip.CRC32;

import org.synthloom.api.data.ImagePixels;
import org.synthloom.api.data.InputProblem;
import org.synthloom.api.data.Sample;
import org.synthloom.api.data.SampleSource;
import org.synthloom.imageio.ImageCodec;
import org.synthloom.store.RunStore;

/** Fixtures and helpers: configuration proxies as DS makes them, a run store stub, images good and bad. */
final class TestSupport {

    private TestSupport() {}

    /**
     * A component property type instance as Declarative Services builds it: each element reads the
     * property named by DS's mapping ({@code image_column} is {@code image.column}, {@code __} is
     * {@code _}), else its default, else null / 0 / false / an empty array.
     */
    static <A extends java.lang.annotation.Annotation> A config(Class<A> type, Map<String, ?> properties) {
        return Configs.of(type, properties);
    }


    /** A run store that only knows its data directory. */
    static RunStore store(Path dataDirectory) {
        return (RunStore) Proxy.newProxyInstance(RunStore.class.getClassLoader(), new Class<?>[] {RunStore.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("dataDirectory")) {
                        return dataDirectory.toAbsolutePath();
                    }
                    if (method.getName().equals("toString")) {
                        return "RunStore[" + dataDirectory + "]";
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }

    /** Reads a source to its end and closes it. */
    static List<Sample> readAll(SampleSource source) throws IOException {
        List<Sample> samples = new ArrayList<>();
        try (source) {
            for (Optional<Sample> s = source.next(); s.isPresent(); s = source.next()) {
                samples.add(s.get());
            }
        }
        return samples;
    }

    /** The problems of a source as one string per problem, for messages. */
    static String describe(List<InputProblem> problems) {
        return problems.stream().map(InputProblem::toString).collect(Collectors.joining("\n  ", "\n  ", ""));
    }

    /**
     * Asserts that exactly one problem has the entry and mentions every fragment in its reason.
     *
     * @return the problem
     */
    static InputProblem assertProblem(List<InputProblem> problems, String location, String entry, String... reasonParts) {
        List<InputProblem> matching = problems.stream().filter(p -> p.entry().equals(entry)).toList();
        if (matching.size() != 1) {
            fail("expected one problem for entry '" + entry + "', got " + matching.size() + " among:" + describe(problems));
        }
        InputProblem p = matching.get(0);
        if (location != null) {
            assertTrue(p.location().equals(location), "location of " + p + " should be " + location);
        }
        for (String part : reasonParts) {
            assertTrue(p.reason().contains(part), "reason of '" + p + "' should contain '" + part + "'");
        }
        return p;
    }

    /** A small RGB image whose pixels depend on the seed. */
    static ImagePixels pixels(int width, int height, int seed) {
        byte[] data = new byte[width * height * 3];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (i * 7 + seed * 31);
        }
        return new ImagePixels(width, height, 3, data);
    }

    static byte[] png(int width, int height, int seed) {
        return ImageCodec.encodePng(pixels(width, height, seed));
    }

    static byte[] jpeg(int width, int height, int seed) {
        return ImageCodec.encodeJpeg(pixels(width, height, seed), 0.9f);
    }

    /** A JPEG cut off in the middle of its entropy-coded data. */
    static byte[] truncatedJpeg() {
        byte[] full = jpeg(64, 64, 3);
        return java.util.Arrays.copyOf(full, full.length / 2);
    }

    /** A PNG whose signature, header and end are intact but whose compressed pixel data is garbage. */
    static byte[] corruptPng() {
        byte[] bad = png(16, 16, 1).clone();
        int idat = indexOf(bad, "IDAT".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        int length = ByteBuffer.wrap(bad, idat - 4, 4).getInt();
        for (int i = idat + 4 + 2; i < idat + 4 + length; i++) { // keep the zlib header, garble the deflate data
            bad[i] = (byte) (bad[i] ^ 0xA5);
        }
        return bad;
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new IllegalArgumentException("not found");
    }

    /**
     * A tiny PNG whose header claims {@code width x height} (e.g. 30000 x 30000, 900 M pixels): a
     * decoder that allocated before checking would need gigabytes.
     */
    static byte[] pngClaiming(int width, int height) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
        ByteBuffer ihdr = ByteBuffer.allocate(13).putInt(width).putInt(height).put((byte) 8).put((byte) 2)
                .put((byte) 0).put((byte) 0).put((byte) 0);
        chunk(out, "IHDR", ihdr.array());
        chunk(out, "IDAT", new byte[] {0x78, (byte) 0x9c, 0x63, 0, 0, 0, 1, 0, 1});
        chunk(out, "IEND", new byte[0]);
        return out.toByteArray();
    }

    private static void chunk(ByteArrayOutputStream out, String type, byte[] data) throws IOException {
        out.write(ByteBuffer.allocate(4).putInt(data.length).array());
        byte[] t = type.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        out.write(t);
        out.write(data);
        CRC32 crc = new CRC32();
        crc.update(t);
        crc.update(data);
        out.write(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }

    static Path write(Path file, byte[] bytes) throws IOException {
        Files.createDirectories(file.getParent());
        return Files.write(file, bytes);
    }

    static Path write(Path file, String text) throws IOException {
        return write(file, text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /**
     * The folder of the real datasets fetched by './synthloom data': the system property
     * {@code synthloom.datasets} (set by the build). Fails, not skips, when they are absent.
     */
    static Path realDatasets(String relative) {
        String property = System.getProperty("synthloom.datasets");
        if (property == null || property.isBlank()) {
            fail("the system property synthloom.datasets (the data/datasets folder) is not set; run the tests with"
                    + " Maven, or set it to the data/datasets folder of the checkout");
        }
        Path path = Path.of(property).toAbsolutePath().normalize().resolve(relative);
        if (!Files.exists(path)) {
            fail("real dataset files not found at " + path + ": run './synthloom data' to fetch them");
        }
        return path;
    }
}
