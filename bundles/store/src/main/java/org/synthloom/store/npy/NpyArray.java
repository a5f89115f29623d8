package org.synthloom.store.npy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Objects;

/**
 * An n-dimensional array read from or written to a {@code .npy} file: a NumPy dtype, a shape and
 * the elements in C (row-major) order, stored little-endian.
 */
public final class NpyArray {

    /** The element types supported, with their NumPy type string (little-endian). */
    public enum DType {
        /** {@code bool}. */
        BOOL("|b1", 1),
        /** {@code uint8}. */
        UINT8("|u1", 1),
        /** {@code int8}. */
        INT8("|i1", 1),
        /** {@code int16}. */
        INT16("<i2", 2),
        /** {@code uint16}. */
        UINT16("<u2", 2),
        /** {@code int32}. */
        INT32("<i4", 4),
        /** {@code int64}. */
        INT64("<i8", 8),
        /** {@code float16}. */
        FLOAT16("<f2", 2),
        /** {@code float32}. */
        FLOAT32("<f4", 4),
        /** {@code float64}. */
        FLOAT64("<f8", 8);

        private final String descriptor;
        private final int size;

        DType(String descriptor, int size) {
            this.descriptor = descriptor;
            this.size = size;
        }

        /** @return NumPy's little-endian type string, e.g. {@code <i4} */
        public String descriptor() {
            return descriptor;
        }

        /** @return bytes per element */
        public int size() {
            return size;
        }

        /** @return {@code true} for integer and boolean types */
        public boolean isIntegral() {
            return this != FLOAT16 && this != FLOAT32 && this != FLOAT64;
        }
    }

    private final DType dtype;
    private final int[] shape;
    private final ByteBuffer data;

    /**
     * @param dtype the element type
     * @param shape the dimensions; empty for a scalar
     * @param littleEndianData {@code product(shape) * dtype.size()} bytes in C order, little-endian
     */
    public NpyArray(DType dtype, int[] shape, byte[] littleEndianData) {
        this.dtype = Objects.requireNonNull(dtype, "dtype");
        this.shape = shape.clone();
        long count = elementCount(shape);
        if (count * dtype.size() != littleEndianData.length) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " of " + dtype + " needs "
                    + count * dtype.size() + " bytes, got " + littleEndianData.length);
        }
        this.data = ByteBuffer.wrap(littleEndianData).order(ByteOrder.LITTLE_ENDIAN);
    }

    /**
     * @param values int32 elements
     * @param shape their shape
     * @return the array
     */
    public static NpyArray ofInts(int[] values, int... shape) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.asIntBuffer().put(values);
        return new NpyArray(DType.INT32, shape, b.array());
    }

    /**
     * @param values float32 elements
     * @param shape their shape
     * @return the array
     */
    public static NpyArray ofFloats(float[] values, int... shape) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(values);
        return new NpyArray(DType.FLOAT32, shape, b.array());
    }

    static long elementCount(int[] shape) {
        long count = 1;
        for (int d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(shape));
            }
            count *= d;
        }
        return count;
    }

    /** @return the element type */
    public DType dtype() {
        return dtype;
    }

    /** @return a copy of the shape */
    public int[] shape() {
        return shape.clone();
    }

    /** @return the number of elements */
    public int size() {
        return (int) elementCount(shape);
    }

    /** @return a copy of the raw little-endian bytes */
    public byte[] bytes() {
        return data.array().clone();
    }

    /**
     * Converts integral elements to int.
     *
     * @return the elements
     * @throws IllegalStateException if the type is not integral or a value does not fit in an int
     */
    public int[] toIntArray() {
        if (!dtype.isIntegral()) {
            throw new IllegalStateException("array of " + dtype.descriptor() + " holds floating-point values, not integers");
        }
        int[] out = new int[size()];
        for (int i = 0; i < out.length; i++) {
            long v = integral(i);
            if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
                throw new IllegalStateException("element " + i + " = " + v + " does not fit in an int");
            }
            out[i] = (int) v;
        }
        return out;
    }

    /** @return the elements as float32 (integers converted, float64 rounded) */
    public float[] toFloatArray() {
        float[] out = new float[size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = switch (dtype) {
                case FLOAT16 -> halfToFloat(data.getShort(2 * i));
                case FLOAT32 -> data.getFloat(4 * i);
                case FLOAT64 -> (float) data.getDouble(8 * i);
                default -> integral(i);
            };
        }
        return out;
    }

    /** IEEE 754 binary16 to float (Float.float16ToFloat is Java 20+). */
    static float halfToFloat(short half) {
        int bits = half & 0xffff;
        int sign = (bits & 0x8000) << 16;
        int exponent = (bits >>> 10) & 0x1f;
        int mantissa = bits & 0x3ff;
        if (exponent == 0x1f) {
            return Float.intBitsToFloat(sign | 0x7f800000 | mantissa << 13);
        }
        if (exponent == 0) {
            if (mantissa == 0) {
                return Float.intBitsToFloat(sign);
            }
            float value = mantissa / 1024f * (float) Math.pow(2, -14);
            return sign == 0 ? value : -value;
        }
        return Float.intBitsToFloat(sign | (exponent + 112) << 23 | mantissa << 13);
    }

    private long integral(int i) {
        return switch (dtype) {
            case BOOL, UINT8 -> data.get(i) & 0xff;
            case INT8 -> data.get(i);
            case INT16 -> data.getShort(2 * i);
            case UINT16 -> data.getShort(2 * i) & 0xffff;
            case INT32 -> data.getInt(4 * i);
            case INT64 -> data.getLong(8 * i);
            default -> throw new IllegalStateException(dtype + " is not integral");
        };
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NpyArray a && dtype == a.dtype && Arrays.equals(shape, a.shape) && data.equals(a.data);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * dtype.hashCode() + Arrays.hashCode(shape)) + data.hashCode();
    }

    @Override
    public String toString() {
        return "NpyArray[" + dtype.descriptor() + " " + Arrays.toString(shape) + "]";
    }
}
