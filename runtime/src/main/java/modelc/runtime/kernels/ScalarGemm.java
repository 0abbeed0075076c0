package modelc.runtime.kernels;

import java.util.Arrays;

/**
 * GEMM in plain loops, never touching the Vector API: what {@link Gemm#sgemmScalar} and
 * {@link Gemm#dgemmScalar} run (the calls of code generated for {@code --target scalar}), what
 * {@link Gemm#sgemm} falls back to on a JVM without {@code jdk.incubator.vector}, and the
 * {@code -Dmodelc.vectorBits=0} path. Row i of C is built from row i of op(A) times op(B): with
 * B not transposed its inner loop runs along rows of B and C (contiguous, which C2 vectorises by
 * itself); with B transposed (and A not), each element is a dot product of two contiguous rows.
 * Arguments are checked by the caller.
 */
final class ScalarGemm {
    private ScalarGemm() {}

    static void gemm(boolean transA, boolean transB, int m, int n, int k,
                     float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                     float[] c, int cOff, int ldc, boolean accumulate) {
        if (transB && !transA) {
            for (int i = 0; i < m; i++) {
                int ar = aOff + i * lda, cr = cOff + i * ldc;
                for (int j = 0; j < n; j++) {
                    int br = bOff + j * ldb;
                    float s = 0;
                    for (int p = 0; p < k; p++) s += a[ar + p] * b[br + p];
                    c[cr + j] = accumulate ? c[cr + j] + s : s;
                }
            }
            return;
        }
        for (int i = 0; i < m; i++) {
            int cr = cOff + i * ldc;
            if (!accumulate) Arrays.fill(c, cr, cr + n, 0);
            for (int p = 0; p < k; p++) {
                float av = transA ? a[aOff + p * lda + i] : a[aOff + i * lda + p];
                if (transB) {
                    for (int j = 0, s = bOff + p; j < n; j++, s += ldb) c[cr + j] += av * b[s];
                } else {
                    for (int j = 0, s = bOff + p * ldb; j < n; j++) c[cr + j] += av * b[s + j];
                }
            }
        }
    }

    static void gemm(boolean transA, boolean transB, int m, int n, int k,
                     double[] a, int aOff, int lda, double[] b, int bOff, int ldb,
                     double[] c, int cOff, int ldc, boolean accumulate) {
        if (transB && !transA) {
            for (int i = 0; i < m; i++) {
                int ar = aOff + i * lda, cr = cOff + i * ldc;
                for (int j = 0; j < n; j++) {
                    int br = bOff + j * ldb;
                    double s = 0;
                    for (int p = 0; p < k; p++) s += a[ar + p] * b[br + p];
                    c[cr + j] = accumulate ? c[cr + j] + s : s;
                }
            }
            return;
        }
        for (int i = 0; i < m; i++) {
            int cr = cOff + i * ldc;
            if (!accumulate) Arrays.fill(c, cr, cr + n, 0);
            for (int p = 0; p < k; p++) {
                double av = transA ? a[aOff + p * lda + i] : a[aOff + i * lda + p];
                if (transB) {
                    for (int j = 0, s = bOff + p; j < n; j++, s += ldb) c[cr + j] += av * b[s];
                } else {
                    for (int j = 0, s = bOff + p * ldb; j < n; j++) c[cr + j] += av * b[s + j];
                }
            }
        }
    }
}
