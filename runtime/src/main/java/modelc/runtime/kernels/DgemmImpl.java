// GENERATED from SgemmImpl.java by GemmCodegen (runtime tests): do not edit.
package modelc.runtime.kernels;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * The double GEMM behind {@link Gemm#dgemm}: BLIS loop order jc(NC) → pc(KC) → pack B → ic(MC) →
 * pack A → jr(NR) → ir(MR) → micro-kernel.
 *
 * <p>This file is the master copy: {@code DgemmImpl} is generated from it by {@code GemmCodegen}
 * (in the runtime's tests) by replacing double with double, and the micro-kernels between the
 * GENERATED markers are generated too. Edit this file and the generator, then run
 * {@code GemmCodegen}; {@code GemmCodegenTest} fails while the generated code is stale.
 *
 * <p>Packed layouts (zero-padded, so the micro-kernel never sees an edge):
 * <ul>
 *   <li>A block (mc×kc) as ⌈mc/MR⌉ panels of kc×MR: element (i, p) of panel q at
 *       {@code q*kc*MR + p*MR + (i - q*MR)}; each k step broadcasts MR consecutive values.</li>
 *   <li>B block (kc×nc) as ⌈nc/NR⌉ panels of kc×NR: element (p, j) of panel q at
 *       {@code q*kc*NR + p*NR + (j - q*NR)}; each k step loads NV consecutive vectors.</li>
 * </ul>
 * The transposes of op(A) and op(B) are all done by the packing routines, so the micro-kernel
 * only ever reads unit-stride data. Edge tiles (fewer than MR rows or NR columns of C) are
 * computed into a small tile buffer and added to C with scalar code.
 */
final class DgemmImpl {
    private DgemmImpl() {}

    static final boolean SCALAR = GemmParams.VECTOR_BITS == 0;
    static final VectorSpecies<Double> S = SCALAR
            ? DoubleVector.SPECIES_PREFERRED
            : VectorSpecies.of(double.class, VectorShape.forBitSize(GemmParams.VECTOR_BITS));
    /** Lanes per vector. */
    static final int L = S.length();
    /** Register tile: MR rows × NV vectors (NR = NV·L columns). */
    static final int MR = GemmParams.DGEMM_MR;
    static final int NV = GemmParams.DGEMM_NV;
    static final int NR = NV * L;
    static final int KC = Math.max(1, GemmParams.DGEMM_KC);
    static final int MC = roundUp(Math.max(1, GemmParams.DGEMM_MC), MR);
    static final int NC = roundUp(Math.max(1, GemmParams.DGEMM_NC), NR);

    static void gemm(boolean transA, boolean transB, int m, int n, int k,
                     double[] a, int aOff, int lda, double[] b, int bOff, int ldb,
                     double[] c, int cOff, int ldc, boolean accumulate, GemmScratch scratch) {
        Gemm.check(transA, transB, m, n, k, a.length, aOff, lda, b.length, bOff, ldb, c.length, cOff, ldc,
                scratch);
        if (m == 0 || n == 0) return;
        if (k == 0) {
            if (!accumulate) {
                for (int i = 0; i < m; i++) java.util.Arrays.fill(c, cOff + i * ldc, cOff + i * ldc + n, 0);
            }
            return;
        }
        if (SCALAR) {
            scalar(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, accumulate);
            return;
        }
        // Balanced blocking: e.g. k = 784 with KC = 256 runs 4 blocks of 196, not 3×256 + 16.
        int kcStep = ceilDiv(k, ceilDiv(k, KC));
        int mcStep = roundUp(ceilDiv(m, ceilDiv(m, MC)), MR);
        int ncStep = roundUp(ceilDiv(n, ceilDiv(n, NC)), NR);
        double[] pa = scratch.doubleA(mcStep * kcStep);
        double[] pb = scratch.doubleB(ncStep * kcStep);
        double[] tile = scratch.doubleTile(MR * NR);
        for (int jc = 0; jc < n; jc += ncStep) {
            int nc = Math.min(ncStep, n - jc);
            for (int pc = 0; pc < k; pc += kcStep) {
                int kc = Math.min(kcStep, k - pc);
                boolean beta = accumulate || pc > 0;
                if (transB) packBT(b, bOff + jc * ldb + pc, ldb, kc, nc, pb);
                else packBN(b, bOff + pc * ldb + jc, ldb, kc, nc, pb);
                for (int ic = 0; ic < m; ic += mcStep) {
                    int mc = Math.min(mcStep, m - ic);
                    if (transA) packAT(a, aOff + pc * lda + ic, lda, mc, kc, pa);
                    else packAN(a, aOff + ic * lda + pc, lda, mc, kc, pa);
                    macroKernel(mc, nc, kc, pa, pb, c, cOff + ic * ldc + jc, ldc, beta, tile);
                }
            }
        }
    }

    /** All MR×NR tiles of an mc×nc block of C from packed A and B blocks. */
    private static void macroKernel(int mc, int nc, int kc, double[] pa, double[] pb,
                                    double[] c, int cOff, int ldc, boolean beta, double[] tile) {
        for (int j = 0, bi = 0; j < nc; j += NR, bi += kc * NR) {
            int nr = Math.min(NR, nc - j);
            for (int i = 0, ai = 0; i < mc; i += MR, ai += kc * MR) {
                int mr = Math.min(MR, mc - i);
                int ci = cOff + i * ldc + j;
                if (mr == MR && nr == NR) {
                    kernel(kc, pa, ai, pb, bi, c, ci, ldc, beta);
                } else {
                    kernel(kc, pa, ai, pb, bi, tile, 0, NR, false);
                    for (int r = 0; r < mr; r++) {
                        int cr = ci + r * ldc, tr = r * NR;
                        if (beta) for (int q = 0; q < nr; q++) c[cr + q] += tile[tr + q];
                        else for (int q = 0; q < nr; q++) c[cr + q] = tile[tr + q];
                    }
                }
            }
        }
    }

    // ---------------------------------------------------------------- packing

    /** B stored k×n (row p of op(B) is contiguous), block origin at {@code src}. */
    private static void packBN(double[] b, int src, int ldb, int kc, int nc, double[] pb) {
        int full = nc - nc % NR;
        int d = 0;
        for (int j = 0; j < full; j += NR) {
            for (int p = 0, s = src + j; p < kc; p++, s += ldb, d += NR) {
                for (int v = 0; v < NR; v += L) DoubleVector.fromArray(S, b, s + v).intoArray(pb, d + v);
            }
        }
        if (full < nc) {
            int w = nc - full;
            for (int p = 0, s = src + full; p < kc; p++, s += ldb, d += NR) {
                for (int q = 0; q < w; q++) pb[d + q] = b[s + q];
                for (int q = w; q < NR; q++) pb[d + q] = 0;
            }
        }
    }

    /** B stored n×k (op(B) = Bᵀ: column j of op(B) is contiguous), block origin at {@code src}. */
    private static void packBT(double[] b, int src, int ldb, int kc, int nc, double[] pb) {
        for (int j = 0, d0 = 0; j < nc; j += NR, d0 += kc * NR) {
            int w = Math.min(NR, nc - j);
            for (int q = 0; q < w; q++) {
                int s = src + (j + q) * ldb;
                for (int p = 0, d = d0 + q; p < kc; p++, d += NR) pb[d] = b[s + p];
            }
            for (int q = w; q < NR; q++) {
                for (int p = 0, d = d0 + q; p < kc; p++, d += NR) pb[d] = 0;
            }
        }
    }

    /** A stored m×k (row i of op(A) is contiguous), block origin at {@code src}. */
    private static void packAN(double[] a, int src, int lda, int mc, int kc, double[] pa) {
        for (int i = 0, d0 = 0; i < mc; i += MR, d0 += kc * MR) {
            int h = Math.min(MR, mc - i);
            for (int r = 0; r < h; r++) {
                int s = src + (i + r) * lda;
                for (int p = 0, d = d0 + r; p < kc; p++, d += MR) pa[d] = a[s + p];
            }
            for (int r = h; r < MR; r++) {
                for (int p = 0, d = d0 + r; p < kc; p++, d += MR) pa[d] = 0;
            }
        }
    }

    /** A stored k×m (op(A) = Aᵀ: column i of op(A) is contiguous), block origin at {@code src}. */
    private static void packAT(double[] a, int src, int lda, int mc, int kc, double[] pa) {
        int d = 0;
        for (int i = 0; i < mc; i += MR) {
            int h = Math.min(MR, mc - i);
            if (h == MR) {
                for (int p = 0, s = src + i; p < kc; p++, s += lda, d += MR) {
                    for (int r = 0; r < MR; r++) pa[d + r] = a[s + r];
                }
            } else {
                for (int p = 0, s = src + i; p < kc; p++, s += lda, d += MR) {
                    for (int r = 0; r < h; r++) pa[d + r] = a[s + r];
                    for (int r = h; r < MR; r++) pa[d + r] = 0;
                }
            }
        }
    }

    // ---------------------------------------------------------------- scalar fallback

    /** The {@code modelc.vectorBits=0} path: plain loops, no Vector API. */
    static void scalar(boolean transA, boolean transB, int m, int n, int k,
                       double[] a, int aOff, int lda, double[] b, int bOff, int ldb,
                       double[] c, int cOff, int ldc, boolean accumulate) {
        for (int i = 0; i < m; i++) {
            int cr = cOff + i * ldc;
            if (!accumulate) java.util.Arrays.fill(c, cr, cr + n, 0);
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

    private static int ceilDiv(int x, int y) {
        return (x + y - 1) / y;
    }

    private static int roundUp(int x, int y) {
        return ceilDiv(x, y) * y;
    }

    // ---- BEGIN GENERATED MICRO-KERNELS (GemmCodegen: edit the generator, not this block) ----

    /**
     * The micro-kernel of the configured tile: C[MR×NR at ci] (+)= A panel · B panel over kc
     * steps. MR and NV are constants, so C2 folds this dispatch away.
     */
    static void kernel(int kc, double[] a, int ai, double[] b, int bi, double[] c, int ci, int ldc,
                       boolean beta) {
        if (MR == 12 && NV == 2) k12x2(kc, a, ai, b, bi, c, ci, ldc, beta);
        else if (MR == 8 && NV == 3) k8x3(kc, a, ai, b, bi, c, ci, ldc, beta);
        else if (MR == 6 && NV == 2) k6x2(kc, a, ai, b, bi, c, ci, ldc, beta);
        else if (MR == 4 && NV == 3) k4x3(kc, a, ai, b, bi, c, ci, ldc, beta);
        else if (MR == 5 && NV == 2) k5x2(kc, a, ai, b, bi, c, ci, ldc, beta);
        else if (MR == 4 && NV == 2) k4x2(kc, a, ai, b, bi, c, ci, ldc, beta);
        else if (MR == 3 && NV == 3) k3x3(kc, a, ai, b, bi, c, ci, ldc, beta);
        else if (MR == 2 && NV == 4) k2x4(kc, a, ai, b, bi, c, ci, ldc, beta);
        else if (MR == 3 && NV == 2) k3x2(kc, a, ai, b, bi, c, ci, ldc, beta);
        else if (MR == 8 && NV == 1) k8x1(kc, a, ai, b, bi, c, ci, ldc, beta);
        else if (MR == 6 && NV == 1) k6x1(kc, a, ai, b, bi, c, ci, ldc, beta);
        else throw new AssertionError("no kernel for tile " + MR + "x" + NV);
    }

    /** Any generated kernel by its tile (tests only: not constant-folded). */
    static void kernelForTest(int mr, int nv, int kc, double[] a, int ai, double[] b, int bi,
                              double[] c, int ci, int ldc, boolean beta) {
        switch (mr * 100 + nv) {
            case 1202 -> k12x2(kc, a, ai, b, bi, c, ci, ldc, beta);
            case 803 -> k8x3(kc, a, ai, b, bi, c, ci, ldc, beta);
            case 602 -> k6x2(kc, a, ai, b, bi, c, ci, ldc, beta);
            case 403 -> k4x3(kc, a, ai, b, bi, c, ci, ldc, beta);
            case 502 -> k5x2(kc, a, ai, b, bi, c, ci, ldc, beta);
            case 402 -> k4x2(kc, a, ai, b, bi, c, ci, ldc, beta);
            case 303 -> k3x3(kc, a, ai, b, bi, c, ci, ldc, beta);
            case 204 -> k2x4(kc, a, ai, b, bi, c, ci, ldc, beta);
            case 302 -> k3x2(kc, a, ai, b, bi, c, ci, ldc, beta);
            case 801 -> k8x1(kc, a, ai, b, bi, c, ci, ldc, beta);
            case 601 -> k6x1(kc, a, ai, b, bi, c, ci, ldc, beta);
            default -> throw new IllegalArgumentException(mr + "x" + nv);
        }
    }

    /** 12×2-vector tile: 24 accumulators, 2 B vectors and 1 broadcast live. */
    private static void k12x2(int kc, double[] a, int ai, double[] b, int bi, double[] c, int ci, int ldc,
            boolean beta) {
        DoubleVector c0_0 = DoubleVector.zero(S), c0_1 = DoubleVector.zero(S);
        DoubleVector c1_0 = DoubleVector.zero(S), c1_1 = DoubleVector.zero(S);
        DoubleVector c2_0 = DoubleVector.zero(S), c2_1 = DoubleVector.zero(S);
        DoubleVector c3_0 = DoubleVector.zero(S), c3_1 = DoubleVector.zero(S);
        DoubleVector c4_0 = DoubleVector.zero(S), c4_1 = DoubleVector.zero(S);
        DoubleVector c5_0 = DoubleVector.zero(S), c5_1 = DoubleVector.zero(S);
        DoubleVector c6_0 = DoubleVector.zero(S), c6_1 = DoubleVector.zero(S);
        DoubleVector c7_0 = DoubleVector.zero(S), c7_1 = DoubleVector.zero(S);
        DoubleVector c8_0 = DoubleVector.zero(S), c8_1 = DoubleVector.zero(S);
        DoubleVector c9_0 = DoubleVector.zero(S), c9_1 = DoubleVector.zero(S);
        DoubleVector c10_0 = DoubleVector.zero(S), c10_1 = DoubleVector.zero(S);
        DoubleVector c11_0 = DoubleVector.zero(S), c11_1 = DoubleVector.zero(S);
        for (int p = 0; p < kc; p++, ai += 12, bi += 2 * L) {
            DoubleVector b0 = DoubleVector.fromArray(S, b, bi);
            DoubleVector b1 = DoubleVector.fromArray(S, b, bi + L);
            DoubleVector av;
            av = DoubleVector.broadcast(S, a[ai]); c0_0 = av.fma(b0, c0_0); c0_1 = av.fma(b1, c0_1);
            av = DoubleVector.broadcast(S, a[ai + 1]); c1_0 = av.fma(b0, c1_0); c1_1 = av.fma(b1, c1_1);
            av = DoubleVector.broadcast(S, a[ai + 2]); c2_0 = av.fma(b0, c2_0); c2_1 = av.fma(b1, c2_1);
            av = DoubleVector.broadcast(S, a[ai + 3]); c3_0 = av.fma(b0, c3_0); c3_1 = av.fma(b1, c3_1);
            av = DoubleVector.broadcast(S, a[ai + 4]); c4_0 = av.fma(b0, c4_0); c4_1 = av.fma(b1, c4_1);
            av = DoubleVector.broadcast(S, a[ai + 5]); c5_0 = av.fma(b0, c5_0); c5_1 = av.fma(b1, c5_1);
            av = DoubleVector.broadcast(S, a[ai + 6]); c6_0 = av.fma(b0, c6_0); c6_1 = av.fma(b1, c6_1);
            av = DoubleVector.broadcast(S, a[ai + 7]); c7_0 = av.fma(b0, c7_0); c7_1 = av.fma(b1, c7_1);
            av = DoubleVector.broadcast(S, a[ai + 8]); c8_0 = av.fma(b0, c8_0); c8_1 = av.fma(b1, c8_1);
            av = DoubleVector.broadcast(S, a[ai + 9]); c9_0 = av.fma(b0, c9_0); c9_1 = av.fma(b1, c9_1);
            av = DoubleVector.broadcast(S, a[ai + 10]); c10_0 = av.fma(b0, c10_0); c10_1 = av.fma(b1, c10_1);
            av = DoubleVector.broadcast(S, a[ai + 11]); c11_0 = av.fma(b0, c11_0); c11_1 = av.fma(b1, c11_1);
        }
        if (beta) {
            c0_0 = c0_0.add(DoubleVector.fromArray(S, c, ci)); c0_1 = c0_1.add(DoubleVector.fromArray(S, c, ci + L));
            c1_0 = c1_0.add(DoubleVector.fromArray(S, c, ci + ldc)); c1_1 = c1_1.add(DoubleVector.fromArray(S, c, ci + ldc + L));
            c2_0 = c2_0.add(DoubleVector.fromArray(S, c, ci + 2 * ldc)); c2_1 = c2_1.add(DoubleVector.fromArray(S, c, ci + 2 * ldc + L));
            c3_0 = c3_0.add(DoubleVector.fromArray(S, c, ci + 3 * ldc)); c3_1 = c3_1.add(DoubleVector.fromArray(S, c, ci + 3 * ldc + L));
            c4_0 = c4_0.add(DoubleVector.fromArray(S, c, ci + 4 * ldc)); c4_1 = c4_1.add(DoubleVector.fromArray(S, c, ci + 4 * ldc + L));
            c5_0 = c5_0.add(DoubleVector.fromArray(S, c, ci + 5 * ldc)); c5_1 = c5_1.add(DoubleVector.fromArray(S, c, ci + 5 * ldc + L));
            c6_0 = c6_0.add(DoubleVector.fromArray(S, c, ci + 6 * ldc)); c6_1 = c6_1.add(DoubleVector.fromArray(S, c, ci + 6 * ldc + L));
            c7_0 = c7_0.add(DoubleVector.fromArray(S, c, ci + 7 * ldc)); c7_1 = c7_1.add(DoubleVector.fromArray(S, c, ci + 7 * ldc + L));
            c8_0 = c8_0.add(DoubleVector.fromArray(S, c, ci + 8 * ldc)); c8_1 = c8_1.add(DoubleVector.fromArray(S, c, ci + 8 * ldc + L));
            c9_0 = c9_0.add(DoubleVector.fromArray(S, c, ci + 9 * ldc)); c9_1 = c9_1.add(DoubleVector.fromArray(S, c, ci + 9 * ldc + L));
            c10_0 = c10_0.add(DoubleVector.fromArray(S, c, ci + 10 * ldc)); c10_1 = c10_1.add(DoubleVector.fromArray(S, c, ci + 10 * ldc + L));
            c11_0 = c11_0.add(DoubleVector.fromArray(S, c, ci + 11 * ldc)); c11_1 = c11_1.add(DoubleVector.fromArray(S, c, ci + 11 * ldc + L));
        }
        c0_0.intoArray(c, ci); c0_1.intoArray(c, ci + L);
        c1_0.intoArray(c, ci + ldc); c1_1.intoArray(c, ci + ldc + L);
        c2_0.intoArray(c, ci + 2 * ldc); c2_1.intoArray(c, ci + 2 * ldc + L);
        c3_0.intoArray(c, ci + 3 * ldc); c3_1.intoArray(c, ci + 3 * ldc + L);
        c4_0.intoArray(c, ci + 4 * ldc); c4_1.intoArray(c, ci + 4 * ldc + L);
        c5_0.intoArray(c, ci + 5 * ldc); c5_1.intoArray(c, ci + 5 * ldc + L);
        c6_0.intoArray(c, ci + 6 * ldc); c6_1.intoArray(c, ci + 6 * ldc + L);
        c7_0.intoArray(c, ci + 7 * ldc); c7_1.intoArray(c, ci + 7 * ldc + L);
        c8_0.intoArray(c, ci + 8 * ldc); c8_1.intoArray(c, ci + 8 * ldc + L);
        c9_0.intoArray(c, ci + 9 * ldc); c9_1.intoArray(c, ci + 9 * ldc + L);
        c10_0.intoArray(c, ci + 10 * ldc); c10_1.intoArray(c, ci + 10 * ldc + L);
        c11_0.intoArray(c, ci + 11 * ldc); c11_1.intoArray(c, ci + 11 * ldc + L);
    }

    /** 8×3-vector tile: 24 accumulators, 3 B vectors and 1 broadcast live. */
    private static void k8x3(int kc, double[] a, int ai, double[] b, int bi, double[] c, int ci, int ldc,
            boolean beta) {
        DoubleVector c0_0 = DoubleVector.zero(S), c0_1 = DoubleVector.zero(S), c0_2 = DoubleVector.zero(S);
        DoubleVector c1_0 = DoubleVector.zero(S), c1_1 = DoubleVector.zero(S), c1_2 = DoubleVector.zero(S);
        DoubleVector c2_0 = DoubleVector.zero(S), c2_1 = DoubleVector.zero(S), c2_2 = DoubleVector.zero(S);
        DoubleVector c3_0 = DoubleVector.zero(S), c3_1 = DoubleVector.zero(S), c3_2 = DoubleVector.zero(S);
        DoubleVector c4_0 = DoubleVector.zero(S), c4_1 = DoubleVector.zero(S), c4_2 = DoubleVector.zero(S);
        DoubleVector c5_0 = DoubleVector.zero(S), c5_1 = DoubleVector.zero(S), c5_2 = DoubleVector.zero(S);
        DoubleVector c6_0 = DoubleVector.zero(S), c6_1 = DoubleVector.zero(S), c6_2 = DoubleVector.zero(S);
        DoubleVector c7_0 = DoubleVector.zero(S), c7_1 = DoubleVector.zero(S), c7_2 = DoubleVector.zero(S);
        for (int p = 0; p < kc; p++, ai += 8, bi += 3 * L) {
            DoubleVector b0 = DoubleVector.fromArray(S, b, bi);
            DoubleVector b1 = DoubleVector.fromArray(S, b, bi + L);
            DoubleVector b2 = DoubleVector.fromArray(S, b, bi + 2 * L);
            DoubleVector av;
            av = DoubleVector.broadcast(S, a[ai]); c0_0 = av.fma(b0, c0_0); c0_1 = av.fma(b1, c0_1); c0_2 = av.fma(b2, c0_2);
            av = DoubleVector.broadcast(S, a[ai + 1]); c1_0 = av.fma(b0, c1_0); c1_1 = av.fma(b1, c1_1); c1_2 = av.fma(b2, c1_2);
            av = DoubleVector.broadcast(S, a[ai + 2]); c2_0 = av.fma(b0, c2_0); c2_1 = av.fma(b1, c2_1); c2_2 = av.fma(b2, c2_2);
            av = DoubleVector.broadcast(S, a[ai + 3]); c3_0 = av.fma(b0, c3_0); c3_1 = av.fma(b1, c3_1); c3_2 = av.fma(b2, c3_2);
            av = DoubleVector.broadcast(S, a[ai + 4]); c4_0 = av.fma(b0, c4_0); c4_1 = av.fma(b1, c4_1); c4_2 = av.fma(b2, c4_2);
            av = DoubleVector.broadcast(S, a[ai + 5]); c5_0 = av.fma(b0, c5_0); c5_1 = av.fma(b1, c5_1); c5_2 = av.fma(b2, c5_2);
            av = DoubleVector.broadcast(S, a[ai + 6]); c6_0 = av.fma(b0, c6_0); c6_1 = av.fma(b1, c6_1); c6_2 = av.fma(b2, c6_2);
            av = DoubleVector.broadcast(S, a[ai + 7]); c7_0 = av.fma(b0, c7_0); c7_1 = av.fma(b1, c7_1); c7_2 = av.fma(b2, c7_2);
        }
        if (beta) {
            c0_0 = c0_0.add(DoubleVector.fromArray(S, c, ci)); c0_1 = c0_1.add(DoubleVector.fromArray(S, c, ci + L)); c0_2 = c0_2.add(DoubleVector.fromArray(S, c, ci + 2 * L));
            c1_0 = c1_0.add(DoubleVector.fromArray(S, c, ci + ldc)); c1_1 = c1_1.add(DoubleVector.fromArray(S, c, ci + ldc + L)); c1_2 = c1_2.add(DoubleVector.fromArray(S, c, ci + ldc + 2 * L));
            c2_0 = c2_0.add(DoubleVector.fromArray(S, c, ci + 2 * ldc)); c2_1 = c2_1.add(DoubleVector.fromArray(S, c, ci + 2 * ldc + L)); c2_2 = c2_2.add(DoubleVector.fromArray(S, c, ci + 2 * ldc + 2 * L));
            c3_0 = c3_0.add(DoubleVector.fromArray(S, c, ci + 3 * ldc)); c3_1 = c3_1.add(DoubleVector.fromArray(S, c, ci + 3 * ldc + L)); c3_2 = c3_2.add(DoubleVector.fromArray(S, c, ci + 3 * ldc + 2 * L));
            c4_0 = c4_0.add(DoubleVector.fromArray(S, c, ci + 4 * ldc)); c4_1 = c4_1.add(DoubleVector.fromArray(S, c, ci + 4 * ldc + L)); c4_2 = c4_2.add(DoubleVector.fromArray(S, c, ci + 4 * ldc + 2 * L));
            c5_0 = c5_0.add(DoubleVector.fromArray(S, c, ci + 5 * ldc)); c5_1 = c5_1.add(DoubleVector.fromArray(S, c, ci + 5 * ldc + L)); c5_2 = c5_2.add(DoubleVector.fromArray(S, c, ci + 5 * ldc + 2 * L));
            c6_0 = c6_0.add(DoubleVector.fromArray(S, c, ci + 6 * ldc)); c6_1 = c6_1.add(DoubleVector.fromArray(S, c, ci + 6 * ldc + L)); c6_2 = c6_2.add(DoubleVector.fromArray(S, c, ci + 6 * ldc + 2 * L));
            c7_0 = c7_0.add(DoubleVector.fromArray(S, c, ci + 7 * ldc)); c7_1 = c7_1.add(DoubleVector.fromArray(S, c, ci + 7 * ldc + L)); c7_2 = c7_2.add(DoubleVector.fromArray(S, c, ci + 7 * ldc + 2 * L));
        }
        c0_0.intoArray(c, ci); c0_1.intoArray(c, ci + L); c0_2.intoArray(c, ci + 2 * L);
        c1_0.intoArray(c, ci + ldc); c1_1.intoArray(c, ci + ldc + L); c1_2.intoArray(c, ci + ldc + 2 * L);
        c2_0.intoArray(c, ci + 2 * ldc); c2_1.intoArray(c, ci + 2 * ldc + L); c2_2.intoArray(c, ci + 2 * ldc + 2 * L);
        c3_0.intoArray(c, ci + 3 * ldc); c3_1.intoArray(c, ci + 3 * ldc + L); c3_2.intoArray(c, ci + 3 * ldc + 2 * L);
        c4_0.intoArray(c, ci + 4 * ldc); c4_1.intoArray(c, ci + 4 * ldc + L); c4_2.intoArray(c, ci + 4 * ldc + 2 * L);
        c5_0.intoArray(c, ci + 5 * ldc); c5_1.intoArray(c, ci + 5 * ldc + L); c5_2.intoArray(c, ci + 5 * ldc + 2 * L);
        c6_0.intoArray(c, ci + 6 * ldc); c6_1.intoArray(c, ci + 6 * ldc + L); c6_2.intoArray(c, ci + 6 * ldc + 2 * L);
        c7_0.intoArray(c, ci + 7 * ldc); c7_1.intoArray(c, ci + 7 * ldc + L); c7_2.intoArray(c, ci + 7 * ldc + 2 * L);
    }

    /** 6×2-vector tile: 12 accumulators, 2 B vectors and 1 broadcast live. */
    private static void k6x2(int kc, double[] a, int ai, double[] b, int bi, double[] c, int ci, int ldc,
            boolean beta) {
        DoubleVector c0_0 = DoubleVector.zero(S), c0_1 = DoubleVector.zero(S);
        DoubleVector c1_0 = DoubleVector.zero(S), c1_1 = DoubleVector.zero(S);
        DoubleVector c2_0 = DoubleVector.zero(S), c2_1 = DoubleVector.zero(S);
        DoubleVector c3_0 = DoubleVector.zero(S), c3_1 = DoubleVector.zero(S);
        DoubleVector c4_0 = DoubleVector.zero(S), c4_1 = DoubleVector.zero(S);
        DoubleVector c5_0 = DoubleVector.zero(S), c5_1 = DoubleVector.zero(S);
        for (int p = 0; p < kc; p++, ai += 6, bi += 2 * L) {
            DoubleVector b0 = DoubleVector.fromArray(S, b, bi);
            DoubleVector b1 = DoubleVector.fromArray(S, b, bi + L);
            DoubleVector av;
            av = DoubleVector.broadcast(S, a[ai]); c0_0 = av.fma(b0, c0_0); c0_1 = av.fma(b1, c0_1);
            av = DoubleVector.broadcast(S, a[ai + 1]); c1_0 = av.fma(b0, c1_0); c1_1 = av.fma(b1, c1_1);
            av = DoubleVector.broadcast(S, a[ai + 2]); c2_0 = av.fma(b0, c2_0); c2_1 = av.fma(b1, c2_1);
            av = DoubleVector.broadcast(S, a[ai + 3]); c3_0 = av.fma(b0, c3_0); c3_1 = av.fma(b1, c3_1);
            av = DoubleVector.broadcast(S, a[ai + 4]); c4_0 = av.fma(b0, c4_0); c4_1 = av.fma(b1, c4_1);
            av = DoubleVector.broadcast(S, a[ai + 5]); c5_0 = av.fma(b0, c5_0); c5_1 = av.fma(b1, c5_1);
        }
        if (beta) {
            c0_0 = c0_0.add(DoubleVector.fromArray(S, c, ci)); c0_1 = c0_1.add(DoubleVector.fromArray(S, c, ci + L));
            c1_0 = c1_0.add(DoubleVector.fromArray(S, c, ci + ldc)); c1_1 = c1_1.add(DoubleVector.fromArray(S, c, ci + ldc + L));
            c2_0 = c2_0.add(DoubleVector.fromArray(S, c, ci + 2 * ldc)); c2_1 = c2_1.add(DoubleVector.fromArray(S, c, ci + 2 * ldc + L));
            c3_0 = c3_0.add(DoubleVector.fromArray(S, c, ci + 3 * ldc)); c3_1 = c3_1.add(DoubleVector.fromArray(S, c, ci + 3 * ldc + L));
            c4_0 = c4_0.add(DoubleVector.fromArray(S, c, ci + 4 * ldc)); c4_1 = c4_1.add(DoubleVector.fromArray(S, c, ci + 4 * ldc + L));
            c5_0 = c5_0.add(DoubleVector.fromArray(S, c, ci + 5 * ldc)); c5_1 = c5_1.add(DoubleVector.fromArray(S, c, ci + 5 * ldc + L));
        }
        c0_0.intoArray(c, ci); c0_1.intoArray(c, ci + L);
        c1_0.intoArray(c, ci + ldc); c1_1.intoArray(c, ci + ldc + L);
        c2_0.intoArray(c, ci + 2 * ldc); c2_1.intoArray(c, ci + 2 * ldc + L);
        c3_0.intoArray(c, ci + 3 * ldc); c3_1.intoArray(c, ci + 3 * ldc + L);
        c4_0.intoArray(c, ci + 4 * ldc); c4_1.intoArray(c, ci + 4 * ldc + L);
        c5_0.intoArray(c, ci + 5 * ldc); c5_1.intoArray(c, ci + 5 * ldc + L);
    }

    /** 4×3-vector tile: 12 accumulators, 3 B vectors and 1 broadcast live. */
    private static void k4x3(int kc, double[] a, int ai, double[] b, int bi, double[] c, int ci, int ldc,
            boolean beta) {
        DoubleVector c0_0 = DoubleVector.zero(S), c0_1 = DoubleVector.zero(S), c0_2 = DoubleVector.zero(S);
        DoubleVector c1_0 = DoubleVector.zero(S), c1_1 = DoubleVector.zero(S), c1_2 = DoubleVector.zero(S);
        DoubleVector c2_0 = DoubleVector.zero(S), c2_1 = DoubleVector.zero(S), c2_2 = DoubleVector.zero(S);
        DoubleVector c3_0 = DoubleVector.zero(S), c3_1 = DoubleVector.zero(S), c3_2 = DoubleVector.zero(S);
        for (int p = 0; p < kc; p++, ai += 4, bi += 3 * L) {
            DoubleVector b0 = DoubleVector.fromArray(S, b, bi);
            DoubleVector b1 = DoubleVector.fromArray(S, b, bi + L);
            DoubleVector b2 = DoubleVector.fromArray(S, b, bi + 2 * L);
            DoubleVector av;
            av = DoubleVector.broadcast(S, a[ai]); c0_0 = av.fma(b0, c0_0); c0_1 = av.fma(b1, c0_1); c0_2 = av.fma(b2, c0_2);
            av = DoubleVector.broadcast(S, a[ai + 1]); c1_0 = av.fma(b0, c1_0); c1_1 = av.fma(b1, c1_1); c1_2 = av.fma(b2, c1_2);
            av = DoubleVector.broadcast(S, a[ai + 2]); c2_0 = av.fma(b0, c2_0); c2_1 = av.fma(b1, c2_1); c2_2 = av.fma(b2, c2_2);
            av = DoubleVector.broadcast(S, a[ai + 3]); c3_0 = av.fma(b0, c3_0); c3_1 = av.fma(b1, c3_1); c3_2 = av.fma(b2, c3_2);
        }
        if (beta) {
            c0_0 = c0_0.add(DoubleVector.fromArray(S, c, ci)); c0_1 = c0_1.add(DoubleVector.fromArray(S, c, ci + L)); c0_2 = c0_2.add(DoubleVector.fromArray(S, c, ci + 2 * L));
            c1_0 = c1_0.add(DoubleVector.fromArray(S, c, ci + ldc)); c1_1 = c1_1.add(DoubleVector.fromArray(S, c, ci + ldc + L)); c1_2 = c1_2.add(DoubleVector.fromArray(S, c, ci + ldc + 2 * L));
            c2_0 = c2_0.add(DoubleVector.fromArray(S, c, ci + 2 * ldc)); c2_1 = c2_1.add(DoubleVector.fromArray(S, c, ci + 2 * ldc + L)); c2_2 = c2_2.add(DoubleVector.fromArray(S, c, ci + 2 * ldc + 2 * L));
            c3_0 = c3_0.add(DoubleVector.fromArray(S, c, ci + 3 * ldc)); c3_1 = c3_1.add(DoubleVector.fromArray(S, c, ci + 3 * ldc + L)); c3_2 = c3_2.add(DoubleVector.fromArray(S, c, ci + 3 * ldc + 2 * L));
        }
        c0_0.intoArray(c, ci); c0_1.intoArray(c, ci + L); c0_2.intoArray(c, ci + 2 * L);
        c1_0.intoArray(c, ci + ldc); c1_1.intoArray(c, ci + ldc + L); c1_2.intoArray(c, ci + ldc + 2 * L);
        c2_0.intoArray(c, ci + 2 * ldc); c2_1.intoArray(c, ci + 2 * ldc + L); c2_2.intoArray(c, ci + 2 * ldc + 2 * L);
        c3_0.intoArray(c, ci + 3 * ldc); c3_1.intoArray(c, ci + 3 * ldc + L); c3_2.intoArray(c, ci + 3 * ldc + 2 * L);
    }

    /** 5×2-vector tile: 10 accumulators, 2 B vectors and 1 broadcast live. */
    private static void k5x2(int kc, double[] a, int ai, double[] b, int bi, double[] c, int ci, int ldc,
            boolean beta) {
        DoubleVector c0_0 = DoubleVector.zero(S), c0_1 = DoubleVector.zero(S);
        DoubleVector c1_0 = DoubleVector.zero(S), c1_1 = DoubleVector.zero(S);
        DoubleVector c2_0 = DoubleVector.zero(S), c2_1 = DoubleVector.zero(S);
        DoubleVector c3_0 = DoubleVector.zero(S), c3_1 = DoubleVector.zero(S);
        DoubleVector c4_0 = DoubleVector.zero(S), c4_1 = DoubleVector.zero(S);
        for (int p = 0; p < kc; p++, ai += 5, bi += 2 * L) {
            DoubleVector b0 = DoubleVector.fromArray(S, b, bi);
            DoubleVector b1 = DoubleVector.fromArray(S, b, bi + L);
            DoubleVector av;
            av = DoubleVector.broadcast(S, a[ai]); c0_0 = av.fma(b0, c0_0); c0_1 = av.fma(b1, c0_1);
            av = DoubleVector.broadcast(S, a[ai + 1]); c1_0 = av.fma(b0, c1_0); c1_1 = av.fma(b1, c1_1);
            av = DoubleVector.broadcast(S, a[ai + 2]); c2_0 = av.fma(b0, c2_0); c2_1 = av.fma(b1, c2_1);
            av = DoubleVector.broadcast(S, a[ai + 3]); c3_0 = av.fma(b0, c3_0); c3_1 = av.fma(b1, c3_1);
            av = DoubleVector.broadcast(S, a[ai + 4]); c4_0 = av.fma(b0, c4_0); c4_1 = av.fma(b1, c4_1);
        }
        if (beta) {
            c0_0 = c0_0.add(DoubleVector.fromArray(S, c, ci)); c0_1 = c0_1.add(DoubleVector.fromArray(S, c, ci + L));
            c1_0 = c1_0.add(DoubleVector.fromArray(S, c, ci + ldc)); c1_1 = c1_1.add(DoubleVector.fromArray(S, c, ci + ldc + L));
            c2_0 = c2_0.add(DoubleVector.fromArray(S, c, ci + 2 * ldc)); c2_1 = c2_1.add(DoubleVector.fromArray(S, c, ci + 2 * ldc + L));
            c3_0 = c3_0.add(DoubleVector.fromArray(S, c, ci + 3 * ldc)); c3_1 = c3_1.add(DoubleVector.fromArray(S, c, ci + 3 * ldc + L));
            c4_0 = c4_0.add(DoubleVector.fromArray(S, c, ci + 4 * ldc)); c4_1 = c4_1.add(DoubleVector.fromArray(S, c, ci + 4 * ldc + L));
        }
        c0_0.intoArray(c, ci); c0_1.intoArray(c, ci + L);
        c1_0.intoArray(c, ci + ldc); c1_1.intoArray(c, ci + ldc + L);
        c2_0.intoArray(c, ci + 2 * ldc); c2_1.intoArray(c, ci + 2 * ldc + L);
        c3_0.intoArray(c, ci + 3 * ldc); c3_1.intoArray(c, ci + 3 * ldc + L);
        c4_0.intoArray(c, ci + 4 * ldc); c4_1.intoArray(c, ci + 4 * ldc + L);
    }

    /** 4×2-vector tile: 8 accumulators, 2 B vectors and 1 broadcast live. */
    private static void k4x2(int kc, double[] a, int ai, double[] b, int bi, double[] c, int ci, int ldc,
            boolean beta) {
        DoubleVector c0_0 = DoubleVector.zero(S), c0_1 = DoubleVector.zero(S);
        DoubleVector c1_0 = DoubleVector.zero(S), c1_1 = DoubleVector.zero(S);
        DoubleVector c2_0 = DoubleVector.zero(S), c2_1 = DoubleVector.zero(S);
        DoubleVector c3_0 = DoubleVector.zero(S), c3_1 = DoubleVector.zero(S);
        for (int p = 0; p < kc; p++, ai += 4, bi += 2 * L) {
            DoubleVector b0 = DoubleVector.fromArray(S, b, bi);
            DoubleVector b1 = DoubleVector.fromArray(S, b, bi + L);
            DoubleVector av;
            av = DoubleVector.broadcast(S, a[ai]); c0_0 = av.fma(b0, c0_0); c0_1 = av.fma(b1, c0_1);
            av = DoubleVector.broadcast(S, a[ai + 1]); c1_0 = av.fma(b0, c1_0); c1_1 = av.fma(b1, c1_1);
            av = DoubleVector.broadcast(S, a[ai + 2]); c2_0 = av.fma(b0, c2_0); c2_1 = av.fma(b1, c2_1);
            av = DoubleVector.broadcast(S, a[ai + 3]); c3_0 = av.fma(b0, c3_0); c3_1 = av.fma(b1, c3_1);
        }
        if (beta) {
            c0_0 = c0_0.add(DoubleVector.fromArray(S, c, ci)); c0_1 = c0_1.add(DoubleVector.fromArray(S, c, ci + L));
            c1_0 = c1_0.add(DoubleVector.fromArray(S, c, ci + ldc)); c1_1 = c1_1.add(DoubleVector.fromArray(S, c, ci + ldc + L));
            c2_0 = c2_0.add(DoubleVector.fromArray(S, c, ci + 2 * ldc)); c2_1 = c2_1.add(DoubleVector.fromArray(S, c, ci + 2 * ldc + L));
            c3_0 = c3_0.add(DoubleVector.fromArray(S, c, ci + 3 * ldc)); c3_1 = c3_1.add(DoubleVector.fromArray(S, c, ci + 3 * ldc + L));
        }
        c0_0.intoArray(c, ci); c0_1.intoArray(c, ci + L);
        c1_0.intoArray(c, ci + ldc); c1_1.intoArray(c, ci + ldc + L);
        c2_0.intoArray(c, ci + 2 * ldc); c2_1.intoArray(c, ci + 2 * ldc + L);
        c3_0.intoArray(c, ci + 3 * ldc); c3_1.intoArray(c, ci + 3 * ldc + L);
    }

    /** 3×3-vector tile: 9 accumulators, 3 B vectors and 1 broadcast live. */
    private static void k3x3(int kc, double[] a, int ai, double[] b, int bi, double[] c, int ci, int ldc,
            boolean beta) {
        DoubleVector c0_0 = DoubleVector.zero(S), c0_1 = DoubleVector.zero(S), c0_2 = DoubleVector.zero(S);
        DoubleVector c1_0 = DoubleVector.zero(S), c1_1 = DoubleVector.zero(S), c1_2 = DoubleVector.zero(S);
        DoubleVector c2_0 = DoubleVector.zero(S), c2_1 = DoubleVector.zero(S), c2_2 = DoubleVector.zero(S);
        for (int p = 0; p < kc; p++, ai += 3, bi += 3 * L) {
            DoubleVector b0 = DoubleVector.fromArray(S, b, bi);
            DoubleVector b1 = DoubleVector.fromArray(S, b, bi + L);
            DoubleVector b2 = DoubleVector.fromArray(S, b, bi + 2 * L);
            DoubleVector av;
            av = DoubleVector.broadcast(S, a[ai]); c0_0 = av.fma(b0, c0_0); c0_1 = av.fma(b1, c0_1); c0_2 = av.fma(b2, c0_2);
            av = DoubleVector.broadcast(S, a[ai + 1]); c1_0 = av.fma(b0, c1_0); c1_1 = av.fma(b1, c1_1); c1_2 = av.fma(b2, c1_2);
            av = DoubleVector.broadcast(S, a[ai + 2]); c2_0 = av.fma(b0, c2_0); c2_1 = av.fma(b1, c2_1); c2_2 = av.fma(b2, c2_2);
        }
        if (beta) {
            c0_0 = c0_0.add(DoubleVector.fromArray(S, c, ci)); c0_1 = c0_1.add(DoubleVector.fromArray(S, c, ci + L)); c0_2 = c0_2.add(DoubleVector.fromArray(S, c, ci + 2 * L));
            c1_0 = c1_0.add(DoubleVector.fromArray(S, c, ci + ldc)); c1_1 = c1_1.add(DoubleVector.fromArray(S, c, ci + ldc + L)); c1_2 = c1_2.add(DoubleVector.fromArray(S, c, ci + ldc + 2 * L));
            c2_0 = c2_0.add(DoubleVector.fromArray(S, c, ci + 2 * ldc)); c2_1 = c2_1.add(DoubleVector.fromArray(S, c, ci + 2 * ldc + L)); c2_2 = c2_2.add(DoubleVector.fromArray(S, c, ci + 2 * ldc + 2 * L));
        }
        c0_0.intoArray(c, ci); c0_1.intoArray(c, ci + L); c0_2.intoArray(c, ci + 2 * L);
        c1_0.intoArray(c, ci + ldc); c1_1.intoArray(c, ci + ldc + L); c1_2.intoArray(c, ci + ldc + 2 * L);
        c2_0.intoArray(c, ci + 2 * ldc); c2_1.intoArray(c, ci + 2 * ldc + L); c2_2.intoArray(c, ci + 2 * ldc + 2 * L);
    }

    /** 2×4-vector tile: 8 accumulators, 4 B vectors and 1 broadcast live. */
    private static void k2x4(int kc, double[] a, int ai, double[] b, int bi, double[] c, int ci, int ldc,
            boolean beta) {
        DoubleVector c0_0 = DoubleVector.zero(S), c0_1 = DoubleVector.zero(S), c0_2 = DoubleVector.zero(S), c0_3 = DoubleVector.zero(S);
        DoubleVector c1_0 = DoubleVector.zero(S), c1_1 = DoubleVector.zero(S), c1_2 = DoubleVector.zero(S), c1_3 = DoubleVector.zero(S);
        for (int p = 0; p < kc; p++, ai += 2, bi += 4 * L) {
            DoubleVector b0 = DoubleVector.fromArray(S, b, bi);
            DoubleVector b1 = DoubleVector.fromArray(S, b, bi + L);
            DoubleVector b2 = DoubleVector.fromArray(S, b, bi + 2 * L);
            DoubleVector b3 = DoubleVector.fromArray(S, b, bi + 3 * L);
            DoubleVector av;
            av = DoubleVector.broadcast(S, a[ai]); c0_0 = av.fma(b0, c0_0); c0_1 = av.fma(b1, c0_1); c0_2 = av.fma(b2, c0_2); c0_3 = av.fma(b3, c0_3);
            av = DoubleVector.broadcast(S, a[ai + 1]); c1_0 = av.fma(b0, c1_0); c1_1 = av.fma(b1, c1_1); c1_2 = av.fma(b2, c1_2); c1_3 = av.fma(b3, c1_3);
        }
        if (beta) {
            c0_0 = c0_0.add(DoubleVector.fromArray(S, c, ci)); c0_1 = c0_1.add(DoubleVector.fromArray(S, c, ci + L)); c0_2 = c0_2.add(DoubleVector.fromArray(S, c, ci + 2 * L)); c0_3 = c0_3.add(DoubleVector.fromArray(S, c, ci + 3 * L));
            c1_0 = c1_0.add(DoubleVector.fromArray(S, c, ci + ldc)); c1_1 = c1_1.add(DoubleVector.fromArray(S, c, ci + ldc + L)); c1_2 = c1_2.add(DoubleVector.fromArray(S, c, ci + ldc + 2 * L)); c1_3 = c1_3.add(DoubleVector.fromArray(S, c, ci + ldc + 3 * L));
        }
        c0_0.intoArray(c, ci); c0_1.intoArray(c, ci + L); c0_2.intoArray(c, ci + 2 * L); c0_3.intoArray(c, ci + 3 * L);
        c1_0.intoArray(c, ci + ldc); c1_1.intoArray(c, ci + ldc + L); c1_2.intoArray(c, ci + ldc + 2 * L); c1_3.intoArray(c, ci + ldc + 3 * L);
    }

    /** 3×2-vector tile: 6 accumulators, 2 B vectors and 1 broadcast live. */
    private static void k3x2(int kc, double[] a, int ai, double[] b, int bi, double[] c, int ci, int ldc,
            boolean beta) {
        DoubleVector c0_0 = DoubleVector.zero(S), c0_1 = DoubleVector.zero(S);
        DoubleVector c1_0 = DoubleVector.zero(S), c1_1 = DoubleVector.zero(S);
        DoubleVector c2_0 = DoubleVector.zero(S), c2_1 = DoubleVector.zero(S);
        for (int p = 0; p < kc; p++, ai += 3, bi += 2 * L) {
            DoubleVector b0 = DoubleVector.fromArray(S, b, bi);
            DoubleVector b1 = DoubleVector.fromArray(S, b, bi + L);
            DoubleVector av;
            av = DoubleVector.broadcast(S, a[ai]); c0_0 = av.fma(b0, c0_0); c0_1 = av.fma(b1, c0_1);
            av = DoubleVector.broadcast(S, a[ai + 1]); c1_0 = av.fma(b0, c1_0); c1_1 = av.fma(b1, c1_1);
            av = DoubleVector.broadcast(S, a[ai + 2]); c2_0 = av.fma(b0, c2_0); c2_1 = av.fma(b1, c2_1);
        }
        if (beta) {
            c0_0 = c0_0.add(DoubleVector.fromArray(S, c, ci)); c0_1 = c0_1.add(DoubleVector.fromArray(S, c, ci + L));
            c1_0 = c1_0.add(DoubleVector.fromArray(S, c, ci + ldc)); c1_1 = c1_1.add(DoubleVector.fromArray(S, c, ci + ldc + L));
            c2_0 = c2_0.add(DoubleVector.fromArray(S, c, ci + 2 * ldc)); c2_1 = c2_1.add(DoubleVector.fromArray(S, c, ci + 2 * ldc + L));
        }
        c0_0.intoArray(c, ci); c0_1.intoArray(c, ci + L);
        c1_0.intoArray(c, ci + ldc); c1_1.intoArray(c, ci + ldc + L);
        c2_0.intoArray(c, ci + 2 * ldc); c2_1.intoArray(c, ci + 2 * ldc + L);
    }

    /** 8×1-vector tile: 8 accumulators, 1 B vectors and 1 broadcast live. */
    private static void k8x1(int kc, double[] a, int ai, double[] b, int bi, double[] c, int ci, int ldc,
            boolean beta) {
        DoubleVector c0_0 = DoubleVector.zero(S);
        DoubleVector c1_0 = DoubleVector.zero(S);
        DoubleVector c2_0 = DoubleVector.zero(S);
        DoubleVector c3_0 = DoubleVector.zero(S);
        DoubleVector c4_0 = DoubleVector.zero(S);
        DoubleVector c5_0 = DoubleVector.zero(S);
        DoubleVector c6_0 = DoubleVector.zero(S);
        DoubleVector c7_0 = DoubleVector.zero(S);
        for (int p = 0; p < kc; p++, ai += 8, bi += 1 * L) {
            DoubleVector b0 = DoubleVector.fromArray(S, b, bi);
            DoubleVector av;
            av = DoubleVector.broadcast(S, a[ai]); c0_0 = av.fma(b0, c0_0);
            av = DoubleVector.broadcast(S, a[ai + 1]); c1_0 = av.fma(b0, c1_0);
            av = DoubleVector.broadcast(S, a[ai + 2]); c2_0 = av.fma(b0, c2_0);
            av = DoubleVector.broadcast(S, a[ai + 3]); c3_0 = av.fma(b0, c3_0);
            av = DoubleVector.broadcast(S, a[ai + 4]); c4_0 = av.fma(b0, c4_0);
            av = DoubleVector.broadcast(S, a[ai + 5]); c5_0 = av.fma(b0, c5_0);
            av = DoubleVector.broadcast(S, a[ai + 6]); c6_0 = av.fma(b0, c6_0);
            av = DoubleVector.broadcast(S, a[ai + 7]); c7_0 = av.fma(b0, c7_0);
        }
        if (beta) {
            c0_0 = c0_0.add(DoubleVector.fromArray(S, c, ci));
            c1_0 = c1_0.add(DoubleVector.fromArray(S, c, ci + ldc));
            c2_0 = c2_0.add(DoubleVector.fromArray(S, c, ci + 2 * ldc));
            c3_0 = c3_0.add(DoubleVector.fromArray(S, c, ci + 3 * ldc));
            c4_0 = c4_0.add(DoubleVector.fromArray(S, c, ci + 4 * ldc));
            c5_0 = c5_0.add(DoubleVector.fromArray(S, c, ci + 5 * ldc));
            c6_0 = c6_0.add(DoubleVector.fromArray(S, c, ci + 6 * ldc));
            c7_0 = c7_0.add(DoubleVector.fromArray(S, c, ci + 7 * ldc));
        }
        c0_0.intoArray(c, ci);
        c1_0.intoArray(c, ci + ldc);
        c2_0.intoArray(c, ci + 2 * ldc);
        c3_0.intoArray(c, ci + 3 * ldc);
        c4_0.intoArray(c, ci + 4 * ldc);
        c5_0.intoArray(c, ci + 5 * ldc);
        c6_0.intoArray(c, ci + 6 * ldc);
        c7_0.intoArray(c, ci + 7 * ldc);
    }

    /** 6×1-vector tile: 6 accumulators, 1 B vectors and 1 broadcast live. */
    private static void k6x1(int kc, double[] a, int ai, double[] b, int bi, double[] c, int ci, int ldc,
            boolean beta) {
        DoubleVector c0_0 = DoubleVector.zero(S);
        DoubleVector c1_0 = DoubleVector.zero(S);
        DoubleVector c2_0 = DoubleVector.zero(S);
        DoubleVector c3_0 = DoubleVector.zero(S);
        DoubleVector c4_0 = DoubleVector.zero(S);
        DoubleVector c5_0 = DoubleVector.zero(S);
        for (int p = 0; p < kc; p++, ai += 6, bi += 1 * L) {
            DoubleVector b0 = DoubleVector.fromArray(S, b, bi);
            DoubleVector av;
            av = DoubleVector.broadcast(S, a[ai]); c0_0 = av.fma(b0, c0_0);
            av = DoubleVector.broadcast(S, a[ai + 1]); c1_0 = av.fma(b0, c1_0);
            av = DoubleVector.broadcast(S, a[ai + 2]); c2_0 = av.fma(b0, c2_0);
            av = DoubleVector.broadcast(S, a[ai + 3]); c3_0 = av.fma(b0, c3_0);
            av = DoubleVector.broadcast(S, a[ai + 4]); c4_0 = av.fma(b0, c4_0);
            av = DoubleVector.broadcast(S, a[ai + 5]); c5_0 = av.fma(b0, c5_0);
        }
        if (beta) {
            c0_0 = c0_0.add(DoubleVector.fromArray(S, c, ci));
            c1_0 = c1_0.add(DoubleVector.fromArray(S, c, ci + ldc));
            c2_0 = c2_0.add(DoubleVector.fromArray(S, c, ci + 2 * ldc));
            c3_0 = c3_0.add(DoubleVector.fromArray(S, c, ci + 3 * ldc));
            c4_0 = c4_0.add(DoubleVector.fromArray(S, c, ci + 4 * ldc));
            c5_0 = c5_0.add(DoubleVector.fromArray(S, c, ci + 5 * ldc));
        }
        c0_0.intoArray(c, ci);
        c1_0.intoArray(c, ci + ldc);
        c2_0.intoArray(c, ci + 2 * ldc);
        c3_0.intoArray(c, ci + 3 * ldc);
        c4_0.intoArray(c, ci + 4 * ldc);
        c5_0.intoArray(c, ci + 5 * ldc);
    }

    // ---- END GENERATED MICRO-KERNELS ----
}
