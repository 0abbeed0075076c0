package modelc.runtime.kernels;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Flushing subnormal values to zero. Java has no flush-to-zero mode, and on x86 every
 * arithmetic operation on a subnormal operand can cost a hundred cycles. Backpropagation through a
 * long recurrence multiplies the carried gradient by factors below one at every step, so it decays
 * into the subnormal range (below 1.2e-38 in float32) and, left alone, slows every later step. The
 * generated backward loops flush what each step computes, so decayed values become exactly zero (as
 * flush-to-zero would) before the next step or a GEMM reads them.
 */
public final class Subnormals {
    private static final VectorSpecies<Float> FS = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Double> DS = DoubleVector.SPECIES_PREFERRED;

    private Subnormals() {}

    /** Sets the values of {@code a[off, off + len)} smaller in magnitude than {@link Float#MIN_NORMAL} to 0. */
    public static void flush(float[] a, int off, int len) {
        int i = 0;
        for (int end = FS.loopBound(len); i < end; i += FS.length()) {
            FloatVector v = FloatVector.fromArray(FS, a, off + i);
            var tiny = v.abs().compare(VectorOperators.LT, Float.MIN_NORMAL);
            if (tiny.anyTrue()) v.blend(0f, tiny).intoArray(a, off + i);
        }
        for (; i < len; i++) if (Math.abs(a[off + i]) < Float.MIN_NORMAL) a[off + i] = 0f;
    }

    /** As {@link #flush(float[], int, int)} for doubles, below {@link Double#MIN_NORMAL}. */
    public static void flush(double[] a, int off, int len) {
        int i = 0;
        for (int end = DS.loopBound(len); i < end; i += DS.length()) {
            DoubleVector v = DoubleVector.fromArray(DS, a, off + i);
            var tiny = v.abs().compare(VectorOperators.LT, Double.MIN_NORMAL);
            if (tiny.anyTrue()) v.blend(0d, tiny).intoArray(a, off + i);
        }
        for (; i < len; i++) if (Math.abs(a[off + i]) < Double.MIN_NORMAL) a[off + i] = 0d;
    }
}
