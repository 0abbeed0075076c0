package modelc.runtime.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import modelc.runtime.DType;
import modelc.runtime.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafeTensorsTest {
    @TempDir
    Path dir;

    @Test
    void roundTripsEveryDtypeInOrder() throws Exception {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        tensors.put("w", Tensor.of(new float[] {1.5f, -2f, Float.MAX_VALUE, Float.MIN_VALUE, 0f, -0f}, 2, 3));
        tensors.put("b", Tensor.of(new double[] {Math.PI, -1e300}, 2));
        tensors.put("idx", Tensor.of(new int[] {Integer.MIN_VALUE, 7, Integer.MAX_VALUE}, 3, 1));
        tensors.put("big", Tensor.of(new long[] {Long.MIN_VALUE, Long.MAX_VALUE}, 1, 2));
        tensors.put("pixels", Tensor.ofBytes(new byte[] {0, 127, (byte) 128, (byte) 255}, 2, 2));
        tensors.put("scalar", Tensor.scalar(3, DType.F32));
        tensors.put("empty", Tensor.of(new float[0], 0, 4));
        Path file = dir.resolve("m.safetensors");
        SafeTensors.write(file, tensors, Map.of("format", "pt"));

        Map<String, Tensor> back = SafeTensors.read(file);
        assertEquals(List.copyOf(tensors.keySet()), List.copyOf(back.keySet()));
        for (String name : tensors.keySet()) assertSame(tensors.get(name), back.get(name));
        assertEquals(Map.of("format", "pt"), SafeTensors.readMetadata(file));

        byte[] bytes = Files.readAllBytes(file);
        long headerLen = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertEquals(0, headerLen % 8);
        String header = new String(bytes, 8, (int) headerLen, StandardCharsets.UTF_8);
        assertTrue(header.startsWith("{\"__metadata__\":{\"format\":\"pt\"},\"w\":{\"dtype\":\"F32\",\"shape\":[2,3],"
                + "\"data_offsets\":[0,24]}"), header);
        assertEquals(8 + headerLen + 24 + 16 + 12 + 16 + 4 + 4, bytes.length);
    }

    @Test
    void readsHalfFloatsAsF32AndNarrowIntegersWidened() throws Exception {
        ByteBuffer data = ByteBuffer.allocate(14).order(ByteOrder.LITTLE_ENDIAN);
        data.putShort(Float.floatToFloat16(1.5f)).putShort(Float.floatToFloat16(-2f));
        data.putShort((short) (Float.floatToRawIntBits(0.15625f) >>> 16)).putShort((short) (Float.floatToRawIntBits(-3f) >>> 16));
        data.put((byte) -1).put((byte) 1);
        data.putShort((short) 0xffff);
        Path file = write("{\"h\":{\"dtype\":\"F16\",\"shape\":[2],\"data_offsets\":[0,4]},"
                + "\"bf\":{\"dtype\":\"BF16\",\"shape\":[2],\"data_offsets\":[4,8]},"
                + "\"i8\":{\"dtype\":\"I8\",\"shape\":[2],\"data_offsets\":[8,10]},"
                + "\"u16\":{\"dtype\":\"U16\",\"shape\":[1],\"data_offsets\":[10,12]},"
                + "\"flag\":{\"dtype\":\"BOOL\",\"shape\":[],\"data_offsets\":[12,13]}}", data.array());
        Map<String, Tensor> t = SafeTensors.read(file);
        assertArrayEquals(new float[] {1.5f, -2f}, t.get("h").floats());
        assertArrayEquals(new float[] {0.15625f, -3f}, t.get("bf").floats());
        assertArrayEquals(new int[] {-1, 1}, (int[]) t.get("i8").data());
        assertArrayEquals(new int[] {65535}, (int[]) t.get("u16").data());
        assertEquals(DType.U8, t.get("flag").dtype());
        assertEquals(0, t.get("flag").rank());
    }

    @Test
    void badFilesAreReportedWithFileAndProblem() throws Exception {
        Path tiny = dir.resolve("tiny.safetensors");
        Files.write(tiny, new byte[] {1, 2, 3});
        assertProblem(tiny, "not a safetensors file: only 3 bytes long");

        Path text = dir.resolve("notes.safetensors");
        Files.writeString(text, "these are some notes, not tensors");
        assertProblem(text, "does not fit the file size");

        assertProblem(write("[1, 2]", new byte[0]), "does not start with '{'");
        assertProblem(write("{\"a\": {\"dtype\": \"F32\",}}", new byte[0]), "bad JSON in the header");
        assertProblem(write("{\"a\":{\"dtype\":\"F8_E4M3\",\"shape\":[1],\"data_offsets\":[0,1]}}", new byte[1]),
                "tensor 'a': unsupported dtype F8_E4M3");
        assertProblem(write("{\"a\":{\"dtype\":\"F32\",\"shape\":[2,2],\"data_offsets\":[0,12]}}", new byte[12]),
                "tensor 'a': shape [2, 2] of F32 needs 16 bytes, but data_offsets [0, 12] span 12");
        assertProblem(write("{\"a\":{\"dtype\":\"F32\",\"shape\":[-1],\"data_offsets\":[0,4]}}", new byte[4]),
                "tensor 'a': bad dimension -1");
        assertProblem(write("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0]}}", new byte[8]),
                "\"data_offsets\" must be an array of 2");
        assertProblem(write("{\"__metadata__\":{\"n\":1}}", new byte[0]), "\"__metadata__\" value for \"n\" is not a string");
    }

    @Test
    void truncatedDataIsReported() throws Exception {
        Path file = dir.resolve("cut.safetensors");
        SafeTensors.write(file, Map.of("w", Tensor.of(new float[100], 10, 10)));
        byte[] bytes = Files.readAllBytes(file);
        Files.write(file, Arrays.copyOf(bytes, bytes.length - 10));
        assertProblem(file, "tensor 'w': data_offsets [0, 400] reach beyond the 390 bytes of data in the file: truncated?");
        Files.write(file, Arrays.copyOf(bytes, 20));
        assertProblem(file, "does not fit the file size of 20 bytes");
    }

    @Test
    void failedWriteKeepsTheExistingFile() throws Exception {
        Path file = dir.resolve("keep.safetensors");
        SafeTensors.write(file, Map.of("w", Tensor.of(new float[] {1, 2}, 2)));
        byte[] before = Files.readAllBytes(file);
        assertThrows(IllegalArgumentException.class,
                () -> SafeTensors.write(file, Map.of("__metadata__", Tensor.of(new float[] {1}, 1))));
        assertArrayEquals(before, Files.readAllBytes(file));
    }

    private Path write(String header, byte[] data) throws Exception {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + h.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(h.length).put(h).put(data);
        Path file = Files.createTempFile(dir, "t", ".safetensors");
        Files.write(file, b.array());
        return file;
    }

    private static void assertProblem(Path file, String problem) {
        FormatException e = assertThrows(FormatException.class, () -> SafeTensors.read(file));
        assertEquals(file, e.file());
        assertTrue(e.getMessage().startsWith(file + ": "), e.getMessage());
        assertTrue(e.problem().contains(problem), e.getMessage());
    }

    static void assertSame(Tensor expected, Tensor actual) {
        assertEquals(expected.dtype(), actual.dtype());
        assertArrayEquals(expected.shape(), actual.shape());
        switch (expected.data()) {
            case float[] f -> assertArrayEquals(f, actual.floats());
            case double[] d -> assertArrayEquals(d, actual.doubles());
            case int[] a -> assertArrayEquals(a, (int[]) actual.data());
            case long[] l -> assertArrayEquals(l, (long[]) actual.data());
            case byte[] b -> assertArrayEquals(b, (byte[]) actual.data());
            default -> throw new AssertionError();
        }
    }
}
