package modelc.runtime.train;

/**
 * Keras 3's weight constraints (keras/src/constraints/constraints.py), applied to a weight after each
 * optimizer update as Keras's optimizer applies them. The norm constraints rescale the weight by its
 * Euclidean norms over the {@code axes} of its shape {@code dims} (one norm per combination of the other
 * axes' indices): {@code MaxNorm} by {@code clip(norm, 0, max) / (ε + norm)}, {@code MinMaxNorm} by
 * {@code (rate·clip(norm, min, max) + (1 − rate)·norm) / (ε + norm)}, {@code UnitNorm} by {@code 1 / (ε + norm)},
 * with Keras's ε = 1e-7; {@code NonNeg} is {@code max(w, 0)}. Norms are summed in double; {@code sums} is scratch
 * of at least one entry per norm, so a step allocates nothing.
 */
public final class Constraints {
    private Constraints() {}

    public static final int MAX_NORM = 0;
    public static final int MIN_MAX_NORM = 1;
    public static final int UNIT_NORM = 2;

    /** Keras's {@code backend.epsilon()}. */
    private static final double EPSILON = 1e-7;

    /** The number of norms a weight of shape {@code dims} has over {@code axes}: the scratch {@link #norm} needs. */
    public static int norms(int[] dims, int[] axes) {
        int n = 1;
        for (int d = 0; d < dims.length; d++) if (!contains(axes, d)) n *= dims[d];
        return n;
    }

    /** A norm constraint ({@link #MAX_NORM}, {@link #MIN_MAX_NORM}, {@link #UNIT_NORM}) on the weight at {@code w[off...]}. */
    public static void norm(int kind, float[] w, int off, int[] dims, int[] axes, double min, double max, double rate, double[] sums) {
        int groups = norms(dims, axes), size = size(dims);
        java.util.Arrays.fill(sums, 0, groups, 0);
        boolean run = consecutive(axes);
        int outer = run ? product(dims, 0, min(axes)) : 0, reduce = product(dims, min(axes), max(axes) + 1);
        int inner = product(dims, max(axes) + 1, dims.length);
        if (outer > 0) {
            for (int o = 0; o < outer; o++) {
                for (int r = 0; r < reduce; r++) {
                    int base = off + (o * reduce + r) * inner, g = o * inner;
                    for (int i = 0; i < inner; i++) sums[g + i] += (double) w[base + i] * w[base + i];
                }
            }
        } else {
            for (int e = 0; e < size; e++) sums[group(e, dims, axes)] += (double) w[off + e] * w[off + e];
        }
        for (int g = 0; g < groups; g++) sums[g] = factor(kind, Math.sqrt(sums[g]), min, max, rate);
        if (outer > 0) {
            for (int o = 0; o < outer; o++) {
                for (int r = 0; r < reduce; r++) {
                    int base = off + (o * reduce + r) * inner, g = o * inner;
                    for (int i = 0; i < inner; i++) w[base + i] = (float) (w[base + i] * sums[g + i]);
                }
            }
        } else {
            for (int e = 0; e < size; e++) w[off + e] = (float) (w[off + e] * sums[group(e, dims, axes)]);
        }
    }

    /** {@link #norm(int, float[], int, int[], int[], double, double, double, double[])} in double precision. */
    public static void norm(int kind, double[] w, int off, int[] dims, int[] axes, double min, double max, double rate, double[] sums) {
        int groups = norms(dims, axes), size = size(dims);
        java.util.Arrays.fill(sums, 0, groups, 0);
        boolean run = consecutive(axes);
        int outer = run ? product(dims, 0, min(axes)) : 0, reduce = product(dims, min(axes), max(axes) + 1);
        int inner = product(dims, max(axes) + 1, dims.length);
        if (outer > 0) {
            for (int o = 0; o < outer; o++) {
                for (int r = 0; r < reduce; r++) {
                    int base = off + (o * reduce + r) * inner, g = o * inner;
                    for (int i = 0; i < inner; i++) sums[g + i] += w[base + i] * w[base + i];
                }
            }
        } else {
            for (int e = 0; e < size; e++) sums[group(e, dims, axes)] += w[off + e] * w[off + e];
        }
        for (int g = 0; g < groups; g++) sums[g] = factor(kind, Math.sqrt(sums[g]), min, max, rate);
        if (outer > 0) {
            for (int o = 0; o < outer; o++) {
                for (int r = 0; r < reduce; r++) {
                    int base = off + (o * reduce + r) * inner, g = o * inner;
                    for (int i = 0; i < inner; i++) w[base + i] *= sums[g + i];
                }
            }
        } else {
            for (int e = 0; e < size; e++) w[off + e] *= sums[group(e, dims, axes)];
        }
    }

    /** Keras's NonNeg: {@code max(w, 0)} over {@code size} entries. */
    public static void nonNeg(float[] w, int off, int size) {
        for (int i = off; i < off + size; i++) w[i] = Math.max(w[i], 0f);
    }

    public static void nonNeg(double[] w, int off, int size) {
        for (int i = off; i < off + size; i++) w[i] = Math.max(w[i], 0);
    }

    private static double factor(int kind, double norm, double min, double max, double rate) {
        return switch (kind) {
            case MAX_NORM -> Math.min(Math.max(norm, 0), max) / (EPSILON + norm);
            case MIN_MAX_NORM -> (rate * Math.min(Math.max(norm, min), max) + (1 - rate) * norm) / (EPSILON + norm);
            case UNIT_NORM -> 1 / (EPSILON + norm);
            default -> throw new IllegalArgumentException("not a norm constraint: " + kind);
        };
    }

    /** Whether the axes are one run of consecutive axes: then the element at ((o·reduce + r)·inner + i) has norm o·inner + i. */
    private static boolean consecutive(int[] axes) {
        return max(axes) - min(axes) + 1 == axes.length;
    }

    private static int min(int[] axes) {
        int m = Integer.MAX_VALUE;
        for (int a : axes) m = Math.min(m, a);
        return m;
    }

    private static int max(int[] axes) {
        int m = -1;
        for (int a : axes) m = Math.max(m, a);
        return m;
    }

    private static int product(int[] dims, int from, int to) {
        int n = 1;
        for (int d = from; d < to; d++) n *= dims[d];
        return n;
    }

    /** The norm element {@code e} (row-major in {@code dims}) belongs to: its index over the axes not reduced. */
    private static int group(int e, int[] dims, int[] axes) {
        int g = 0, stride = 1;
        for (int d = dims.length - 1; d >= 0; d--) {
            int i = e % dims[d];
            e /= dims[d];
            if (!contains(axes, d)) {
                g += i * stride;
                stride *= dims[d];
            }
        }
        return g;
    }

    private static int size(int[] dims) {
        int n = 1;
        for (int d : dims) n *= d;
        return n;
    }

    private static boolean contains(int[] axes, int d) {
        for (int a : axes) if (a == d) return true;
        return false;
    }
}
