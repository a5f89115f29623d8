package org.synthloom.store.npy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.synthloom.store.PythonWithNumpy;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

class NpyTest {

    @TempDir
    Path dir;

    @Test
    void roundTripsIntsAndFloatsWithTheirShapes() throws IOException {
        NpyArray ints = NpyArray.ofInts(new int[] {1, -2, 3, 4, 5, 6}, 2, 3);
        NpyArray back = Npy.read(Npy.write(ints));
        assertEquals(ints, back);
        assertArrayEquals(new int[] {2, 3}, back.shape());
        assertArrayEquals(new int[] {1, -2, 3, 4, 5, 6}, back.toIntArray());
        NpyArray floats = NpyArray.ofFloats(new float[] {0.5f, -1.25f}, 2);
        assertArrayEquals(new float[] {0.5f, -1.25f}, Npy.read(Npy.write(floats)).toFloatArray());
        NpyArray scalar = NpyArray.ofFloats(new float[] {7f});
        assertEquals(0, Npy.read(Npy.write(scalar)).shape().length);
    }

    @Test
    void headerIsPaddedTo64BytesAsNumpyWritesIt() {
        byte[] bytes = Npy.write(NpyArray.ofInts(new int[] {1}, 1));
        int headerLength = (bytes[8] & 0xff) | (bytes[9] & 0xff) << 8;
        assertEquals(0, (10 + headerLength) % 64);
        assertEquals('\n', bytes[10 + headerLength - 1]);
    }

    @Test
    void rejectsWhatItCannotReadWithAReason() {
        assertTrue(assertThrows(IOException.class, () -> Npy.read("hello".getBytes())).getMessage().contains("magic"));
        byte[] valid = Npy.write(NpyArray.ofInts(new int[] {1, 2, 3, 4}, 4));
        IOException truncated = assertThrows(IOException.class, () -> Npy.read(Arrays.copyOf(valid, valid.length - 3)));
        assertTrue(truncated.getMessage().contains("truncated"), truncated.getMessage());
    }

    @Test
    void numpyReadsWhatWeWrite() throws Exception {
        Path file = dir.resolve("tokens.npy");
        Files.write(file, Npy.write(NpyArray.ofInts(new int[] {0, 511, 7, 42, 3, 9}, 2, 3)));
        JsonObject read = JsonParser.parseString(PythonWithNumpy.run("npy-read", file.toString())).getAsJsonObject();
        assertEquals("int32", read.get("dtype").getAsString());
        assertEquals("[2,3]", read.get("shape").toString());
        assertEquals("[0,511,7,42,3,9]", read.get("values").toString());
        Path floats = dir.resolve("emb.npy");
        Files.write(floats, Npy.write(NpyArray.ofFloats(new float[] {0.25f, -3f}, 1, 2)));
        JsonObject f = JsonParser.parseString(PythonWithNumpy.run("npy-read", floats.toString())).getAsJsonObject();
        assertEquals("float32", f.get("dtype").getAsString());
        assertEquals("[0.25,-3.0]", f.get("values").toString());
    }

    @Test
    void weReadWhatNumpyWrites() throws Exception {
        PythonWithNumpy.run("npy-write", dir.toString());
        assertArrayEquals(new int[] {-5, -4, -3, -2, -1, 0, 1, 2, 3, 4, 5, 6}, read("int32").toIntArray());
        assertArrayEquals(new int[] {3, 4}, read("int32").shape());
        assertThrows(IllegalStateException.class, () -> read("int64").toIntArray(), "2**40 does not fit in an int");
        assertEquals(NpyArray.DType.INT64, read("int64").dtype());
        assertArrayEquals(new int[] {0, 1, 2, 3, 4}, read("bigendian").toIntArray());
        assertArrayEquals(new int[] {0, 7, 255}, read("uint8").toIntArray());
        assertArrayEquals(new float[] {0.5f, -2f, 1024f}, read("float16").toFloatArray());
        assertArrayEquals(new float[] {-1f, -0.6f, -0.2f, 0.2f, 0.6f, 1f}, read("float32").toFloatArray(), 1e-6f);
        assertEquals((float) Math.PI, read("float64").toFloatArray()[0], 1e-6f);
        assertEquals(0, read("scalar").shape().length);
        assertEquals(3.25f, read("scalar").toFloatArray()[0]);
        IOException fortran = assertThrows(IOException.class, () -> read("fortran"));
        assertTrue(fortran.getMessage().contains("Fortran"), fortran.getMessage());
    }

    private NpyArray read(String name) throws IOException {
        return Npy.read(Files.readAllBytes(dir.resolve(name + ".npy")));
    }
}
