package modelc.runtime.text;

import java.util.Arrays;

/**
 * A document-term count matrix in compressed sparse row form (like scipy's CSR that scikit-learn returns):
 * row r's non-zero entries are {@code indices[indptr[r] .. indptr[r+1])} with counts in {@code data}, column
 * indices ascending within a row.
 */
public final class CountMatrix {
    private final int rows;
    private final int cols;
    private final int[] indptr;
    private final int[] indices;
    private final int[] data;

    CountMatrix(int rows, int cols, int[] indptr, int[] indices, int[] data) {
        this.rows = rows;
        this.cols = cols;
        this.indptr = indptr;
        this.indices = indices;
        this.data = data;
    }

    public int rows() {
        return rows;
    }

    public int cols() {
        return cols;
    }

    /** Number of stored (non-zero) entries. */
    public int nonZeros() {
        return indptr[rows];
    }

    /** The count at (row, col), 0 if absent. */
    public int get(int row, int col) {
        if (row < 0 || row >= rows || col < 0 || col >= cols) {
            throw new IndexOutOfBoundsException("(" + row + ", " + col + ") outside " + rows + " x " + cols);
        }
        int at = Arrays.binarySearch(indices, indptr[row], indptr[row + 1], col);
        return at >= 0 ? data[at] : 0;
    }

    /** Column indices of row r's non-zero entries, ascending (a copy). */
    public int[] rowIndices(int row) {
        return Arrays.copyOfRange(indices, indptr[row], indptr[row + 1]);
    }

    /** Counts of row r's non-zero entries, aligned with {@link #rowIndices} (a copy). */
    public int[] rowCounts(int row) {
        return Arrays.copyOfRange(data, indptr[row], indptr[row + 1]);
    }

    /** The dense rows × cols matrix as float (sklearn's {@code X.toarray()}, cast). */
    public float[][] toDense() {
        float[][] x = new float[rows][cols];
        for (int r = 0; r < rows; r++) {
            for (int k = indptr[r]; k < indptr[r + 1]; k++) x[r][indices[k]] = data[k];
        }
        return x;
    }

    /** The dense rows × cols matrix of exact integer counts. */
    public int[][] toDenseInt() {
        int[][] x = new int[rows][cols];
        for (int r = 0; r < rows; r++) {
            for (int k = indptr[r]; k < indptr[r + 1]; k++) x[r][indices[k]] = data[k];
        }
        return x;
    }

    /** Sum of each column over all rows. */
    long[] columnSums() {
        long[] sums = new long[cols];
        for (int k = 0; k < indptr[rows]; k++) sums[indices[k]] += data[k];
        return sums;
    }

    /** Number of rows in which each column is non-zero. */
    int[] documentFrequencies() {
        int[] df = new int[cols];
        for (int k = 0; k < indptr[rows]; k++) df[indices[k]]++;
        return df;
    }

    /**
     * Keeps the columns with {@code newIndex[c] >= 0}, renumbered to {@code newIndex[c]} (a permutation onto
     * 0..newCols-1), re-sorting each row's entries.
     */
    CountMatrix remapColumns(int[] newIndex, int newCols) {
        int[] p = new int[rows + 1];
        int[] idx = new int[nonZeros()];
        int[] val = new int[nonZeros()];
        int n = 0;
        for (int r = 0; r < rows; r++) {
            int start = n;
            for (int k = indptr[r]; k < indptr[r + 1]; k++) {
                int c = newIndex[indices[k]];
                if (c < 0) continue;
                idx[n] = c;
                val[n] = data[k];
                n++;
            }
            sortRow(idx, val, start, n);
            p[r + 1] = n;
        }
        return new CountMatrix(rows, newCols, p, Arrays.copyOf(idx, n), Arrays.copyOf(val, n));
    }

    private static void sortRow(int[] idx, int[] val, int from, int to) {
        long[] packed = new long[to - from]; // column (non-negative) in the high half, so longs sort by column
        for (int i = from; i < to; i++) packed[i - from] = ((long) idx[i] << 32) | (val[i] & 0xFFFFFFFFL);
        Arrays.sort(packed);
        for (int i = from; i < to; i++) {
            idx[i] = (int) (packed[i - from] >>> 32);
            val[i] = (int) packed[i - from];
        }
    }
}
