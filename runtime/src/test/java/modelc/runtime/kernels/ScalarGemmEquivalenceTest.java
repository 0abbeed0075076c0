package modelc.runtime.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The scalar GEMM gives the same bits as {@link ScalarGemmReference}, the hand-written float/double
 * pair it was before its double half was generated from the float half: every element of C's whole
 * array (the window and what lies around it), for all four transpose combinations, both values of
 * {@code accumulate}, offsets, padded leading dimensions, empty and odd shapes, and K over more than
 * one block of {@link ScalarGemmReference#KC}.
 */
class ScalarGemmEquivalenceTest {
    static List<GemmTest.Case> cases() {
        SplittableRandom r = new SplittableRandom(20261126);
        int[][] shapes = {
            {0, 5, 3}, {4, 0, 3}, {3, 5, 0}, {1, 1, 1}, {1, 7, 3}, {7, 1, 5}, {2, 3, 4}, {5, 9, 7},
            {13, 17, 11}, {32, 64, 33}, {3, 40, 256}, {9, 21, 257}, {6, 10, 515}, {33, 5, 300},
        };
        List<GemmTest.Case> out = new ArrayList<>();
        for (int[] s : shapes) {
            for (int t = 0; t < 4; t++) {
                for (boolean acc : new boolean[] {false, true}) {
                    for (boolean padded : new boolean[] {false, true}) {
                        out.add(GemmTest.Case.of(r, (t & 1) != 0, (t & 2) != 0, s[0], s[1], s[2], acc, padded));
                    }
                }
            }
        }
        return out;
    }

    /** A value in [-2^10, 2^10] with a varied exponent, so that the order of the sums shows in the bits. */
    private static double value(SplittableRandom r) {
        return (r.nextDouble() * 2 - 1) * Math.scalb(1.0, r.nextInt(21) - 10);
    }

    @Test
    void floatGivesTheReferenceBits() {
        SplittableRandom r = new SplittableRandom(1);
        for (GemmTest.Case t : cases()) {
            float[] a = new float[t.aLen()], b = new float[t.bLen()], c = new float[t.cLen()];
            for (int i = 0; i < a.length; i++) a[i] = (float) value(r);
            for (int i = 0; i < b.length; i++) b[i] = (float) value(r);
            for (int i = 0; i < c.length; i++) c[i] = (float) value(r);
            float[] expect = c.clone();
            ScalarGemmReference.gemm(t.ta(), t.tb(), t.m(), t.n(), t.k(), a, t.aOff(), t.lda(), b, t.bOff(), t.ldb(),
                    expect, t.cOff(), t.ldc(), t.acc());
            ScalarSgemm.gemm(t.ta(), t.tb(), t.m(), t.n(), t.k(), a, t.aOff(), t.lda(), b, t.bOff(), t.ldb(),
                    c, t.cOff(), t.ldc(), t.acc());
            for (int i = 0; i < c.length; i++) {
                assertEquals(Float.floatToRawIntBits(expect[i]), Float.floatToRawIntBits(c[i]),
                        t + ": C[" + i + "] = " + c[i] + ", the reference gives " + expect[i]);
            }
        }
    }

    @Test
    void doubleGivesTheReferenceBits() {
        SplittableRandom r = new SplittableRandom(2);
        for (GemmTest.Case t : cases()) {
            double[] a = new double[t.aLen()], b = new double[t.bLen()], c = new double[t.cLen()];
            for (int i = 0; i < a.length; i++) a[i] = value(r);
            for (int i = 0; i < b.length; i++) b[i] = value(r);
            for (int i = 0; i < c.length; i++) c[i] = value(r);
            double[] expect = c.clone();
            ScalarGemmReference.gemm(t.ta(), t.tb(), t.m(), t.n(), t.k(), a, t.aOff(), t.lda(), b, t.bOff(), t.ldb(),
                    expect, t.cOff(), t.ldc(), t.acc());
            ScalarDgemm.gemm(t.ta(), t.tb(), t.m(), t.n(), t.k(), a, t.aOff(), t.lda(), b, t.bOff(), t.ldb(),
                    c, t.cOff(), t.ldc(), t.acc());
            for (int i = 0; i < c.length; i++) {
                assertEquals(Double.doubleToRawLongBits(expect[i]), Double.doubleToRawLongBits(c[i]),
                        t + ": C[" + i + "] = " + c[i] + ", the reference gives " + expect[i]);
            }
        }
    }
}
