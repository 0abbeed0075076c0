package modelc.compiler.ir;

/**
 * One dimension of a tensor type: a fixed size, or a symbol whose size is known only at run time
 * (the batch, or a sequence length declared {@code None}).
 */
public record Dim(int size, String symbol) {
    public static final Dim BATCH = new Dim(-1, "batch");

    public static Dim of(int size) {
        if (size < 0) throw new IllegalArgumentException("negative dimension " + size);
        return new Dim(size, null);
    }

    public static Dim symbol(String name) {
        return new Dim(-1, name);
    }

    public boolean isFixed() {
        return symbol == null;
    }

    @Override
    public String toString() {
        return isFixed() ? Integer.toString(size) : symbol;
    }
}
