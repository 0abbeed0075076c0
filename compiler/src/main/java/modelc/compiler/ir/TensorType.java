package modelc.compiler.ir;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The type of every IR value: element type and shape. Values computed per sample carry the
 * symbolic batch dimension first; parameters and reductions over the batch do not.
 */
public record TensorType(ElemType elem, List<Dim> dims) {
    public TensorType {
        dims = List.copyOf(dims);
    }

    public static TensorType floats(List<Dim> dims) {
        return new TensorType(ElemType.FLOAT, dims);
    }

    /** A float tensor with a leading batch dimension and the given fixed per-sample shape. */
    public static TensorType batched(ElemType elem, int... perSample) {
        List<Dim> d = new ArrayList<>();
        d.add(Dim.BATCH);
        for (int s : perSample) d.add(Dim.of(s));
        return new TensorType(elem, d);
    }

    public static TensorType fixed(ElemType elem, int... shape) {
        List<Dim> d = new ArrayList<>();
        for (int s : shape) d.add(Dim.of(s));
        return new TensorType(elem, d);
    }

    public static final TensorType SCALAR = new TensorType(ElemType.FLOAT, List.of());

    public int rank() {
        return dims.size();
    }

    public Dim dim(int axis) {
        return dims.get(axis < 0 ? dims.size() + axis : axis);
    }

    /**
     * True for values computed per sample. The batch dimension comes first, except in the
     * time-major values of a recurrence ({@code [steps, batch, ...]}), which only the loop ops use.
     */
    public boolean isBatched() {
        return dims.stream().anyMatch(Dim::isBatch);
    }

    /** True for a time-major value {@code [steps, batch, ...]}. */
    public boolean isTimeMajor() {
        return dims.size() >= 2 && dims.get(1).isBatch();
    }

    /**
     * Rows per sample: 1, or the time steps TimeDistributed folded into the batch (the product over
     * nested wrappers). A kernel over such a value runs on {@code n·factor} rows.
     */
    public int batchFactor() {
        for (Dim d : dims) if (d.isBatch()) return d.factor();
        return 1;
    }

    /** The dims other than the batch dimension (all dims if not batched). */
    public List<Dim> sampleDims() {
        if (!isBatched()) return dims;
        return dims.stream().filter(d -> !d.isBatch()).toList();
    }

    /**
     * Number of elements per batch row (all elements if not batched); every such dim must be fixed.
     * A sample of a value with a {@link #batchFactor} holds that many rows.
     */
    public int sampleSize() {
        int n = 1;
        for (Dim d : sampleDims()) {
            if (!d.isFixed()) throw new IllegalStateException("symbolic dimension " + d + " in " + this);
            n = Math.multiplyExact(n, d.size());
        }
        return n;
    }

    /** The batch dimension, folded or not; the value must be batched. */
    public Dim batchDim() {
        for (Dim d : dims) if (d.isBatch()) return d;
        throw new IllegalStateException("no batch dimension in " + this);
    }

    /** Elements per sample: {@link #sampleSize} times the {@link #batchFactor}, what a sample's storage holds. */
    public int elementsPerSample() {
        return Math.multiplyExact(sampleSize(), batchFactor());
    }

    /** The fixed per-sample shape as ints. */
    public int[] sampleShape() {
        return sampleDims().stream().mapToInt(Dim::size).toArray();
    }

    public TensorType withElem(ElemType e) {
        return new TensorType(e, dims);
    }

    public TensorType withDims(List<Dim> d) {
        return new TensorType(elem, d);
    }

    /** Keras's spelling, e.g. {@code (None, 28, 28)}. */
    public String kerasShape() {
        return kerasShape(this);
    }

    /**
     * Keras's spelling of a shape that depends on a {@code None} input length: {@code other} is the same
     * tensor at another length, and the dimensions that differ are {@code None}.
     */
    public String kerasShape(TensorType other) {
        TensorType o = other == null || other.rank() != rank() ? this : other;
        return java.util.stream.IntStream.range(0, rank())
                .mapToObj(i -> !dims.get(i).isFixed() || !dims.get(i).equals(o.dims.get(i)) ? "None" : Integer.toString(dims.get(i).size()))
                .collect(Collectors.joining(", ", "(", rank() == 1 ? ",)" : ")"));
    }

    @Override
    public String toString() {
        return elem + dims.stream().map(Dim::toString).collect(Collectors.joining(", ", "[", "]"));
    }
}
