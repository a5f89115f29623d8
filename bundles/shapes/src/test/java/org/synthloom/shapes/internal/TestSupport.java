package org.synthloom.shapes.internal;

import org.synthloom.testkit.Configs;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.synthloom.api.data.ImagePixels;

/** Pixel counting and configuration instances for the tests. */
final class TestSupport {

    private TestSupport() {}

    /** @return how many pixels are within {@code tolerance} (sum of channel differences) of a colour */
    static int countNear(ImagePixels p, int rgb, int tolerance) {
        int count = 0;
        byte[] d = p.data();
        for (int i = 0; i < d.length; i += 3) {
            if (distance(d, i, rgb) <= tolerance) {
                count++;
            }
        }
        return count;
    }

    /** @return the centroid {x, y} (fractions of the side) of the pixels near a colour */
    static double[] centroid(ImagePixels p, int rgb, int tolerance) {
        double sx = 0;
        double sy = 0;
        int n = 0;
        byte[] d = p.data();
        for (int y = 0; y < p.height(); y++) {
            for (int x = 0; x < p.width(); x++) {
                if (distance(d, 3 * (y * p.width() + x), rgb) <= tolerance) {
                    sx += x + 0.5;
                    sy += y + 0.5;
                    n++;
                }
            }
        }
        return new double[] {sx / n / p.width(), sy / n / p.height()};
    }

    /** @return the {r, g, b} of a pixel */
    static int[] pixel(ImagePixels p, int x, int y) {
        int i = 3 * (y * p.width() + x);
        return new int[] {p.data()[i] & 0xFF, p.data()[i + 1] & 0xFF, p.data()[i + 2] & 0xFF};
    }

    static int distance(byte[] d, int i, int rgb) {
        return Math.abs((d[i] & 0xFF) - (rgb >> 16 & 0xFF)) + Math.abs((d[i + 1] & 0xFF) - (rgb >> 8 & 0xFF))
                + Math.abs((d[i + 2] & 0xFF) - (rgb & 0xFF));
    }

    /** @return the caption's words */
    static List<String> words(String text) {
        return Arrays.asList(text.toLowerCase(Locale.ROOT).split("[^a-z]+"));
    }

    /**
     * An instance of a configuration annotation, as Declarative Services would pass it: the given
     * values by method name, the annotation's defaults for the rest.
     */
    static <A extends java.lang.annotation.Annotation> A config(Class<A> type, Map<String, Object> values) {
        return Configs.of(type, values);
    }
}
