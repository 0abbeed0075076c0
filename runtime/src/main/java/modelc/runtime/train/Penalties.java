package modelc.runtime.train;

/**
 * Keras's weight regularizers: the penalty {@code l1·Σ|w| + l2·Σw²} over a weight and its gradient
 * {@code l1·sign(w) + 2·l2·w} (sign(0) = 0, as JAX differentiates |w|). A generated session adds
 * the penalty to a step's loss once and the gradient to the gradients summed over its parts, so
 * both count once per step whatever the number of threads. Arithmetic in double.
 */
public final class Penalties {
    private Penalties() {}

    /** The penalty of {@code w[off, off + len)}: summed in index order. */
    public static double value(float[] w, int off, int len, double l1, double l2) {
        double abs = 0, squares = 0;
        for (int i = off; i < off + len; i++) {
            double x = w[i];
            abs += Math.abs(x);
            squares += x * x;
        }
        return l1 * abs + l2 * squares;
    }

    public static double value(double[] w, int off, int len, double l1, double l2) {
        double abs = 0, squares = 0;
        for (int i = off; i < off + len; i++) {
            double x = w[i];
            abs += Math.abs(x);
            squares += x * x;
        }
        return l1 * abs + l2 * squares;
    }

    /** {@code g[i] += l1·sign(w[i]) + 2·l2·w[i]} for i in [from, to) (nothing if the range is empty). */
    public static void addGradient(float[] g, float[] w, int from, int to, double l1, double l2) {
        double twoL2 = 2 * l2;
        for (int i = from; i < to; i++) g[i] = (float) (g[i] + (l1 * Math.signum(w[i]) + twoL2 * w[i]));
    }

    public static void addGradient(double[] g, double[] w, int from, int to, double l1, double l2) {
        double twoL2 = 2 * l2;
        for (int i = from; i < to; i++) g[i] += l1 * Math.signum(w[i]) + twoL2 * w[i];
    }
}
