package org.synthloom.datasets.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.synthloom.datasets.internal.TestSupport.assertProblem;
import static org.synthloom.datasets.internal.TestSupport.readAll;
import static org.synthloom.datasets.internal.TestSupport.write;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.synthloom.api.data.Caption;
import org.synthloom.api.data.Provenance;
import org.synthloom.api.data.Sample;
import org.synthloom.api.data.SampleSource;

/** The folder importer on folders of images and caption files, good and bad. */
class FolderDatasetTest {

    @TempDir
    Path data;

    FolderDataset dataset(String path, Object... more) {
        Map<String, Object> properties = new HashMap<>();
        properties.put("path", path);
        properties.put("synthloom.name", "photos");
        for (int i = 0; i < more.length; i += 2) {
            properties.put((String) more[i], more[i + 1]);
        }
        return new FolderDataset(TestSupport.config(FolderConfig.class, properties), TestSupport.store(data));
    }

    @Test
    void readsCaptionedImagesSkippingAndRecordingEveryBadOne() throws IOException {
        Path root = data.resolve("datasets/photos");
        write(root.resolve("a.png"), TestSupport.png(8, 6, 1));
        write(root.resolve("a.txt"), "a red square\n\n   a second caption  \r\n");
        write(root.resolve("b.jpg"), TestSupport.jpeg(16, 16, 2));
        write(root.resolve("b.txt"), "\uFEFFcaf\u00e9 au lait");
        write(root.resolve("sub/dir name/i.PNG"), TestSupport.png(4, 4, 3));
        write(root.resolve("sub/dir name/i.txt"), "nested");
        // bad input, each skipped and recorded
        write(root.resolve("c.png"), TestSupport.png(4, 4, 4)); // no .txt
        write(root.resolve("d.png"), TestSupport.png(4, 4, 5));
        write(root.resolve("d.txt"), " \n\n");                // empty caption
        write(root.resolve("e.png"), TestSupport.png(4, 4, 6));
        write(root.resolve("e.txt"), new byte[] {'o', 'k', ' ', (byte) 0xC3, (byte) 0x28, '\n'}); // invalid UTF-8
        write(root.resolve("f.png"), TestSupport.corruptPng());
        write(root.resolve("f.txt"), "corrupt");
        write(root.resolve("g.jpg"), TestSupport.truncatedJpeg());
        write(root.resolve("g.txt"), "truncated");
        write(root.resolve("h.png"), TestSupport.pngClaiming(30000, 30000));
        write(root.resolve("h.txt"), "huge");
        // ignored: hidden, not images
        write(root.resolve(".hidden/j.png"), TestSupport.png(4, 4, 7));
        write(root.resolve(".hidden/j.txt"), "hidden");
        write(root.resolve("notes.txt"), "not a caption of anything");
        write(root.resolve("k.webp"), new byte[] {1, 2, 3});

        FolderDataset folder = dataset("datasets/photos");
        assertEquals(List.of("train"), folder.splits());
        assertEquals(List.of(), folder.classNames());
        assertEquals(8, folder.size("train"), "images with a caption file: an upper bound");

        SampleSource source = folder.open("train");
        List<Sample> samples = readAll(source);
        assertEquals(List.of("a_png", "b_jpg", "sub_dir_name_i_PNG"), samples.stream().map(Sample::id).toList());
        Provenance human = Provenance.human("photos");
        assertEquals(List.of(new Caption("a red square", human), new Caption("a second caption", human)),
                samples.get(0).captions());
        assertEquals("caf\u00e9 au lait", samples.get(1).captions().get(0).text(), "UTF-8, byte order mark dropped");
        assertEquals(List.of(8, 6), List.of(samples.get(0).pixels().orElseThrow().width(),
                samples.get(0).pixels().orElseThrow().height()));
        assertEquals(TestSupport.pixels(8, 6, 1), samples.get(0).pixels().orElseThrow(), "PNG is lossless");
        assertEquals("sub/dir name/i.PNG", samples.get(2).metadata().get("file"));
        assertEquals(List.of(), samples.get(2).labels());

        String where = root.toString();
        assertEquals(6, source.problems().size(), TestSupport.describe(source.problems()));
        assertProblem(source.problems(), where, "c.png", "no caption", "c.txt is missing");
        assertProblem(source.problems(), where, "d.png", "no caption", "d.txt is empty");
        assertProblem(source.problems(), where, "e.png", "the caption file e.txt is not valid UTF-8",
                "malformed byte 0xC3 at offset 3");
        assertProblem(source.problems(), where, "f.png", "corrupt PNG data", "the image is skipped");
        assertProblem(source.problems(), where, "g.jpg", "truncated JPEG data");
        assertProblem(source.problems(), where, "h.png", "image too large: 30000x30000", "exceeds the limit");
    }

    @Test
    void splitFoldersBecomeSplitsAndDirectoriesLabels() throws IOException {
        Path root = data.resolve("pets");
        write(root.resolve("train/dog/y.png"), TestSupport.png(4, 4, 1));
        write(root.resolve("train/dog/y.txt"), "a dog");
        write(root.resolve("train/cat/x.png"), TestSupport.png(4, 4, 2));
        write(root.resolve("train/cat/x.txt"), "a cat");
        write(root.resolve("train/loose.png"), TestSupport.png(4, 4, 3));
        write(root.resolve("train/loose.txt"), "no class folder");
        write(root.resolve("test/cat/z.png"), TestSupport.png(4, 4, 4));
        write(root.resolve("test/cat/z.txt"), "another cat");
        write(root.resolve("val/bird/w.png"), TestSupport.png(4, 4, 5));
        write(root.resolve("val/bird/w.txt"), "a bird");
        write(root.resolve("top.png"), TestSupport.png(4, 4, 6)); // outside the split folders: not read
        write(root.resolve("top.txt"), "top");

        FolderDataset pets = dataset(data.resolve("pets").toString(), "labels.from.directory", true);
        assertEquals(List.of("train", "val", "test"), pets.splits());
        assertEquals(List.of("bird", "cat", "dog"), pets.classNames());
        List<Sample> train = readAll(pets.open("train"));
        assertEquals(List.of("train_cat_x_png", "train_dog_y_png", "train_loose_png"),
                train.stream().map(Sample::id).toList());
        assertEquals(List.of(List.of("cat"), List.of("dog"), List.of()), train.stream().map(Sample::labels).toList());
        List<Sample> test = readAll(pets.open("test"));
        assertEquals(List.of("test_cat_z_png"), test.stream().map(Sample::id).toList());
        assertEquals(1, pets.size("val"));
        assertThrows(IllegalArgumentException.class, () -> pets.open("holdout"));

        FolderDataset flat = dataset(data.resolve("pets/train").toString(), "recursive", false);
        assertEquals(List.of("loose_png"), readAll(flat.open("train")).stream().map(Sample::id).toList());
    }

    @Test
    void idsAreSanitisedAndUnique() throws IOException {
        Path root = data.resolve("clash");
        for (String name : List.of("a b.png", "a_b.png", "a+b.png")) {
            write(root.resolve(name), TestSupport.png(2, 2, name.length()));
            write(root.resolve(name.replace(".png", ".txt")), name);
        }
        List<Sample> samples = readAll(dataset("clash").open("train"));
        // sorted relative paths: "a b.png" < "a+b.png" < "a_b.png"
        assertEquals(List.of("a_b_png", "a_b_png-2", "a_b_png-3"), samples.stream().map(Sample::id).toList());
        assertEquals(List.of("a b.png", "a+b.png", "a_b.png"), samples.stream().map(s -> s.captions().get(0).text()).toList());
    }

    @Test
    void aMissingFolderFailsOpenButNotSplitsOrSize() {
        FolderDataset missing = dataset("datasets/nowhere");
        IOException e = assertThrows(IOException.class, () -> missing.open("train"));
        assertEquals("folder dataset photos: folder not found at " + data.resolve("datasets/nowhere").toAbsolutePath(),
                e.getMessage());
        assertEquals(List.of("train"), missing.splits());
        assertEquals(-1, missing.size("train"));
        IllegalArgumentException required = assertThrows(IllegalArgumentException.class,
                () -> new FolderDataset(TestSupport.config(FolderConfig.class, Map.of()), TestSupport.store(data)));
        assertTrue(required.getMessage().contains("'path' is required"), required.getMessage());
    }
}
