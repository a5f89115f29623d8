package org.synthloom.datasets.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.synthloom.datasets.internal.TestSupport.assertProblem;
import static org.synthloom.datasets.internal.TestSupport.readAll;
import static org.synthloom.datasets.internal.TestSupport.write;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.synthloom.api.data.InputProblem;
import org.synthloom.api.data.Sample;
import org.synthloom.api.data.SampleSource;

/** The CSV/TSV importer and its RFC 4180 parser. */
class CsvDatasetTest {

    @TempDir
    Path data;

    CsvDataset dataset(String path, Object... more) {
        Map<String, Object> properties = new HashMap<>();
        properties.put("path", path);
        properties.put("synthloom.name", "cc3m");
        for (int i = 0; i < more.length; i += 2) {
            properties.put((String) more[i], more[i + 1]);
        }
        return new CsvDataset(TestSupport.config(CsvConfig.class, properties), TestSupport.store(data));
    }

    @Test
    void readsOpenClipStyleTsvSkippingAndRecordingEveryBadRow() throws IOException {
        Path dir = data.resolve("datasets/cc3m");
        Path images = dir.resolve("images");
        write(images.resolve("a.png"), TestSupport.png(8, 8, 1));
        write(images.resolve("b.jpg"), TestSupport.jpeg(16, 8, 2));
        write(images.resolve("e.png"), TestSupport.png(4, 4, 3));
        write(images.resolve("corrupt.png"), TestSupport.corruptPng());
        write(images.resolve("trunc.jpg"), TestSupport.truncatedJpeg());
        write(images.resolve("huge.png"), TestSupport.pngClaiming(30000, 30000));
        // a perfectly good image outside the base: if it were ever read, a sample would come out of it
        Path outside = write(data.resolve("datasets/outside.png"), TestSupport.png(4, 4, 9));

        ByteArrayOutputStream tsv = new ByteArrayOutputStream();
        String text = String.join("\n",
                "filepath\ttitle",                                            // 1
                "images/a.png\ta red square",                                 // 2
                "images/b.jpg\t\"a caption with a \t tab, \"\"quotes\"\" and", // 3
                "a newline\"",                                                // 4
                "images/c.png",                                               // 5: too few fields
                "../../etc/passwd\thostile",                                  // 6: escapes
                "images/missing.png\tmissing image",                          // 7
                "images/a.png\t   ",                                          // 8: empty caption
                "images/corrupt.png\tcorrupt",                                // 9
                "images/trunc.jpg\ttruncated",                                // 10
                "images/huge.png\thuge",                                      // 11
                outside + "\tabsolute outside",                               // 12: escapes
                "../outside.png\tclimbs to a real image",                     // 13: escapes
                "images/e.png\tthe last good one",                            // 14
                "images/a.png\tbad ");                                        // 15: + invalid UTF-8
        tsv.writeBytes(text.getBytes(StandardCharsets.UTF_8));
        tsv.writeBytes(new byte[] {(byte) 0xFF, 'x', '\n', '\n'});             // 16: blank line
        Path file = write(dir.resolve("train.tsv"), tsv.toByteArray());

        CsvDataset csv = dataset("datasets/cc3m/train.tsv");
        assertEquals(List.of("train"), csv.splits());
        assertEquals(List.of(), csv.classNames());
        assertEquals(12, csv.size("train"), "rows with the header's number of fields");

        SampleSource source = csv.open("train");
        List<Sample> samples = readAll(source); // never throws for a bad row
        assertEquals(List.of("cc3m-2", "cc3m-3", "cc3m-14"), samples.stream().map(Sample::id).toList());
        assertEquals("a red square", samples.get(0).captions().get(0).text());
        assertEquals("a caption with a \t tab, \"quotes\" and\na newline", samples.get(1).captions().get(0).text());
        assertEquals("cc3m", samples.get(1).imageProvenance().source());
        assertEquals("3", samples.get(1).metadata().get("line"));
        assertEquals("images/b.jpg", samples.get(1).metadata().get("image"));
        assertEquals(TestSupport.pixels(8, 8, 1), samples.get(0).pixels().orElseThrow());

        List<InputProblem> problems = source.problems();
        String where = file.toString();
        assertEquals(10, problems.size(), TestSupport.describe(problems));
        assertProblem(problems, where, "line 5", "too few fields: 1 where the header has 2", "the row is skipped");
        assertProblem(problems, where, "line 6", "the image path '../../etc/passwd' escapes the images base " + dir,
                "it is not read");
        assertProblem(problems, where, "line 7", "image file not found: " + images.resolve("missing.png"));
        assertProblem(problems, where, "line 8", "empty caption in column 'title'");
        assertProblem(problems, where, "line 9", "image 'images/corrupt.png'", "corrupt PNG data");
        assertProblem(problems, where, "line 10", "truncated JPEG data");
        assertProblem(problems, where, "line 11", "image too large: 30000x30000 = 900000000 pixels");
        assertProblem(problems, where, "line 12", "escapes the images base");
        assertProblem(problems, where, "line 13", "the image path '../outside.png' escapes the images base");
        assertProblem(problems, where, "line 15", "the caption in column 'title' is not valid UTF-8");
    }

    @Test
    void aMissingColumnNamesTheFileTheColumnAndTheHeader() throws IOException {
        Path file = write(data.resolve("datasets/x/pairs.tsv"), "image\tcaption\turl\nimages/a.png\thello\thttp://x\n");
        CsvDataset csv = dataset("datasets/x/pairs.tsv", "image.column", "image", "split.column", "split",
                "label.column", "url");
        IOException e = assertThrows(IOException.class, () -> csv.open("train"));
        assertEquals(file + ": column 'title' not found; the header has: image, caption, url", e.getMessage());
        // size, splits and class names do not crash
        assertEquals(List.of("train"), csv.splits());
        assertEquals(-1, csv.size("train"));
        assertEquals(List.of(), csv.classNames());

        // the usual mistake, a comma file read as TSV, gets a hint
        Path comma = write(data.resolve("datasets/x/pairs.csv"), "filepath,title\nimages/a.png,hello\n");
        IOException hint = assertThrows(IOException.class, () -> dataset(comma.toString()).open("train"));
        assertEquals(comma + ": column 'filepath' not found; the header has: filepath,title (one column only: is the"
                + " separator right? it is a tab)", hint.getMessage());

        Path empty = write(data.resolve("datasets/x/empty.csv"), "");
        IOException none = assertThrows(IOException.class, () -> dataset(empty.toString()).open("train"));
        assertTrue(none.getMessage().startsWith(empty + ": the file is empty; a header row"), none.getMessage());
        IOException missing = assertThrows(IOException.class, () -> dataset("datasets/x/absent.csv").open("train"));
        assertTrue(missing.getMessage().contains("file not found at " + data.resolve("datasets/x/absent.csv")),
                missing.getMessage());
    }

    @Test
    void commaSeparatedWithSplitAndLabelColumnsAndAnImagesBase() throws IOException {
        Path pics = data.resolve("pictures");
        write(pics.resolve("1.png"), TestSupport.png(4, 4, 1));
        write(pics.resolve("2.png"), TestSupport.png(4, 4, 2));
        write(pics.resolve("3.png"), TestSupport.png(4, 4, 3));
        write(pics.resolve("4.png"), TestSupport.png(4, 4, 4));
        Path file = write(data.resolve("lists/all.csv"), String.join("\r\n",
                "split,filepath,title,label",
                "train,1.png,\"a cat, sleeping\",cat",
                "val,2.png,a dog,dog",
                "train,3.png,\"\"\"quoted\"\" dog\",dog",
                "train,4.png,a bird", // too few fields
                "test,4.png,a bird,bird,", // a trailing separator is tolerated
                ""));
        CsvDataset csv = dataset("lists/all.csv", "separator", ",", "split.column", "split", "label.column", "label",
                "images.base", "pictures");
        assertEquals(List.of("train", "val", "test"), csv.splits());
        assertEquals(List.of("bird", "cat", "dog"), csv.classNames());
        assertEquals(2, csv.size("train"));
        assertEquals(1, csv.size("val"));

        SampleSource train = csv.open("train");
        List<Sample> samples = readAll(train);
        assertEquals(List.of("a cat, sleeping", "\"quoted\" dog"), samples.stream().map(s -> s.captions().get(0).text()).toList());
        assertEquals(List.of(List.of("cat"), List.of("dog")), samples.stream().map(Sample::labels).toList());
        assertProblem(train.problems(), file.toString(), "line 5", "too few fields: 3 where the header has 4");
        assertEquals(List.of("cc3m-6"), readAll(csv.open("test")).stream().map(Sample::id).toList());
        assertThrows(IllegalArgumentException.class, () -> csv.open("holdout"));
    }

    @Test
    void separatorSpellings() {
        assertEquals('\t', CsvDataset.separator("\t"));
        assertEquals('\t', CsvDataset.separator("\\t"));
        assertEquals('\t', CsvDataset.separator("tab"));
        assertEquals('\t', CsvDataset.separator(" ")); // a tab normalised to a space by an XML parser, or trimmed
        assertEquals(',', CsvDataset.separator(","));
        assertEquals(',', CsvDataset.separator("comma"));
        assertEquals(';', CsvDataset.separator(";"));
        assertEquals('|', CsvDataset.separator("pipe"));
        assertThrows(IllegalArgumentException.class, () -> CsvDataset.separator("\""));
        assertThrows(IllegalArgumentException.class, () -> CsvDataset.separator(";;"));
    }

    static List<List<String>> parse(String text, char separator) throws IOException {
        List<List<String>> rows = new ArrayList<>();
        try (CsvParser parser = new CsvParser(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), separator)) {
            for (CsvParser.Record r = parser.next(); r != null; r = parser.next()) {
                assertNull(r.error(), r.error());
                List<String> row = new ArrayList<>();
                row.add("@" + r.line());
                for (byte[] f : r.fields()) {
                    row.add(new String(f, StandardCharsets.UTF_8));
                }
                rows.add(row);
            }
        }
        return rows;
    }

    @Test
    void parserFollowsRfc4180() throws IOException {
        assertEquals(List.of(List.of("@1", "a", "b,c", "d\"e"), List.of("@2", "", "", "")),
                parse("a,\"b,c\",\"d\"\"e\"\n,,", ','));
        // quoted line breaks (LF, CRLF), line numbers of the records' first lines, CR-only line ends, BOM
        assertEquals(List.of(List.of("@1", "x", "1\n2"), List.of("@3", "y", "3\r\n4"), List.of("@6", "z", "5"),
                List.of("@7", "w", "6")), parse("\uFEFFx,\"1\n2\"\r\ny,\"3\r\n4\"\n\nz,5\rw,6", ','));
        // lenient: a quote inside an unquoted field is a character; text after a closing quote is kept
        assertEquals(List.of(List.of("@1", "5\" disk", "ab c")), parse("5\" disk\t\"ab\" c", '\t'));
        try (CsvParser parser = new CsvParser(new ByteArrayInputStream("h\n\"never closed\nmore".getBytes(StandardCharsets.UTF_8)),
                ',')) {
            assertEquals("h", new String(parser.next().fields().get(0), StandardCharsets.UTF_8));
            CsvParser.Record bad = parser.next();
            assertEquals("a quoted field opened on line 2 is not closed before the end of the file", bad.error());
            assertNull(parser.next());
        }
    }

    @Test
    void anUnclosedQuoteIsRecordedNotThrown() throws IOException {
        write(data.resolve("q/a.png"), TestSupport.png(4, 4, 1));
        Path file = write(data.resolve("q/list.tsv"), "filepath\ttitle\na.png\tfine\na.png\t\"unclosed\n");
        SampleSource source = dataset("q/list.tsv").open("train");
        assertEquals(1, readAll(source).size());
        assertProblem(source.problems(), file.toString(), "line 3", "a quoted field opened on line 3 is not closed");
    }
}
