package org.synthloom.imageio;

/**
 * What the JPEG marker segments before the first scan say about colour: the number of components,
 * the Adobe APP14 marker and its transform flag, and chroma subsampling. The JDK reader does no
 * colour conversion when it returns a Raster, so these decide how we convert 4-component (CMYK,
 * YCCK) and colour-less 3-component data ourselves.
 *
 * @param components number of frame components, 0 if no SOF marker was found
 * @param adobe whether an Adobe APP14 marker is present; Adobe software writes CMYK inverted
 * @param adobeTransform the marker's transform flag: 0 none (RGB/CMYK), 1 YCbCr, 2 YCCK
 * @param subsampledChroma whether components 2 and 3 are sampled more coarsely than component 1,
 *        which only makes sense for YCCK; used when there is no Adobe marker to say
 */
record JpegHeader(int components, boolean adobe, int adobeTransform, boolean subsampledChroma) {

    /** The transform flag of a YCCK image. */
    static final int TRANSFORM_YCCK = 2;
    /** The transform flag of untransformed RGB or CMYK. */
    static final int TRANSFORM_NONE = 0;

    /** @return whether 4-component data is YCCK rather than CMYK, following libjpeg's rules */
    boolean ycck() {
        return adobe ? adobeTransform == TRANSFORM_YCCK : subsampledChroma;
    }

    /**
     * Scans the marker segments up to the first SOS. Never throws: truncated or malformed
     * headers just yield what was read so far (the ImageIO reader reports the real error).
     */
    static JpegHeader parse(byte[] d) {
        int components = 0;
        boolean adobe = false;
        int transform = -1;
        boolean subsampled = false;
        int i = 2; // after SOI
        while (i + 1 < d.length) {
            if ((d[i] & 0xFF) != 0xFF) {
                break;
            }
            int marker = d[i + 1] & 0xFF;
            if (marker == 0xFF) { // fill byte
                i++;
                continue;
            }
            if (marker == 0x01 || marker == 0xD8 || (marker >= 0xD0 && marker <= 0xD7)) {
                i += 2; // markers without a length
                continue;
            }
            if (marker == 0xDA || marker == 0xD9 || i + 3 >= d.length) {
                break;
            }
            int length = ((d[i + 2] & 0xFF) << 8) | (d[i + 3] & 0xFF);
            int start = i + 4;
            int end = i + 2 + length;
            if (length < 2 || end > d.length) {
                break;
            }
            if (marker == 0xEE && !adobe && end - start >= 12 && d[start] == 'A' && d[start + 1] == 'd'
                    && d[start + 2] == 'o' && d[start + 3] == 'b' && d[start + 4] == 'e') {
                adobe = true;
                transform = d[start + 11] & 0xFF;
            } else if (isStartOfFrame(marker) && end - start >= 6) {
                components = d[start + 5] & 0xFF;
                if (components >= 3 && end - start >= 6 + 3 * 3) {
                    int s0 = d[start + 7] & 0xFF;
                    int s1 = d[start + 10] & 0xFF;
                    int s2 = d[start + 13] & 0xFF;
                    // A larger sampling factor means more samples: components 2 and 3 are
                    // subsampled when component 1's factor exceeds theirs (as Y's does in YCC).
                    subsampled = ((s0 >> 4) > (s1 >> 4) && (s0 >> 4) > (s2 >> 4))
                            || ((s0 & 15) > (s1 & 15) && (s0 & 15) > (s2 & 15));
                }
            }
            i = end;
        }
        return new JpegHeader(components, adobe, transform, subsampled);
    }

    private static boolean isStartOfFrame(int marker) {
        return marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
    }
}
