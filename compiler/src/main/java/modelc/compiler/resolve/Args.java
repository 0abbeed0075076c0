package modelc.compiler.resolve;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import modelc.compiler.diag.CompileException;
import modelc.compiler.diag.Diagnostics;
import modelc.compiler.diag.Span;

/**
 * The arguments of one call, bound to a signature: positional arguments take the signature's
 * names in order, keywords must be known names or aliases (the course's Keras 2 spellings such as
 * {@code lr}), and every accessor checks the value's type with an error at the argument.
 */
public final class Args {
    private final Span callSpan;
    private final String callee;
    private final List<Val> positional;
    private final Map<String, Val> keywords;
    private final Map<String, Span> keywordSpans;
    private final Map<String, Val> bound = new LinkedHashMap<>();

    public Args(Span callSpan, String callee, List<Val> positional, Map<String, Val> keywords, Map<String, Span> keywordSpans) {
        this.callSpan = callSpan;
        this.callee = callee;
        this.positional = List.copyOf(positional);
        this.keywords = new LinkedHashMap<>(keywords);
        this.keywordSpans = new LinkedHashMap<>(keywordSpans);
    }

    public Span span() { return callSpan; }
    public String callee() { return callee; }
    public boolean isEmpty() { return positional.isEmpty() && keywords.isEmpty(); }

    /**
     * Binds to the signature {@code names} (in positional order); {@code aliases} maps an accepted
     * spelling to its name ({@code lr -> learning_rate}); {@code ignored} are accepted and unused
     * (Keras arguments with no effect here, such as {@code input_length}).
     */
    public Args bind(List<String> names, Map<String, String> aliases, Set<String> ignored) {
        bound.clear();
        // name= is keyword-only, as in Keras, where it arrives through **kwargs
        List<String> byPosition = names.stream().filter(n -> !n.equals("name")).toList();
        if (positional.size() > byPosition.size()) {
            throw new CompileException(positional.get(byPosition.size()).span(),
                    callee + " takes at most " + byPosition.size() + " positional argument" + (byPosition.size() == 1 ? "" : "s")
                            + (byPosition.isEmpty() ? "" : " (" + String.join(", ", byPosition) + ")"));
        }
        for (int i = 0; i < positional.size(); i++) bound.put(byPosition.get(i), positional.get(i));
        for (Map.Entry<String, Val> e : keywords.entrySet()) {
            String k = aliases.getOrDefault(e.getKey(), e.getKey());
            if (ignored.contains(k)) continue;
            if (!names.contains(k)) {
                List<String> all = new ArrayList<>(names);
                all.addAll(aliases.keySet());
                String near = Diagnostics.closest(k, all);
                throw new CompileException(keywordSpans.get(e.getKey()), callee + " has no argument '" + e.getKey() + "'",
                        near != null ? "did you mean '" + near + "'?" : "its arguments are " + String.join(", ", names));
            }
            if (bound.containsKey(k)) {
                throw new CompileException(keywordSpans.get(e.getKey()), callee + " got argument '" + k + "' twice");
            }
            bound.put(k, e.getValue());
        }
        return this;
    }

    /** The bound arguments by name, in the order {@link #bind} bound them. */
    public Map<String, Val> bound() {
        return java.util.Collections.unmodifiableMap(bound);
    }

    public boolean has(String name) {
        Val v = bound.get(name);
        return v != null && !(v instanceof Val.None);
    }

    public Val get(String name) {
        return bound.get(name);
    }

    public Val require(String name) {
        Val v = bound.get(name);
        if (v == null) throw new CompileException(callSpan, callee + " needs the argument '" + name + "'");
        return v;
    }

    public double number(String name, double dflt) {
        Val v = bound.get(name);
        if (v == null || v instanceof Val.None) return dflt;
        if (v instanceof Val.Num n) return n.value();
        throw typeError(name, v, "a number");
    }

    public double number(String name) {
        Val v = require(name);
        if (v instanceof Val.Num n) return n.value();
        throw typeError(name, v, "a number");
    }

    public int integer(String name) {
        return asInt(name, require(name));
    }

    public int integer(String name, int dflt) {
        Val v = bound.get(name);
        return v == null || v instanceof Val.None ? dflt : asInt(name, v);
    }

    public boolean bool(String name, boolean dflt) {
        Val v = bound.get(name);
        if (v == null || v instanceof Val.None) return dflt;
        if (v instanceof Val.Bool b) return b.value();
        throw typeError(name, v, "true or false");
    }

    /** An option given as a bare name or a string: {@code padding=same} or {@code padding="same"}. */
    public String option(String name, String dflt, Set<String> allowed) {
        Val v = bound.get(name);
        if (v == null || v instanceof Val.None) return dflt;
        if (!(v instanceof Val.Str s)) throw typeError(name, v, "one of " + String.join(", ", new java.util.TreeSet<>(allowed)));
        if (!allowed.isEmpty() && !allowed.contains(s.value())) {
            String near = Diagnostics.closest(s.value(), allowed);
            throw new CompileException(v.span(), callee + ": '" + s.value() + "' is not a valid " + name,
                    near != null ? "did you mean '" + near + "'?" : "expected one of " + String.join(", ", new java.util.TreeSet<>(allowed)));
        }
        return s.value();
    }

    /** An integer or a list/tuple of integers (Keras's {@code target_shape}, {@code kernel_size}). */
    public List<Integer> ints(String name) {
        Val v = require(name);
        List<Integer> out = new ArrayList<>();
        if (v instanceof Val.Seq s) {
            for (Val item : s.items()) out.add(asInt(name, item));
        } else {
            out.add(asInt(name, v));
        }
        return out;
    }

    private int asInt(String name, Val v) {
        if (v instanceof Val.Num n && n.integral()) return (int) n.value();
        throw typeError(name, v, "an integer");
    }

    public CompileException typeError(String name, Val v, String expected) {
        return new CompileException(v.span(), callee + ": argument '" + name + "' must be " + expected + ", got " + Val.kind(v));
    }
}
