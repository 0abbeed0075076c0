// GENERATED from ScalarSgemm.java by GemmCodegen (runtime tests): do not edit.
package modelc.runtime.kernels;

import java.util.Arrays;

/**
 * The double GEMM in plain loops, never touching the Vector API: what {@link Gemm#dgemmScalar} runs
 * (the calls of code generated for {@code --target scalar}), what {@link Gemm#dgemm} falls back to
 * on a JVM without {@code jdk.incubator.vector}, and the {@code -Dmodelc.vectorBits=0} path.
 * Arguments are checked by the caller.
 *
 * <p>This file is the master copy: {@code ScalarDgemm} is generated from it by {@code GemmCodegen}
 * (in the runtime's tests) by replacing double with double. Edit this file, then run
 * {@code GemmCodegen}; {@code GemmCodegenTest} fails while the generated copy is stale.
 *
 * <p>Row i of C is built from op(B)'s rows: {@code C[i, :] += A[i, p..p+3] · B[p..p+3, :]}, four
 * rows of B per pass over C's row, so each load and store of C serves four products; the inner
 * loop runs along contiguous rows, which C2 vectorises by itself. K is taken in blocks of
 * {@value #KC}, whose rows of B stay in cache while every row of C passes over them; B transposed is
 * first copied, a block at a time, into the thread's scratch as rows. Each element of C sums its
 * products in order of p, four at a time. About 2–3 times the speed of one product per pass.
 */
final class ScalarDgemm {
    private ScalarDgemm() {}

    /** Rows of op(B) per block. */
    static final int KC = 256;

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
