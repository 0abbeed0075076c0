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
 *   <li>A block (mc×kc) as ⌈mc/MR⌉ panels of kc×MR, L elements apart: element (i, p) of panel q
 *       at {@code q*(kc*MR + L) + p*MR + (i - q*MR)}; each k step broadcasts MR consecutive
 *       values.</li>
 *   <li>B block (kc×nc) as ⌈nc/NR⌉ panels of kc×NR: element (p, j) of panel q at
 *       {@code q*kc*NR + p*NR + (j - q*NR)}; each k step loads NV consecutive vectors.</li>
 * </ul>
 * The packing routines handle all four transpose combinations, so the micro-kernel only ever
 * loads contiguous vectors (never strided or gathered ones). Edge tiles (fewer than MR rows or NR
 * columns of C) are computed into a small tile buffer and added to C with scalar code.
 *
 * <p>Packing pays when a panel is reused many times; the course's layers have a batch of 32 rows,
 * where it does not. So, per call:
 * <ol>
 *   <li>{@link #blocked}, the BLIS nest. B is packed, or for {@code m <= SMALL_M} and B not
 *       transposed read in place (B's rows already have the packed panel's shape, with stride
 *       ldb). A is packed, or for {@code n <= SMALL_N} and A not transposed read in place by the
 *       row-strided micro-kernel ({@code kernelRows}). A partial last panel is always packed.</li>
 *   <li>{@link #swapped}, for {@code m <= SMALL_M}, B transposed and {@code k >= 2m} (dX = dY·Wᵀ in
 *       backprop): computes Cᵀ = op(B)ᵀ·op(A)ᵀ, where op(B)ᵀ is B as stored, read in place by the
 *       row-strided kernel, and the small op(A)ᵀ is packed; tiles of Cᵀ are stored transposed.
 *       This avoids transposing the big operand; for small k the scalar transposed stores cost
 *       more than packing B would, hence the k condition.</li>
 *   <li>{@link #narrow}, for A not transposed, {@code m > SMALL_M}, {@code n <= SMALL_N} or an A
 *       of at least BIG_A elements, and a packed op(B) of at most NARROW_B elements (a
 *       convolution's forward product and its dX): A's rows in place, op(B) packed whole, no K
 *       blocks. A last panel of at most 2 columns (n = 50 = 3·16 + 2 filters) is not padded to a
 *       whole NR-wide tile: {@link #dotTail} computes it as dot products along k.</li>
 *   <li>{@link #transposedC}, for Aᵀ·B with {@code k >= KC} whose C pads much worse in MR×NR tiles
 *       than its transpose (a Conv1D's dW, 90×50): computes Cᵀ = Bᵀ·A by {@link #blocked} into a
 *       scratch and adds it to C transposed.</li>
 * </ol>
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
    static final int SMALL_M = GemmParams.DGEMM_SMALL_M;
    static final int SMALL_N = GemmParams.DGEMM_SMALL_N;
    static final int NARROW_B = GemmParams.DGEMM_NARROW_B;
    /**
     * Elements of A (2^19: at least 4 L2s of the AMD EPYC measured on) from which {@link #narrow}
     * also pays for n > SMALL_N (a convolution's dX = dY·Wᵀ, n = kh·kw·C): A streamed once.
     */
    static final int BIG_A = 1 << 19;

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
            ScalarDgemm.gemm(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, accumulate);
        } else if (transB && m <= SMALL_M && k >= 2 * m) {
            swapped(transA, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, accumulate, scratch);
        } else if (!transA && m > SMALL_M && (n <= SMALL_N || (long) m * k >= BIG_A)
                && (long) roundUp(n, NR) * k <= NARROW_B) {
            narrow(transB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, accumulate, scratch);
        } else if (transA && !transB && k >= KC && transposedPays(m, n)) {
            transposedC(m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, accumulate, scratch);
        } else {
            blocked(transA, transB, !transA && n <= SMALL_N, !transB && m <= SMALL_M, m, n, k, a, aOff, lda,
                    b, bOff, ldb, c, cOff, ldc, accumulate, scratch);
        }
    }

    /**
     * Whether Cᵀ pads to at most 7/8 of C's tile area (MR×NR tiles) and is small (at most
     * NARROW_B elements): e.g. a Conv1D's dW of 90×50 pads to 92×64 but its transpose to 52×96.
     */
    static boolean transposedPays(int m, int n) {
        long area = (long) roundUp(m, MR) * roundUp(n, NR), swapped = (long) roundUp(n, MR) * roundUp(m, NR);
        return 8 * swapped <= 7 * area && (long) m * n <= NARROW_B;
    }

    /**
     * C (+)= Aᵀ·B computed as Cᵀ = Bᵀ·A (the same kind of product, A and B swapped) into a
     * scratch, then added to C transposed; for a deep product (a convolution's dW = Xᵀ·dY over
     * batch·positions) whose C pads badly in the register tile and well transposed.
     */
    private static void transposedC(int m, int n, int k, double[] a, int aOff, int lda, double[] b, int bOff,
                                    int ldb, double[] c, int cOff, int ldc, boolean accumulate, GemmScratch scratch) {
        double[] ct = scratch.doubleC(m * n);
        blocked(true, false, false, n <= SMALL_M, n, m, k, b, bOff, ldb, a, aOff, lda,
                ct, 0, m, false, scratch);
        for (int i = 0; i < m; i++) {
            int cr = cOff + i * ldc;
            if (accumulate) for (int j = 0, t = i; j < n; j++, t += m) c[cr + j] += ct[t];
            else for (int j = 0, t = i; j < n; j++, t += m) c[cr + j] = ct[t];
        }
    }

    /**
     * The BLIS loop nest. A is packed, or (aInPlace, only when !transA) its rows are read in place
     * by the row-strided kernel; B is packed, or (bInPlace, only when !transB) read in place. A
     * partial last panel of either is always packed.
     */
    private static void blocked(boolean transA, boolean transB, boolean aInPlace, boolean bInPlace,
                                int m, int n, int k, double[] a, int aOff, int lda, double[] b, int bOff, int ldb,
                                double[] c, int cOff, int ldc, boolean accumulate, GemmScratch scratch) {
        // Balanced blocking: e.g. k = 784 with KC = 256 runs 4 blocks of 196, not 3×256 + 16.
        int kcStep = ceilDiv(k, ceilDiv(k, KC));
        int mcStep = roundUp(ceilDiv(m, ceilDiv(m, MC)), MR);
        int ncStep = roundUp(ceilDiv(n, ceilDiv(n, NC)), NR);
        double[] pa = scratch.doubleA(aInPlace ? MR * kcStep : mcStep / MR * (kcStep * MR + L));
        double[] pb = scratch.doubleB((bInPlace ? NR : ncStep) * kcStep);
        double[] tile = scratch.doubleTile(MR * NR);
        for (int jc = 0; jc < n; jc += ncStep) {
            int nc = Math.min(ncStep, n - jc);
            int fullN = nc - nc % NR; // columns in whole NR panels
            for (int pc = 0; pc < k; pc += kcStep) {
                int kc = Math.min(kcStep, k - pc);
                boolean beta = accumulate || pc > 0;
                // where the kernel finds B's panel q: bArr[bBase + q*bStep + p*bs + ...]; a partial
                // last panel is packed, at pb[bEdge]
                double[] bArr;
                int bBase, bStep, bs, bEdge;
                if (bInPlace) {
                    bArr = b;
                    bBase = bOff + pc * ldb + jc;
                    bStep = NR;
                    bs = ldb;
                    bEdge = 0;
                    if (fullN < nc) packBN(b, bBase + fullN, ldb, kc, nc - fullN, pb);
                } else {
                    bArr = pb;
                    bBase = 0;
                    bStep = kc * NR;
                    bs = NR;
                    bEdge = (fullN / NR) * kc * NR;
                    if (transB) packBT(b, bOff + jc * ldb + pc, ldb, kc, nc, pb);
                    else packBN(b, bOff + pc * ldb + jc, ldb, kc, nc, pb);
                }
                for (int ic = 0; ic < m; ic += mcStep) {
                    int mc = Math.min(mcStep, m - ic);
                    int fullM = mc - mc % MR;
                    int aBase = aOff + ic * lda + pc; // in place: row i of the block at aBase + i*lda
                    int aStep = kc * MR + L; // packed panels' stride: not a multiple of 4 KiB (see packAT)
                    // where the kernel finds A's panel q (packed): pa[q*aStep]; in place, a partial
                    // last panel is packed at pa[0]
                    if (aInPlace) {
                        if (fullM < mc) packAN(a, aBase + fullM * lda, lda, mc - fullM, kc, pa, aStep);
                    } else if (transA) {
                        packAT(a, aOff + pc * lda + ic, lda, mc, kc, pa, aStep);
                    } else {
                        packAN(a, aBase, lda, mc, kc, pa, aStep);
                    }
                    int ci0 = cOff + ic * ldc + jc;
                    for (int j = 0; j < nc; j += NR) {
                        boolean fullPanel = j < fullN;
                        double[] bp = fullPanel ? bArr : pb;
                        int bi = fullPanel ? bBase + (j / NR) * bStep : bEdge;
                        int bsj = fullPanel ? bs : NR;
                        int nr = Math.min(NR, nc - j);
                        for (int i = 0; i < mc; i += MR) {
                            int mr = Math.min(MR, mc - i);
                            int ci = ci0 + i * ldc + j;
                            boolean rows = aInPlace && mr == MR;
                            int ai = aInPlace ? 0 : (i / MR) * aStep;
                            if (mr == MR && nr == NR) {
                                if (rows) kernelRows(kc, a, aBase + i * lda, lda, bp, bi, bsj, c, ci, ldc, beta);
                                else kernel(kc, pa, ai, bp, bi, bsj, c, ci, ldc, beta);
                            } else {
                                if (rows) kernelRows(kc, a, aBase + i * lda, lda, bp, bi, bsj, tile, 0, NR, false);
                                else kernel(kc, pa, ai, bp, bi, bsj, tile, 0, NR, false);
                                addTile(tile, NR, mr, nr, c, ci, ldc, beta);
                            }
                        }
                    }
                }
            }
        }
    }

    /**
     * Narrow C with A's rows read in place and many rows (a convolution's im2col product: m =
     * batch·positions, n = filters): op(B) is packed whole, once, and each MR×NR tile of C is
     * computed over all of k in one kernel call, so C is written once and A's rows stream through
     * once. In {@link #blocked}'s order (K blocks outermost) every K block streams all of A and C
     * through memory again. The packed op(B) is at most NARROW_B elements, so it stays in L2.
     */
    private static void narrow(boolean transB, int m, int n, int k, double[] a, int aOff, int lda,
                               double[] b, int bOff, int ldb, double[] c, int cOff, int ldc, boolean accumulate,
                               GemmScratch scratch) {
        int fullN = n - n % NR;
        // a last panel of at most 2 columns (n = 50 = 3·16 + 2) is computed as dot products along
        // k (dotTail) from a transposed copy of those columns, not as a whole NR-wide tile
        boolean dot = DOT_TAIL && fullN < n && n - fullN <= 2;
        int bt = roundUp(n, NR) * k; // where the transposed tail columns go: 2 rows of k
        double[] pa = scratch.doubleA(MR * k);
        double[] pb = scratch.doubleB(dot ? bt + 2 * k : bt);
        double[] tile = scratch.doubleTile(MR * NR);
        if (transB) packBT(b, bOff, ldb, k, n, pb);
        else packBN(b, bOff, ldb, k, n, pb);
        if (dot) { // from the packed (zero-padded) last panel
            for (int q = 0, src = (fullN / NR) * k * NR; q < 2; q++) {
                for (int p = 0; p < k; p++) pb[bt + q * k + p] = pb[src + p * NR + q];
            }
        }
        for (int i = 0; i < m; i += MR) {
            int mr = Math.min(MR, m - i);
            int ai = aOff + i * lda;
            if (mr < MR) packAN(a, ai, lda, mr, k, pa, 0); // the partial last panel
            boolean dotRows = dot && mr == MR;
            int nEnd = dotRows ? fullN : n;
            for (int j = 0, bi = 0; j < nEnd; j += NR, bi += k * NR) {
                int nr = Math.min(NR, n - j);
                int ci = cOff + i * ldc + j;
                if (mr == MR && nr == NR) {
                    kernelRows(k, a, ai, lda, pb, bi, NR, c, ci, ldc, accumulate);
                } else {
                    if (mr == MR) kernelRows(k, a, ai, lda, pb, bi, NR, tile, 0, NR, false);
                    else kernel(k, pa, 0, pb, bi, NR, tile, 0, NR, false);
                    addTile(tile, NR, mr, nr, c, ci, ldc, accumulate);
                }
            }
            if (dotRows) {
                for (int r = 0; r < MR; r += 4) {
                    dotTail(k, n - fullN, a, ai + r * lda, lda, pb, bt, c, cOff + (i + r) * ldc + fullN, ldc,
                            accumulate, tile);
                }
            }
        }
    }

    /** {@link #narrow} computes a last panel of at most 2 columns by {@link #dotTail} (4 rows at a time). */
    static final boolean DOT_TAIL = MR % 4 == 0;

    /**
     * C[4×w at ci] (+)= 4 rows of A (in place, from ai, stride lda) times w ≤ 2 columns of op(B)
     * stored transposed (bt[bi + q*k + p], column q), as 8 dot products along k: each step loads
     * L consecutive values of an A row and of a column, so no broadcasts, and the 8 accumulators
     * keep both FMA pipes busy. Each sum is reduced in a fixed order (lanes 0..L-1 in turn, then
     * the k % L last products), so the result is the same on every run.
     */
    private static void dotTail(int k, int w, double[] a, int ai, int lda, double[] bt, int bi, double[] c, int ci,
                                int ldc, boolean beta, double[] red) {
        DoubleVector s00 = DoubleVector.zero(S), s01 = DoubleVector.zero(S);
        DoubleVector s10 = DoubleVector.zero(S), s11 = DoubleVector.zero(S);
        DoubleVector s20 = DoubleVector.zero(S), s21 = DoubleVector.zero(S);
        DoubleVector s30 = DoubleVector.zero(S), s31 = DoubleVector.zero(S);
        int a1 = ai + lda, a2 = ai + 2 * lda, a3 = ai + 3 * lda, b1 = bi + k;
        int kv = k - k % L;
        for (int p = 0; p < kv; p += L) {
            DoubleVector x0 = DoubleVector.fromArray(S, bt, bi + p), x1 = DoubleVector.fromArray(S, bt, b1 + p);
            DoubleVector r = DoubleVector.fromArray(S, a, ai + p);
            s00 = r.fma(x0, s00);
            s01 = r.fma(x1, s01);
            r = DoubleVector.fromArray(S, a, a1 + p);
            s10 = r.fma(x0, s10);
            s11 = r.fma(x1, s11);
            r = DoubleVector.fromArray(S, a, a2 + p);
            s20 = r.fma(x0, s20);
            s21 = r.fma(x1, s21);
            r = DoubleVector.fromArray(S, a, a3 + p);
            s30 = r.fma(x0, s30);
            s31 = r.fma(x1, s31);
        }
        dotStore(s00, red, k, kv, a, ai, bt, bi, c, ci, beta);
        dotStore(s10, red, k, kv, a, a1, bt, bi, c, ci + ldc, beta);
        dotStore(s20, red, k, kv, a, a2, bt, bi, c, ci + 2 * ldc, beta);
        dotStore(s30, red, k, kv, a, a3, bt, bi, c, ci + 3 * ldc, beta);
        if (w > 1) {
            dotStore(s01, red, k, kv, a, ai, bt, b1, c, ci + 1, beta);
            dotStore(s11, red, k, kv, a, a1, bt, b1, c, ci + ldc + 1, beta);
            dotStore(s21, red, k, kv, a, a2, bt, b1, c, ci + 2 * ldc + 1, beta);
            dotStore(s31, red, k, kv, a, a3, bt, b1, c, ci + 3 * ldc + 1, beta);
        }
    }

    /** c[ci] (+)= the lanes of s summed in order, plus a[ai + p]·bt[bi + p] for p in [kv, k). */
    private static void dotStore(DoubleVector s, double[] red, int k, int kv, double[] a, int ai, double[] bt, int bi,
                                 double[] c, int ci, boolean beta) {
        s.intoArray(red, 0);
        double sum = red[0];
        for (int l = 1; l < L; l++) sum += red[l];
        for (int p = kv; p < k; p++) sum = Math.fma(a[ai + p], bt[bi + p], sum);
        c[ci] = beta ? c[ci] + sum : sum;
    }

    /** C[mr×nr at ci] (+)= tile[0..mr)[0..nr) (row stride ts). */
    private static void addTile(double[] tile, int ts, int mr, int nr, double[] c, int ci, int ldc, boolean beta) {
        for (int r = 0; r < mr; r++) {
            int cr = ci + r * ldc, tr = r * ts;
            if (beta) for (int q = 0; q < nr; q++) c[cr + q] += tile[tr + q];
            else for (int q = 0; q < nr; q++) c[cr + q] = tile[tr + q];
        }
    }

    /**
     * Small m with B transposed: Cᵀ[n×m] = B[n×k] · op(A)ᵀ[k×m]. B's rows are the "A" operand of
     * the micro-kernel, read in place by the row-strided kernel (a partial last group of rows is
     * packed); op(A)ᵀ is packed as the "B" operand; each tile is stored transposed into C.
     */
    private static void swapped(boolean transA, int m, int n, int k, double[] a, int aOff, int lda,
                                double[] b, int bOff, int ldb, double[] c, int cOff, int ldc,
                                boolean accumulate, GemmScratch scratch) {
        int kcStep = ceilDiv(k, ceilDiv(k, KC));
        double[] pa = scratch.doubleA(MR * kcStep);
        double[] pb = scratch.doubleB(roundUp(m, NR) * kcStep);
        double[] tile = scratch.doubleTile(MR * NR);
        for (int pc = 0; pc < k; pc += kcStep) {
            int kc = Math.min(kcStep, k - pc);
            boolean beta = accumulate || pc > 0;
            // op(A)ᵀ[p][i] = op(A)[i][p]: A stored k×m (transA) is already op(A)ᵀ's row-major layout
            if (transA) packBN(a, aOff + pc * lda, lda, kc, m, pb);
            else packBT(a, aOff + pc, lda, kc, m, pb);
            for (int i = 0; i < n; i += MR) { // MR columns of C = MR rows of B
                int mr = Math.min(MR, n - i);
                int src = bOff + i * ldb + pc;
                if (mr < MR) packAN(b, src, ldb, mr, kc, pa, 0);
                for (int j = 0, bi = 0; j < m; j += NR, bi += kc * NR) { // NR rows of C
                    if (mr == MR) kernelRows(kc, b, src, ldb, pb, bi, NR, tile, 0, NR, false);
                    else kernel(kc, pa, 0, pb, bi, NR, tile, 0, NR, false);
                    addTileTransposed(tile, mr, Math.min(NR, m - j), c, cOff + j * ldc + i, ldc, beta);
                }
            }
        }
    }

    /** C[nr×mr at ci] (+)= the transpose of tile[0..mr)[0..nr) (row stride NR). */
    private static void addTileTransposed(double[] tile, int mr, int nr, double[] c, int ci, int ldc, boolean beta) {
        if (mr == MR && nr == NR) { // constant trip counts: C2 unrolls these completely
            if (beta) {
                for (int q = 0; q < NR; q++) for (int r = 0; r < MR; r++) c[ci + q * ldc + r] += tile[r * NR + q];
            } else {
                for (int q = 0; q < NR; q++) for (int r = 0; r < MR; r++) c[ci + q * ldc + r] = tile[r * NR + q];
            }
        } else {
            for (int q = 0; q < nr; q++) {
                int cr = ci + q * ldc;
                if (beta) for (int r = 0; r < mr; r++) c[cr + r] += tile[r * NR + q];
                else for (int r = 0; r < mr; r++) c[cr + r] = tile[r * NR + q];
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
    private static void packAN(double[] a, int src, int lda, int mc, int kc, double[] pa, int step) {
        for (int i = 0, d0 = 0; i < mc; i += MR, d0 += step) {
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

    /**
     * A stored k×m (op(A) = Aᵀ: column i of op(A) is contiguous), block origin at {@code src};
     * panels {@code step} apart. Reads A row by row, each row once and in order (a stream the
     * hardware prefetcher follows; walking one panel's columns down all the rows instead reads
     * scattered cache lines, slow when A is large, as in a convolution's dW = Xᵀ·dY over
     * batch·positions rows), and scatters each row over the panels. With a step that is a multiple
     * of 4 KiB those scattered stores would all fall in one L1 set, hence the L elements between
     * panels. Whole panels copy a row's MR values with a vector of L ≥ MR lanes where the source
     * has room; the lanes past MR land on later steps of the same panel (written afterwards) or
     * in the gap after it.
     */
    private static void packAT(double[] a, int src, int lda, int mc, int kc, double[] pa, int step) {
        int full = mc - mc % MR; // columns in whole panels
        for (int p = 0, s = src; p < kc; p++, s += lda) {
            int i = 0, d = p * MR;
            if (MR <= L) {
                for (; i < full && s + i <= a.length - L; i += MR, d += step) {
                    DoubleVector.fromArray(S, a, s + i).intoArray(pa, d);
                }
            }
            for (; i < full; i += MR, d += step) {
                for (int r = 0; r < MR; r++) pa[d + r] = a[s + i + r];
            }
            if (full < mc) {
                int h = mc - full;
                for (int r = 0; r < h; r++) pa[d + r] = a[s + full + r];
                for (int r = h; r < MR; r++) pa[d + r] = 0;
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
     * The micro-kernel of the configured tile: C[MR×NR at ci] (+)= A·B over kc steps, where step
     * p reads A's MR values at a[ai + p*MR ...] (a packed panel) and B's NR values at
     * b[bi + p*bs ...]. MR and NV are constants, so C2 folds this dispatch away.
     */
    static void kernel(int kc, double[] a, int ai, double[] b, int bi, int bs, double[] c, int ci, int ldc,
                       boolean beta) {
        if (MR == 12 && NV == 2) k12x2(kc, a, ai, b, bi, bs, c, ci, ldc, beta);
        else if (MR == 8 && NV == 3) k8x3(kc, a, ai, b, bi, bs, c, ci, ldc, beta);
        else if (MR == 6 && NV == 2) k6x2(kc, a, ai, b, bi, bs, c, ci, ldc, beta);
        else if (MR == 4 && NV == 3) k4x3(kc, a, ai, b, bi, bs, c, ci, ldc, beta);
        else if (MR == 4 && NV == 2) k4x2(kc, a, ai, b, bi, bs, c, ci, ldc, beta);
        else if (MR == 3 && NV == 3) k3x3(kc, a, ai, b, bi, bs, c, ci, ldc, beta);
        else if (MR == 2 && NV == 4) k2x4(kc, a, ai, b, bi, bs, c, ci, ldc, beta);
        else if (MR == 8 && NV == 1) k8x1(kc, a, ai, b, bi, bs, c, ci, ldc, beta);
        else throw new AssertionError("no kernel for tile " + MR + "x" + NV);
    }

    /**
     * As {@link #kernel}, but A is read in place from MR rows of a row-major matrix: step p reads
     * a[ai + r*lda + p] for r < MR.
     */
    static void kernelRows(int kc, double[] a, int ai, int lda, double[] b, int bi, int bs, double[] c,
                           int ci, int ldc, boolean beta) {
        if (MR == 12 && NV == 2) kr12x2(kc, a, ai, lda, b, bi, bs, c, ci, ldc, beta);
        else if (MR == 8 && NV == 3) kr8x3(kc, a, ai, lda, b, bi, bs, c, ci, ldc, beta);
        else if (MR == 6 && NV == 2) kr6x2(kc, a, ai, lda, b, bi, bs, c, ci, ldc, beta);
        else if (MR == 4 && NV == 3) kr4x3(kc, a, ai, lda, b, bi, bs, c, ci, ldc, beta);
        else if (MR == 4 && NV == 2) kr4x2(kc, a, ai, lda, b, bi, bs, c, ci, ldc, beta);
        else if (MR == 3 && NV == 3) kr3x3(kc, a, ai, lda, b, bi, bs, c, ci, ldc, beta);
        else if (MR == 2 && NV == 4) kr2x4(kc, a, ai, lda, b, bi, bs, c, ci, ldc, beta);
        else if (MR == 8 && NV == 1) kr8x1(kc, a, ai, lda, b, bi, bs, c, ci, ldc, beta);
        else throw new AssertionError("no kernel for tile " + MR + "x" + NV);
    }

    /** Any generated kernel by its tile; {@code lda < 0} selects the packed-A kernel (tests only). */
    static void kernelForTest(int mr, int nv, int kc, double[] a, int ai, int lda, double[] b, int bi,
                              int bs, double[] c, int ci, int ldc, boolean beta) {
        switch (mr * 100 + nv) {
            case 1202 -> {
                if (lda < 0) k12x2(kc, a, ai, b, bi, bs, c, ci, ldc, beta);
                else kr12x2(kc, a, ai, lda, b, bi, bs, c, ci, ldc, beta);
            }
            case 803 -> {
                if (lda < 0) k8x3(kc, a, ai, b, bi, bs, c, ci, ldc, beta);
                else kr8x3(kc, a, ai, lda, b, bi, bs, c, ci, ldc, beta);
            }
            case 602 -> {
                if (lda < 0) k6x2(kc, a, ai, b, bi, bs, c, ci, ldc, beta);
                else kr6x2(kc, a, ai, lda, b, bi, bs, c, ci, ldc, beta);
            }
            case 403 -> {
                if (lda < 0) k4x3(kc, a, ai, b, bi, bs, c, ci, ldc, beta);
                else kr4x3(kc, a, ai, lda, b, bi, bs, c, ci, ldc, beta);
            }
            case 402 -> {
                if (lda < 0) k4x2(kc, a, ai, b, bi, bs, c, ci, ldc, beta);
                else kr4x2(kc, a, ai, lda, b, bi, bs, c, ci, ldc, beta);
            }
            case 303 -> {
                if (lda < 0) k3x3(kc, a, ai, b, bi, bs, c, ci, ldc, beta);
                else kr3x3(kc, a, ai, lda, b, bi, bs, c, ci, ldc, beta);
            }
            case 204 -> {
                if (lda < 0) k2x4(kc, a, ai, b, bi, bs, c, ci, ldc, beta);
                else kr2x4(kc, a, ai, lda, b, bi, bs, c, ci, ldc, beta);
            }
            case 801 -> {
                if (lda < 0) k8x1(kc, a, ai, b, bi, bs, c, ci, ldc, beta);
                else kr8x1(kc, a, ai, lda, b, bi, bs, c, ci, ldc, beta);
            }
            default -> throw new IllegalArgumentException(mr + "x" + nv);
        }
    }

    /** 12×2-vector tile: 24 accumulators, 2 B vectors. */
    private static void k12x2(int kc, double[] a, int ai, double[] b, int bi, int bs,
            double[] c, int ci, int ldc, boolean beta) {
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
        for (int p = 0; p < kc; p++, ai += 12, bi += bs) {
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

    /** 12×2-vector tile, A rows in place: 24 accumulators, 2 B vectors. */
    private static void kr12x2(int kc, double[] a, int ai, int lda, double[] b, int bi, int bs,
            double[] c, int ci, int ldc, boolean beta) {
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
        int a1 = ai + lda;
        int a2 = ai + 2 * lda;
        int a3 = ai + 3 * lda;
        int a4 = ai + 4 * lda;
        int a5 = ai + 5 * lda;
        int a6 = ai + 6 * lda;
        int a7 = ai + 7 * lda;
        int a8 = ai + 8 * lda;
        int a9 = ai + 9 * lda;
        int a10 = ai + 10 * lda;
        int a11 = ai + 11 * lda;
        for (int p = 0; p < kc; p++, bi += bs) {
            DoubleVector b0 = DoubleVector.fromArray(S, b, bi);
            DoubleVector b1 = DoubleVector.fromArray(S, b, bi + L);
            DoubleVector av;
            av = DoubleVector.broadcast(S, a[ai + p]); c0_0 = av.fma(b0, c0_0); c0_1 = av.fma(b1, c0_1);
            av = DoubleVector.broadcast(S, a[a1 + p]); c1_0 = av.fma(b0, c1_0); c1_1 = av.fma(b1, c1_1);
            av = DoubleVector.broadcast(S, a[a2 + p]); c2_0 = av.fma(b0, c2_0); c2_1 = av.fma(b1, c2_1);
            av = DoubleVector.broadcast(S, a[a3 + p]); c3_0 = av.fma(b0, c3_0); c3_1 = av.fma(b1, c3_1);
            av = DoubleVector.broadcast(S, a[a4 + p]); c4_0 = av.fma(b0, c4_0); c4_1 = av.fma(b1, c4_1);
            av = DoubleVector.broadcast(S, a[a5 + p]); c5_0 = av.fma(b0, c5_0); c5_1 = av.fma(b1, c5_1);
            av = DoubleVector.broadcast(S, a[a6 + p]); c6_0 = av.fma(b0, c6_0); c6_1 = av.fma(b1, c6_1);
            av = DoubleVector.broadcast(S, a[a7 + p]); c7_0 = av.fma(b0, c7_0); c7_1 = av.fma(b1, c7_1);
            av = DoubleVector.broadcast(S, a[a8 + p]); c8_0 = av.fma(b0, c8_0); c8_1 = av.fma(b1, c8_1);
            av = DoubleVector.broadcast(S, a[a9 + p]); c9_0 = av.fma(b0, c9_0); c9_1 = av.fma(b1, c9_1);
            av = DoubleVector.broadcast(S, a[a10 + p]); c10_0 = av.fma(b0, c10_0); c10_1 = av.fma(b1, c10_1);
            av = DoubleVector.broadcast(S, a[a11 + p]); c11_0 = av.fma(b0, c11_0); c11_1 = av.fma(b1, c11_1);
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

    /** 8×3-vector tile: 24 accumulators, 3 B vectors. */
    private static void k8x3(int kc, double[] a, int ai, double[] b, int bi, int bs,
            double[] c, int ci, int ldc, boolean beta) {
        DoubleVector c0_0 = DoubleVector.zero(S), c0_1 = DoubleVector.zero(S), c0_2 = DoubleVector.zero(S);
        DoubleVector c1_0 = DoubleVector.zero(S), c1_1 = DoubleVector.zero(S), c1_2 = DoubleVector.zero(S);
        DoubleVector c2_0 = DoubleVector.zero(S), c2_1 = DoubleVector.zero(S), c2_2 = DoubleVector.zero(S);
        DoubleVector c3_0 = DoubleVector.zero(S), c3_1 = DoubleVector.zero(S), c3_2 = DoubleVector.zero(S);
        DoubleVector c4_0 = DoubleVector.zero(S), c4_1 = DoubleVector.zero(S), c4_2 = DoubleVector.zero(S);
        DoubleVector c5_0 = DoubleVector.zero(S), c5_1 = DoubleVector.zero(S), c5_2 = DoubleVector.zero(S);
        DoubleVector c6_0 = DoubleVector.zero(S), c6_1 = DoubleVector.zero(S), c6_2 = DoubleVector.zero(S);
        DoubleVector c7_0 = DoubleVector.zero(S), c7_1 = DoubleVector.zero(S), c7_2 = DoubleVector.zero(S);
        for (int p = 0; p < kc; p++, ai += 8, bi += bs) {
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

    /** 8×3-vector tile, A rows in place: 24 accumulators, 3 B vectors. */
    private static void kr8x3(int kc, double[] a, int ai, int lda, double[] b, int bi, int bs,
            double[] c, int ci, int ldc, boolean beta) {
        DoubleVector c0_0 = DoubleVector.zero(S), c0_1 = DoubleVector.zero(S), c0_2 = DoubleVector.zero(S);
        DoubleVector c1_0 = DoubleVector.zero(S), c1_1 = DoubleVector.zero(S), c1_2 = DoubleVector.zero(S);
        DoubleVector c2_0 = DoubleVector.zero(S), c2_1 = DoubleVector.zero(S), c2_2 = DoubleVector.zero(S);
        DoubleVector c3_0 = DoubleVector.zero(S), c3_1 = DoubleVector.zero(S), c3_2 = DoubleVector.zero(S);
        DoubleVector c4_0 = DoubleVector.zero(S), c4_1 = DoubleVector.zero(S), c4_2 = DoubleVector.zero(S);
        DoubleVector c5_0 = DoubleVector.zero(S), c5_1 = DoubleVector.zero(S), c5_2 = DoubleVector.zero(S);
        DoubleVector c6_0 = DoubleVector.zero(S), c6_1 = DoubleVector.zero(S), c6_2 = DoubleVector.zero(S);
        DoubleVector c7_0 = DoubleVector.zero(S), c7_1 = DoubleVector.zero(S), c7_2 = DoubleVector.zero(S);
        int a1 = ai + lda;
        int a2 = ai + 2 * lda;
        int a3 = ai + 3 * lda;
        int a4 = ai + 4 * lda;
        int a5 = ai + 5 * lda;
        int a6 = ai + 6 * lda;
        int a7 = ai + 7 * lda;
        for (int p = 0; p < kc; p++, bi += bs) {
            DoubleVector b0 = DoubleVector.fromArray(S, b, bi);
            DoubleVector b1 = DoubleVector.fromArray(S, b, bi + L);
            DoubleVector b2 = DoubleVector.fromArray(S, b, bi + 2 * L);
            DoubleVector av;
            av = DoubleVector.broadcast(S, a[ai + p]); c0_0 = av.fma(b0, c0_0); c0_1 = av.fma(b1, c0_1); c0_2 = av.fma(b2, c0_2);
            av = DoubleVector.broadcast(S, a[a1 + p]); c1_0 = av.fma(b0, c1_0); c1_1 = av.fma(b1, c1_1); c1_2 = av.fma(b2, c1_2);
            av = DoubleVector.broadcast(S, a[a2 + p]); c2_0 = av.fma(b0, c2_0); c2_1 = av.fma(b1, c2_1); c2_2 = av.fma(b2, c2_2);
            av = DoubleVector.broadcast(S, a[a3 + p]); c3_0 = av.fma(b0, c3_0); c3_1 = av.fma(b1, c3_1); c3_2 = av.fma(b2, c3_2);
            av = DoubleVector.broadcast(S, a[a4 + p]); c4_0 = av.fma(b0, c4_0); c4_1 = av.fma(b1, c4_1); c4_2 = av.fma(b2, c4_2);
            av = DoubleVector.broadcast(S, a[a5 + p]); c5_0 = av.fma(b0, c5_0); c5_1 = av.fma(b1, c5_1); c5_2 = av.fma(b2, c5_2);
            av = DoubleVector.broadcast(S, a[a6 + p]); c6_0 = av.fma(b0, c6_0); c6_1 = av.fma(b1, c6_1); c6_2 = av.fma(b2, c6_2);
            av = DoubleVector.broadcast(S, a[a7 + p]); c7_0 = av.fma(b0, c7_0); c7_1 = av.fma(b1, c7_1); c7_2 = av.fma(b2, c7_2);
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

    /** 6×2-vector tile: 12 accumulators, 2 B vectors. */
    private static void k6x2(int kc, double[] a, int ai, double[] b, int bi, int bs,
            double[] c, int ci, int ldc, boolean beta) {
        DoubleVector c0_0 = DoubleVector.zero(S), c0_1 = DoubleVector.zero(S);
        DoubleVector c1_0 = DoubleVector.zero(S), c1_1 = DoubleVector.zero(S);
        DoubleVector c2_0 = DoubleVector.zero(S), c2_1 = DoubleVector.zero(S);
        DoubleVector c3_0 = DoubleVector.zero(S), c3_1 = DoubleVector.zero(S);
        DoubleVector c4_0 = DoubleVector.zero(S), c4_1 = DoubleVector.zero(S);
        DoubleVector c5_0 = DoubleVector.zero(S), c5_1 = DoubleVector.zero(S);
        for (int p = 0; p < kc; p++, ai += 6, bi += bs) {
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

    /** 6×2-vector tile, A rows in place: 12 accumulators, 2 B vectors. */
    private static void kr6x2(int kc, double[] a, int ai, int lda, double[] b, int bi, int bs,
            double[] c, int ci, int ldc, boolean beta) {
        DoubleVector c0_0 = DoubleVector.zero(S), c0_1 = DoubleVector.zero(S);
        DoubleVector c1_0 = DoubleVector.zero(S), c1_1 = DoubleVector.zero(S);
        DoubleVector c2_0 = DoubleVector.zero(S), c2_1 = DoubleVector.zero(S);
        DoubleVector c3_0 = DoubleVector.zero(S), c3_1 = DoubleVector.zero(S);
        DoubleVector c4_0 = DoubleVector.zero(S), c4_1 = DoubleVector.zero(S);
        DoubleVector c5_0 = DoubleVector.zero(S), c5_1 = DoubleVector.zero(S);
        int a1 = ai + lda;
        int a2 = ai + 2 * lda;
        int a3 = ai + 3 * lda;
        int a4 = ai + 4 * lda;
        int a5 = ai + 5 * lda;
        for (int p = 0; p < kc; p++, bi += bs) {
            DoubleVector b0 = DoubleVector.fromArray(S, b, bi);
            DoubleVector b1 = DoubleVector.fromArray(S, b, bi + L);
            DoubleVector av;
            av = DoubleVector.broadcast(S, a[ai + p]); c0_0 = av.fma(b0, c0_0); c0_1 = av.fma(b1, c0_1);
            av = DoubleVector.broadcast(S, a[a1 + p]); c1_0 = av.fma(b0, c1_0); c1_1 = av.fma(b1, c1_1);
            av = DoubleVector.broadcast(S, a[a2 + p]); c2_0 = av.fma(b0, c2_0); c2_1 = av.fma(b1, c2_1);
            av = DoubleVector.broadcast(S, a[a3 + p]); c3_0 = av.fma(b0, c3_0); c3_1 = av.fma(b1, c3_1);
            av = DoubleVector.broadcast(S, a[a4 + p]); c4_0 = av.fma(b0, c4_0); c4_1 = av.fma(b1, c4_1);
            av = DoubleVector.broadcast(S, a[a5 + p]); c5_0 = av.fma(b0, c5_0); c5_1 = av.fma(b1, c5_1);
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

    /** 4×3-vector tile: 12 accumulators, 3 B vectors. */
    private static void k4x3(int kc, double[] a, int ai, double[] b, int bi, int bs,
            double[] c, int ci, int ldc, boolean beta) {
        DoubleVector c0_0 = DoubleVector.zero(S), c0_1 = DoubleVector.zero(S), c0_2 = DoubleVector.zero(S);
        DoubleVector c1_0 = DoubleVector.zero(S), c1_1 = DoubleVector.zero(S), c1_2 = DoubleVector.zero(S);
        DoubleVector c2_0 = DoubleVector.zero(S), c2_1 = DoubleVector.zero(S), c2_2 = DoubleVector.zero(S);
        DoubleVector c3_0 = DoubleVector.zero(S), c3_1 = DoubleVector.zero(S), c3_2 = DoubleVector.zero(S);
        for (int p = 0; p < kc; p++, ai += 4, bi += bs) {
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

    /** 4×3-vector tile, A rows in place: 12 accumulators, 3 B vectors. */
    private static void kr4x3(int kc, double[] a, int ai, int lda, double[] b, int bi, int bs,
            double[] c, int ci, int ldc, boolean beta) {
        DoubleVector c0_0 = DoubleVector.zero(S), c0_1 = DoubleVector.zero(S), c0_2 = DoubleVector.zero(S);
        DoubleVector c1_0 = DoubleVector.zero(S), c1_1 = DoubleVector.zero(S), c1_2 = DoubleVector.zero(S);
        DoubleVector c2_0 = DoubleVector.zero(S), c2_1 = DoubleVector.zero(S), c2_2 = DoubleVector.zero(S);
        DoubleVector c3_0 = DoubleVector.zero(S), c3_1 = DoubleVector.zero(S), c3_2 = DoubleVector.zero(S);
        int a1 = ai + lda;
        int a2 = ai + 2 * lda;
        int a3 = ai + 3 * lda;
        for (int p = 0; p < kc; p++, bi += bs) {
            DoubleVector b0 = DoubleVector.fromArray(S, b, bi);
            DoubleVector b1 = DoubleVector.fromArray(S, b, bi + L);
            DoubleVector b2 = DoubleVector.fromArray(S, b, bi + 2 * L);
            DoubleVector av;
            av = DoubleVector.broadcast(S, a[ai + p]); c0_0 = av.fma(b0, c0_0); c0_1 = av.fma(b1, c0_1); c0_2 = av.fma(b2, c0_2);
            av = DoubleVector.broadcast(S, a[a1 + p]); c1_0 = av.fma(b0, c1_0); c1_1 = av.fma(b1, c1_1); c1_2 = av.fma(b2, c1_2);
            av = DoubleVector.broadcast(S, a[a2 + p]); c2_0 = av.fma(b0, c2_0); c2_1 = av.fma(b1, c2_1); c2_2 = av.fma(b2, c2_2);
            av = DoubleVector.broadcast(S, a[a3 + p]); c3_0 = av.fma(b0, c3_0); c3_1 = av.fma(b1, c3_1); c3_2 = av.fma(b2, c3_2);
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

    /** 4×2-vector tile: 8 accumulators, 2 B vectors. */
    private static void k4x2(int kc, double[] a, int ai, double[] b, int bi, int bs,
            double[] c, int ci, int ldc, boolean beta) {
        DoubleVector c0_0 = DoubleVector.zero(S), c0_1 = DoubleVector.zero(S);
        DoubleVector c1_0 = DoubleVector.zero(S), c1_1 = DoubleVector.zero(S);
        DoubleVector c2_0 = DoubleVector.zero(S), c2_1 = DoubleVector.zero(S);
        DoubleVector c3_0 = DoubleVector.zero(S), c3_1 = DoubleVector.zero(S);
        for (int p = 0; p < kc; p++, ai += 4, bi += bs) {
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

    /** 4×2-vector tile, A rows in place: 8 accumulators, 2 B vectors. */
    private static void kr4x2(int kc, double[] a, int ai, int lda, double[] b, int bi, int bs,
            double[] c, int ci, int ldc, boolean beta) {
        DoubleVector c0_0 = DoubleVector.zero(S), c0_1 = DoubleVector.zero(S);
        DoubleVector c1_0 = DoubleVector.zero(S), c1_1 = DoubleVector.zero(S);
        DoubleVector c2_0 = DoubleVector.zero(S), c2_1 = DoubleVector.zero(S);
        DoubleVector c3_0 = DoubleVector.zero(S), c3_1 = DoubleVector.zero(S);
        int a1 = ai + lda;
        int a2 = ai + 2 * lda;
        int a3 = ai + 3 * lda;
        for (int p = 0; p < kc; p++, bi += bs) {
            DoubleVector b0 = DoubleVector.fromArray(S, b, bi);
            DoubleVector b1 = DoubleVector.fromArray(S, b, bi + L);
            DoubleVector av;
            av = DoubleVector.broadcast(S, a[ai + p]); c0_0 = av.fma(b0, c0_0); c0_1 = av.fma(b1, c0_1);
            av = DoubleVector.broadcast(S, a[a1 + p]); c1_0 = av.fma(b0, c1_0); c1_1 = av.fma(b1, c1_1);
            av = DoubleVector.broadcast(S, a[a2 + p]); c2_0 = av.fma(b0, c2_0); c2_1 = av.fma(b1, c2_1);
            av = DoubleVector.broadcast(S, a[a3 + p]); c3_0 = av.fma(b0, c3_0); c3_1 = av.fma(b1, c3_1);
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

    /** 3×3-vector tile: 9 accumulators, 3 B vectors. */
    private static void k3x3(int kc, double[] a, int ai, double[] b, int bi, int bs,
            double[] c, int ci, int ldc, boolean beta) {
        DoubleVector c0_0 = DoubleVector.zero(S), c0_1 = DoubleVector.zero(S), c0_2 = DoubleVector.zero(S);
        DoubleVector c1_0 = DoubleVector.zero(S), c1_1 = DoubleVector.zero(S), c1_2 = DoubleVector.zero(S);
        DoubleVector c2_0 = DoubleVector.zero(S), c2_1 = DoubleVector.zero(S), c2_2 = DoubleVector.zero(S);
        for (int p = 0; p < kc; p++, ai += 3, bi += bs) {
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

    /** 3×3-vector tile, A rows in place: 9 accumulators, 3 B vectors. */
    private static void kr3x3(int kc, double[] a, int ai, int lda, double[] b, int bi, int bs,
            double[] c, int ci, int ldc, boolean beta) {
        DoubleVector c0_0 = DoubleVector.zero(S), c0_1 = DoubleVector.zero(S), c0_2 = DoubleVector.zero(S);
        DoubleVector c1_0 = DoubleVector.zero(S), c1_1 = DoubleVector.zero(S), c1_2 = DoubleVector.zero(S);
        DoubleVector c2_0 = DoubleVector.zero(S), c2_1 = DoubleVector.zero(S), c2_2 = DoubleVector.zero(S);
        int a1 = ai + lda;
        int a2 = ai + 2 * lda;
        for (int p = 0; p < kc; p++, bi += bs) {
            DoubleVector b0 = DoubleVector.fromArray(S, b, bi);
            DoubleVector b1 = DoubleVector.fromArray(S, b, bi + L);
            DoubleVector b2 = DoubleVector.fromArray(S, b, bi + 2 * L);
            DoubleVector av;
            av = DoubleVector.broadcast(S, a[ai + p]); c0_0 = av.fma(b0, c0_0); c0_1 = av.fma(b1, c0_1); c0_2 = av.fma(b2, c0_2);
            av = DoubleVector.broadcast(S, a[a1 + p]); c1_0 = av.fma(b0, c1_0); c1_1 = av.fma(b1, c1_1); c1_2 = av.fma(b2, c1_2);
            av = DoubleVector.broadcast(S, a[a2 + p]); c2_0 = av.fma(b0, c2_0); c2_1 = av.fma(b1, c2_1); c2_2 = av.fma(b2, c2_2);
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

    /** 2×4-vector tile: 8 accumulators, 4 B vectors. */
    private static void k2x4(int kc, double[] a, int ai, double[] b, int bi, int bs,
            double[] c, int ci, int ldc, boolean beta) {
        DoubleVector c0_0 = DoubleVector.zero(S), c0_1 = DoubleVector.zero(S), c0_2 = DoubleVector.zero(S), c0_3 = DoubleVector.zero(S);
        DoubleVector c1_0 = DoubleVector.zero(S), c1_1 = DoubleVector.zero(S), c1_2 = DoubleVector.zero(S), c1_3 = DoubleVector.zero(S);
        for (int p = 0; p < kc; p++, ai += 2, bi += bs) {
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

    /** 2×4-vector tile, A rows in place: 8 accumulators, 4 B vectors. */
    private static void kr2x4(int kc, double[] a, int ai, int lda, double[] b, int bi, int bs,
            double[] c, int ci, int ldc, boolean beta) {
        DoubleVector c0_0 = DoubleVector.zero(S), c0_1 = DoubleVector.zero(S), c0_2 = DoubleVector.zero(S), c0_3 = DoubleVector.zero(S);
        DoubleVector c1_0 = DoubleVector.zero(S), c1_1 = DoubleVector.zero(S), c1_2 = DoubleVector.zero(S), c1_3 = DoubleVector.zero(S);
        int a1 = ai + lda;
        for (int p = 0; p < kc; p++, bi += bs) {
            DoubleVector b0 = DoubleVector.fromArray(S, b, bi);
            DoubleVector b1 = DoubleVector.fromArray(S, b, bi + L);
            DoubleVector b2 = DoubleVector.fromArray(S, b, bi + 2 * L);
            DoubleVector b3 = DoubleVector.fromArray(S, b, bi + 3 * L);
            DoubleVector av;
            av = DoubleVector.broadcast(S, a[ai + p]); c0_0 = av.fma(b0, c0_0); c0_1 = av.fma(b1, c0_1); c0_2 = av.fma(b2, c0_2); c0_3 = av.fma(b3, c0_3);
            av = DoubleVector.broadcast(S, a[a1 + p]); c1_0 = av.fma(b0, c1_0); c1_1 = av.fma(b1, c1_1); c1_2 = av.fma(b2, c1_2); c1_3 = av.fma(b3, c1_3);
        }
        if (beta) {
            c0_0 = c0_0.add(DoubleVector.fromArray(S, c, ci)); c0_1 = c0_1.add(DoubleVector.fromArray(S, c, ci + L)); c0_2 = c0_2.add(DoubleVector.fromArray(S, c, ci + 2 * L)); c0_3 = c0_3.add(DoubleVector.fromArray(S, c, ci + 3 * L));
            c1_0 = c1_0.add(DoubleVector.fromArray(S, c, ci + ldc)); c1_1 = c1_1.add(DoubleVector.fromArray(S, c, ci + ldc + L)); c1_2 = c1_2.add(DoubleVector.fromArray(S, c, ci + ldc + 2 * L)); c1_3 = c1_3.add(DoubleVector.fromArray(S, c, ci + ldc + 3 * L));
        }
        c0_0.intoArray(c, ci); c0_1.intoArray(c, ci + L); c0_2.intoArray(c, ci + 2 * L); c0_3.intoArray(c, ci + 3 * L);
        c1_0.intoArray(c, ci + ldc); c1_1.intoArray(c, ci + ldc + L); c1_2.intoArray(c, ci + ldc + 2 * L); c1_3.intoArray(c, ci + ldc + 3 * L);
    }

    /** 8×1-vector tile: 8 accumulators, 1 B vectors. */
    private static void k8x1(int kc, double[] a, int ai, double[] b, int bi, int bs,
            double[] c, int ci, int ldc, boolean beta) {
        DoubleVector c0_0 = DoubleVector.zero(S);
        DoubleVector c1_0 = DoubleVector.zero(S);
        DoubleVector c2_0 = DoubleVector.zero(S);
        DoubleVector c3_0 = DoubleVector.zero(S);
        DoubleVector c4_0 = DoubleVector.zero(S);
        DoubleVector c5_0 = DoubleVector.zero(S);
        DoubleVector c6_0 = DoubleVector.zero(S);
        DoubleVector c7_0 = DoubleVector.zero(S);
        for (int p = 0; p < kc; p++, ai += 8, bi += bs) {
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

    /** 8×1-vector tile, A rows in place: 8 accumulators, 1 B vectors. */
    private static void kr8x1(int kc, double[] a, int ai, int lda, double[] b, int bi, int bs,
            double[] c, int ci, int ldc, boolean beta) {
        DoubleVector c0_0 = DoubleVector.zero(S);
        DoubleVector c1_0 = DoubleVector.zero(S);
        DoubleVector c2_0 = DoubleVector.zero(S);
        DoubleVector c3_0 = DoubleVector.zero(S);
        DoubleVector c4_0 = DoubleVector.zero(S);
        DoubleVector c5_0 = DoubleVector.zero(S);
        DoubleVector c6_0 = DoubleVector.zero(S);
        DoubleVector c7_0 = DoubleVector.zero(S);
        int a1 = ai + lda;
        int a2 = ai + 2 * lda;
        int a3 = ai + 3 * lda;
        int a4 = ai + 4 * lda;
        int a5 = ai + 5 * lda;
        int a6 = ai + 6 * lda;
        int a7 = ai + 7 * lda;
        for (int p = 0; p < kc; p++, bi += bs) {
            DoubleVector b0 = DoubleVector.fromArray(S, b, bi);
            DoubleVector av;
            av = DoubleVector.broadcast(S, a[ai + p]); c0_0 = av.fma(b0, c0_0);
            av = DoubleVector.broadcast(S, a[a1 + p]); c1_0 = av.fma(b0, c1_0);
            av = DoubleVector.broadcast(S, a[a2 + p]); c2_0 = av.fma(b0, c2_0);
            av = DoubleVector.broadcast(S, a[a3 + p]); c3_0 = av.fma(b0, c3_0);
            av = DoubleVector.broadcast(S, a[a4 + p]); c4_0 = av.fma(b0, c4_0);
            av = DoubleVector.broadcast(S, a[a5 + p]); c5_0 = av.fma(b0, c5_0);
            av = DoubleVector.broadcast(S, a[a6 + p]); c6_0 = av.fma(b0, c6_0);
            av = DoubleVector.broadcast(S, a[a7 + p]); c7_0 = av.fma(b0, c7_0);
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

    // ---- END GENERATED MICRO-KERNELS ----
}
