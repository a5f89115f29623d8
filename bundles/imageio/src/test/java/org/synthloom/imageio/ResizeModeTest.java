package org.synthloom.imageio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Parsing of img2dataset's resize_mode values. */
class ResizeModeTest {

    @Test
    void parsesConfigValues() {
        assertEquals(ResizeMode.NO, ResizeMode.parse("no"));
        assertEquals(ResizeMode.KEEP_RATIO, ResizeMode.parse("keep_ratio"));
        assertEquals(ResizeMode.KEEP_RATIO, ResizeMode.parse("Keep-Ratio"));
        assertEquals(ResizeMode.CENTER_CROP, ResizeMode.parse("center_crop"));
        assertEquals(ResizeMode.CENTER_CROP, ResizeMode.parse("CENTER-CROP"));
        assertEquals(ResizeMode.BORDER, ResizeMode.parse(" border "));
        for (ResizeMode mode : ResizeMode.values()) {
            assertEquals(mode, ResizeMode.parse(mode.configName()));
        }
    }

    @Test
    void rejectsOtherValuesListingTheValidOnes() {
        for (String bad : new String[] {"stretch", "", "centercrop", null}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ResizeMode.parse(bad));
            assertTrue(e.getMessage().contains("no, keep_ratio, center_crop, border"), e.getMessage());
        }
    }
}
