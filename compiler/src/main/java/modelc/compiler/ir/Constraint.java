package modelc.compiler.ir;

import java.util.List;

/**
 * A Keras weight constraint ({@code kernel_constraint=MaxNorm(2)}), applied to the weight after each
 * optimizer update, as Keras 3's optimizer does: {@code MAX_NORM}, {@code MIN_MAX_NORM} and
 * {@code UNIT_NORM} rescale the weight by its Euclidean norms over {@code axes} (non-negative, sorted);
 * {@code NON_NEG} zeroes negative entries. {@code text} is how the .model file wrote it, for comments.
 */
public record Constraint(Kind kind, double minValue, double maxValue, double rate, List<Integer> axes, String text) {
    public enum Kind { MAX_NORM, MIN_MAX_NORM, UNIT_NORM, NON_NEG }

    public Constraint {
        axes = List.copyOf(axes);
    }
}
