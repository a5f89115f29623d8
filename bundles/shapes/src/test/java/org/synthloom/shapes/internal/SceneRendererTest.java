package org.synthloom.shapes.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.synthloom.api.data.ImagePixels;

class SceneRendererTest {

    private static Scene scene(String shape, String colour, String texture, String background) {
        return new Scene(List.of(new SceneObject(shape, colour, "large", 0.7, 0.7, 0)), texture, background);
    }

    @Test
    void writesRgbInRowMajorOrder() {
        ImagePixels p = SceneRenderer.render(scene("square", "red", "plain", "grey"), 64);
        assertArrayEquals(new int[] {0xDC, 0x28, 0x28}, TestSupport.pixel(p, 45, 45)); // inside the square
        assertArrayEquals(new int[] {0x80, 0x80, 0x80}, TestSupport.pixel(p, 3, 60)); // plain background
        ImagePixels blue = SceneRenderer.render(scene("circle", "blue", "plain", "beige"), 64);
        assertArrayEquals(new int[] {0x28, 0x50, 0xE0}, TestSupport.pixel(blue, 45, 45));
        assertArrayEquals(new int[] {0xCD, 0xBE, 0x9B}, TestSupport.pixel(blue, 2, 2));
    }

    @Test
    void texturesShowWithoutOverpoweringTheBackgroundColour() {
        for (String background : Vocabulary.BACKGROUNDS.keySet()) {
            int rgb = Vocabulary.BACKGROUNDS.get(background);
            for (String texture : Vocabulary.TEXTURES) {
                ImagePixels p = SceneRenderer.render(scene("circle", "red", texture, background), 64);
                Set<Integer> colours = new HashSet<>();
                long[] sum = new long[3];
                for (int y = 0; y < 24; y++) {
                    for (int x = 0; x < 24; x++) { // the top left corner holds background only
                        int[] c = TestSupport.pixel(p, x, y);
                        colours.add(c[0] << 16 | c[1] << 8 | c[2]);
                        for (int k = 0; k < 3; k++) {
                            sum[k] += c[k];
                        }
                    }
                }
                String what = texture + " " + background;
                assertEquals("plain".equals(texture), colours.size() == 1, what + ": " + colours.size() + " colours");
                int mean = (int) (sum[0] / 576) << 16 | (int) (sum[1] / 576) << 8 | (int) (sum[2] / 576);
                int off = TestSupport.distance(new byte[] {(byte) (mean >> 16), (byte) (mean >> 8), (byte) mean}, 0, rgb);
                assertTrue(off < 80, what + " mean colour is " + off + " away from the background colour");
            }
        }
    }

    @Test
    void everyShapeIsDrawnAtItsPlaceAndDistinctFromTheOthers() {
        Set<ImagePixels> images = new HashSet<>();
        for (String shape : Vocabulary.SHAPES) {
            ImagePixels p = SceneRenderer.render(new Scene(List.of(new SceneObject(shape, "green", "large", 0.5, 0.5, 0)),
                    "plain", "grey"), 64);
            images.add(p);
            int rgb = Vocabulary.COLOURS.get("green");
            double share = TestSupport.countNear(p, rgb, 30) / (64.0 * 64);
            assertTrue(share > 0.05 && share < 0.15, shape + " covers " + share);
            double[] c = TestSupport.centroid(p, rgb, 30);
            assertEquals(0.5, c[0], 0.02, shape);
            assertEquals(0.5, c[1], 0.05, shape);
        }
        assertEquals(6, images.size());
    }
}
