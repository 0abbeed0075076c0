package modelc.compiler.syntax;

import java.util.List;
import java.util.stream.Collectors;

/** Prints expressions as compact S-expressions so tests can state a tree in one line. */
final class Sexpr {
    private Sexpr() {}

    static String of(Ast.Expr e) {
        return switch (e) {
            case Ast.Num n -> n.text();
            case Ast.Str s -> '"' + s.value() + '"';
            case Ast.Bool b -> String.valueOf(b.value());
            case Ast.NoneLit n -> "None";
            case Ast.Ellipsis x -> "...";
            case Ast.Name n -> n.id();
            case Ast.Attribute a -> of(a.target()) + "." + a.name();
            case Ast.ListExpr l -> of(l.items());
            case Ast.TupleExpr t -> t.items().isEmpty() ? "(tuple)" : "(tuple " + join(t.items()) + ")";
            case Ast.DictExpr d -> "(dict" + java.util.stream.IntStream.range(0, d.keys().size())
                    .mapToObj(i -> " " + of(d.keys().get(i)) + ":" + of(d.values().get(i))).collect(java.util.stream.Collectors.joining()) + ")";
            case Ast.Unary u -> "(" + u.op() + " " + of(u.operand()) + ")";
            case Ast.Binary b -> "(" + b.op() + " " + of(b.left()) + " " + of(b.right()) + ")";
            case Ast.Call c -> "(call " + of(c.callee())
                    + c.args().stream().map(a -> " " + (a.keyword() == null ? "" : a.keyword() + "=") + of(a.value()))
                            .collect(Collectors.joining()) + ")";
        };
    }

    static String of(List<Ast.Expr> items) {
        return "[" + join(items) + "]";
    }

    private static String join(List<Ast.Expr> items) {
        return items.stream().map(Sexpr::of).collect(Collectors.joining(" "));
    }
}
