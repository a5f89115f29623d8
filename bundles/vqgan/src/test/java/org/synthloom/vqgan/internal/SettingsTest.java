package org.synthloom.vqgan.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.synthloom.api.data.Provenance;
import org.synthloom.api.data.Sample;
import org.synthloom.testkit.Configs;
import org.synthloom.testkit.TestFitContext;

/** Configuration checks: every bad value is refused with a message naming the PID, the property and the value. */
class SettingsTest {

    @Test
    void theDefaultsAreValid() {
        Settings s = Settings.of(Configs.defaults(VqGanConfig.class));
        assertEquals(2, s.levels());
        assertEquals(8, s.gridSize(32));
        assertEquals(16, s.width(0));
        assertEquals(32, s.width(s.levels()));
    }

    @Test
    void channelsHalvePerFinerLevelDownToSixteen() {
        Settings s = Settings.of(Configs.of(VqGanConfig.class, Map.of("channels", 128, "downsample", 8)));
        assertEquals(3, s.levels());
        assertEquals(List.of(16, 32, 64, 128), List.of(s.width(0), s.width(1), s.width(2), s.width(3)));
    }

    @Test
    void badValuesNameThePidThePropertyAndTheValue() {
        Object[][] cases = {
            {"downsample", 6}, {"downsample", 1}, {"downsample", 0}, {"codebook.size", 1}, {"channels", 0},
            {"embedding.dim", -3}, {"beta", -0.5}, {"beta", Double.NaN}, {"autoencoder.steps", 0}, {"steps", 0},
            {"batch.size", 0}, {"learning.rate", 0.0}, {"learning.rate", Double.POSITIVE_INFINITY},
            {"kmeans.samples", 0}, {"kmeans.iterations", -1},
        };
        for (Object[] c : cases) {
            String property = (String) c[0];
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> Settings.of(Configs.of(VqGanConfig.class, Map.of(property, c[1]))), property + "=" + c[1]);
            assertNames(e, property, String.valueOf(c[1]));
        }
    }

    @Test
    void aDownsamplingThatDoesNotDivideTheImageSizeIsRefused() {
        VqGan vqgan = new VqGan("test", Settings.of(Configs.of(VqGanConfig.class, Map.of("downsample", 8))));
        assertEquals(4, vqgan.gridSize(32));
        assertNames(assertThrows(IllegalArgumentException.class, () -> vqgan.gridSize(20)), "downsample", "8");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> vqgan.gridSize(20)).getMessage().contains("20x20"));
    }

    @Test
    void aFitOnImagesTheDownsamplingDoesNotDivideFailsBeforeTraining(@TempDir Path dir) throws Exception {
        VqGan vqgan = new VqGan("test", Settings.of(Configs.of(VqGanConfig.class, Map.of("downsample", 8))));
        try (TestFitContext context = TestFitContext.builder(dir, samples()).imageSize(20).build()) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> vqgan.fit(context));
            assertNames(e, "downsample", "8");
            assertTrue(context.losses("vqgan-ae").isEmpty());
        }
    }

    private static List<Sample> samples() {
        return VqGanBlockTest.randomImages(2, 20, 1).stream().map(p -> Sample.builder("random").pixels(p)
                .imageProvenance(Provenance.human("random")).build())
                .toList();
    }

    private static void assertNames(IllegalArgumentException e, String property, String value) {
        String m = e.getMessage();
        assertTrue(m.contains(VqGan.PID) && m.contains(property) && m.contains(value), m);
    }
}
