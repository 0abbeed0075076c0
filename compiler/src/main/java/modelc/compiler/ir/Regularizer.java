package modelc.compiler.ir;

/**
 * Keras 3's weight penalty {@code l1·Σ|w| + l2·Σw²} (keras/src/regularizers/regularizers.py: no
 * factor ½ on the square), added once per step to the loss; its gradient {@code l1·sign(w) +
 * 2·l2·w} (sign(0) = 0) is added to the weight's summed gradient. {@code written} is how the
 * {@code .model} file spelt it, for comments in generated code.
 */
public record Regularizer(double l1, double l2, String written) {
    public Regularizer {
        if (!(l1 >= 0) || !(l2 >= 0)) throw new IllegalArgumentException("regularization factors must be non-negative: " + l1 + ", " + l2);
    }

    /** True when it adds nothing (Keras's {@code L1L2()} with both factors 0). */
    public boolean isZero() {
        return l1 == 0 && l2 == 0;
    }

    @Override
    public String toString() {
        return written;
    }
}
