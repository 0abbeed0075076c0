package modelc.runtime.io;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipException;
import modelc.runtime.Tensor;

/**
 * The IDX format of MNIST: bytes 0 0, an element type code, the rank, one big-endian int per dimension,
 * then big-endian data. Gzipped files are recognised by their magic bytes. Type codes 0x08 (unsigned byte,
 * read as U8), 0x09 (signed byte), 0x0B (short), 0x0C (int, all read as I32), 0x0D (float, F32),
 * 0x0E (double, F64).
 */
public final class Idx {
    private Idx() {}

    public static Tensor read(Path file) throws IOException {
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            raw.mark(2);
            boolean gzip = raw.read() == 0x1f && raw.read() == 0x8b;
            raw.reset();
            try (InputStream in = gzip ? new GZIPInputStream(raw, 1 << 16) : raw) {
                return read(in, file, gzip ? -1 : Files.size(file));
            } catch (EOFException e) {
                throw new FormatException(file, "truncated gzip data");
            } catch (ZipException e) {
                throw new FormatException(file, "corrupt gzip data: " + e.getMessage());
            }
        }
    }

    /** Reads from {@code in}, the decompressed content of {@code file} of {@code fileSize} bytes if known, else -1. */
    private static Tensor read(InputStream in, Path file, long fileSize) throws IOException {
        String decompressed = fileSize < 0 ? "decompressed " : "";
        byte[] magic = new byte[4];
        int got = ElementIO.readFully(in, magic, 4);
        if (got < 4) throw new FormatException(file, "too short for an IDX file: only " + got + " " + decompressed + "bytes");
        if (magic[0] != 0 || magic[1] != 0) {
            throw new FormatException(file, String.format(
                    "not an IDX file: it starts with 0x%02x 0x%02x, expected 0x00 0x00", magic[0], magic[1]));
        }
        ElementType type = switch (magic[2]) {
            case 0x08 -> ElementType.U8;
            case 0x09 -> ElementType.I8;
            case 0x0B -> ElementType.I16;
            case 0x0C -> ElementType.I32;
            case 0x0D -> ElementType.F32;
            case 0x0E -> ElementType.F64;
            default -> throw new FormatException(file, String.format(
                    "unknown IDX element type 0x%02x (expected 0x08, 0x09, 0x0b, 0x0c, 0x0d or 0x0e)", magic[2]));
        };
        int rank = magic[3] & 0xff;
        byte[] dims = new byte[4 * rank];
        got = ElementIO.readFully(in, dims, dims.length);
        if (got < dims.length) {
            throw new FormatException(file, "truncated: the header of " + rank + " dimensions needs "
                    + (4 + dims.length) + " bytes, found only " + (4 + got) + " " + decompressed + "bytes");
        }
        int[] shape = new int[rank];
        ByteBuffer.wrap(dims).asIntBuffer().get(shape);
        String what = "IDX data of shape " + Arrays.toString(shape) + " (" + type + ")";
        long available = fileSize < 0 ? -1 : fileSize - 4 - dims.length;
        Tensor t = ElementIO.read(in, type, shape, ByteOrder.BIG_ENDIAN, available, file, what);
        long extra = in.transferTo(OutputStream.nullOutputStream());
        if (extra > 0) {
            throw new FormatException(file, extra + " unexpected " + decompressed + "bytes after the "
                    + what + ": the header does not match the data");
        }
        return t;
    }

    /** Writes {@code t} (U8, I32, F32 or F64) as IDX, gzipped if the file name ends in ".gz". */
    public static void write(Path file, Tensor t) throws IOException {
        byte code = switch (t.dtype()) {
            case U8 -> 0x08;
            case I32 -> 0x0C;
            case F32 -> 0x0D;
            case F64 -> 0x0E;
            case I64 -> throw new IllegalArgumentException("IDX has no 64-bit integer type; cannot write " + t);
        };
        if (t.rank() > 255) throw new IllegalArgumentException("IDX allows at most 255 dimensions: " + t);
        ByteBuffer header = ByteBuffer.allocate(4 + 4 * t.rank()).order(ByteOrder.BIG_ENDIAN);
        header.put((byte) 0).put((byte) 0).put(code).put((byte) t.rank());
        for (int d : t.shape()) header.putInt(d);
        boolean gzip = file.getFileName().toString().endsWith(".gz");
        AtomicFile.write(file, raw -> {
            OutputStream out = gzip ? new GZIPOutputStream(raw, 1 << 16) : raw;
            out.write(header.array());
            ElementIO.write(out, t, ByteOrder.BIG_ENDIAN);
            if (out instanceof GZIPOutputStream g) g.finish();
        });
    }
}
