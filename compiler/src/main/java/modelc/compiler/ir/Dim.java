package modelc.compiler.ir;

/**
 * One dimension of a tensor type: a fixed size, or a symbol whose size is known only at run time
 * (the batch, or a sequence length declared {@code None}). The batch carries a {@code factor}: 1
 * for the batch itself, {@code T} for the rows of a value whose time axis of {@code T} steps
 * TimeDistributed folded into the batch ({@code [batch, T, ...]} seen as {@code [batch·T, ...]},
 * the same floats); 0 for every other dimension.
 */
public record Dim(int size, String symbol, int factor) {
    public static final Dim BATCH = new Dim(-1, "batch", 1);

    public static Dim of(int size) {
        if (size < 0) throw new IllegalArgumentException("negative dimension " + size);
        return new Dim(size, null, 0);
    }

    public static Dim symbol(String name) {
        return new Dim(-1, name, 0);
    }

    /** The batch times {@code factor}: the rows of a value with {@code factor} time steps folded into each sample. */
    public static Dim batchTimes(int factor) {
        if (factor < 1) throw new IllegalArgumentException("batch factor " + factor);
        return factor == 1 ? BATCH : new Dim(-1, "batch", factor);
    }

    public boolean isFixed() {
        return symbol == null;
    }

    /** True for the batch dimension, folded or not. */
    public boolean isBatch() {
        return factor > 0;
    }

    @Override
    public String toString() {
        if (isFixed()) return Integer.toString(size);
        return factor > 1 ? symbol + "*" + factor : symbol;
    }
}
