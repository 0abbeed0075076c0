package modelc.runtime.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import modelc.runtime.Tensor;

/**
 * The safetensors format: an 8-byte little-endian header length, a JSON header mapping each tensor name
 * to its dtype, shape and data_offsets (relative to the data that follows the header, padded with spaces to
 * 8 bytes), an optional "__metadata__" object of strings, then the raw little-endian data.
 * Reads F32, F64, I32, I64 and U8 as they are; BOOL as U8; I8, I16, U16 as I32; U32 as I64; F16, BF16 as F32.
 */
public final class SafeTensors {
    private static final String METADATA = "__metadata__";
    private static final long MAX_HEADER = 100_000_000;

    private SafeTensors() {}

    private record Entry(String name, ElementType type, int[] shape, long begin, long end) {}

    private record Header(long dataStart, List<Entry> entries, Map<String, String> metadata) {}

    /** All tensors of {@code file}, in the order of their data in the file. */
    public static Map<String, Tensor> read(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file)) {
            Header header = header(ch, file);
            Map<String, Tensor> tensors = new LinkedHashMap<>();
            InputStream in = Channels.newInputStream(ch);
            for (Entry e : header.entries) {
                ch.position(header.dataStart + e.begin);
                tensors.put(e.name, ElementIO.read(in, e.type, e.shape, ByteOrder.LITTLE_ENDIAN, e.end - e.begin,
                        file, "tensor '" + e.name + "'"));
            }
            return tensors;
        }
    }

    /** The "__metadata__" of {@code file}; empty if it has none. */
    public static Map<String, String> readMetadata(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file)) {
            return header(ch, file).metadata;
        }
    }

    /** Writes {@code tensors} in the given order, replacing {@code file} only once all is written. */
    public static void write(Path file, Map<String, Tensor> tensors) throws IOException {
        write(file, tensors, Map.of());
    }

    /** Writes {@code tensors} and, unless empty, {@code metadata} as "__metadata__". */
    public static void write(Path file, Map<String, Tensor> tensors, Map<String, String> metadata) throws IOException {
        Map<String, Object> header = new LinkedHashMap<>();
        if (!metadata.isEmpty()) header.put(METADATA, new LinkedHashMap<>(metadata));
        long offset = 0;
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            String name = e.getKey();
            Tensor t = e.getValue();
            if (name.isEmpty() || name.equals(METADATA)) {
                throw new IllegalArgumentException("invalid tensor name '" + name + "'");
            }
            long bytes = t.size() * t.dtype().size;
            Map<String, Object> info = new LinkedHashMap<>();
            info.put("dtype", t.dtype().safetensorsName);
            info.put("shape", Arrays.stream(t.shape()).boxed().toList());
            info.put("data_offsets", List.of(offset, offset + bytes));
            header.put(name, info);
            offset += bytes;
        }
        byte[] json = Json.write(header).getBytes(StandardCharsets.UTF_8);
        int padded = (json.length + 7) / 8 * 8;
        byte[] head = new byte[8 + padded];
        ByteBuffer.wrap(head).order(ByteOrder.LITTLE_ENDIAN).putLong(padded);
        System.arraycopy(json, 0, head, 8, json.length);
        Arrays.fill(head, 8 + json.length, head.length, (byte) ' ');
        AtomicFile.write(file, out -> {
            out.write(head);
            for (Tensor t : tensors.values()) ElementIO.write(out, t, ByteOrder.LITTLE_ENDIAN);
        });
    }

    private static Header header(FileChannel ch, Path file) throws IOException {
        long fileSize = ch.size();
        if (fileSize < 8) {
            throw new FormatException(file, "not a safetensors file: only " + fileSize + " bytes long");
        }
        ByteBuffer lenBuf = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        readFully(ch, lenBuf, 0, file);
        long headerLen = lenBuf.getLong(0);
        if (headerLen < 2 || headerLen > fileSize - 8) {
            throw new FormatException(file, "header length " + Long.toUnsignedString(headerLen)
                    + " does not fit the file size of " + fileSize + " bytes: truncated, or not a safetensors file");
        }
        if (headerLen > MAX_HEADER) {
            throw new FormatException(file, "header length " + headerLen + " exceeds the 100 MB limit"
                    + ": not a safetensors file?");
        }
        ByteBuffer headBuf = ByteBuffer.allocate((int) headerLen);
        readFully(ch, headBuf, 8, file);
        byte[] bytes = headBuf.array();
        if (bytes[0] != '{') {
            throw new FormatException(file, "not a safetensors file: the header does not start with '{'");
        }
        Object json;
        try {
            json = Json.parse(Json.decodeUtf8(file, bytes, "the header"));
        } catch (Json.SyntaxException e) {
            throw new FormatException(file, "bad JSON in the header: " + e.getMessage());
        }
        if (!(json instanceof Map<?, ?> map)) {
            throw new FormatException(file, "the header is not a JSON object");
        }
        long dataSize = fileSize - 8 - headerLen;
        Map<String, String> metadata = new LinkedHashMap<>();
        List<Entry> entries = new ArrayList<>();
        for (Map.Entry<?, ?> e : map.entrySet()) {
            String name = (String) e.getKey();
            if (name.equals(METADATA)) {
                metadata = metadata(e.getValue(), file);
            } else {
                entries.add(entry(name, e.getValue(), dataSize, file));
            }
        }
        entries.sort(Comparator.comparingLong(Entry::begin));
        return new Header(8 + headerLen, entries, metadata);
    }

    private static Entry entry(String name, Object value, long dataSize, Path file) throws FormatException {
        String where = "tensor '" + name + "'";
        if (!(value instanceof Map<?, ?> info)) throw new FormatException(file, where + ": header entry is not an object");
        if (!(info.get("dtype") instanceof String dtype)) throw new FormatException(file, where + ": missing \"dtype\"");
        ElementType type;
        try {
            type = ElementType.valueOf(dtype);
        } catch (IllegalArgumentException unknown) {
            throw new FormatException(file, where + ": unsupported dtype " + dtype
                    + " (supported: " + Arrays.toString(ElementType.values()) + ")");
        }
        long[] dims = longs(info.get("shape"), where, "shape", -1, file);
        int[] shape = new int[dims.length];
        for (int i = 0; i < dims.length; i++) {
            if (dims[i] < 0 || dims[i] > Integer.MAX_VALUE) {
                throw new FormatException(file, where + ": bad dimension " + dims[i] + " in shape");
            }
            shape[i] = (int) dims[i];
        }
        long[] offsets = longs(info.get("data_offsets"), where, "data_offsets", 2, file);
        long begin = offsets[0];
        long end = offsets[1];
        if (begin < 0 || end < begin) {
            throw new FormatException(file, where + ": bad data_offsets [" + begin + ", " + end + "]");
        }
        if (end > dataSize) {
            throw new FormatException(file, where + ": data_offsets [" + begin + ", " + end
                    + "] reach beyond the " + dataSize + " bytes of data in the file: truncated?");
        }
        long expected = ElementIO.elementCount(shape, file) * (long) type.size;
        if (end - begin != expected) {
            throw new FormatException(file, where + ": shape " + Arrays.toString(shape) + " of " + type + " needs "
                    + expected + " bytes, but data_offsets [" + begin + ", " + end + "] span " + (end - begin));
        }
        return new Entry(name, type, shape, begin, end);
    }

    /** A JSON array of integers; {@code length} -1 allows any length. */
    private static long[] longs(Object value, String where, String key, int length, Path file) throws FormatException {
        String problem = where + ": \"" + key + "\" must be " + (length < 0 ? "an array" : "an array of " + length)
                + " of non-negative integers";
        if (!(value instanceof List<?> list) || (length >= 0 && list.size() != length)) {
            throw new FormatException(file, problem);
        }
        long[] out = new long[list.size()];
        for (int i = 0; i < out.length; i++) {
            if (!(list.get(i) instanceof Long l)) throw new FormatException(file, problem);
            out[i] = l;
        }
        return out;
    }

    private static Map<String, String> metadata(Object value, Path file) throws FormatException {
        if (!(value instanceof Map<?, ?> map)) throw new FormatException(file, "\"__metadata__\" is not an object");
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : map.entrySet()) {
            if (!(e.getValue() instanceof String s)) {
                throw new FormatException(file, "\"__metadata__\" value for \"" + e.getKey() + "\" is not a string");
            }
            out.put((String) e.getKey(), s);
        }
        return out;
    }

    private static void readFully(FileChannel ch, ByteBuffer buf, long position, Path file) throws IOException {
        while (buf.hasRemaining()) {
            if (ch.read(buf, position + buf.position()) < 0) {
                throw new FormatException(file, "truncated while reading the header");
            }
        }
    }
}
