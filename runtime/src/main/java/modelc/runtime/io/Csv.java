package modelc.runtime.io;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import modelc.runtime.Tensor;

/**
 * CSV with a header row: comma-separated, fields optionally in double quotes ("" for a quote inside,
 * line breaks allowed), UTF-8 with an optional BOM, LF or CRLF line ends; blank lines are skipped. For
 * {@link #read} every cell must be a decimal number (or nan, inf, -inf); {@link #readText} keeps cells as text.
 */
public final class Csv {
    private static final Pattern NUMBER = Pattern.compile(
            "[+-]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][+-]?\\d+)?|(?i)[+-]?(nan|inf|infinity)");

    private Csv() {}

    public static CsvTable read(Path file) throws IOException {
        return scan(file, (names, records) -> {
            int cols = names.size();
            double[][] values = new double[cols][1024];
            int rows = 0;
            for (List<String> record; (record = records.next()) != null; rows++) {
                int line = records.recordLine;
                if (rows == values[0].length) {
                    for (int c = 0; c < cols; c++) values[c] = Arrays.copyOf(values[c], rows * 2);
                }
                for (int c = 0; c < cols; c++) {
                    String cell = record.get(c).strip();
                    if (!NUMBER.matcher(cell).matches()) {
                        throw new FormatException(file, "line " + line + ", column " + (c + 1) + " ('" + names.get(c)
                                + "'): " + (cell.isEmpty() ? "empty cell" : "'" + cell + "' is not a number"));
                    }
                    values[c][rows] = parse(cell);
                }
            }
            for (int c = 0; c < cols; c++) values[c] = Arrays.copyOf(values[c], rows);
            return new CsvTable(file, names, values, rows);
        });
    }

    /** A CSV file's cells as text (not stripped), for columns of text. */
    public record TextTable(Path file, List<String> columns, List<String[]> rows, int[] lines) {
        /** The cells of {@code column}, one per row. */
        public List<String> column(String column) {
            int c = columns.indexOf(column);
            if (c < 0) throw new IllegalArgumentException("no column '" + column + "'");
            return rows.stream().map(r -> r[c]).toList();
        }

        /**
         * The named columns of the first {@code n} rows side by side, as a tensor of {@code shape} (its first axis
         * {@code n}, the rest holding {@code names.size()} values per row): I32 if {@code integer}, else F32. Every
         * cell must be a number as {@link #read} reads them, an integer for I32; an error names the line and column.
         */
        public Tensor numbers(List<String> names, int n, int[] shape, boolean integer) throws FormatException {
            int k = names.size();
            int[] index = new int[k];
            for (int j = 0; j < k; j++) index[j] = columns.indexOf(names.get(j));
            float[] floats = integer ? null : new float[Math.multiplyExact(n, k)];
            int[] ints = integer ? new int[Math.multiplyExact(n, k)] : null;
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < k; j++) {
                    String cell = rows.get(i)[index[j]].strip();
                    String problem = cell.isEmpty() ? "empty cell" : !NUMBER.matcher(cell).matches() ? "'" + cell + "' is not a number"
                            : integer && !cell.matches("[+-]?\\d{1,10}") ? "'" + cell + "' is not an integer" : null;
                    if (problem == null && integer) {
                        long v = Long.parseLong(cell);
                        if (v != (int) v) problem = "'" + cell + "' is out of the int range";
                        else ints[i * k + j] = (int) v;
                    } else if (problem == null) {
                        floats[i * k + j] = (float) parse(cell);
                    }
                    if (problem != null) {
                        throw new FormatException(file, "line " + lines[i] + ", column " + (index[j] + 1) + " ('" + names.get(j) + "'): " + problem);
                    }
                }
            }
            return integer ? Tensor.of(ints, shape) : Tensor.of(floats, shape);
        }
    }

    /** Reads a CSV file of any cells, keeping them as text; the same syntax and checks as {@link #read}. */
    public static TextTable readText(Path file) throws IOException {
        return scan(file, (names, records) -> {
            List<String[]> rows = new ArrayList<>();
            int[] lines = new int[16];
            for (List<String> record; (record = records.next()) != null; ) {
                if (rows.size() == lines.length) lines = Arrays.copyOf(lines, lines.length * 2);
                lines[rows.size()] = records.recordLine;
                rows.add(record.toArray(String[]::new));
            }
            return new TextTable(file, names, rows, Arrays.copyOf(lines, rows.size()));
        });
    }

    private interface Body<T> {
        T read(List<String> names, Records records) throws IOException;
    }

    /** Opens the file, reads the header, and hands the records to {@code body}; rows of the wrong width are refused. */
    private static <T> T scan(Path file, Body<T> body) throws IOException {
        var decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        try (Reader in = new BufferedReader(new InputStreamReader(Files.newInputStream(file), decoder), 1 << 16)) {
            Records records = new Records(in, file);
            List<String> header = records.next();
            if (header == null) throw new FormatException(file, "empty file: expected a header row of column names");
            if (!header.isEmpty() && header.getFirst().startsWith("\uFEFF")) {
                header.set(0, header.getFirst().substring(1));
            }
            List<String> names = header.stream().map(String::strip).toList();
            Set<String> seen = new HashSet<>();
            for (String name : names) {
                if (!seen.add(name)) throw new FormatException(file, "line 1: column name '" + name + "' appears twice");
            }
            records.width = names.size();
            return body.read(names, records);
        } catch (CharacterCodingException e) {
            throw new FormatException(file, "not valid UTF-8 text");
        }
    }

    private static double parse(String cell) {
        String lower = cell.toLowerCase();
        if (lower.endsWith("nan")) return Double.NaN;
        if (lower.endsWith("inf") || lower.endsWith("infinity")) {
            return lower.startsWith("-") ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
        }
        return Double.parseDouble(cell);
    }

    /** Splits the text into records of fields, tracking line numbers. */
    private static final class Records {
        private final Reader in;
        private final Path file;
        private int line = 1;
        /** The line on which the record last returned by {@link #next()} starts. */
        int recordLine;
        /** Fields every record must have (the header's), or 0 while reading the header. */
        int width;

        Records(Reader in, Path file) {
            this.in = in;
            this.file = file;
        }

        /** The next record, or null at the end of the file. */
        List<String> next() throws IOException {
            int c = in.read();
            while (c == '\n' || c == '\r') {
                if (c == '\n') line++;
                c = in.read();
            }
            if (c < 0) return null;
            recordLine = line;
            List<String> fields = new ArrayList<>();
            StringBuilder field = new StringBuilder();
            while (true) {
                field.setLength(0);
                while (c == ' ' || c == '\t') c = in.read();  // cells are stripped anyway; this allows  , "quoted"
                if (c == '"') {
                    while (true) {
                        c = in.read();
                        if (c < 0) throw new FormatException(file, "line " + recordLine + ": unterminated quoted field");
                        if (c == '"') {
                            c = in.read();
                            if (c != '"') break;
                        } else if (c == '\n') {
                            line++;
                        }
                        field.append((char) c);
                    }
                    while (c == ' ' || c == '\t') c = in.read();
                    if (c >= 0 && c != ',' && c != '\n' && c != '\r') {
                        throw new FormatException(file, "line " + line + ": unexpected '" + (char) c
                                + "' after a closing quote");
                    }
                } else {
                    while (c >= 0 && c != ',' && c != '\n' && c != '\r') {
                        field.append((char) c);
                        c = in.read();
                    }
                }
                fields.add(field.toString());
                if (c != ',') break;
                c = in.read();
            }
            if (c == '\n') line++;
            if (width > 0 && fields.size() != width) {
                throw new FormatException(file, "line " + recordLine + ": " + fields.size() + " fields, but the header has "
                        + width + " columns");
            }
            return fields;
        }
    }
}
