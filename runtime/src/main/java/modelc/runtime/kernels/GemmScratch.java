package modelc.runtime.kernels;

/**
 * Packing buffers for {@link Gemm}. A buffer grows to the largest size a call has needed and is
 * then reused, so once every GEMM shape of a training step has run once, later calls allocate
 * nothing. The largest sizes are bounded by the cache blocking (about KC×NC + MC×KC elements per
 * element type: a few MiB) and, for narrow products, by {@code modelc.gemm.*.narrowb}.
 *
 * <p>Not thread-safe: one scratch per thread. The {@link Gemm} overloads without a scratch
 * argument use a per-thread instance held in a {@code ThreadLocal}; pass an explicit scratch to
 * control the memory's lifetime (e.g. one per worker in a model's arena).
 */
public final class GemmScratch {
    private float[] floatA = new float[0], floatB = new float[0], floatTile = new float[0], floatC = new float[0];
    private double[] doubleA = new double[0], doubleB = new double[0], doubleTile = new double[0],
            doubleC = new double[0];

    public GemmScratch() {}

    float[] floatA(int n) {
        return floatA.length >= n ? floatA : (floatA = new float[n]);
    }

    float[] floatB(int n) {
        return floatB.length >= n ? floatB : (floatB = new float[n]);
    }

    float[] floatTile(int n) {
        return floatTile.length >= n ? floatTile : (floatTile = new float[n]);
    }

    /** A whole C computed transposed (see {@code SgemmImpl.transposedC}). */
    float[] floatC(int n) {
        return floatC.length >= n ? floatC : (floatC = new float[n]);
    }

    double[] doubleA(int n) {
        return doubleA.length >= n ? doubleA : (doubleA = new double[n]);
    }

    double[] doubleB(int n) {
        return doubleB.length >= n ? doubleB : (doubleB = new double[n]);
    }

    double[] doubleTile(int n) {
        return doubleTile.length >= n ? doubleTile : (doubleTile = new double[n]);
    }

    double[] doubleC(int n) {
        return doubleC.length >= n ? doubleC : (doubleC = new double[n]);
    }

    /** Bytes currently held by the buffers (for diagnostics and tests). */
    public long bytes() {
        return 4L * (floatA.length + floatB.length + floatTile.length + floatC.length)
                + 8L * (doubleA.length + doubleB.length + doubleTile.length + doubleC.length);
    }
}
