package modelc.compiler.resolve;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import modelc.compiler.diag.CompileException;
import modelc.compiler.diag.Diagnostics;
import modelc.compiler.diag.Span;
import modelc.compiler.ir.Graph;
import modelc.compiler.ir.Node;
import modelc.compiler.ir.Op;
import modelc.compiler.ir.UnaryFn;

/** Keras's activations by name ({@code relu}) or constructed ({@code gelu(approximate=true)}). */
public final class Activations {
    private Activations() {}

    private static final Map<String, UnaryFn> UNARY = new LinkedHashMap<>();
    static {
        UNARY.put("relu", UnaryFn.RELU);
        UNARY.put("relu6", UnaryFn.RELU6);
        UNARY.put("leaky_relu", UnaryFn.LEAKY_RELU);
        UNARY.put("elu", UnaryFn.ELU);
        UNARY.put("selu", UnaryFn.SELU);
        UNARY.put("gelu", UnaryFn.GELU);
        UNARY.put("sigmoid", UnaryFn.SIGMOID);
        UNARY.put("hard_sigmoid", UnaryFn.HARD_SIGMOID);
        UNARY.put("tanh", UnaryFn.TANH);
        UNARY.put("softsign", UnaryFn.SOFTSIGN);
        UNARY.put("softplus", UnaryFn.SOFTPLUS);
        UNARY.put("swish", UnaryFn.SWISH);
        UNARY.put("silu", UnaryFn.SWISH);
        UNARY.put("mish", UnaryFn.MISH);
        UNARY.put("exponential", UnaryFn.EXP);
    }

    /** Every name an activation may be given by. */
    public static Set<String> names() {
        Set<String> s = new java.util.LinkedHashSet<>(List.of("linear", "softmax", "log_softmax"));
        s.addAll(UNARY.keySet());
        return s;
    }

    public static boolean isActivation(String name) {
        return names().contains(name);
    }

    /** Checks an activation argument without applying it (so errors show at construction). */
    public static void validate(Val spec) {
        if (spec == null || spec instanceof Val.None) return;
        resolve(spec);
    }

    /** Applies the activation {@code spec} to {@code x}; None and {@code linear} return x itself. */
    public static Node apply(Graph g, Node x, Val spec, String layer, Span span) {
        if (spec == null || spec instanceof Val.None) return x;
        Resolved r = resolve(spec);
        return switch (r.name) {
            case "linear" -> x;
            case "softmax" -> g.add(new Op.Softmax(), List.of(x), layer, span);
            case "log_softmax" -> g.add(new Op.LogSoftmax(), List.of(x), layer, span);
            default -> g.add(new Op.Unary(r.fn, r.param), List.of(x), layer, span);
        };
    }

    private record Resolved(String name, UnaryFn fn, double param) {}

    private static Resolved resolve(Val spec) {
        String name;
        Args args = null;
        if (spec instanceof Val.Str s) {
            name = s.value();
        } else if (spec instanceof Val.Ctor c) {
            name = c.name();
            args = c.args();
        } else {
            throw new CompileException(spec.span(), "an activation must be a name such as relu, got " + Val.kind(spec));
        }
        if (!names().contains(name)) {
            String near = Diagnostics.closest(name, names());
            throw new CompileException(spec.span(), "unknown activation '" + name + "'",
                    near != null ? "did you mean '" + near + "'?" : "known activations: " + String.join(", ", names()));
        }
        UnaryFn fn = UNARY.get(name);
        double param = fn == null ? 0 : fn.defaultParam;
        if (args != null) {
            switch (name) {
                case "leaky_relu" -> param = args.bind(List.of("negative_slope"), Map.of("alpha", "negative_slope"), Set.of())
                        .number("negative_slope", param);
                case "elu" -> param = args.bind(List.of("alpha"), Map.of(), Set.of()).number("alpha", param);
                case "gelu" -> {
                    if (args.bind(List.of("approximate"), Map.of(), Set.of()).bool("approximate", false)) fn = UnaryFn.GELU_TANH;
                }
                default -> args.bind(List.of(), Map.of(), Set.of());
            }
        }
        return new Resolved(name, fn, param);
    }
}
