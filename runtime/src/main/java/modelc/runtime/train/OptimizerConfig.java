package modelc.runtime.train;

/**
 * An optimizer with Keras 3's constants (reference/keras-semantics.md §9). {@code kind} is
 * "sgd", "rmsprop", "adam" or "adamw". Unused fields keep Keras's defaults. At most one of
 * clipnorm, clipvalue and global_clipnorm is set (0 = unset).
 */
public record OptimizerConfig(String kind, double learningRate, double beta1, double beta2, double epsilon,
                              boolean amsgrad, double momentum, boolean nesterov, double rho, boolean centered,
                              double weightDecay, double clipnorm, double clipvalue, double globalClipnorm) {

    public static OptimizerConfig defaults(String kind) {
        return switch (kind) {
            case "sgd" -> new OptimizerConfig("sgd", 0.01, 0.9, 0.999, 1e-7, false, 0, false, 0.9, false, 0, 0, 0, 0);
            case "rmsprop" -> new OptimizerConfig("rmsprop", 0.001, 0.9, 0.999, 1e-7, false, 0, false, 0.9, false, 0, 0, 0, 0);
            case "adam" -> new OptimizerConfig("adam", 0.001, 0.9, 0.999, 1e-7, false, 0, false, 0.9, false, 0, 0, 0, 0);
            case "adamw" -> new OptimizerConfig("adamw", 0.001, 0.9, 0.999, 1e-7, false, 0, false, 0.9, false, 0.004, 0, 0, 0);
            default -> throw new IllegalArgumentException("unknown optimizer " + kind);
        };
    }

    /** Number of state arrays (slots) the optimizer keeps per parameter. */
    public int slots() {
        return switch (kind) {
            case "sgd" -> momentum > 0 ? 1 : 0;
            case "rmsprop" -> 1 + (centered ? 1 : 0) + (momentum > 0 ? 1 : 0);
            case "adam", "adamw" -> amsgrad ? 3 : 2;
            default -> 0;
        };
    }

    /** The slots' names, used as checkpoint keys ({@code optimizer.m.dense.kernel}). */
    public String[] slotNames() {
        return switch (kind) {
            case "sgd" -> momentum > 0 ? new String[] {"momentum"} : new String[0];
            case "rmsprop" -> {
                java.util.List<String> s = new java.util.ArrayList<>(java.util.List.of("velocity"));
                if (centered) s.add("average_gradient");
                if (momentum > 0) s.add("momentum");
                yield s.toArray(String[]::new);
            }
            default -> amsgrad ? new String[] {"m", "v", "vhat"} : new String[] {"m", "v"};
        };
    }
}
