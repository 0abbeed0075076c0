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
            default -> throw new IllegalArgumentException("unknown initializer " + init);
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
