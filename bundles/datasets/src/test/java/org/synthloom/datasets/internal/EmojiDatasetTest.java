package org.synthloom.datasets.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.synthloom.datasets.internal.TestSupport.assertProblem;
import static org.synthloom.datasets.internal.TestSupport.readAll;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.synthloom.api.data.Caption;
import org.synthloom.api.data.ImagePixels;
import org.synthloom.api.data.Provenance;
import org.synthloom.api.data.Sample;
import org.synthloom.api.data.SampleSource;

/** The emoji dataset on a small fake emoji-datasource-google package. */
class EmojiDatasetTest {

    @TempDir
    Path data;
    Path pkg;

    static final String JSON = """
            [
             {"name":"HASH KEY","unified":"0023-FE0F-20E3","image":"0023-fe0f-20e3.png","short_names":["hash"],
              "category":"Symbols","subcategory":"keycap","has_img_google":true,"google":"FE82C"},
             {"name":"GRINNING FACE","unified":"1F600","image":"1f600.png","short_names":["grinning"],"text":":D",
              "texts":null,"category":"Smileys & Emotion","subcategory":"face-smiling","has_img_google":true},
             {"name":"WAVING HAND SIGN","unified":"1F44B","image":"1f44b.png","short_names":["wave","waving_hand"],
              "category":"People & Body","subcategory":"hand-fingers-open","has_img_google":true,
              "skin_variations":{"1F3FB":{"unified":"1F44B-1F3FB","image":"1f44b-1f3fb.png","has_img_google":true}}},
             {"name":"ORANGE BOOK","unified":"1F4D9","image":"1f4d9.png","short_names":["orange_book"],
              "category":"Objects","subcategory":"book-paper","has_img_google":true},
             {"name":"FACEBOOK ONLY","unified":"1FAE8","image":"1fae8.png","short_names":["fb"],
              "category":"Objects","has_img_google":false},
             {"name":"NAZAR AMULET","unified":"1F9FF","image":"1f9ff.png","short_names":["nazar_amulet"],
              "category":"Activities","has_img_google":true},
             {"name":"PILE OF POO","unified":"1F4A9","image":"1f4a9.png","short_names":["poop","shit"],
              "category":"Smileys & Emotion","has_img_google":true},
             {"name":"NO CODE POINTS","image":"x.png","short_names":["x"],"category":"Symbols","has_img_google":true}
            ]
            """;

    @BeforeEach
    void fakePackage() throws IOException {
        pkg = data.resolve("datasets/emoji-datasource-google/package");
        TestSupport.write(pkg.resolve("emoji.json"), JSON);
        Path img = pkg.resolve("img/google/64");
        for (String name : List.of("0023-fe0f-20e3.png", "1f600.png", "1f44b.png", "1f4d9.png", "1f44b-1f3fb.png", "1fae8.png")) {
            TestSupport.write(img.resolve(name), rgbaPng());
        }
        TestSupport.write(img.resolve("1f4a9.png"), TestSupport.corruptPng());
        // 1f9ff.png (nazar amulet) is missing
    }

    /** 64x64 RGBA: the left half transparent, the right half opaque red. */
    static byte[] rgbaPng() throws IOException {
        BufferedImage image = new BufferedImage(64, 64, BufferedImage.TYPE_INT_ARGB);
        for (int y = 0; y < 64; y++) {
            for (int x = 32; x < 64; x++) {
                image.setRGB(x, y, 0xFFFF0000);
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "png", out);
        return out.toByteArray();
    }

    EmojiDataset dataset(double testFraction, long seed) {
        return new EmojiDataset(TestSupport.config(EmojiConfig.class, Map.of("test.fraction", testFraction, "seed", seed)),
                TestSupport.store(data));
    }

    @Test
    void oneSamplePerEmojiWithAGoogleImageCaptionedWithNameAndShortNames() throws IOException {
        EmojiDataset emoji = dataset(0.0, 0);
        assertEquals(List.of("train", "test"), emoji.splits());
        // sorted categories of the emoji with Google images (the facebook-only one is not counted)
        assertEquals(List.of("Activities", "Objects", "People & Body", "Smileys & Emotion", "Symbols"), emoji.classNames());
        assertEquals(5, emoji.size("train")); // the missing image is known in advance, the corrupt one is not
        assertEquals(0, emoji.size("test"));

        SampleSource source = emoji.open("train");
        List<Sample> samples = readAll(source);
        assertEquals(List.of("emoji-0023-fe0f-20e3", "emoji-1f600", "emoji-1f44b", "emoji-1f4d9"),
                samples.stream().map(Sample::id).toList());
        Sample grin = samples.get(1);
        Provenance human = Provenance.human("emoji");
        assertEquals(List.of(new Caption("grinning face", human), new Caption("grinning", human)), grin.captions());
        assertEquals(List.of("Smileys & Emotion"), grin.labels());
        assertEquals(human, grin.imageProvenance());
        assertEquals("1F600", grin.metadata().get("unified"));
        assertEquals("face-smiling", grin.metadata().get("subcategory"));
        ImagePixels pixels = grin.pixels().orElseThrow();
        assertEquals(64, pixels.width());
        assertEquals(64, pixels.height());
        assertEquals(3, pixels.channels());
        // transparent pixels are composited over white, opaque red stays red
        assertEquals(List.of(255, 255, 255), rgb(pixels, 0, 0));
        assertEquals(List.of(255, 0, 0), rgb(pixels, 63, 63));

        assertEquals(List.of("waving hand sign", "wave", "waving hand"), texts(samples.get(2)));
        assertEquals(List.of("orange book"), texts(samples.get(3)), "repeated captions are dropped");
        assertTrue(samples.stream().noneMatch(s -> s.id().contains("1f3fb")), "skin variations are not samples");
        assertTrue(samples.stream().noneMatch(s -> s.id().contains("1fae8")), "no Google image, no sample");

        assertEquals(3, source.problems().size(), TestSupport.describe(source.problems()));
        assertProblem(source.problems(), pkg.resolve("emoji.json").toString(), "entry 7", "lacks 'unified'");
        assertProblem(source.problems(), pkg.resolve("img/google/64/1f9ff.png").toString(), "1F9FF", "image file not found");
        assertProblem(source.problems(), pkg.resolve("img/google/64/1f4a9.png").toString(), "1F4A9", "PNG",
                "the emoji is skipped");
    }

    static List<String> texts(Sample s) {
        return s.captions().stream().map(Caption::text).toList();
    }

    static List<Integer> rgb(ImagePixels p, int x, int y) {
        int i = (y * p.width() + x) * 3;
        return List.of(p.data()[i] & 0xff, p.data()[i + 1] & 0xff, p.data()[i + 2] & 0xff);
    }

    @Test
    void splitIsAStableHashOfTheCodePointsAndTheSeed() throws IOException {
        EmojiDataset allTest = dataset(1.0, 0);
        assertEquals(0, allTest.size("train"));
        assertEquals(5, allTest.size("test"));
        assertEquals(4, readAll(allTest.open("test")).size());
        assertTrue(readAll(allTest.open("train")).isEmpty());

        // on many code points: about the configured fraction, the same every time, moved by the seed
        int inTest = 0;
        int moved = 0;
        for (int i = 0; i < 20000; i++) {
            String unified = Integer.toHexString(0x1F000 + i).toUpperCase();
            boolean t = EmojiDataset.inTest(unified, 0, 0.1);
            assertEquals(t, EmojiDataset.inTest(unified, 0, 0.1));
            assertEquals(t, EmojiDataset.inTest(unified.toLowerCase(), 0, 0.1), "case does not matter");
            inTest += t ? 1 : 0;
            moved += t != EmojiDataset.inTest(unified, 1, 0.1) ? 1 : 0;
        }
        assertTrue(inTest > 1800 && inTest < 2200, "test share " + inTest + " of 20000");
        assertTrue(moved > 2000, "another seed moves emoji between splits: " + moved);

        // train and test partition the emoji; the samples of both splits together are all of them
        EmojiDataset half = dataset(0.5, 3);
        List<Sample> train = readAll(half.open("train"));
        List<Sample> test = readAll(half.open("test"));
        assertEquals(half.size("train") + half.size("test"), 5);
        assertEquals(4, train.size() + test.size());
        assertTrue(train.stream().noneMatch(test::contains));
        assertEquals(train.stream().map(Sample::id).toList(), readAll(dataset(0.5, 3).open("train")).stream()
                .map(Sample::id).toList(), "the same configuration gives the same split");
        assertNotEquals(-1, half.size("test"));
    }

    @Test
    void unknownSplitAndBadFraction() {
        EmojiDataset emoji = dataset(0.1, 0);
        assertThrows(IllegalArgumentException.class, () -> emoji.open("val"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> dataset(1.5, 0));
        assertTrue(e.getMessage().contains("test.fraction"), e.getMessage());
    }

    @Test
    void absentFilesSayToRunSynthloomData() throws IOException {
        Path elsewhere = data.resolve("nothing-here");
        EmojiDataset emoji = new EmojiDataset(TestSupport.config(EmojiConfig.class, Map.of("path", "nothing-here")),
                TestSupport.store(data));
        String expected = "the emoji dataset (emoji.json) not found at " + elsewhere.resolve("emoji.json")
                + ": run './synthloom data' to fetch it";
        IOException open = assertThrows(IOException.class, () -> emoji.open("train"));
        assertEquals(expected, open.getMessage());
        assertEquals(expected, assertThrows(IllegalStateException.class, emoji::classNames).getMessage());
        assertEquals(expected, assertThrows(IllegalStateException.class, () -> emoji.size("test")).getMessage());
        assertEquals(List.of("train", "test"), emoji.splits(), "the splits are known without the files");

        // fetched afterwards: the dataset picks the files up without a restart
        TestSupport.write(elsewhere.resolve("emoji.json"), "[]");
        TestSupport.write(elsewhere.resolve("img/google/64/.keep"), "");
        assertEquals(List.of(), emoji.classNames());
        assertFalse(emoji.open("train").next().isPresent());
    }

    @Test
    void aBrokenEmojiJsonIsAClearIoException() throws IOException {
        TestSupport.write(pkg.resolve("emoji.json"), "[{\"name\": \"HASH KEY\", ");
        IOException e = assertThrows(IOException.class, () -> dataset(0.1, 0).open("train"));
        assertTrue(e.getMessage().startsWith(pkg.resolve("emoji.json") + ": not a valid emoji.json"), e.getMessage());
    }
}
