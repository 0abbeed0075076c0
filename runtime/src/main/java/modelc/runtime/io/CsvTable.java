package modelc.runtime.io;

import java.nio.file.Path;
import java.util.List;
import modelc.runtime.Tensor;

/** The numeric columns of a CSV file, read by {@link Csv}. */
public final class CsvTable {
    private final Path file;
    private final List<String> columns;
    private final double[][] values;
    private final int rows;

    CsvTable(Path file, List<String> columns, double[][] values, int rows) {
        this.file = file;
        this.columns = List.copyOf(columns);
        this.values = values;
        this.rows = rows;
    }

    public Path file() { return file; }

    /** Column names, in file order. */
    public List<String> columns() { return columns; }

    /** Number of data rows (the header not counted). */
    public int rows() { return rows; }

    public boolean has(String column) { return columns.contains(column); }

    /** The value in data row {@code row} (0-based) of {@code column}. */
    public double value(int row, String column) { return values[index(column)][row]; }

    /** The named columns side by side, as F32 of shape [rows, names.size()]. */
    public Tensor matrix(List<String> names) {
        int k = names.size();
        float[] out = new float[Math.multiplyExact(rows, k)];
        for (int j = 0; j < k; j++) {
            double[] col = values[index(names.get(j))];
            for (int i = 0; i < rows; i++) out[i * k + j] = (float) col[i];
        }
        return Tensor.of(out, rows, k);
    }

    /** One column as a [rows] tensor: I32 if every value is an integer in int range, else F32. */
    public Tensor vector(String column) {
        double[] col = values[index(column)];
        boolean integral = true;
        for (double v : col) integral &= v == Math.rint(v) && Math.abs(v) <= Integer.MAX_VALUE;
        if (integral) {
            int[] out = new int[rows];
            for (int i = 0; i < rows; i++) out[i] = (int) col[i];
            return Tensor.of(out, rows);
        }
        float[] out = new float[rows];
        for (int i = 0; i < rows; i++) out[i] = (float) col[i];
        return Tensor.of(out, rows);
    }

    private int index(String column) {
        int i = columns.indexOf(column);
        if (i < 0) throw new IllegalArgumentException(file + ": no column '" + column + "' (columns: " + columns + ")");
        return i;
    }
}
