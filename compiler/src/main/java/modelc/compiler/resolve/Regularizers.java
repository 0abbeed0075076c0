package modelc.compiler.resolve;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import modelc.compiler.diag.CompileException;
import modelc.compiler.diag.Diagnostics;
import modelc.compiler.ir.Regularizer;

/**
 * Keras's weight regularizers given as layer arguments ({@code kernel_regularizer=l2(0.01)}), with
 * Keras 3's spellings and defaults (keras/src/regularizers/): {@code l1(0.01)}, {@code L1(l1=0.01)},
 * {@code l2(0.01)}, {@code L2(l2=0.01)}, {@code l1_l2(l1=.., l2=..)} / {@code L1L2(...)} (both
 * factors default to 0 in Keras 3, unlike Keras 2's {@code l1_l2} function), any of them qualified
 * ({@code regularizers.l2(0.01)}), and the strings {@code "l1"} and {@code "l2"} (0.01).
 *
 * <p>A layer adopts them in one line, on the layer its factory returns:
 * {@code return new Layer(...) { ... }.regularized(a);} (see {@link Layer#regularized}).
 */
final class Regularizers {
    private Regularizers() {}

    /** Each regularizer argument of Keras's layers and the weight it applies to, in a fixed order. */
    static final Map<String, String> WEIGHT_OF = new LinkedHashMap<>();
    static {
        WEIGHT_OF.put("kernel_regularizer", "kernel");
        WEIGHT_OF.put("recurrent_regularizer", "recurrent_kernel");
        WEIGHT_OF.put("bias_regularizer", "bias");
        WEIGHT_OF.put("embeddings_regularizer", "embeddings");
        WEIGHT_OF.put("depthwise_regularizer", "depthwise_kernel");
        WEIGHT_OF.put("pointwise_regularizer", "pointwise_kernel");
        WEIGHT_OF.put("gamma_regularizer", "gamma");
        WEIGHT_OF.put("beta_regularizer", "beta");
    }

    /** Keras's default factor of {@code l1}, {@code l2} and the strings "l1", "l2" ({@code L1.__init__(l1=0.01)}). */
    static final double DEFAULT = 0.01;

    private static final List<String> NAMES = List.of("l1", "l2", "l1_l2", "L1", "L2", "L1L2");

    /**
     * The regularizers among {@code a}'s bound arguments, by the weight they apply to
     * ({@code kernel_regularizer} → {@code kernel}); zero penalties are left out.
     */
    static Map<String, Regularizer> of(Args a) {
        Map<String, Regularizer> out = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : WEIGHT_OF.entrySet()) {
            Regularizer r = parse(a, e.getKey());
            if (r != null && !r.isZero()) out.put(e.getValue(), r);
        }
        return out;
    }

    /**
     * The {@code activity_regularizer} among {@code a}'s bound arguments (a penalty on each output
     * tensor of the layer's calls, see {@link Layer#regularized}), or null if none or zero.
     */
    static Regularizer activity(Args a) {
        Regularizer r = parse(a, "activity_regularizer");
        return r == null || r.isZero() ? null : r;
    }

    /**
     * Refuses the regularizer arguments of a layer whose factory bound them without taking them
     * ({@link Layer#regularized}): a layer not written for penalties must not drop one silently.
     */
    static void requireTaken(Layer layer, Args a) {
        if (layer.regularizersTaken()) return;
        for (String arg : WEIGHT_OF.keySet()) {
            if (a.has(arg)) throw new CompileException(a.get(arg).span(), a.callee() + ": " + arg + " is not supported yet");
        }
        if (a.has("activity_regularizer")) {
            throw new CompileException(a.get("activity_regularizer").span(), a.callee() + ": activity_regularizer is not supported yet");
        }
    }

    /** The regularizer given as argument {@code arg} of {@code a}, or null if none. */
    static Regularizer parse(Args a, String arg) {
        Val v = a.get(arg);
        if (v == null || v instanceof Val.None) return null;
        if (v instanceof Val.Str s) {
            return switch (s.value()) {
                case "l1", "L1" -> new Regularizer(DEFAULT, 0, "l1(" + DEFAULT + ")");
                case "l2", "L2" -> new Regularizer(0, DEFAULT, "l2(" + DEFAULT + ")");
                // Keras 3's docs promise 0.01 each for "l1_l2" (Keras 2 gave that); its code no longer resolves the string.
                case "l1_l2" -> new Regularizer(DEFAULT, DEFAULT, "l1_l2(l1=" + DEFAULT + ", l2=" + DEFAULT + ")");
                case "L1L2", "l1l2" -> throw new CompileException(v.span(), "the string '" + s.value()
                        + "' is Keras 3's L1L2() with l1=0 and l2=0, which adds no penalty",
                        "write l1_l2 for 0.01 each, or L1L2(l1=0.01, l2=0.01)");
                default -> throw unknown(v, s.value());
            };
        }
        if (v instanceof Val.Ctor c) {
            Args ra = c.args();
            return switch (c.name()) {
                case "l1", "L1" -> {
                    ra.bind(List.of("l1"), Map.of("l", "l1"), java.util.Set.of());
                    double l1 = factor(ra, "l1", DEFAULT);
                    yield new Regularizer(l1, 0, "l1(" + l1 + ")");
                }
                case "l2", "L2" -> {
                    ra.bind(List.of("l2"), Map.of("l", "l2"), java.util.Set.of());
                    double l2 = factor(ra, "l2", DEFAULT);
                    yield new Regularizer(0, l2, "l2(" + l2 + ")");
                }
                case "l1_l2", "L1L2" -> {
                    ra.bind(List.of("l1", "l2"), Map.of(), java.util.Set.of());
                    double l1 = factor(ra, "l1", 0), l2 = factor(ra, "l2", 0);
                    yield new Regularizer(l1, l2, "l1_l2(l1=" + l1 + ", l2=" + l2 + ")");
                }
                case "OrthogonalRegularizer", "orthogonal_regularizer" ->
                        throw new CompileException(v.span(), "OrthogonalRegularizer is not supported yet", "l1, l2 and l1_l2 are");
                default -> throw unknown(v, c.name());
            };
        }
        throw a.typeError(arg, v, "a regularizer such as l2(0.01)");
    }

    /** A factor as Keras validates it ({@code validate_float_arg}): a number, not negative. */
    private static double factor(Args ra, String name, double dflt) {
        double f = ra.number(name, dflt);
        if (f < 0 || Double.isNaN(f) || Double.isInfinite(f)) {
            throw new CompileException(ra.get(name).span(), "the regularization factor " + name + " must be a non-negative number, got "
                    + ra.get(name));
        }
        return f;
    }

    private static CompileException unknown(Val v, String name) {
        String near = Diagnostics.closest(name, NAMES);
        return new CompileException(v.span(), "unknown regularizer '" + name + "'",
                near != null ? "did you mean '" + near + "'?" : "known regularizers: l1(0.01), l2(0.01), l1_l2(l1=0.01, l2=0.01)");
    }
}
