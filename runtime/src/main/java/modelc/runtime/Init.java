package modelc.runtime;

/**
 * Keras's initializers (reference/keras-semantics.md §1), drawing from {@link Rng} keyed by the
 * seed and the parameter's key. Fans follow Keras's {@code compute_fans}. Random streams cannot
 * match Keras's bit for bit; the distributions do.
 */
public final class Init {
    private Init() {}

    /** Fills {@code out[off, off + size)} for a parameter of the given Keras shape. */
    public static void fill(String init, double a, double b, int[] shape, long seed, String key, double[] out, int off) {
        int size = size(shape);
        long stream = Rng.stream(key);
        double fanIn, fanOut;
        if (shape.length == 0) {
            fanIn = fanOut = 1;
        } else if (shape.length == 1) {
            fanIn = fanOut = shape[0];
        } else if (shape.length == 2) {
            fanIn = shape[0];
            fanOut = shape[1];
        } else {
            double receptive = 1;
            for (int i = 0; i < shape.length - 2; i++) receptive *= shape[i];
            fanIn = shape[shape.length - 2] * receptive;
            fanOut = shape[shape.length - 1] * receptive;
        }
        switch (init) {
            case "zeros" -> fillConst(out, off, size, 0);
            case "ones" -> fillConst(out, off, size, 1);
            case "constant" -> fillConst(out, off, size, a);
            case "random_uniform" -> uniform(out, off, size, a, b, seed, stream);
            case "random_normal" -> {
                for (int i = 0; i < size; i++) out[off + i] = a + b * Rng.normal(seed, stream, 0, 0, i);
            }
            case "truncated_normal" -> truncated(out, off, size, a, b, seed, stream);
            case "glorot_uniform" -> scaledUniform(out, off, size, 1.0, (fanIn + fanOut) / 2, seed, stream);
            case "glorot_normal" -> scaledTruncated(out, off, size, 1.0, (fanIn + fanOut) / 2, seed, stream);
            case "he_uniform" -> scaledUniform(out, off, size, 2.0, fanIn, seed, stream);
            case "he_normal" -> scaledTruncated(out, off, size, 2.0, fanIn, seed, stream);
            case "lecun_uniform" -> scaledUniform(out, off, size, 1.0, fanIn, seed, stream);
            case "lecun_normal" -> scaledTruncated(out, off, size, 1.0, fanIn, seed, stream);
            case "orthogonal" -> orthogonal(out, off, shape, a == 0 ? 1 : a, seed, stream);
            case "unit_forget_bias" -> {
                // An LSTM's bias with Keras's unit_forget_bias: zeros, except ones for the forget gate (i, f, c, o).
                fillConst(out, off, size, 0);
                fillConst(out, off + (int) a, (int) a, 1);
            }
            default -> throw new IllegalArgumentException("unknown initializer " + init);
        }
    }

    /**
     * Keras's Orthogonal: a (max(r, c), min(r, c)) matrix of N(0, 1) draws made orthonormal by QR
     * with the signs of R's diagonal taken positive (modified Gram-Schmidt gives exactly that), read
     * as (r, c) or transposed, times {@code gain}; r is the product of all but the last dimension.
     */
    private static void orthogonal(double[] out, int off, int[] shape, double gain, long seed, long stream) {
        int cols = shape.length == 0 ? 1 : shape[shape.length - 1];
        int rows = size(shape) / Math.max(1, cols);
        int big = Math.max(rows, cols), small = Math.min(rows, cols);
        double[][] q = new double[small][big];
        for (int j = 0; j < small; j++) for (int i = 0; i < big; i++) q[j][i] = Rng.normal(seed, stream, 2, j, i);
        for (int j = 0; j < small; j++) {
            for (int k = 0; k < j; k++) {
                double dot = 0;
                for (int i = 0; i < big; i++) dot += q[j][i] * q[k][i];
                for (int i = 0; i < big; i++) q[j][i] -= dot * q[k][i];
            }
            double norm = 0;
            for (int i = 0; i < big; i++) norm += q[j][i] * q[j][i];
            norm = Math.sqrt(norm);
            for (int i = 0; i < big; i++) q[j][i] /= norm;
        }
        // q[j] is column j of Q (big x small). The result is Q (rows >= cols) or Q^T.
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) out[off + r * cols + c] = gain * (rows >= cols ? q[c][r] : q[r][c]);
        }
    }

    private static int size(int[] shape) {
        int n = 1;
        for (int s : shape) n *= s;
        return n;
    }

    private static void fillConst(double[] out, int off, int size, double v) {
        for (int i = 0; i < size; i++) out[off + i] = v;
    }

    private static void uniform(double[] out, int off, int size, double lo, double hi, long seed, long stream) {
        for (int i = 0; i < size; i++) out[off + i] = lo + (hi - lo) * Rng.uniform(seed, stream, 0, 0, i);
    }

    /** VarianceScaling, distribution "uniform": U(-L, L) with L = sqrt(3·scale/n). */
    private static void scaledUniform(double[] out, int off, int size, double scale, double n, long seed, long stream) {
        double limit = Math.sqrt(3 * scale / Math.max(1, n));
        uniform(out, off, size, -limit, limit, seed, stream);
    }

    /** VarianceScaling, "truncated_normal": σ = sqrt(scale/n)/0.87962566103423978, cut at ±2σ. */
    private static void scaledTruncated(double[] out, int off, int size, double scale, double n, long seed, long stream) {
        double sd = Math.sqrt(scale / Math.max(1, n)) / 0.87962566103423978;
        truncated(out, off, size, 0, sd, seed, stream);
    }

    private static void truncated(double[] out, int off, int size, double mean, double sd, long seed, long stream) {
        for (int i = 0; i < size; i++) {
            double z;
            int attempt = 0;
            do {
                z = Rng.normal(seed, stream, 1, attempt++, i);
            } while (Math.abs(z) > 2);
            out[off + i] = mean + sd * z;
        }
    }
}
