package modelc.compiler.resolve;

import java.util.List;
import java.util.stream.Collectors;
import modelc.compiler.diag.Span;

/**
 * A constant argument value, evaluated from the syntax tree: numbers, strings and bare names
 * (option values such as {@code relu} or {@code same}), booleans, None, lists/tuples, and
 * constructor calls such as {@code Adam(learning_rate=0.01)} or {@code gelu(approximate=true)}.
 */
public sealed interface Val {
    Span span();

    record Num(Span span, double value, boolean integral) implements Val {
        public String toString() { return integral ? Long.toString((long) value) : Double.toString(value); }
    }

    /** A string literal or a bare name; {@code quoted} tells which. */
    record Str(Span span, String value, boolean quoted) implements Val {
        public String toString() { return quoted ? '"' + value + '"' : value; }
    }

    record Bool(Span span, boolean value) implements Val {
        public String toString() { return Boolean.toString(value); }
    }

    record None(Span span) implements Val {
        public String toString() { return "None"; }
    }

    record Seq(Span span, List<Val> items) implements Val {
        public String toString() { return items.stream().map(Object::toString).collect(Collectors.joining(", ", "[", "]")); }
    }

    /** {@code {key: value, ...}}, entries in the order written. */
    record Dict(Span span, List<Val> keys, List<Val> values) implements Val {
        public String toString() {
            return java.util.stream.IntStream.range(0, keys.size()).mapToObj(i -> keys.get(i) + ": " + values.get(i))
                    .collect(Collectors.joining(", ", "{", "}"));
        }
    }

    /** {@code Name(args)} used as a value (an optimizer, a loss, an activation with arguments). */
    record Ctor(Span span, String name, Args args) implements Val {
        public String toString() { return name + "(...)"; }
    }

    /** Short description of the kind of value, for "expected a number, got a string" messages. */
    static String kind(Val v) {
        return switch (v) {
            case Num n -> n.integral() ? "an integer" : "a number";
            case Str s -> s.quoted() ? "a string" : "the name '" + s.value() + "'";
            case Bool b -> "a boolean";
            case None n -> "None";
            case Seq s -> "a list";
            case Dict d -> "a dict";
            case Ctor c -> "a call of " + c.name();
        };
    }
}
