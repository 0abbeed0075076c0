package modelc.runtime.io;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Arrays;
import modelc.runtime.Tensor;

/** Reads and writes the raw element data of tensors in either byte order, a chunk at a time. */
final class ElementIO {
    private static final int CHUNK = 1 << 16;

    private ElementIO() {}

    /**
     * Reads the elements of a tensor of {@code shape} from {@code in}, which has {@code available} bytes left
     * if known (else -1: then truncation shows only as the data runs out). If the data ends early, the error
     * names {@code file} and says how many bytes {@code what} needed.
     */
    static Tensor read(InputStream in, ElementType type, int[] shape, ByteOrder order, long available, Path file,
            String what) throws IOException {
        int n = elementCount(shape, file);
        long total = (long) n * type.size;
        if (available >= 0 && available < total) throw truncated(file, what, total, available);
        Object out = switch (type.dtype) {
            case F32 -> new float[n];
            case F64 -> new double[n];
            case I32 -> new int[n];
            case I64 -> new long[n];
            case U8 -> new byte[n];
        };
        byte[] chunk = new byte[CHUNK];
        ByteBuffer buf = ByteBuffer.wrap(chunk).order(order);
        long done = 0;
        int at = 0;
        while (done < total) {
            int want = (int) Math.min(CHUNK, total - done);
            int got = readFully(in, chunk, want);
            if (got < want) throw truncated(file, what, total, done + got);
            buf.clear().limit(want);
            int count = want / type.size;
            decode(buf, type, out, at, count);
            at += count;
            done += want;
        }
        return Tensor.wrap(out, shape);
    }

    private static FormatException truncated(Path file, String what, long needed, long found) {
        return new FormatException(file, "truncated: " + what + " needs " + needed + " bytes of data, found only " + found);
    }

    /** Writes the elements of {@code t} in {@code order}, in the tensor's own dtype. */
    static void write(OutputStream out, Tensor t, ByteOrder order) throws IOException {
        int size = t.dtype().size;
        int n = Math.toIntExact(t.size());
        byte[] chunk = new byte[CHUNK];
        ByteBuffer buf = ByteBuffer.wrap(chunk).order(order);
        for (int at = 0; at < n; ) {
            int count = Math.min(CHUNK / size, n - at);
            buf.clear();
            switch (t.data()) {
                case float[] f -> buf.asFloatBuffer().put(f, at, count);
                case double[] d -> buf.asDoubleBuffer().put(d, at, count);
                case int[] a -> buf.asIntBuffer().put(a, at, count);
                case long[] l -> buf.asLongBuffer().put(l, at, count);
                case byte[] b -> buf.put(b, at, count);
                default -> throw new IllegalStateException();
            }
            out.write(chunk, 0, count * size);
            at += count;
        }
    }

    /** The element count of {@code shape}, checked to be non-negative and to fit a Java array. */
    static int elementCount(int[] shape, Path file) throws FormatException {
        long n = 1;
        for (int d : shape) {
            if (d < 0) throw new FormatException(file, "negative dimension in shape " + Arrays.toString(shape));
            n *= d;
            if (n > Integer.MAX_VALUE - 8) {
                throw new FormatException(file, "shape " + Arrays.toString(shape) + " is too large for one array");
            }
        }
        return (int) n;
    }

    /**
     * Reads up to {@code len} bytes into {@code b}, stopping only at the end of the data; returns how many
     * were read. A compressed stream that ends mid-way counts as the end of the data.
     */
    static int readFully(InputStream in, byte[] b, int len) throws IOException {
        int got = 0;
        try {
            while (got < len) {
                int r = in.read(b, got, len - got);
                if (r < 0) break;
                got += r;
            }
        } catch (EOFException cutShort) {
            // what a compressed stream throws when its data ends early: the data ends here
        }
        return got;
    }

    private static void decode(ByteBuffer b, ElementType type, Object out, int at, int n) {
        switch (type) {
            case BOOL, U8 -> b.get((byte[]) out, at, n);
            case I8 -> { int[] o = (int[]) out; for (int i = 0; i < n; i++) o[at + i] = b.get(); }
            case I16 -> { int[] o = (int[]) out; for (int i = 0; i < n; i++) o[at + i] = b.getShort(); }
            case U16 -> { int[] o = (int[]) out; for (int i = 0; i < n; i++) o[at + i] = b.getShort() & 0xffff; }
            case I32 -> b.asIntBuffer().get((int[]) out, at, n);
            case U32 -> { long[] o = (long[]) out; for (int i = 0; i < n; i++) o[at + i] = b.getInt() & 0xffffffffL; }
            case I64 -> b.asLongBuffer().get((long[]) out, at, n);
            case F16 -> {
                float[] o = (float[]) out;
                for (int i = 0; i < n; i++) o[at + i] = Float.float16ToFloat(b.getShort());
            }
            case BF16 -> {
                float[] o = (float[]) out;
                for (int i = 0; i < n; i++) o[at + i] = Float.intBitsToFloat(b.getShort() << 16);
            }
            case F32 -> b.asFloatBuffer().get((float[]) out, at, n);
            case F64 -> b.asDoubleBuffer().get((double[]) out, at, n);
        }
    }
}
