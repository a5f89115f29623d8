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
import org.synthloom.api.data.InputProblem;
import org.synthloom.api.data.Sample;
import org.synthloom.api.data.SampleSource;

/** The COCO captions importer. */
class CocoDatasetTest {

    @TempDir
    Path data;

    CocoDataset dataset(String annotations, Object... more) {
        Map<String, Object> properties = new HashMap<>();
        properties.put("annotations", annotations);
        properties.put("synthloom.name", "coco2017");
        for (int i = 0; i < more.length; i += 2) {
            properties.put((String) more[i], more[i + 1]);
        }
        return new CocoDataset(TestSupport.config(CocoConfig.class, properties), TestSupport.store(data));
    }

    @Test
    void groupsCaptionsByImageInIdOrderSkippingAndRecordingBadEntries() throws IOException {
        Path images = data.resolve("datasets/coco/train2017");
        write(images.resolve("000000000009.jpg"), TestSupport.jpeg(16, 12, 1));
        write(images.resolve("000000000025.jpg"), TestSupport.jpeg(8, 8, 2));
        write(images.resolve("000000000030.png"), TestSupport.png(4, 4, 3));
        write(images.resolve("000000000042.jpg"), TestSupport.truncatedJpeg());
        write(images.resolve("000000000077.png"), TestSupport.corruptPng());
        // annotations before images, unknown members, extra fields: all as in the real files
        Path json = write(data.resolve("datasets/coco/annotations/captions_train2017.json"), """
                {"info": {"description": "COCO 2017", "year": 2017},
                 "licenses": [{"id": 1, "name": "x"}],
                 "annotations": [
                   {"image_id": 25, "id": 1, "caption": "  A giraffe eating leaves. "},
                   {"image_id": 9, "id": 2, "caption": "A plate of food."},
                   {"image_id": 25, "id": 3, "caption": "A tall giraffe.\\n"},
                   {"image_id": 25, "id": 4, "caption": "   "},
                   {"image_id": 30, "id": 5, "caption": "A bed."},
                   {"image_id": 42, "id": 6, "caption": "Truncated."},
                   {"image_id": 77, "id": 7, "caption": "Corrupt."},
                   {"image_id": 88, "id": 8, "caption": "A missing file."},
                   {"image_id": 99, "id": 9, "caption": "Escaping."},
                   {"image_id": 12345, "id": 10, "caption": "No such image."},
                   {"id": 11, "caption": "No image id."}
                 ],
                 "images": [
                   {"license": 1, "file_name": "000000000025.jpg", "id": 25, "height": 8, "width": 8},
                   {"license": 1, "file_name": "000000000009.jpg", "id": 9},
                   {"file_name": "000000000030.png", "id": 30},
                   {"file_name": "000000000042.jpg", "id": 42},
                   {"file_name": "000000000077.png", "id": 77},
                   {"file_name": "000000000088.jpg", "id": 88},
                   {"file_name": "../../../../etc/passwd", "id": 99},
                   {"file_name": "000000000100.jpg", "id": 100}
                 ]}
                """);
        CocoDataset coco = dataset("datasets/coco/annotations/captions_train2017.json", "images", "datasets/coco/train2017");
        assertEquals(List.of("train"), coco.splits());
        assertEquals(List.of(), coco.classNames());
        assertEquals(7, coco.size("train"), "images with a caption");

        SampleSource source = coco.open("train");
        List<Sample> samples = readAll(source);
        assertEquals(List.of("coco2017-9", "coco2017-25", "coco2017-30"), samples.stream().map(Sample::id).toList());
        assertEquals(List.of("A giraffe eating leaves.", "A tall giraffe."),
                samples.get(1).captions().stream().map(Caption::text).toList());
        assertEquals("coco2017", samples.get(1).captions().get(0).provenance().source());
        assertEquals("000000000025.jpg", samples.get(1).metadata().get("file_name"));
        assertEquals(16, samples.get(0).pixels().orElseThrow().width());

        List<InputProblem> problems = source.problems();
        String where = json.toString();
        assertEquals(7, problems.size(), TestSupport.describe(problems));
        assertProblem(problems, where, "annotations[10]", "lacks an \"image_id\"");
        assertProblem(problems, where, "image 100 (000000000100.jpg)", "no caption");
        assertProblem(problems, where, "image_id 12345", "1 caption(s) refer to an image id that \"images\" does not list");
        assertProblem(problems, where, "image 42 (000000000042.jpg)", "truncated JPEG data", "the image is skipped");
        assertProblem(problems, where, "image 77 (000000000077.png)", "corrupt PNG data");
        assertProblem(problems, where, "image 88 (000000000088.jpg)", "image file not found: "
                + images.resolve("000000000088.jpg"));
        assertProblem(problems, where, "image 99 (../../../../etc/passwd)", "escapes the images base", "it is not read");
    }

    @Test
    void theImagesDefaultToTheJsonFolder() throws IOException {
        write(data.resolve("c/1.png"), TestSupport.png(4, 4, 1));
        write(data.resolve("c/captions.json"), "{\"images\":[{\"id\":1,\"file_name\":\"1.png\"}],"
                + "\"annotations\":[{\"image_id\":1,\"caption\":\"one\"}]}");
        CocoDataset coco = dataset(data.resolve("c/captions.json").toString(), "split", "val");
        assertEquals(List.of("val"), coco.splits());
        assertEquals(List.of("coco2017-1"), readAll(coco.open("val")).stream().map(Sample::id).toList());
        assertThrows(IllegalArgumentException.class, () -> coco.open("train"));
    }

    @Test
    void aJsonWithoutAnnotationsIsAClearIoException() throws IOException {
        Path json = write(data.resolve("c/no-annotations.json"), "{\"images\": [{\"id\": 1, \"file_name\": \"1.png\"}]}");
        CocoDataset coco = dataset("c/no-annotations.json");
        IOException e = assertThrows(IOException.class, () -> coco.open("train"));
        assertEquals(json + ": not a COCO captions file: the \"annotations\" array is missing (a captions file has"
                + " \"images\" [{\"id\", \"file_name\"}, ...] and \"annotations\" [{\"image_id\", \"caption\"}, ...])",
                e.getMessage());
        assertEquals(-1, coco.size("train"), "size does not crash");
        Path noImages = write(data.resolve("c/no-images.json"), "{\"annotations\": []}");
        IOException e2 = assertThrows(IOException.class, () -> dataset(noImages.toString()).open("train"));
        assertTrue(e2.getMessage().startsWith(noImages + ": not a COCO captions file: the \"images\" array is missing"),
                e2.getMessage());
        Path notArray = write(data.resolve("c/not-array.json"), "{\"images\": {}, \"annotations\": []}");
        IOException e3 = assertThrows(IOException.class, () -> dataset(notArray.toString()).open("train"));
        assertEquals(notArray + ": not a COCO captions file: \"images\" is an object, not an array", e3.getMessage());
    }

    @Test
    void aMalformedJsonIsAClearIoException() throws IOException {
        Path truncated = write(data.resolve("c/truncated.json"), "{\"images\": [{\"id\": 1, \"file_name\": \"1.png\"}, ");
        IOException e = assertThrows(IOException.class, () -> dataset(truncated.toString()).open("train"));
        assertTrue(e.getMessage().startsWith(truncated + ": does not parse as JSON ("), e.getMessage());
        Path garbage = write(data.resolve("c/garbage.json"), "{\"images\": [1 2 3]}");
        IOException e2 = assertThrows(IOException.class, () -> dataset(garbage.toString()).open("train"));
        assertTrue(e2.getMessage().startsWith(garbage + ": does not parse as JSON ("), e2.getMessage());
        Path array = write(data.resolve("c/array.json"), "[]");
        IOException e3 = assertThrows(IOException.class, () -> dataset(array.toString()).open("train"));
        assertEquals(array + ": not a COCO captions file: the top level is an array, not an object with \"images\" and"
                + " \"annotations\"", e3.getMessage());
        IOException e4 = assertThrows(IOException.class, () -> dataset("c/absent.json").open("train"));
        assertEquals("coco dataset coco2017: annotation file not found at " + data.resolve("c/absent.json").toAbsolutePath(),
                e4.getMessage());
    }
}
