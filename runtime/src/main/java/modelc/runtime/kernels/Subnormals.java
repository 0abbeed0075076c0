package modelc.runtime.kernels;

/**
 * Flushing subnormal values to zero. Java has no flush-to-zero mode, and on x86 every
 * arithmetic operation on a subnormal operand can cost a hundred cycles. Backpropagation through a
 * long recurrence multiplies the carried gradient by factors below one at every step, so it decays
 * into the subnormal range (below 1.2e-38 in float32) and, left alone, slows every later step. The
 * generated backward loops flush what each step computes, so decayed values become exactly zero (as
 * flush-to-zero would) before the next step or a GEMM reads them.
 *
 * <p>Vectorised ({@code SubnormalsVector}) when the JVM has the Vector API, element by element
 * otherwise; both leave the same values.
 */
public final class Subnormals {
    private Subnormals() {}

    /** Sets the values of {@code a[off, off + len)} smaller in magnitude than {@link Float#MIN_NORMAL} to 0. */
    public static void flush(float[] a, int off, int len) {
        int i = VectorApi.AVAILABLE ? SubnormalsVector.flush(a, off, len) : 0;
        for (; i < len; i++) if (Math.abs(a[off + i]) < Float.MIN_NORMAL) a[off + i] = 0f;
    }

    /** As {@link #flush(float[], int, int)} for doubles, below {@link Double#MIN_NORMAL}. */
    public static void flush(double[] a, int off, int len) {
        int i = VectorApi.AVAILABLE ? SubnormalsVector.flush(a, off, len) : 0;
        for (; i < len; i++) if (Math.abs(a[off + i]) < Double.MIN_NORMAL) a[off + i] = 0d;
    }
}
