package modelc.runtime.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@link Gemm} against a triple loop in double precision, for all four transpose combinations,
 * odd sizes, offsets, padded leading dimensions and both values of {@code accumulate}.
 *
 * <p>Each case fills the array space outside the matrix windows with NaN (A and B: a read outside
 * the window poisons C) or with a sentinel (C: must be left untouched), and with
 * {@code accumulate == false} fills the C window with NaN (C must be written without being read).
 * The tolerance is the standard forward error bound for a length-k dot product,
 * {@code |err| <= c·k·u·Σ|a·b|} (plus the accumulated C term), with u the unit round-off.
 */
class GemmTest {
    private static final float F_SENTINEL = 12345.5f;
    private static final double D_SENTINEL = -54321.25;

    /** A GEMM problem: shapes, strides and offsets. */
    record Case(boolean ta, boolean tb, int m, int n, int k, int aOff, int lda, int bOff, int ldb,
                int cOff, int ldc, boolean acc) {
        int aRows() { return ta ? k : m; }
        int aCols() { return ta ? m : k; }
        int bRows() { return tb ? n : k; }
        int bCols() { return tb ? k : n; }
        int aLen() { return aOff + aRows() * lda + 3; }
        int bLen() { return bOff + bRows() * ldb + 3; }
        int cLen() { return cOff + m * ldc + 3; }

        static Case of(SplittableRandom r, boolean ta, boolean tb, int m, int n, int k, boolean acc,
                       boolean padded) {
            int aCols = ta ? m : k, bCols = tb ? k : n;
            int aOff = padded ? r.nextInt(9) : 0, bOff = padded ? r.nextInt(9) : 0;
            int cOff = padded ? r.nextInt(9) : 0;
            int lda = aCols + (padded ? r.nextInt(6) : 0), ldb = bCols + (padded ? r.nextInt(6) : 0);
            int ldc = n + (padded ? r.nextInt(6) : 0);
            return new Case(ta, tb, m, n, k, aOff, Math.max(lda, 1), bOff, Math.max(ldb, 1), cOff,
                    Math.max(ldc, 1), acc);
        }

        @Override
        public String toString() {
            return (ta ? "T" : "N") + (tb ? "T" : "N") + " m=" + m + " n=" + n + " k=" + k + " aOff=" + aOff
                    + " lda=" + lda + " bOff=" + bOff + " ldb=" + ldb + " cOff=" + cOff + " ldc=" + ldc
                    + " acc=" + acc;
        }
    }

    // ------------------------------------------------------------------ float

    /** Runs sgemm (or the scalar path) on one case and checks every element of C's array. */
    static void checkFloat(Case t, SplittableRandom r, boolean scalarPath, GemmScratch scratch) {
        float[] a = new float[t.aLen()], b = new float[t.bLen()], c = new float[t.cLen()];
        java.util.Arrays.fill(a, Float.NaN);
        java.util.Arrays.fill(b, Float.NaN);
        java.util.Arrays.fill(c, F_SENTINEL);
        for (int i = 0; i < t.aRows(); i++)
            for (int j = 0; j < t.aCols(); j++) a[t.aOff + i * t.lda + j] = (float) (r.nextDouble() * 2 - 1);
        for (int i = 0; i < t.bRows(); i++)
            for (int j = 0; j < t.bCols(); j++) b[t.bOff + i * t.ldb + j] = (float) (r.nextDouble() * 2 - 1);
        for (int i = 0; i < t.m; i++)
            for (int j = 0; j < t.n; j++)
                c[t.cOff + i * t.ldc + j] = t.acc ? (float) (r.nextDouble() * 2 - 1) : Float.NaN;
        float[] c0 = c.clone();
        if (scalarPath) {
            ScalarSgemm.gemm(t.ta, t.tb, t.m, t.n, t.k, a, t.aOff, t.lda, b, t.bOff, t.ldb, c, t.cOff, t.ldc, t.acc);
        } else if (scratch == null) {
            Gemm.sgemm(t.ta, t.tb, t.m, t.n, t.k, a, t.aOff, t.lda, b, t.bOff, t.ldb, c, t.cOff, t.ldc, t.acc);
        } else {
            Gemm.sgemm(t.ta, t.tb, t.m, t.n, t.k, a, t.aOff, t.lda, b, t.bOff, t.ldb, c, t.cOff, t.ldc, t.acc,
                    scratch);
        }
        final double u = 0x1p-24;
        boolean[] inWindow = new boolean[c.length];
        for (int i = 0; i < t.m; i++) {
            for (int j = 0; j < t.n; j++) {
                double s = 0, abs = 0;
                for (int p = 0; p < t.k; p++) {
                    double av = t.ta ? a[t.aOff + p * t.lda + i] : a[t.aOff + i * t.lda + p];
                    double bv = t.tb ? b[t.bOff + j * t.ldb + p] : b[t.bOff + p * t.ldb + j];
                    s += av * bv;
                    abs += Math.abs(av * bv);
                }
                int ci = t.cOff + i * t.ldc + j;
                inWindow[ci] = true;
                double init = t.acc ? c0[ci] : 0;
                double expect = init + s;
                double tol = 2 * (t.k + 2) * u * (abs + Math.abs(init)) + Float.MIN_NORMAL;
                double got = c[ci];
                if (!(Math.abs(got - expect) <= tol)) {
                    fail(t + ": C[" + i + "][" + j + "] = " + got + ", expected " + expect + " ± " + tol);
                }
            }
        }
        for (int x = 0; x < c.length; x++) {
            if (!inWindow[x] && c[x] != F_SENTINEL) fail(t + ": C[" + x + "] outside the window was written");
        }
    }

    static void checkDouble(Case t, SplittableRandom r, boolean scalarPath, GemmScratch scratch) {
        double[] a = new double[t.aLen()], b = new double[t.bLen()], c = new double[t.cLen()];
        java.util.Arrays.fill(a, Double.NaN);
        java.util.Arrays.fill(b, Double.NaN);
        java.util.Arrays.fill(c, D_SENTINEL);
        for (int i = 0; i < t.aRows(); i++)
            for (int j = 0; j < t.aCols(); j++) a[t.aOff + i * t.lda + j] = r.nextDouble() * 2 - 1;
        for (int i = 0; i < t.bRows(); i++)
            for (int j = 0; j < t.bCols(); j++) b[t.bOff + i * t.ldb + j] = r.nextDouble() * 2 - 1;
        for (int i = 0; i < t.m; i++)
            for (int j = 0; j < t.n; j++) c[t.cOff + i * t.ldc + j] = t.acc ? r.nextDouble() * 2 - 1 : Double.NaN;
        double[] c0 = c.clone();
        if (scalarPath) {
            ScalarDgemm.gemm(t.ta, t.tb, t.m, t.n, t.k, a, t.aOff, t.lda, b, t.bOff, t.ldb, c, t.cOff, t.ldc, t.acc);
        } else if (scratch == null) {
            Gemm.dgemm(t.ta, t.tb, t.m, t.n, t.k, a, t.aOff, t.lda, b, t.bOff, t.ldb, c, t.cOff, t.ldc, t.acc);
        } else {
            Gemm.dgemm(t.ta, t.tb, t.m, t.n, t.k, a, t.aOff, t.lda, b, t.bOff, t.ldb, c, t.cOff, t.ldc, t.acc,
                    scratch);
        }
        final double u = 0x1p-53;
        boolean[] inWindow = new boolean[c.length];
        for (int i = 0; i < t.m; i++) {
            for (int j = 0; j < t.n; j++) {
                // the reference sums in double too, so allow its error as well as the kernel's
                double s = 0, abs = 0;
                for (int p = 0; p < t.k; p++) {
                    double av = t.ta ? a[t.aOff + p * t.lda + i] : a[t.aOff + i * t.lda + p];
                    double bv = t.tb ? b[t.bOff + j * t.ldb + p] : b[t.bOff + p * t.ldb + j];
                    s += av * bv;
                    abs += Math.abs(av * bv);
                }
                int ci = t.cOff + i * t.ldc + j;
                inWindow[ci] = true;
                double init = t.acc ? c0[ci] : 0;
                double expect = init + s;
                double tol = 4 * (t.k + 2) * u * (abs + Math.abs(init)) + Double.MIN_NORMAL;
                double got = c[ci];
                if (!(Math.abs(got - expect) <= tol)) {
                    fail(t + ": C[" + i + "][" + j + "] = " + got + ", expected " + expect + " ± " + tol);
                }
            }
        }
        for (int x = 0; x < c.length; x++) {
            if (!inWindow[x] && c[x] != D_SENTINEL) fail(t + ": C[" + x + "] outside the window was written");
        }
    }

    // ------------------------------------------------------------------ cases

    private static final int[] SMALL = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 11, 12, 13, 15, 16, 17, 23, 24, 25, 31, 32,
            33, 47, 48, 49, 63, 64, 65};
    /** Row counts above the small-m threshold, so that the fully packed path is covered too. */
    private static final int[] MEDIUM = {65, 66, 67, 70, 97, 100, 131};

    /** Random small cases: every transpose combination, offsets and padded strides. */
    static List<Case> randomCases(long seed, int count) {
        SplittableRandom r = new SplittableRandom(seed);
        List<Case> cases = new ArrayList<>();
        for (int x = 0; x < count; x++) {
            boolean ta = (x & 1) != 0, tb = (x & 2) != 0, acc = (x & 4) != 0;
            int m = r.nextInt(3) == 0 ? MEDIUM[r.nextInt(MEDIUM.length)] : SMALL[r.nextInt(SMALL.length)];
            int n = SMALL[r.nextInt(SMALL.length)];
            int k = SMALL[r.nextInt(SMALL.length)];
            cases.add(Case.of(r, ta, tb, m, n, k, acc, (x & 8) != 0 || r.nextBoolean()));
        }
        return cases;
    }

    /** Cases that cross the cache blocks (KC, MC, NC), the course's layer shapes and narrow convolution shapes. */
    static List<Case> blockCases(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int[][] shapes = {
                {300, 70, 600}, {200, 97, 1000}, {5, 4101, 7}, {3, 8200, 2}, {13, 29, 513},
                {32, 256, 784}, {32, 128, 256}, {32, 10, 128}, // forward (batch 32)
                {32, 784, 256}, {784, 256, 32}, {256, 128, 32}, {128, 10, 32}, {32, 256, 128}, // backward
                {1001, 50, 90}, {330, 32, 288}, {90, 50, 1601}, {290, 19, 1024}, {8200, 290, 64}, // convolutions
        };
        List<Case> cases = new ArrayList<>();
        for (int[] s : shapes) {
            for (int x = 0; x < 4; x++) {
                cases.add(Case.of(r, (x & 1) != 0, (x & 2) != 0, s[0], s[1], s[2], r.nextBoolean(), r.nextBoolean()));
            }
        }
        return cases;
    }

    /**
     * Narrow products whose last panel is at most one vector wide (n = 50 = 3·16 + 2, 10, odd n),
     * with m not a multiple of 2·MR (rows past the last pair of row panels) and odd k, in all four
     * transpose combinations; and deep Aᵀ·B products whose C is computed transposed (a
     * convolution's dW, 90×50 over k ≥ KC).
     */
    static List<Case> tailCases(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int[][] shapes = {
                {200, 50, 90}, {203, 50, 91}, {205, 50, 150}, {1001, 50, 31}, {66, 50, 7}, {71, 10, 33},
                {72, 10, 128}, {77, 9, 5}, {100, 1, 17}, {99, 2, 3}, {129, 51, 29}, {131, 57, 64},
                {97, 49, 13}, {130, 17, 40}, {136, 23, 19}, {300, 150, 50}, {301, 210, 50}, {133, 90, 50},
                {90, 50, 300}, {150, 50, 257}, {210, 50, 513}, {70, 10, 256}, {9, 50, 400}, {91, 33, 260},
        };
        List<Case> cases = new ArrayList<>();
        for (int[] s : shapes) {
            for (int x = 0; x < 4; x++) {
                cases.add(Case.of(r, (x & 1) != 0, (x & 2) != 0, s[0], s[1], s[2], r.nextBoolean(), r.nextBoolean()));
            }
        }
        return cases;
    }

    @Test
    void sgemmNarrowTailsAndTransposedC() {
        SplittableRandom r = new SplittableRandom(21);
        GemmScratch s = new GemmScratch();
        for (Case t : tailCases(31)) checkFloat(t, r, false, s);
    }

    @Test
    void dgemmNarrowTailsAndTransposedC() {
        SplittableRandom r = new SplittableRandom(22);
        GemmScratch s = new GemmScratch();
        for (Case t : tailCases(32)) checkDouble(t, r, false, s);
    }

    /** The same call twice gives the same bits (a fixed summation order on every path). */
    @Test
    void repeatedCallsAreBitIdentical() {
        SplittableRandom r = new SplittableRandom(23);
        GemmScratch s = new GemmScratch();
        for (Case t : tailCases(33)) {
            float[] a = new float[t.aLen()], b = new float[t.bLen()];
            double[] da = new double[t.aLen()], db = new double[t.bLen()];
            for (int x = 0; x < a.length; x++) da[x] = a[x] = (float) (r.nextDouble() - 0.5);
            for (int x = 0; x < b.length; x++) db[x] = b[x] = (float) (r.nextDouble() - 0.5);
            float[] c1 = new float[t.cLen()], c2 = new float[t.cLen()];
            double[] d1 = new double[t.cLen()], d2 = new double[t.cLen()];
            for (int x = 0; x < c1.length; x++) d1[x] = d2[x] = c1[x] = c2[x] = (float) (r.nextDouble() - 0.5);
            Gemm.sgemm(t.ta, t.tb, t.m, t.n, t.k, a, t.aOff, t.lda, b, t.bOff, t.ldb, c1, t.cOff, t.ldc, t.acc, s);
            Gemm.sgemm(t.ta, t.tb, t.m, t.n, t.k, a, t.aOff, t.lda, b, t.bOff, t.ldb, c2, t.cOff, t.ldc, t.acc);
            Gemm.dgemm(t.ta, t.tb, t.m, t.n, t.k, da, t.aOff, t.lda, db, t.bOff, t.ldb, d1, t.cOff, t.ldc, t.acc, s);
            Gemm.dgemm(t.ta, t.tb, t.m, t.n, t.k, da, t.aOff, t.lda, db, t.bOff, t.ldb, d2, t.cOff, t.ldc, t.acc);
            for (int x = 0; x < c1.length; x++) {
                if (Float.floatToRawIntBits(c1[x]) != Float.floatToRawIntBits(c2[x])) fail(t + ": float C[" + x + "] differs");
                if (Double.doubleToRawLongBits(d1[x]) != Double.doubleToRawLongBits(d2[x])) fail(t + ": double C[" + x + "] differs");
            }
        }
    }

    @Test
    void sgemmRandomSmall() {
        SplittableRandom r = new SplittableRandom(1);
        for (Case t : randomCases(11, 1500)) checkFloat(t, r, false, null);
    }

    @Test
    void dgemmRandomSmall() {
        SplittableRandom r = new SplittableRandom(2);
        for (Case t : randomCases(12, 1500)) checkDouble(t, r, false, null);
    }

    @Test
    void sgemmAcrossBlocksAndCourseShapes() {
        SplittableRandom r = new SplittableRandom(3);
        GemmScratch s = new GemmScratch();
        for (Case t : blockCases(13)) checkFloat(t, r, false, s);
    }

    @Test
    void dgemmAcrossBlocksAndCourseShapes() {
        SplittableRandom r = new SplittableRandom(4);
        GemmScratch s = new GemmScratch();
        for (Case t : blockCases(14)) checkDouble(t, r, false, s);
    }

    @Test
    void scalarFallbackMatchesReference() {
        SplittableRandom r = new SplittableRandom(5);
        for (Case t : randomCases(15, 400)) {
            checkFloat(t, r, true, null);
            checkDouble(t, r, true, null);
        }
    }

    @Test
    void everyGeneratedKernelMatchesReference() {
        SplittableRandom r = new SplittableRandom(6);
        for (String tile : GemmParams.TILES) {
            int[] rv = GemmCodegen.parse(tile);
            int mr = rv[0];
            for (int kc : new int[] {1, 2, 7, 64}) {
                for (int variant = 0; variant < 4; variant++) {
                    boolean beta = (variant & 1) != 0, rows = (variant & 2) != 0;
                    int fnr = rv[1] * SgemmImpl.L, dnr = rv[1] * DgemmImpl.L;
                    int fbs = fnr + 5, dbs = dnr + 3; // B rows in place: stride > NR
                    int lda = rows ? kc + 2 : -1;
                    int aStep = rows ? 1 : mr, aRow = rows ? lda : 1; // a[3 + p*aStep + i*aRow]
                    int ldc = Math.max(fnr, dnr) + 3, ci = 5;
                    int aLen = 3 + (rows ? mr * lda : kc * mr);
                    float[] fa = new float[aLen], fb = new float[2 + kc * fbs];
                    double[] da = new double[aLen], db = new double[2 + kc * dbs];
                    float[] fc = new float[ci + mr * ldc];
                    double[] dc = new double[ci + mr * ldc];
                    for (int x = 0; x < fa.length; x++) da[x] = fa[x] = (float) (r.nextDouble() - 0.5);
                    for (int x = 0; x < fb.length; x++) fb[x] = (float) (r.nextDouble() - 0.5);
                    for (int x = 0; x < db.length; x++) db[x] = r.nextDouble() - 0.5;
                    for (int x = 0; x < fc.length; x++) dc[x] = fc[x] = (float) (r.nextDouble() - 0.5);
                    float[] fc0 = fc.clone();
                    double[] dc0 = dc.clone();
                    SgemmImpl.kernelForTest(mr, rv[1], kc, fa, 3, lda, fb, 2, fbs, fc, ci, ldc, beta);
                    DgemmImpl.kernelForTest(mr, rv[1], kc, da, 3, lda, db, 2, dbs, dc, ci, ldc, beta);
                    String what = tile + (rows ? " rows" : " packed") + " kc=" + kc + " beta=" + beta;
                    for (int i = 0; i < mr; i++) {
                        for (int j = 0; j < ldc; j++) {
                            int x = ci + i * ldc + j;
                            if (j < fnr) {
                                double s = beta ? fc0[x] : 0;
                                for (int p = 0; p < kc; p++) {
                                    s += (double) fa[3 + p * aStep + i * aRow] * fb[2 + p * fbs + j];
                                }
                                assertEquals(s, fc[x], 1e-5 * (kc + 1), what + " float");
                            } else {
                                assertEquals(fc0[x], fc[x], what + " float wrote outside the tile");
                            }
                            if (j < dnr) {
                                double s = beta ? dc0[x] : 0;
                                for (int p = 0; p < kc; p++) s += da[3 + p * aStep + i * aRow] * db[2 + p * dbs + j];
                                assertEquals(s, dc[x], 1e-13 * (kc + 1), what + " double");
                            } else {
                                assertEquals(dc0[x], dc[x], what + " double wrote outside the tile");
                            }
                        }
                    }
                }
            }
        }
    }

    @Test
    void scratchIsReusedAcrossCalls() {
        // a "training step": the course MLP's forward and backward products, twice; the second
        // round must find every buffer big enough (no allocation after warm-up)
        GemmScratch s = new GemmScratch();
        SplittableRandom r = new SplittableRandom(7);
        List<Case> step = blockCases(8).subList(20, 52);
        for (Case t : step) {
            checkFloat(t, r, false, s);
            checkDouble(t, r, false, s);
        }
        long bytes = s.bytes();
        float[] fa = s.floatA(0), fb = s.floatB(0), ft = s.floatTile(0);
        double[] da = s.doubleA(0), db = s.doubleB(0), dt = s.doubleTile(0);
        for (Case t : step) {
            checkFloat(t, r, false, s);
            checkDouble(t, r, false, s);
        }
        assertEquals(bytes, s.bytes());
        assertSame(fa, s.floatA(0));
        assertSame(fb, s.floatB(0));
        assertSame(ft, s.floatTile(0));
        assertSame(da, s.doubleA(0));
        assertSame(db, s.doubleB(0));
        assertSame(dt, s.doubleTile(0));
        // the ThreadLocal scratch is created once per thread
        assertSame(Gemm.threadScratch(), Gemm.threadScratch());
    }

    @Test
    void rejectsBadArguments() {
        float[] a = new float[12], b = new float[12], c = new float[12];
        assertThrows(IllegalArgumentException.class,
                () -> Gemm.sgemm(false, false, -1, 2, 2, a, 0, 2, b, 0, 2, c, 0, 2, false));
        assertThrows(IllegalArgumentException.class, // lda < k
                () -> Gemm.sgemm(false, false, 2, 2, 3, a, 0, 2, b, 0, 2, c, 0, 2, false));
        assertThrows(IllegalArgumentException.class, // C window past the end
                () -> Gemm.sgemm(false, false, 3, 3, 3, a, 0, 3, b, 0, 3, c, 4, 3, false));
        assertThrows(IllegalArgumentException.class, // B (stored n×k when transposed) too small
                () -> Gemm.sgemm(false, true, 2, 5, 3, a, 0, 3, b, 0, 3, c, 0, 5, false));
        double[] d = new double[4];
        assertThrows(IllegalArgumentException.class,
                () -> Gemm.dgemm(true, false, 2, 2, 2, d, 1, 2, d, 0, 2, d, 0, 2, true));
        // empty problems touch nothing, even with tiny arrays
        Gemm.sgemm(false, false, 0, 5, 5, a, 0, 5, b, 0, 5, new float[0], 0, 5, false);
        float[] c1 = {1, 2, 3, 4};
        Gemm.sgemm(false, false, 2, 2, 0, new float[0], 0, 0, new float[0], 0, 2, c1, 0, 2, true);
        assertEquals(1f, c1[0]);
        Gemm.sgemm(false, false, 2, 2, 0, new float[0], 0, 0, new float[0], 0, 2, c1, 0, 2, false);
        assertEquals(0f, c1[3]);
    }
}
