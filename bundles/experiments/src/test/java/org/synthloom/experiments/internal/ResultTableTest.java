package org.synthloom.experiments.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResultTableTest {

    @TempDir
    Path dir;

    private static ResultTable table() {
        ResultTable t = new ResultTable("synth2", "human vs human+synthetic", List.of("human", "human-syn", "never-ran"),
                List.of());
        Map<String, Double> first = new java.util.LinkedHashMap<>();
        first.put("cider_d", 0.40);
        first.put("bleu_4", 0.10);
        t.add(new ResultTable.Entry("human", 1, "r1", first)); // metrics keep the order the first run reported them in
        t.add(new ResultTable.Entry("human", 2, "r2", Map.of("cider_d", 0.50, "bleu_4", 0.20)));
        t.add(new ResultTable.Entry("human", 3, "r3", Map.of("cider_d", 0.60, "bleu_4", 0.30)));
        t.add(new ResultTable.Entry("human-syn", 1, "r4", Map.of("cider_d", 0.90)));
        return t;
    }

    @Test
    void meanAndSampleSpreadPerVariantAndMetric() {
        ResultTable t = table();
        assertEquals(List.of(0.40, 0.50, 0.60), t.values("human", "cider_d"));
        assertEquals(0.5, ResultTable.mean(t.values("human", "cider_d")), 1e-12);
        assertEquals(0.1, ResultTable.spread(t.values("human", "cider_d")), 1e-12, "sample standard deviation");
        assertEquals(0.0, ResultTable.spread(t.values("human-syn", "cider_d")));
        assertTrue(Double.isNaN(ResultTable.spread(List.of())));
        t.add(new ResultTable.Entry("human", 3, "r3b", Map.of("cider_d", 0.70)));
        assertEquals(List.of(0.40, 0.50, 0.70), t.values("human", "cider_d"), "a seed's newer run replaces its older");
    }

    @Test
    void markdownAndCsvShowEveryVariantAndMetric() {
        String md = table().markdown();
        assertTrue(md.contains("| variant | cider_d | bleu_4 |"), md);
        assertTrue(md.contains("| human | 0.5000 ± 0.1000 (3) | 0.2000 ± 0.1000 (3) |"), md);
        assertTrue(md.contains("| human-syn | 0.9000 ± 0.0000 (1) | - |"), md);
        assertTrue(md.contains("| never-ran | - | - |"), md);
        String csv = table().csv();
        assertTrue(csv.startsWith("variant,metric,mean,spread,runs,values\n"), csv);
        String line = csv.lines().filter(l -> l.startsWith("human,cider_d,")).findFirst().orElseThrow();
        String[] cells = line.split(",");
        assertEquals(0.5, Double.parseDouble(cells[2]), 1e-12);
        assertEquals(0.1, Double.parseDouble(cells[3]), 1e-12);
        assertEquals("3", cells[4]);
        assertEquals("0.4;0.5;0.6", cells[5]);
    }

    @Test
    void writesTheTablesAndAPlotPerMetric() throws Exception {
        Path md = table().write(dir);
        assertEquals(dir.resolve("results.md"), md);
        assertTrue(Files.readString(dir.resolve("results.json")).contains("\"runId\": \"r4\""));
        for (String metric : List.of("cider_d", "bleu_4")) {
            BufferedImage png = ImageIO.read(dir.resolve(metric + ".png").toFile());
            assertTrue(png.getWidth() >= 320 && png.getHeight() > 300);
            int barPixels = 0;
            for (int y = 0; y < png.getHeight(); y++) {
                for (int x = 0; x < png.getWidth(); x++) {
                    if ((png.getRGB(x, y) & 0xffffff) == 0x4C78A8) {
                        barPixels++;
                    }
                }
            }
            assertTrue(barPixels > 1000, metric + ": bars drawn (" + barPixels + " pixels)");
        }
        assertEquals("image_to_text_R_1", ResultTable.fileName("image_to_text_R@1"));
    }
}
