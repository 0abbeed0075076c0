package modelc.compiler.resolve;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import modelc.compiler.diag.CompileException;
import modelc.compiler.diag.Span;
import modelc.compiler.syntax.Ast;
import modelc.runtime.io.Json;
import modelc.runtime.text.TextPipeline;

/**
 * The preprocessing of a {@code text} input, {@code input review: text -> Tokenizer(num_words=10000) ->
 * pad_sequences(maxlen=500)}: checks each step's arguments (Keras's and scikit-learn's names) and gives the
 * runtime's {@link TextPipeline}, whose width is the input's.
 */
final class TextPipelines {
    private TextPipelines() {}

    private record Step(String key, List<String> args) {}

    /** Whether the input's pipeline pads to the longest sequence: a {@code pad_sequences} call without {@code maxlen} (or with None). */
    static boolean padsToLongest(Ast.InputDecl in) {
        for (Ast.Expr e : in.pipeline()) {
            Ast.Call call = e instanceof Ast.Call c && c.callee() instanceof Ast.Name n && n.id().equals("pad_sequences") ? c : null;
            if (call == null) {
                if (e instanceof Ast.Name n && n.id().equals("pad_sequences")) return true;
                continue;
            }
            Ast.Expr maxlen = null;
            for (Ast.Arg a : call.args()) {
                if ("maxlen".equals(a.keyword()) || a.keyword() == null && maxlen == null) maxlen = a.value();
            }
            return maxlen == null || maxlen instanceof Ast.NoneLit;
        }
        return false;
    }

    private static final Map<String, Step> STEPS = Map.of(
            "Tokenizer", new Step("tokenizer", List.of("num_words", "filters", "lower", "split", "char_level", "oov_token")),
            "CountVectorizer", new Step("count_vectorizer", List.of("lowercase", "token_pattern", "ngram_range", "stop_words",
                    "min_df", "max_df", "max_features", "binary")),
            "pad_sequences", new Step("pad_sequences", List.of("maxlen", "padding", "truncating", "value", "dtype")),
            "texts_to_matrix", new Step("texts_to_matrix", List.of("mode")));

    /**
     * The pipeline the steps describe; errors point at the step or argument at fault. {@code length} is the
     * length a {@code pad_sequences} without {@code maxlen} (to the longest sequence, Keras's None length) pads
     * to, or null if none was given.
     */
    static TextPipeline resolve(Evaluator ev, Span input, String name, List<Ast.Expr> steps, Integer length) {
        if (steps.isEmpty()) {
            throw new CompileException(input, "a text input needs a preprocessing pipeline",
                    "for example: text -> Tokenizer(num_words=10000) -> pad_sequences(maxlen=500)");
        }
        Map<String, Object> description = new LinkedHashMap<>();
        for (int i = 0; i < steps.size(); i++) {
            Ast.Expr e = steps.get(i);
            Val v = ev.constant(e);
            Val.Ctor call = v instanceof Val.Ctor c ? c
                    : v instanceof Val.Str s && !s.quoted() ? new Val.Ctor(s.span(), s.value(), new Args(s.span(), s.value(), List.of(), Map.of(), Map.of()))
                    : null;
            Step step = call == null ? null : STEPS.get(call.name());
            if (step == null) {
                throw new CompileException(e.span(), "a text pipeline step must be " + (i == 0 ? "Tokenizer(...) or CountVectorizer(...)"
                        : "pad_sequences(...) or texts_to_matrix(...)") + ", got " + Val.kind(v));
            }
            boolean first = step.key().equals("tokenizer") || step.key().equals("count_vectorizer");
            if (first != (i == 0)) {
                throw new CompileException(e.span(), i == 0 ? "a text pipeline starts with Tokenizer(...) or CountVectorizer(...)"
                        : call.name() + " can only come first in a text pipeline");
            }
            Args a = call.args().bind(step.args(), Map.of("nb_words", "num_words"), Set.of());
            // options checked here, so an error points at the argument
            if (step.key().equals("pad_sequences")) {
                a.option("padding", "pre", Set.of("pre", "post"));
                a.option("truncating", "pre", Set.of("pre", "post"));
            }
            if (step.key().equals("texts_to_matrix")) a.option("mode", "binary", Set.of("binary", "count", "tfidf", "freq"));
            Map<String, Object> settings = new LinkedHashMap<>();
            for (Map.Entry<String, Val> arg : a.bound().entrySet()) {
                if (arg.getKey().equals("dtype")) {
                    String dt = a.option("dtype", "int32", Set.of("int32", "int64", "int"));
                    if (!dt.startsWith("int")) throw new CompileException(arg.getValue().span(), "pad_sequences gives token ids: dtype must be int32");
                    continue;
                }
                settings.put(arg.getKey(), json(arg.getValue(), call.name(), arg.getKey()));
            }
            if (step.key().equals("pad_sequences") && settings.get("maxlen") == null) {
                // to the longest sequence: a None length, specialised like int[None]'s
                if (length == null) {
                    throw new CompileException(call.span(), "input '" + name + "' is padded to its longest sequence (no maxlen):"
                            + " give the length to generate the code for", "--max-length N (train takes the longest training text;"
                            + " evaluate and predict the length saved beside the weights), or write pad_sequences(maxlen=N)");
                }
                settings.put("maxlen", (long) length);
            }
            if (step.key().equals("count_vectorizer") && settings.get("max_features") == null) {
                throw new CompileException(call.span(), "CountVectorizer needs max_features=, the input's width");
            }
            if (step.key().equals("texts_to_matrix") && description.get("tokenizer") instanceof Map<?, ?> t && t.get("num_words") == null) {
                throw new CompileException(call.span(), "texts_to_matrix needs the Tokenizer's num_words=, the input's width");
            }
            if (description.containsKey(step.key())) throw new CompileException(e.span(), call.name() + " appears twice");
            description.put(step.key(), settings);
        }
        try {
            return TextPipeline.parse(Json.write(description));
        } catch (IllegalArgumentException ex) {
            Span all = steps.getFirst().span().to(steps.getLast().span());
            throw new CompileException(all, ex.getMessage());
        }
    }

    /** An argument as the JSON value the runtime reads: numbers, strings (bare names too), booleans, None, lists. */
    private static Object json(Val v, String callee, String name) {
        return switch (v) {
            case Val.Num n -> n.integral() ? (Object) (long) n.value() : (Object) n.value(); // 5 and 0.7 differ for min_df/max_df
            case Val.Str s -> s.value();
            case Val.Bool b -> b.value();
            case Val.None x -> null;
            case Val.Seq s -> {
                List<Object> items = new ArrayList<>();
                for (Val item : s.items()) items.add(json(item, callee, name));
                yield items;
            }
            default -> throw new CompileException(v.span(), callee + ": argument '" + name + "' must be a number, a string, a boolean"
                    + " or a list, got " + Val.kind(v));
        };
    }
}
