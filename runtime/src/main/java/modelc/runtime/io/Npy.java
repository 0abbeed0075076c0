package modelc.runtime.io;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import modelc.runtime.Tensor;

/**
 * NumPy's .npy format, versions 1.0, 2.0 and 3.0. Reads dtypes f2 f4 f8 i1 i2 i4 i8 u1 u2 u4 b1 in either
 * byte order (narrow types widened as {@link ElementType} says); Fortran-ordered arrays are transposed into
 * row-major order. Writes version 1.0 (2.0 for huge headers), little-endian, C order.
 */
public final class Npy {
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final Map<String, ElementType> KINDS = Map.ofEntries(
            Map.entry("b1", ElementType.BOOL), Map.entry("u1", ElementType.U8), Map.entry("i1", ElementType.I8),
            Map.entry("i2", ElementType.I16), Map.entry("u2", ElementType.U16), Map.entry("i4", ElementType.I32),
            Map.entry("u4", ElementType.U32), Map.entry("i8", ElementType.I64), Map.entry("f2", ElementType.F16),
            Map.entry("f4", ElementType.F32), Map.entry("f8", ElementType.F64));

    private Npy() {}

    public static Tensor read(Path file) throws IOException {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            byte[] prefix = new byte[8];
            int got = ElementIO.readFully(in, prefix, 8);
            for (int i = 0; i < MAGIC.length; i++) {
                if (i >= got || prefix[i] != MAGIC[i]) {
                    throw new FormatException(file, "not a .npy file: it does not start with \\x93NUMPY");
                }
            }
            if (got < 8) throw new FormatException(file, "truncated: the file ends inside the .npy preamble");
            int major = prefix[6];
            int lengthBytes = switch (major) {
                case 1 -> 2;
                case 2, 3 -> 4;
                default -> throw new FormatException(file, "unsupported .npy version " + major + "." + prefix[7]);
            };
            byte[] lenBytes = new byte[lengthBytes];
            if (ElementIO.readFully(in, lenBytes, lengthBytes) < lengthBytes) {
                throw new FormatException(file, "truncated: the file ends inside the header length");
            }
            ByteBuffer lb = ByteBuffer.wrap(lenBytes).order(ByteOrder.LITTLE_ENDIAN);
            long headerLen = major == 1 ? lb.getShort() & 0xffff : lb.getInt() & 0xffffffffL;
            if (headerLen > Files.size(file)) {
                throw new FormatException(file, "header length " + headerLen + " exceeds the file size: truncated?");
            }
            byte[] headerBytes = new byte[(int) headerLen];
            if (ElementIO.readFully(in, headerBytes, headerBytes.length) < headerBytes.length) {
                throw new FormatException(file, "truncated: the file ends inside the header");
            }
            String header = major == 3 ? Json.decodeUtf8(file, headerBytes, "the header")
                    : new String(headerBytes, StandardCharsets.ISO_8859_1);
            Map<String, Object> dict = new HeaderParser(header.strip(), file).dict();
            if (!(dict.get("descr") instanceof String descr)) {
                throw new FormatException(file, "bad header: 'descr' is not a string (structured dtypes are not supported): "
                        + header.strip());
            }
            if (!(dict.get("fortran_order") instanceof Boolean fortran)) {
                throw new FormatException(file, "bad header: 'fortran_order' is not True or False: " + header.strip());
            }
            if (!(dict.get("shape") instanceof int[] shape)) {
                throw new FormatException(file, "bad header: 'shape' is not a tuple of integers: " + header.strip());
            }
            ElementType type = KINDS.get(descr.length() == 3 ? descr.substring(1) : "");
            ByteOrder order = switch (descr.isEmpty() ? ' ' : descr.charAt(0)) {
                case '<' -> ByteOrder.LITTLE_ENDIAN;
                case '>' -> ByteOrder.BIG_ENDIAN;
                case '|', '=' -> ByteOrder.nativeOrder();
                default -> null;
            };
            if (type == null || order == null) {
                throw new FormatException(file, "unsupported dtype '" + descr + "' (supported: "
                        + KINDS.keySet().stream().sorted().collect(Collectors.joining(" ")) + ", little- or big-endian)");
            }
            String what = "array of shape " + formatShape(shape) + " and dtype " + descr;
            long available = Files.size(file) - 8 - lengthBytes - headerLen;
            if (!fortran) return ElementIO.read(in, type, shape, order, available, file, what);
            int[] reversed = IntStream.range(0, shape.length).map(i -> shape[shape.length - 1 - i]).toArray();
            return fortranToC(ElementIO.read(in, type, reversed, order, available, file, what), shape);
        }
    }

    /** Writes {@code t} as a version 1.0 .npy file (2.0 if the header needs it), replacing {@code file} atomically. */
    public static void write(Path file, Tensor t) throws IOException {
        String descr = switch (t.dtype()) {
            case F32 -> "<f4";
            case F64 -> "<f8";
            case I32 -> "<i4";
            case I64 -> "<i8";
            case U8 -> "|u1";
        };
        String dict = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + formatShape(t.shape()) + ", }";
        int prefixLen = dict.length() + 1 + 10 > 65535 ? 12 : 10;
        int total = (prefixLen + dict.length() + 1 + 63) / 64 * 64;
        String header = dict + " ".repeat(total - prefixLen - dict.length() - 1) + "\n";
        ByteBuffer pre = ByteBuffer.allocate(prefixLen).order(ByteOrder.LITTLE_ENDIAN);
        pre.put(MAGIC).put((byte) (prefixLen == 10 ? 1 : 2)).put((byte) 0);
        if (prefixLen == 10) pre.putShort((short) header.length());
        else pre.putInt(header.length());
        AtomicFile.write(file, out -> {
            out.write(pre.array());
            out.write(header.getBytes(StandardCharsets.ISO_8859_1));
            ElementIO.write(out, t, ByteOrder.LITTLE_ENDIAN);
        });
    }

    /** The tuple syntax numpy uses: (), (3,), (2, 3). */
    private static String formatShape(int[] shape) {
        if (shape.length == 1) return "(" + shape[0] + ",)";
        return IntStream.of(shape).mapToObj(Integer::toString).collect(Collectors.joining(", ", "(", ")"));
    }

    /** {@code t} holds a Fortran-ordered array of {@code shape} (as reversed-shape row-major data); returns it row-major. */
    private static Tensor fortranToC(Tensor t, int[] shape) {
        int n = Math.toIntExact(t.size());
        int rank = shape.length;
        int[] fStride = new int[rank];
        for (int k = 0, s = 1; k < rank; s *= shape[k], k++) fStride[k] = s;
        int[] source = new int[n];
        int[] index = new int[rank];
        int f = 0;
        for (int c = 0; c < n; c++) {
            source[c] = f;
            for (int k = rank - 1; k >= 0; k--) {
                index[k]++;
                f += fStride[k];
                if (index[k] < shape[k]) break;
                f -= index[k] * fStride[k];
                index[k] = 0;
            }
        }
        Object out = switch (t.data()) {
            case float[] a -> { float[] o = new float[n]; for (int i = 0; i < n; i++) o[i] = a[source[i]]; yield o; }
            case double[] a -> { double[] o = new double[n]; for (int i = 0; i < n; i++) o[i] = a[source[i]]; yield o; }
            case int[] a -> { int[] o = new int[n]; for (int i = 0; i < n; i++) o[i] = a[source[i]]; yield o; }
            case long[] a -> { long[] o = new long[n]; for (int i = 0; i < n; i++) o[i] = a[source[i]]; yield o; }
            case byte[] a -> { byte[] o = new byte[n]; for (int i = 0; i < n; i++) o[i] = a[source[i]]; yield o; }
            default -> throw new IllegalStateException();
        };
        return Tensor.wrap(out, shape);
    }

    /** Parses the Python dict literal of a .npy header: string keys; string, True/False or int-tuple values. */
    private static final class HeaderParser {
        private final String text;
        private final Path file;
        private int pos;

        HeaderParser(String text, Path file) {
            this.text = text;
            this.file = file;
        }

        Map<String, Object> dict() throws FormatException {
            Map<String, Object> out = new HashMap<>();
            expect('{');
            while (!sees('}')) {
                String key = string();
                expect(':');
                out.put(key, value());
                if (!sees(',')) break;
                pos++;
            }
            expect('}');
            return out;
        }

        private Object value() throws FormatException {
            skipSpace();
            if (text.startsWith("True", pos)) {
                pos += 4;
                return Boolean.TRUE;
            }
            if (text.startsWith("False", pos)) {
                pos += 5;
                return Boolean.FALSE;
            }
            if (pos < text.length() && text.charAt(pos) == '(') return tuple();
            return string();
        }

        private int[] tuple() throws FormatException {
            expect('(');
            List<Integer> dims = new ArrayList<>();
            while (!sees(')')) {
                int start = pos;
                while (pos < text.length() && Character.isDigit(text.charAt(pos))) pos++;
                if (start == pos) throw error("expected a dimension");
                try {
                    dims.add(Integer.parseInt(text.substring(start, pos)));
                } catch (NumberFormatException e) {
                    throw error("dimension too large");
                }
                if (pos < text.length() && text.charAt(pos) == 'L') pos++;
                if (!sees(',')) break;
                pos++;
            }
            expect(')');
            return dims.stream().mapToInt(Integer::intValue).toArray();
        }

        private String string() throws FormatException {
            skipSpace();
            char quote = pos < text.length() ? text.charAt(pos) : ' ';
            if (quote != '\'' && quote != '"') throw error("expected a string");
            int end = text.indexOf(quote, pos + 1);
            if (end < 0) throw error("unterminated string");
            String s = text.substring(pos + 1, end);
            pos = end + 1;
            return s;
        }

        private void skipSpace() {
            while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) pos++;
        }

        /** Skips whitespace; whether {@code c} comes next. */
        private boolean sees(char c) {
            skipSpace();
            return pos < text.length() && text.charAt(pos) == c;
        }

        private void expect(char c) throws FormatException {
            if (!sees(c)) throw error("expected '" + c + "'");
            pos++;
        }

        private FormatException error(String problem) {
            return new FormatException(file, "bad header (" + problem + " at offset " + pos + "): " + text);
        }
    }
}
