package modelc.runtime.io;

import static modelc.runtime.io.SafeTensorsTest.assertSame;
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
import java.util.List;
import modelc.runtime.DType;
import modelc.runtime.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NpyTest {
    @TempDir
    Path dir;

    @Test
    void roundTripsEveryDtype() throws Exception {
        List<Tensor> tensors = List.of(
                Tensor.of(new float[] {1, -2.5f, 3, 4, 5, Float.NaN}, 2, 3),
                Tensor.of(new double[] {1e-300, -7}, 2),
                Tensor.of(new int[] {-1, 0, 1, Integer.MAX_VALUE}, 2, 1, 2),
                Tensor.of(new long[] {Long.MIN_VALUE}, 1),
                Tensor.ofBytes(new byte[] {(byte) 200, 3}, 2),
                Tensor.scalar(2.5, DType.F64),
                Tensor.of(new float[0], 0, 3));
        for (Tensor t : tensors) {
            Path file = dir.resolve("a.npy");
            Npy.write(file, t);
            byte[] bytes = Files.readAllBytes(file);
            int headerEnd = 10 + (ByteBuffer.wrap(bytes, 8, 2).order(ByteOrder.LITTLE_ENDIAN).getShort() & 0xffff);
            assertEquals(0, headerEnd % 64, "data aligned to 64 bytes");
            assertEquals('\n', bytes[headerEnd - 1]);
            assertSame(t, Npy.read(file));
        }
        Npy.write(dir.resolve("s.npy"), Tensor.of(new float[] {1, 2, 3}, 3));
        byte[] bytes = Files.readAllBytes(dir.resolve("s.npy"));
        String header = new String(bytes, 10, bytes.length - 10 - 12, StandardCharsets.ISO_8859_1);
        assertEquals("{'descr': '<f4', 'fortran_order': False, 'shape': (3,), }", header.strip());
    }

    @Test
    void readsBigEndianNarrowAndNewerVersions() throws Exception {
        ByteBuffer be = ByteBuffer.allocate(16).order(ByteOrder.BIG_ENDIAN).putDouble(1.25).putDouble(-3);
        assertArrayEquals(new double[] {1.25, -3},
                Npy.read(npy(1, "{'descr': '>f8', 'fortran_order': False, 'shape': (2,), }", be.array())).doubles());
        ByteBuffer i2 = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putShort((short) -5).putShort((short) 9);
        Tensor shorts = Npy.read(npy(2, "{\"descr\": \"<i2\", \"fortran_order\": False, \"shape\": (1, 2)}", i2.array()));
        assertEquals(DType.I32, shorts.dtype());
        assertArrayEquals(new int[] {-5, 9}, (int[]) shorts.data());
        Tensor bools = Npy.read(npy(3, "{'descr': '|b1', 'fortran_order': False, 'shape': (3L,), }", new byte[] {1, 0, 1}));
        assertArrayEquals(new byte[] {1, 0, 1}, (byte[]) bools.data());
    }

    @Test
    void transposesFortranOrder() throws Exception {
        // numpy.asfortranarray(numpy.arange(24).reshape(2, 3, 4)): column-major bytes
        int[] shape = {2, 3, 4};
        ByteBuffer data = ByteBuffer.allocate(24 * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int k = 0; k < 4; k++) for (int j = 0; j < 3; j++) for (int i = 0; i < 2; i++) data.putInt(i * 12 + j * 4 + k);
        Tensor t = Npy.read(npy(1, "{'descr': '<i4', 'fortran_order': True, 'shape': (2, 3, 4), }", data.array()));
        assertArrayEquals(shape, t.shape());
        int[] expected = new int[24];
        Arrays.setAll(expected, i -> i);
        assertArrayEquals(expected, (int[]) t.data());
    }

    @Test
    void badFilesAreReportedWithFileAndProblem() throws Exception {
        Path text = dir.resolve("x.npy");
        Files.writeString(text, "x,y\n1,2\n");
        assertProblem(text, "not a .npy file");

        Path cut = dir.resolve("cut.npy");
        Npy.write(cut, Tensor.of(new float[10], 10));
        byte[] bytes = Files.readAllBytes(cut);
        Files.write(cut, Arrays.copyOf(bytes, bytes.length - 3));
        assertProblem(cut, "truncated: array of shape (10,) and dtype <f4 needs 40 bytes of data, found only 37");
        Files.write(cut, Arrays.copyOf(bytes, 30));
        assertProblem(cut, "header length 118 exceeds the file size");

        assertProblem(npy(1, "{'descr': '<c8', 'fortran_order': False, 'shape': (1,), }", new byte[8]),
                "unsupported dtype '<c8'");
        assertProblem(npy(1, "{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (1,), }", new byte[4]),
                "bad header (expected a string");
        assertProblem(npy(1, "{'descr': '<f4', 'shape': (1,), }", new byte[4]), "'fortran_order' is not True or False");
        assertProblem(npy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (1,-2), }", new byte[4]),
                "bad header (expected a dimension");

        Path future = npy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (1,), }", new byte[4]);
        byte[] b = Files.readAllBytes(future);
        b[6] = 4;
        Files.write(future, b);
        assertProblem(future, "unsupported .npy version 4.0");
    }

    private Path npy(int version, String dict, byte[] data) throws Exception {
        byte[] header = (dict + "\n").getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(12 + header.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', (byte) version, 0});
        if (version == 1) b.putShort((short) header.length);
        else b.putInt(header.length);
        b.put(header).put(data);
        Path file = Files.createTempFile(dir, "t", ".npy");
        Files.write(file, Arrays.copyOf(b.array(), b.position()));
        return file;
    }

    private static void assertProblem(Path file, String problem) {
        FormatException e = assertThrows(FormatException.class, () -> Npy.read(file));
        assertEquals(file, e.file());
        assertTrue(e.problem().contains(problem), e.getMessage());
    }
}
