package modelc.compiler.ir;

/**
 * An initializer with Keras's name and arguments: {@code glorot_uniform}, {@code he_normal},
 * {@code random_uniform(minval, maxval)}, {@code random_normal(mean, stddev)}, {@code zeros},
 * {@code ones}, {@code constant(value)}, ... The fans follow Keras's {@code compute_fans}.
 */
public record InitSpec(String name, double a, double b) {
    public static InitSpec of(String name) {
        return switch (name) {
            case "random_uniform", "uniform" -> new InitSpec("random_uniform", -0.05, 0.05);
            case "random_normal", "normal" -> new InitSpec("random_normal", 0.0, 0.05);
            case "truncated_normal" -> new InitSpec("truncated_normal", 0.0, 0.05);
            case "zero" -> new InitSpec("zeros", 0, 0);
            case "one" -> new InitSpec("ones", 0, 0);
            default -> new InitSpec(name, 0, 0);
        };
    }
}
