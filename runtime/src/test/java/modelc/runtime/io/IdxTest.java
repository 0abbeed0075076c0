package modelc.runtime.io;

import static modelc.runtime.io.SafeTensorsTest.assertSame;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.zip.GZIPOutputStream;
import modelc.runtime.DType;
import modelc.runtime.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxTest {
    @TempDir
    Path dir;

    @Test
    void roundTripsPlainAndGzipped() throws Exception {
        byte[] pixels = new byte[3 * 4 * 5];
        for (int i = 0; i < pixels.length; i++) pixels[i] = (byte) (i * 7);
        List<Tensor> tensors = List.of(
                Tensor.ofBytes(pixels, 3, 4, 5),
                Tensor.of(new int[] {-3, 1 << 20}, 2),
                Tensor.of(new float[] {0.5f, -1e9f, 3, 4}, 2, 2),
                Tensor.of(new double[] {Math.E}, 1, 1));
        for (String name : List.of("t-idx", "t-idx.gz")) {
            for (Tensor t : tensors) {
                Path file = dir.resolve(name);
                Idx.write(file, t);
                assertSame(t, Idx.read(file));
            }
        }
        byte[] plain = Files.readAllBytes(dir.resolve("t-idx"));
        assertArrayEquals(new byte[] {0, 0, 0x0E, 2, 0, 0, 0, 1, 0, 0, 0, 1}, Arrays.copyOf(plain, 12));
        byte[] gz = Files.readAllBytes(dir.resolve("t-idx.gz"));
        assertEquals(0x1f, gz[0] & 0xff);
        assertEquals(0x8b, gz[1] & 0xff);
    }

    @Test
    void readsSignedBytesAndShortsAsI32() throws Exception {
        Path bytes = file("b-idx", new byte[] {0, 0, 0x09, 1, 0, 0, 0, 2, -1, 5});
        assertArrayEquals(new int[] {-1, 5}, (int[]) Idx.read(bytes).data());
        Path shorts = file("s-idx", new byte[] {0, 0, 0x0B, 1, 0, 0, 0, 1, (byte) 0xff, (byte) 0xfe});
        Tensor t = Idx.read(shorts);
        assertEquals(DType.I32, t.dtype());
        assertArrayEquals(new int[] {-2}, (int[]) t.data());
    }

    @Test
    void truncatedFilesNameFileAndByteCounts() throws Exception {
        byte[] full = idx(new int[] {10, 28, 28}, 10 * 28 * 28);
        byte[] cut = Arrays.copyOf(full, full.length - 100);
        assertProblem(file("images-idx3-ubyte", cut),
                "truncated: IDX data of shape [10, 28, 28] (U8) needs 7840 bytes of data, found only 7740");
        assertProblem(file("images-idx3-ubyte.gz", gzip(cut)),
                "truncated: IDX data of shape [10, 28, 28] (U8) needs 7840 bytes of data, found only 7740");
        new Random(1).nextBytes(full);
        System.arraycopy(idx(new int[] {10, 28, 28}, 0), 0, full, 0, 16);
        byte[] gz = gzip(full);
        assertProblem(file("cut-idx3-ubyte.gz", Arrays.copyOf(gz, gz.length / 2)), "needs 7840 bytes of data, found only");
        assertProblem(file("huge-idx3-ubyte", idx(new int[] {1 << 20, 1 << 10}, 10)),
                "needs 1073741824 bytes of data, found only 10");
        assertProblem(file("h-idx3-ubyte", Arrays.copyOf(full, 10)), "truncated: the header of 3 dimensions needs 16 bytes");
        assertProblem(file("g-idx3-ubyte.gz", new byte[] {0x1f, (byte) 0x8b}), "truncated gzip data");
    }

    @Test
    void wrongFilesAreRecognised() throws Exception {
        assertProblem(file("a.csv", "label,x\n1,2\n".getBytes()), "not an IDX file: it starts with 0x6c 0x61");
        assertProblem(file("short", new byte[] {0, 0}), "too short for an IDX file: only 2 bytes");
        assertProblem(file("type", new byte[] {0, 0, 0x0A, 1, 0, 0, 0, 0}), "unknown IDX element type 0x0a");
        byte[] longer = Arrays.copyOf(idx(new int[] {2}, 2), 12);
        assertProblem(file("long", longer), "2 unexpected bytes after the IDX data of shape [2] (U8)");
        byte[] gz = gzip(idx(new int[] {2}, 2));
        gz[2] = 7;
        assertProblem(file("bad.gz", gz), "corrupt gzip data: Unsupported compression method");
    }

    @Test
    void refusesToWriteI64() {
        assertThrows(IllegalArgumentException.class, () -> Idx.write(dir.resolve("x"), Tensor.of(new long[] {1}, 1)));
    }

    private static byte[] idx(int[] shape, int dataBytes) {
        ByteBuffer b = ByteBuffer.allocate(4 + 4 * shape.length + dataBytes);
        b.put(new byte[] {0, 0, 0x08, (byte) shape.length});
        for (int d : shape) b.putInt(d);
        return b.array();
    }

    private static byte[] gzip(byte[] data) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(bytes)) {
            out.write(data);
        }
        return bytes.toByteArray();
    }

    private Path file(String name, byte[] content) throws Exception {
        Path file = dir.resolve(name);
        Files.write(file, content);
        return file;
    }

    private static void assertProblem(Path file, String problem) {
        FormatException e = assertThrows(FormatException.class, () -> Idx.read(file));
        assertEquals(file, e.file());
        assertTrue(e.problem().contains(problem), e.getMessage());
    }
}
