package modelc.runtime.kernels;

/**
 * General matrix multiply on row-major arrays: {@code C[m×n] = op(A)[m×k] · op(B)[k×n]}, or
 * {@code C += ...} when {@code accumulate}. {@code op(X)} is X or its transpose; lda/ldb/ldc are
 * the row strides of the arrays as stored (A is stored m×k, or k×m when {@code transA}; B is
 * stored k×n, or n×k when {@code transB}). Elements of C outside the m×n window are never
 * touched; with {@code accumulate == false} C is only written, never read.
 *
 * <p>Implementation: BLIS-structured, single-threaded. Both operands are packed (the transposes
 * happen in the packing routines) into per-thread scratch buffers, and a register-blocked Vector
 * API micro-kernel computes MR×NR tiles of C. Tiles and cache blocks are in {@link GemmParams};
 * {@code -Dmodelc.vectorBits=0} selects a scalar fallback. The float kernels live in
 * {@code SgemmImpl}; {@code DgemmImpl} is generated from it.
 *
 * <p>Without the Vector API: {@link #sgemmScalar} and {@link #dgemmScalar} are plain loops that
 * never load a Vector API class; code generated for {@code --target scalar} calls them, so it runs
 * on a JVM started without {@code --add-modules jdk.incubator.vector} and computes the same bits
 * whether or not the JVM has the module. {@link #sgemm} and {@link #dgemm} take the same loops on
 * a JVM without the module ({@link VectorApi#AVAILABLE}) instead of failing.
 *
 * <p>Allocation: the overloads without a {@link GemmScratch} use a per-thread scratch (a
 * {@code ThreadLocal}, created once per thread); after the first call at each shape they allocate
 * nothing. Pass a {@link GemmScratch} explicitly to avoid the {@code ThreadLocal} lookup or to
 * control the buffers' lifetime.
 *
 * @throws IllegalArgumentException if a dimension is negative, a leading dimension is smaller than
 *     its row length, or a matrix window does not fit in its array
 */
public final class Gemm {
    private Gemm() {}

    private static final ThreadLocal<GemmScratch> SCRATCH = ThreadLocal.withInitial(GemmScratch::new);

    /** The calling thread's scratch, as used by the overloads without a scratch argument. */
    public static GemmScratch threadScratch() {
        return SCRATCH.get();
    }

    public static void sgemm(boolean transA, boolean transB, int m, int n, int k,
                             float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                             float[] c, int cOff, int ldc, boolean accumulate) {
        if (!VectorApi.AVAILABLE) {
            sgemmScalar(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, accumulate);
            return;
        }
        SgemmImpl.gemm(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, accumulate,
                SCRATCH.get());
    }

    public static void sgemm(boolean transA, boolean transB, int m, int n, int k,
                             float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                             float[] c, int cOff, int ldc, boolean accumulate, GemmScratch scratch) {
        if (!VectorApi.AVAILABLE) {
            if (scratch == null) throw new NullPointerException("scratch");
            sgemmScalar(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, accumulate);
            return;
        }
        SgemmImpl.gemm(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, accumulate,
                scratch);
    }

    public static void dgemm(boolean transA, boolean transB, int m, int n, int k,
                             double[] a, int aOff, int lda, double[] b, int bOff, int ldb,
                             double[] c, int cOff, int ldc, boolean accumulate) {
        if (!VectorApi.AVAILABLE) {
            dgemmScalar(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, accumulate);
            return;
        }
        DgemmImpl.gemm(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, accumulate,
                SCRATCH.get());
    }

    public static void dgemm(boolean transA, boolean transB, int m, int n, int k,
                             double[] a, int aOff, int lda, double[] b, int bOff, int ldb,
                             double[] c, int cOff, int ldc, boolean accumulate, GemmScratch scratch) {
        if (!VectorApi.AVAILABLE) {
            if (scratch == null) throw new NullPointerException("scratch");
            dgemmScalar(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, accumulate);
            return;
        }
        DgemmImpl.gemm(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, accumulate,
                scratch);
    }

    /** {@link #sgemm} in plain loops, without the Vector API (and without scratch buffers). */
    public static void sgemmScalar(boolean transA, boolean transB, int m, int n, int k,
                                   float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                                   float[] c, int cOff, int ldc, boolean accumulate) {
        check(transA, transB, m, n, k, a.length, aOff, lda, b.length, bOff, ldb, c.length, cOff, ldc, NO_SCRATCH);
        ScalarSgemm.gemm(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, accumulate);
    }

    /** {@link #dgemm} in plain loops, without the Vector API (and without scratch buffers). */
    public static void dgemmScalar(boolean transA, boolean transB, int m, int n, int k,
                                   double[] a, int aOff, int lda, double[] b, int bOff, int ldb,
                                   double[] c, int cOff, int ldc, boolean accumulate) {
        check(transA, transB, m, n, k, a.length, aOff, lda, b.length, bOff, ldb, c.length, cOff, ldc, NO_SCRATCH);
        ScalarDgemm.gemm(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, accumulate);
    }

    /** What the scalar entry points pass to {@link #check} for the scratch they do not need. */
    private static final Object NO_SCRATCH = new Object();

    /** Validates the arguments; shared by the float and double implementations. */
    static void check(boolean transA, boolean transB, int m, int n, int k,
                      int aLen, int aOff, int lda, int bLen, int bOff, int ldb,
                      int cLen, int cOff, int ldc, Object scratch) {
        if (m < 0 || n < 0 || k < 0)
            throw new IllegalArgumentException("negative dimension: m=" + m + " n=" + n + " k=" + k);
        if (scratch == null) throw new NullPointerException("scratch");
        if (m == 0 || n == 0) return;
        window("C", m, n, cLen, cOff, ldc);
        if (k == 0) return;
        window("A", transA ? k : m, transA ? m : k, aLen, aOff, lda);
        window("B", transB ? n : k, transB ? k : n, bLen, bOff, ldb);
    }

    private static void window(String name, int rows, int cols, int len, int off, int ld) {
        if (ld < cols)
            throw new IllegalArgumentException("ld" + name.toLowerCase() + "=" + ld + " < row length " + cols);
        long last = (long) off + (long) (rows - 1) * ld + cols;
        if (off < 0 || last > len)
            throw new IllegalArgumentException(name + " window " + rows + "x" + cols + " at offset " + off
                    + " with stride " + ld + " does not fit in an array of length " + len);
    }
}
