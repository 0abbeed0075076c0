package modelc.runtime.data;

import java.nio.file.Path;

/**
 * How {@link DataLoader} reads data.
 *
 * @param labelColumn the CSV column holding the target
 * @param limit       the most samples to keep of each split, from the start (for quick runs)
 * @param testFile    a separate file or directory to load as the test split, or null
 */
public record DataOptions(String labelColumn, int limit, Path testFile) {
    public DataOptions {
        if (labelColumn == null || labelColumn.isBlank()) throw new IllegalArgumentException("labelColumn is empty");
        if (limit < 1) throw new IllegalArgumentException("limit must be positive, not " + limit);
    }

    /** Label column "label", no limit, no separate test file. */
    public static DataOptions defaults() {
        return new DataOptions("label", Integer.MAX_VALUE, null);
    }

    public DataOptions withLabelColumn(String labelColumn) { return new DataOptions(labelColumn, limit, testFile); }

    public DataOptions withLimit(int limit) { return new DataOptions(labelColumn, limit, testFile); }

    public DataOptions withTestFile(Path testFile) { return new DataOptions(labelColumn, limit, testFile); }
}
