package modelc.compiler.syntax;

import java.util.List;
import modelc.compiler.diag.Span;

/**
 * The syntax tree of a {@code .model} file: records with source spans and nothing else.
 * Built from the ANTLR parse tree by {@link AstBuilder}; consumed by the resolver.
 */
public final class Ast {
    private Ast() {}

    /** A whole file: any number of layer and cell definitions and at most one model. */
    public record Program(String file, List<LayerDecl> layers, List<CellDecl> cells, ModelDecl model) {}

    /** {@code model Name { ... }} (kind "model") or {@code sequential Name { ... }} (kind "sequential"). */
    public record ModelDecl(Span span, String kind, String name, List<Stmt> body) {}

    /** {@code layer Name(params) { call(x: [d]) { ... } }}. */
    public record LayerDecl(Span span, String name, List<ParamDecl> params, List<MethodDecl> methods) {}

    /** {@code cell Name(params) { state h: [units]; step(x: [d]) { ... } }}. */
    public record CellDecl(Span span, String name, List<ParamDecl> params, List<StateDecl> states, List<MethodDecl> methods) {}

    /** A constructor parameter of a layer or cell, with an optional default value. */
    public record ParamDecl(Span span, String name, Expr defaultValue) {}

    /** A method such as {@code call(x: [d])} or {@code step(x: [d])}. */
    public record MethodDecl(Span span, String name, List<TypedParam> params, List<Stmt> body) {}

    /** {@code x: [d, units]}; {@code shape} is null when no shape is written. Dims are expressions. */
    public record TypedParam(Span span, String name, List<Expr> shape) {}

    public sealed interface Stmt {
        Span span();
    }

    /**
     * {@code input tokens: int[500]}, {@code input x: float[28, 28]}, or a text input with a preprocessing
     * pipeline {@code input review: text -> Tokenizer(num_words=10000) -> pad_sequences(maxlen=500)}.
     * dims holds expressions (numbers, {@code None}); pipeline is empty for tensor inputs.
     */
    /** {@code input x: float[10, 1], batch_size=4}: {@code options} are the keyword arguments after the shape. */
    public record InputDecl(Span span, String name, String dtype, List<Expr> dims, List<Arg> options, List<Expr> pipeline) implements Stmt {}

    /** {@code state h: [units]} inside a cell. */
    public record StateDecl(Span span, String name, List<Expr> dims) implements Stmt {}

    /** {@code x = expr} or {@code a, b = expr}. */
    public record Assign(Span span, List<String> targets, Expr value) implements Stmt {}

    /** {@code output expr} (optionally {@code output name = expr}: name may be null). */
    public record Output(Span span, String name, Expr value) implements Stmt {}

    /** {@code return expr} or {@code return a, b}. */
    public record Return(Span span, List<Expr> values) implements Stmt {}

    /** A bare expression: a layer line of a sequential model, {@code compile(...)}, {@code fit(...)}. */
    public record ExprStmt(Span span, Expr expr) implements Stmt {}

    public sealed interface Expr {
        Span span();
    }

    /** A number literal; {@code integral} is true when written without '.', 'e' or 'E'. */
    public record Num(Span span, double value, boolean integral, String text) implements Expr {}

    public record Str(Span span, String value) implements Expr {}

    /** {@code true}/{@code false}, also Python's {@code True}/{@code False}. */
    public record Bool(Span span, boolean value) implements Expr {}

    /** {@code None} (Python's spelling) or {@code null}. */
    public record NoneLit(Span span) implements Expr {}

    /** {@code ...} in a shape pattern. */
    public record Ellipsis(Span span) implements Expr {}

    public record Name(Span span, String id) implements Expr {}

    /** {@code [a, b]}. */
    public record ListExpr(Span span, List<Expr> items) implements Expr {}

    /** {@code {0: 1.0, 1: 3.0}}, a dict as in Python (only inside brackets, such as {@code fit(class_weight={...})}). */
    public record DictExpr(Span span, List<Expr> keys, List<Expr> values) implements Expr {}

    /** {@code (a, b)}; a parenthesised single expression is not a tuple, {@code (a,)} is. */
    public record TupleExpr(Span span, List<Expr> items) implements Expr {}

    /** {@code callee(args)}; callee is any expression, so {@code Dense(4)(x)} is a call of a call. */
    public record Call(Span span, Expr callee, List<Arg> args) implements Expr {}

    /** A call argument; keyword is null for a positional one. */
    public record Arg(Span span, String keyword, Expr value) {}

    /** {@code left op right} with op one of {@code + - * / @ **}. */
    public record Binary(Span span, String op, Expr left, Expr right) implements Expr {}

    /** {@code -x} or {@code +x}. */
    public record Unary(Span span, String op, Expr operand) implements Expr {}

    /** {@code target.name}, e.g. {@code layers.Dense} or {@code keras.optimizers.Adam}. */
    public record Attribute(Span span, Expr target, String name) implements Expr {}
}
