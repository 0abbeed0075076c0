package modelc.compiler.resolve;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import modelc.compiler.diag.CompileException;
import modelc.compiler.diag.Diagnostics;
import modelc.compiler.diag.Span;
import modelc.compiler.ir.Constraint;

/**
 * Keras 3's weight constraints given as layer arguments ({@code kernel_constraint=MaxNorm(2)}), with its
 * names and defaults (keras/src/constraints/constraints.py): {@code MaxNorm(max_value=2, axis=0)},
 * {@code MinMaxNorm(min_value=0, max_value=1, rate=1, axis=0)}, {@code UnitNorm(axis=0)}, {@code NonNeg()},
 * their snake_case spellings ({@code max_norm(2)}) and the bare names ({@code "non_neg"}, {@code max_norm}).
 * A layer takes them with its regularizers ({@link Layer#regularized}); the axes are checked against the
 * weight's shape when the weight is made.
 */
final class Constraints {
    private Constraints() {}

    /**
     * Each constraint argument of Keras's layers and the weight it applies to: the regularizer arguments'
     * names with {@code _constraint} for {@code _regularizer} ({@code recurrent_constraint} → {@code recurrent_kernel}).
     */
    static final Map<String, String> WEIGHT_OF = new LinkedHashMap<>();
    static {
        Regularizers.WEIGHT_OF.forEach((arg, weight) -> WEIGHT_OF.put(arg.replace("_regularizer", "_constraint"), weight));
    }

    private static final List<String> NAMES = List.of("MaxNorm", "max_norm", "MinMaxNorm", "min_max_norm", "UnitNorm", "unit_norm",
            "NonNeg", "non_neg");

    /** A constraint as written, its axes not yet checked against a weight (they may be negative). */
    record Given(Constraint.Kind kind, double minValue, double maxValue, double rate, List<Integer> axes, Span span, String text) {
        /** The constraint for a weight of {@code shape}: axes in range, made non-negative and sorted. */
        Constraint forShape(List<Integer> shape, String weight) {
            Set<Integer> out = new TreeSet<>();
            if (kind != Constraint.Kind.NON_NEG) {
                for (int a : axes) {
                    int k = a < 0 ? a + shape.size() : a;
                    if (k < 0 || k >= shape.size()) {
                        throw new CompileException(span, text + ": axis " + a + " is out of range for " + weight + " of shape "
                                + shape.toString().replace('[', '(').replace(']', ')'), "the axes count from 0 to " + (shape.size() - 1));
                    }
                    out.add(k);
                }
            }
            if (kind != Constraint.Kind.NON_NEG && out.isEmpty()) {
                throw new CompileException(span, text + ": axis must name at least one axis of " + weight);
            }
            return new Constraint(kind, minValue, maxValue, rate, new ArrayList<>(out), text);
        }
    }

    /** The constraints among {@code a}'s bound arguments, by the weight they apply to ({@code kernel_constraint} → {@code kernel}). */
    static Map<String, Given> of(Args a) {
        Map<String, Given> out = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : WEIGHT_OF.entrySet()) {
            Given c = parse(a, e.getKey());
            if (c != null) out.put(e.getValue(), c);
        }
        return out;
    }

    /** Refuses the constraint arguments of a layer whose factory bound them without taking them. */
    static void requireTaken(Layer layer, Args a) {
        if (layer.regularizersTaken()) return;
        for (String arg : WEIGHT_OF.keySet()) {
            if (a.has(arg)) throw new CompileException(a.get(arg).span(), a.callee() + ": " + arg + " is not supported yet");
        }
    }

    /** The constraint given as argument {@code arg} of {@code a}, or null if none. */
    static Given parse(Args a, String arg) {
        Val v = a.get(arg);
        if (v == null || v instanceof Val.None) return null;
        String name;
        Args ca = null;
        if (v instanceof Val.Str s) name = s.value();
        else if (v instanceof Val.Ctor c) {
            name = c.name();
            ca = c.args();
        } else {
            throw a.typeError(arg, v, "a constraint such as MaxNorm(2)");
        }
        return switch (name) {
            case "MaxNorm", "max_norm" -> {
                if (ca != null) ca.bind(List.of("max_value", "axis"), Map.of(), Set.of());
                double max = ca == null ? 2 : bound(ca, "max_value", 2);
                List<Integer> axes = axes(ca);
                yield new Given(Constraint.Kind.MAX_NORM, 0, max, 1, axes, v.span(), "MaxNorm(max_value=" + max + ", axis=" + axisText(axes) + ")");
            }
            case "MinMaxNorm", "min_max_norm" -> {
                if (ca != null) ca.bind(List.of("min_value", "max_value", "rate", "axis"), Map.of(), Set.of());
                double min = ca == null ? 0 : bound(ca, "min_value", 0), max = ca == null ? 1 : bound(ca, "max_value", 1);
                double rate = ca == null ? 1 : bound(ca, "rate", 1);
                if (min > max) throw new CompileException(v.span(), name + ": min_value " + min + " is above max_value " + max);
                List<Integer> axes = axes(ca);
                yield new Given(Constraint.Kind.MIN_MAX_NORM, min, max, rate, axes, v.span(),
                        "MinMaxNorm(min_value=" + min + ", max_value=" + max + ", rate=" + rate + ", axis=" + axisText(axes) + ")");
            }
            case "UnitNorm", "unit_norm" -> {
                if (ca != null) ca.bind(List.of("axis"), Map.of(), Set.of());
                List<Integer> axes = axes(ca);
                yield new Given(Constraint.Kind.UNIT_NORM, 0, 0, 1, axes, v.span(), "UnitNorm(axis=" + axisText(axes) + ")");
            }
            case "NonNeg", "non_neg" -> {
                if (ca != null) ca.bind(List.of(), Map.of(), Set.of());
                yield new Given(Constraint.Kind.NON_NEG, 0, 0, 1, List.of(), v.span(), "NonNeg()");
            }
            default -> {
                String near = Diagnostics.closest(name, NAMES);
                throw new CompileException(v.span(), "unknown constraint '" + name + "'",
                        near != null ? "did you mean '" + near + "'?" : "known constraints: MaxNorm(2), MinMaxNorm(0, 1), UnitNorm(), NonNeg()");
            }
        };
    }

    /** Keras's {@code axis}: an integer or a list of them (default 0). */
    private static List<Integer> axes(Args ca) {
        return ca == null || !ca.has("axis") ? List.of(0) : ca.ints("axis");
    }

    private static String axisText(List<Integer> axes) {
        return axes.size() == 1 ? axes.get(0).toString() : axes.toString();
    }

    private static double bound(Args ca, String name, double dflt) {
        double v = ca.number(name, dflt);
        if (v < 0 || Double.isNaN(v) || Double.isInfinite(v)) {
            throw new CompileException(ca.get(name).span(), name + " must be a non-negative number, got " + ca.get(name));
        }
        return v;
    }
}
