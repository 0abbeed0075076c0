package modelc.compiler.resolve;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import modelc.compiler.diag.CompileException;
import modelc.compiler.diag.Span;

/**
 * Keras's automatic layer names: the class name in snake case, then {@code _1}, {@code _2}, ... in
 * the order the constructors are evaluated. Names given with {@code name=} must be unique and are
 * validated, since they become weight keys and parts of Java identifiers.
 */
public final class Naming {
    private final Map<String, Integer> counters = new HashMap<>();
    private final Set<String> used = new HashSet<>();

    /** Keras's {@code to_snake_case}. */
    public static String snake(String className) {
        String s = className.replaceAll("(.)([A-Z][a-z]+)", "$1_$2");
        s = s.replaceAll("([a-z])([A-Z])", "$1_$2");
        return s.toLowerCase();
    }

    public String auto(String className) {
        String base = snake(className);
        int k = counters.merge(base, 1, Integer::sum) - 1;
        String name = k == 0 ? base : base + "_" + k;
        while (used.contains(name)) {
            k = counters.merge(base, 1, Integer::sum) - 1;
            name = base + "_" + k;
        }
        used.add(name);
        return name;
    }

    public String given(String name, Span span) {
        if (!name.matches("[A-Za-z_][A-Za-z0-9_]*")) {
            throw new CompileException(span, "layer name '" + name + "' must be letters, digits and '_', starting with a letter or '_'");
        }
        if (!used.add(name)) throw new CompileException(span, "a layer named '" + name + "' already exists");
        return name;
    }
}
