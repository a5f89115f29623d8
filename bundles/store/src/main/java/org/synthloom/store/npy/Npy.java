package org.synthloom.store.npy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads and writes NumPy's {@code .npy} format. */
public final class Npy {

    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

    private Npy() {}

    /**
     * Encodes an array as a version 1.0 {@code .npy} file (header padded to 64 bytes, as NumPy does).
     *
     * @param array the array
     * @return the file's bytes
     */
    public static byte[] write(NpyArray array) {
        int[] shape = array.shape();
        StringBuilder dims = new StringBuilder();
        for (int d : shape) {
            dims.append(d).append(", ");
        }
        String tuple = shape.length == 1 ? "(" + shape[0] + ",)"
                : "(" + (dims.length() == 0 ? "" : dims.substring(0, dims.length() - 2)) + ")";
        String header = "{'descr': '" + array.dtype().descriptor() + "', 'fortran_order': False, 'shape': " + tuple + ", }";
        int unpadded = MAGIC.length + 2 + 2 + header.length() + 1;
        int padding = (64 - unpadded % 64) % 64;
        String padded = header + " ".repeat(padding) + "\n";
        byte[] data = array.bytes();
        ByteBuffer out = ByteBuffer.allocate(MAGIC.length + 4 + padded.length() + data.length).order(ByteOrder.LITTLE_ENDIAN);
        out.put(MAGIC).put((byte) 1).put((byte) 0).putShort((short) padded.length())
                .put(padded.getBytes(StandardCharsets.ISO_8859_1)).put(data);
        return out.array();
    }

    /**
     * Decodes a {@code .npy} file.
     *
     * @param bytes the file's content
     * @return the array, converted to little-endian
     * @throws IOException if it is not a {@code .npy} file, is truncated, is Fortran-ordered or has
     *     a type this reader does not support; the message says which
     */
    public static NpyArray read(byte[] bytes) throws IOException {
        ByteBuffer in = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        if (bytes.length < 10 || !ByteBuffer.wrap(bytes, 0, MAGIC.length).equals(ByteBuffer.wrap(MAGIC))) {
            throw new IOException("not a .npy file (no \\x93NUMPY magic)");
        }
        in.position(MAGIC.length);
        int major = in.get() & 0xff;
        in.get();
        int headerLength;
        if (major == 1) {
            headerLength = in.getShort() & 0xffff;
        } else if (major == 2 || major == 3) {
            headerLength = in.getInt();
        } else {
            throw new IOException(".npy version " + major + " is not supported (1, 2 and 3 are)");
        }
        if (headerLength < 0 || in.remaining() < headerLength) {
            throw new IOException("truncated .npy header");
        }
        byte[] headerBytes = new byte[headerLength];
        in.get(headerBytes);
        String header = new String(headerBytes, major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        String descr = group(DESCR, header, "descr");
        if ("True".equals(group(FORTRAN, header, "fortran_order"))) {
            throw new IOException("Fortran-ordered arrays are not supported; save with numpy.ascontiguousarray");
        }
        int[] shape = parseShape(group(SHAPE, header, "shape"));
        boolean bigEndian = descr.startsWith(">");
        NpyArray.DType dtype = dtype(descr);
        long count = NpyArray.elementCount(shape);
        long size = count * dtype.size();
        if (in.remaining() < size) {
            throw new IOException("truncated .npy data: shape " + java.util.Arrays.toString(shape) + " of " + descr
                    + " needs " + size + " bytes, " + in.remaining() + " present");
        }
        byte[] data = new byte[(int) size];
        in.get(data);
        if (bigEndian && dtype.size() > 1) {
            for (int i = 0; i < data.length; i += dtype.size()) {
                for (int a = i, b = i + dtype.size() - 1; a < b; a++, b--) {
                    byte t = data[a];
                    data[a] = data[b];
                    data[b] = t;
                }
            }
        }
        return new NpyArray(dtype, shape, data);
    }

    private static String group(Pattern pattern, String header, String key) throws IOException {
        Matcher m = pattern.matcher(header);
        if (!m.find()) {
            throw new IOException(".npy header has no '" + key + "': " + header.trim());
        }
        return m.group(1);
    }

    private static int[] parseShape(String tuple) throws IOException {
        List<Integer> dims = new ArrayList<>();
        for (String part : tuple.split(",")) {
            String d = part.trim().toUpperCase(Locale.ROOT).replace("L", "");
            if (!d.isEmpty()) {
                try {
                    dims.add(Integer.parseInt(d));
                } catch (NumberFormatException e) {
                    throw new IOException("bad .npy shape (" + tuple + ")");
                }
            }
        }
        return dims.stream().mapToInt(Integer::intValue).toArray();
    }

    private static NpyArray.DType dtype(String descr) throws IOException {
        // '<' little, '>' big, '|' not applicable, '=' native (little-endian on the supported platforms)
        if (descr.length() >= 3 && "<>|=".indexOf(descr.charAt(0)) >= 0) {
            String code = descr.substring(1);
            for (NpyArray.DType t : NpyArray.DType.values()) {
                if (t.descriptor().substring(1).equals(code)) {
                    return t;
                }
            }
        }
        throw new IOException("unsupported .npy dtype '" + descr + "' (supported: bool, uint8, int8, int16, uint16,"
                + " int32, int64, float16, float32, float64)");
    }
}
