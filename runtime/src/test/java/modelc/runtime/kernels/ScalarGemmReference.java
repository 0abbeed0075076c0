package modelc.runtime.kernels;

import java.util.Arrays;

/**
 * A frozen copy of the hand-written float/double pair that {@code ScalarGemm} was before its double
 * half was generated from its float half (by {@code GemmCodegen}): {@link ScalarGemmEquivalenceTest}
 * checks that the scalar GEMM still computes these bits. Do not edit (it is the reference, not the
 * implementation).
 */
final class ScalarGemmReference {
    private ScalarGemmReference() {}

    /** Rows of op(B) per block. */
    static final int KC = 256;

    static void gemm(boolean transA, boolean transB, int m, int n, int k,
                     float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                     float[] c, int cOff, int ldc, boolean accumulate) {
        if (!accumulate) for (int i = 0; i < m; i++) Arrays.fill(c, cOff + i * ldc, cOff + i * ldc + n, 0);
        if (m == 0 || n == 0) return;
        for (int pc = 0; pc < k; pc += KC) {
            int kc = Math.min(KC, k - pc);
            float[] bp;
            int bo, bs; // row p of the block at bp[bo + p * bs]
            if (transB) {
                bp = Gemm.threadScratch().floatB(kc * n);
                bo = 0;
                bs = n;
                for (int j = 0; j < n; j++) {
                    int src = bOff + j * ldb + pc;
                    for (int p = 0; p < kc; p++) bp[p * n + j] = b[src + p];
                }
            } else {
                bp = b;
                bo = bOff + pc * ldb;
                bs = ldb;
            }
            for (int i = 0; i < m; i++) {
                int cr = cOff + i * ldc;
                int p = 0;
                for (; p + 4 <= kc; p += 4) {
                    float a0, a1, a2, a3;
                    if (transA) {
                        int q = aOff + (pc + p) * lda + i;
                        a0 = a[q];
                        a1 = a[q + lda];
                        a2 = a[q + 2 * lda];
                        a3 = a[q + 3 * lda];
                    } else {
                        int q = aOff + i * lda + pc + p;
                        a0 = a[q];
                        a1 = a[q + 1];
                        a2 = a[q + 2];
                        a3 = a[q + 3];
                    }
                    int b0 = bo + p * bs, b1 = b0 + bs, b2 = b1 + bs, b3 = b2 + bs;
                    for (int j = 0; j < n; j++) c[cr + j] += a0 * bp[b0 + j] + a1 * bp[b1 + j] + a2 * bp[b2 + j] + a3 * bp[b3 + j];
                }
                for (; p < kc; p++) {
                    float av = transA ? a[aOff + (pc + p) * lda + i] : a[aOff + i * lda + pc + p];
                    int b0 = bo + p * bs;
                    for (int j = 0; j < n; j++) c[cr + j] += av * bp[b0 + j];
                }
            }
        }
    }

    static void gemm(boolean transA, boolean transB, int m, int n, int k,
                     double[] a, int aOff, int lda, double[] b, int bOff, int ldb,
                     double[] c, int cOff, int ldc, boolean accumulate) {
        if (!accumulate) for (int i = 0; i < m; i++) Arrays.fill(c, cOff + i * ldc, cOff + i * ldc + n, 0);
        if (m == 0 || n == 0) return;
        for (int pc = 0; pc < k; pc += KC) {
            int kc = Math.min(KC, k - pc);
            double[] bp;
            int bo, bs; // row p of the block at bp[bo + p * bs]
            if (transB) {
                bp = Gemm.threadScratch().doubleB(kc * n);
                bo = 0;
                bs = n;
                for (int j = 0; j < n; j++) {
                    int src = bOff + j * ldb + pc;
                    for (int p = 0; p < kc; p++) bp[p * n + j] = b[src + p];
                }
            } else {
                bp = b;
                bo = bOff + pc * ldb;
                bs = ldb;
            }
            for (int i = 0; i < m; i++) {
                int cr = cOff + i * ldc;
                int p = 0;
                for (; p + 4 <= kc; p += 4) {
                    double a0, a1, a2, a3;
                    if (transA) {
                        int q = aOff + (pc + p) * lda + i;
                        a0 = a[q];
                        a1 = a[q + lda];
                        a2 = a[q + 2 * lda];
                        a3 = a[q + 3 * lda];
                    } else {
                        int q = aOff + i * lda + pc + p;
                        a0 = a[q];
                        a1 = a[q + 1];
                        a2 = a[q + 2];
                        a3 = a[q + 3];
                    }
                    int b0 = bo + p * bs, b1 = b0 + bs, b2 = b1 + bs, b3 = b2 + bs;
                    for (int j = 0; j < n; j++) c[cr + j] += a0 * bp[b0 + j] + a1 * bp[b1 + j] + a2 * bp[b2 + j] + a3 * bp[b3 + j];
                }
                for (; p < kc; p++) {
                    double av = transA ? a[aOff + (pc + p) * lda + i] : a[aOff + i * lda + pc + p];
                    int b0 = bo + p * bs;
                    for (int j = 0; j < n; j++) c[cr + j] += av * bp[b0 + j];
                }
            }
        }
    }
}
