package modelc.runtime.kernels;

/**
 * How many steps at the start of a recurrence a step mask hides in every row. A masked step keeps
 * the recurrence's states, so the generated loops skip such steps: with sequences padded in front
 * (Keras's {@code pad_sequences} default) a batch's loop runs only over its longest sequence.
 */
public final class MaskedSteps {
    private MaskedSteps() {}

    /**
     * The number of steps, counted from step 0 (or from the last step if {@code reverse}), at which
     * every one of the {@code rows} entries of the time-major mask {@code m[off + t * rows + r]} is zero.
     */
    public static int leadingMasked(float[] m, int off, int rows, int steps, boolean reverse) {
        for (int s = 0; s < steps; s++) {
            int base = off + (reverse ? steps - 1 - s : s) * rows;
            for (int r = 0; r < rows; r++) if (m[base + r] != 0) return s;
        }
        return steps;
    }

    /** As {@link #leadingMasked(float[], int, int, int, boolean)} for a mask of doubles. */
    public static int leadingMasked(double[] m, int off, int rows, int steps, boolean reverse) {
        for (int s = 0; s < steps; s++) {
            int base = off + (reverse ? steps - 1 - s : s) * rows;
            for (int r = 0; r < rows; r++) if (m[base + r] != 0) return s;
        }
        return steps;
    }

    /**
     * Adds steps {@code [from, to)} of the time-major values {@code v[off + t * width ..]} to step
     * {@code into}: the gradients that reach a state at masked steps skipped at the end of a recurrence,
     * which carried the state of step {@code into} unchanged.
     */
    public static void foldSteps(float[] v, int off, int width, int from, int to, int into) {
        int dst = off + into * width;
        for (int t = from; t < to; t++) {
            int src = off + t * width;
            for (int j = 0; j < width; j++) v[dst + j] += v[src + j];
        }
    }

    /** As {@link #foldSteps(float[], int, int, int, int, int)} for doubles. */
    public static void foldSteps(double[] v, int off, int width, int from, int to, int into) {
        int dst = off + into * width;
        for (int t = from; t < to; t++) {
            int src = off + t * width;
            for (int j = 0; j < width; j++) v[dst + j] += v[src + j];
        }
    }
}
