package org.synthloom.imageio;

/**
 * The formats {@link ImageCodec} decodes, recognised by their magic bytes. Sniffing ourselves
 * (rather than asking every registered ImageIO plugin) keeps the set of accepted formats fixed,
 * whatever plugins another bundle registers, and lets errors name what the bytes really are.
 */
enum ImageFormat {

    PNG("png"),
    JPEG("jpeg"),
    GIF("gif"),
    BMP("bmp");

    /** For error messages. */
    static final String SUPPORTED = "PNG, JPEG, GIF, BMP";

    private final String imageIoName;

    ImageFormat(String imageIoName) {
        this.imageIoName = imageIoName;
    }

    /** @return the ImageIO format name */
    String imageIoName() {
        return imageIoName;
    }

    /** @return the format the bytes start like, or {@code null} */
    static ImageFormat sniff(byte[] b) {
        if (startsWith(b, 0, 0x89, 'P', 'N', 'G')) {
            return PNG;
        }
        if (startsWith(b, 0, 0xFF, 0xD8, 0xFF)) {
            return JPEG;
        }
        if (startsWith(b, 0, 'G', 'I', 'F', '8')) {
            return GIF;
        }
        if (startsWith(b, 0, 'B', 'M')) {
            return BMP;
        }
        return null;
    }

    /**
     * Names well-known formats that we do not decode, so that the error says "WebP" rather than
     * leaving the reader to guess from hex.
     *
     * @return a name such as {@code WebP}, or {@code null} if the bytes are not recognised
     */
    static String nameUnsupported(byte[] b) {
        if (startsWith(b, 0, 'R', 'I', 'F', 'F') && startsWith(b, 8, 'W', 'E', 'B', 'P')) {
            return "WebP";
        }
        if (startsWith(b, 0, 'I', 'I', 42, 0) || startsWith(b, 0, 'M', 'M', 0, 42)) {
            return "TIFF";
        }
        if (startsWith(b, 4, 'f', 't', 'y', 'p')) {
            if (startsWith(b, 8, 'a', 'v', 'i')) {
                return "AVIF";
            }
            if (startsWith(b, 8, 'h', 'e', 'i') || startsWith(b, 8, 'h', 'e', 'v')
                    || startsWith(b, 8, 'm', 'i', 'f', '1')) {
                return "HEIF/HEIC";
            }
            return "ISO media (MP4/HEIF family)";
        }
        if (startsWith(b, 0, 0, 0, 0, 0x0C, 'j', 'P') || startsWith(b, 0, 0xFF, 0x4F, 0xFF, 0x51)) {
            return "JPEG 2000";
        }
        if (startsWith(b, 0, 0xFF, 0x0A) || startsWith(b, 0, 0, 0, 0, 0x0C, 'J', 'X', 'L')) {
            return "JPEG XL";
        }
        if (startsWith(b, 0, 0, 0, 1, 0)) {
            return "ICO";
        }
        if (startsWith(b, 0, '8', 'B', 'P', 'S')) {
            return "Photoshop PSD";
        }
        // Web crawls often store an HTML error page or an SVG where an image was expected.
        int i = 0;
        while (i < b.length && i < 64 && (b[i] == ' ' || b[i] == '\t' || b[i] == '\r' || b[i] == '\n'
                || (b[i] & 0xFF) == 0xEF || (b[i] & 0xFF) == 0xBB || (b[i] & 0xFF) == 0xBF)) {
            i++;
        }
        if (i < b.length && b[i] == '<') {
            return "text (HTML, XML or SVG)";
        }
        return null;
    }

    /**
     * Whether the file lacks its format's end: PNG's IEND chunk (walking the chunk lengths),
     * JPEG's EOI marker, GIF's trailer byte. Only consulted once a reader has failed, to tell a
     * cut-off download from corrupt data (valid files may carry trailing bytes after their end).
     */
    boolean looksTruncated(byte[] b) {
        return switch (this) {
            case PNG -> {
                long i = 8;
                while (i + 8 <= b.length) {
                    int at = (int) i;
                    long length = ((b[at] & 0xFFL) << 24) | ((b[at + 1] & 0xFF) << 16) | ((b[at + 2] & 0xFF) << 8)
                            | (b[at + 3] & 0xFF);
                    if (b[at + 4] == 'I' && b[at + 5] == 'E' && b[at + 6] == 'N' && b[at + 7] == 'D') {
                        yield false;
                    }
                    i += 12 + length;
                }
                yield true;
            }
            case JPEG -> !(b.length >= 4 && (b[b.length - 2] & 0xFF) == 0xFF && (b[b.length - 1] & 0xFF) == 0xD9);
            case GIF -> b.length < 14 || b[b.length - 1] != 0x3B;
            case BMP -> false; // BMP has no end marker; its reader reports EOF itself
        };
    }

    /** @return the first bytes in hex, for an error message about unrecognised data */
    static String hexPrefix(byte[] b) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < Math.min(b.length, 12); i++) {
            sb.append(i == 0 ? "" : " ").append(String.format("%02X", b[i] & 0xFF));
        }
        return sb.toString();
    }

    private static boolean startsWith(byte[] b, int offset, int... magic) {
        if (b.length < offset + magic.length) {
            return false;
        }
        for (int i = 0; i < magic.length; i++) {
            if ((b[offset + i] & 0xFF) != magic[i]) {
                return false;
            }
        }
        return true;
    }
}
