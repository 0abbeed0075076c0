package modelc.compiler.syntax;

import static modelc.grammar.ModelCParser.*;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import modelc.compiler.diag.CompileException;
import modelc.compiler.diag.Diagnostic;
import modelc.compiler.diag.Span;
import org.antlr.v4.runtime.ParserRuleContext;
import org.antlr.v4.runtime.Token;

/**
 * Turns a parse tree without syntax errors into {@link Ast} records, each spanning its whole text.
 * Reports what the grammar leaves open: a second model, state in a layer, misplaced arguments.
 */
final class AstBuilder {
    private final String file;
    private final List<Diagnostic> errors = new ArrayList<>();

    private AstBuilder(String file) {
        this.file = file;
    }

    static Ast.Program build(String file, ProgramContext tree) {
        AstBuilder builder = new AstBuilder(file);
        Ast.Program program = builder.program(tree);
        if (!builder.errors.isEmpty()) throw new CompileException(builder.errors);
        return program;
    }

    private Ast.Program program(ProgramContext ctx) {
        List<Ast.LayerDecl> layers = new ArrayList<>();
        List<Ast.CellDecl> cells = new ArrayList<>();
        Ast.ModelDecl model = null;
        for (DeclContext decl : ctx.decl()) {
            if (decl.modelDecl() != null) {
                Ast.ModelDecl next = model(decl.modelDecl());
                if (model == null) model = next;
                else error(header(decl.modelDecl().kind, decl.modelDecl().name()),
                        "a file holds one model; '" + model.name() + "' was defined at line " + model.span().line());
            } else if (decl.classDecl().kind.getType() == LAYER) {
                layers.add(layer(decl.classDecl()));
            } else {
                cells.add(cell(decl.classDecl()));
            }
        }
        return new Ast.Program(file, List.copyOf(layers), List.copyOf(cells), model);
    }

    private Ast.ModelDecl model(ModelDeclContext ctx) {
        return new Ast.ModelDecl(span(ctx), ctx.kind.getText(), id(ctx.name()), block(ctx.block()));
    }

    private Ast.LayerDecl layer(ClassDeclContext ctx) {
        for (MemberContext m : ctx.member()) {
            if (m.stateDecl() != null) error(span(m.stateDecl()), "a layer has no state; declare 'state' in a cell");
        }
        return new Ast.LayerDecl(span(ctx), id(ctx.name()), params(ctx.params()), methods(ctx));
    }

    private Ast.CellDecl cell(ClassDeclContext ctx) {
        List<Ast.StateDecl> states = ctx.member().stream()
                .filter(m -> m.stateDecl() != null).map(m -> state(m.stateDecl())).toList();
        return new Ast.CellDecl(span(ctx), id(ctx.name()), params(ctx.params()), states, methods(ctx));
    }

    private List<Ast.ParamDecl> params(ParamsContext ctx) {
        if (ctx == null) return List.of();
        return ctx.param().stream()
                .map(p -> new Ast.ParamDecl(span(p), id(p.name()), p.expr() == null ? null : expr(p.expr())))
                .toList();
    }

    private List<Ast.MethodDecl> methods(ClassDeclContext ctx) {
        return ctx.member().stream().filter(m -> m.method() != null).map(m -> method(m.method())).toList();
    }

    private Ast.MethodDecl method(MethodContext ctx) {
        List<Ast.TypedParam> params = ctx.typedParam().stream()
                .map(p -> new Ast.TypedParam(span(p), id(p.name()), p.shape() == null ? null : shape(p.shape())))
                .toList();
        return new Ast.MethodDecl(span(ctx), id(ctx.name()), params, block(ctx.block()));
    }

    private List<Ast.Stmt> block(BlockContext ctx) {
        return ctx.stmt().stream().map(this::stmt).toList();
    }

    private Ast.Stmt stmt(StmtContext ctx) {
        Span span = span(ctx);
        return switch (ctx) {
            case InputStmtContext c -> new Ast.InputDecl(span, id(c.name(0)), id(c.dtype),
                    c.shape() == null ? List.of() : shape(c.shape()), inputOptions(c.arg()), exprs(c.expr()));
            case StateStmtContext c -> state(c.stateDecl());
            case OutputStmtContext c -> new Ast.Output(span, c.name() == null ? null : id(c.name()), expr(c.expr()));
            case ReturnStmtContext c -> new Ast.Return(span, exprs(c.expr()));
            case AssignStmtContext c -> new Ast.Assign(span, c.name().stream().map(this::id).toList(), expr(c.expr()));
            case ExprStmtContext c -> new Ast.ExprStmt(span, expr(c.expr()));
            default -> throw new IllegalStateException("unhandled statement " + ctx.getClass().getSimpleName());
        };
    }

    private Ast.StateDecl state(StateDeclContext ctx) {
        return new Ast.StateDecl(span(ctx), id(ctx.name()), shape(ctx.shape()));
    }

    private List<Ast.Expr> shape(ShapeContext ctx) {
        return exprs(ctx.expr());
    }

    private Ast.Expr expr(ExprContext ctx) {
        Span span = span(ctx);
        return switch (ctx) {
            case CallContext c -> new Ast.Call(span, expr(c.expr()), args(c.args()));
            case AttributeContext c -> new Ast.Attribute(span, expr(c.expr()), c.anyName().getText());
            case BinaryContext c -> new Ast.Binary(span, c.op.getText(), expr(c.expr(0)), expr(c.expr(1)));
            case UnaryContext c -> new Ast.Unary(span, c.op.getText(), expr(c.expr()));
            case NumberContext c -> number(span, c.getText());
            case StringContext c -> new Ast.Str(span, StringLiterals.unquote(c.getText()));
            case BoolContext c -> new Ast.Bool(span, c.TRUE() != null);
            case NoneContext c -> new Ast.NoneLit(span);
            case EllipsisContext c -> new Ast.Ellipsis(span);
            case NameExprContext c -> new Ast.Name(span, id(c.name()));
            case ListContext c -> new Ast.ListExpr(span, exprs(c.expr()));
            case DictContext c -> new Ast.DictExpr(span, c.dictEntry().stream().map(e -> expr(e.expr(0))).toList(),
                    c.dictEntry().stream().map(e -> expr(e.expr(1))).toList());
            case ParensContext c -> c.expr().size() == 1 && c.trailing == null
                    ? expr(c.expr(0))
                    : new Ast.TupleExpr(span, exprs(c.expr()));
            default -> throw new IllegalStateException("unhandled expression " + ctx.getClass().getSimpleName());
        };
    }

    /** {@code 1e-3}, {@code .5}, {@code 10_000}; integral when written without '.', 'e' or 'E'. */
    private static Ast.Num number(Span span, String written) {
        String text = written.replace("_", "");
        boolean integral = text.chars().noneMatch(c -> c == '.' || c == 'e' || c == 'E');
        return new Ast.Num(span, Double.parseDouble(text), integral, text);
    }

    /** The keyword arguments after an input's shape ({@code , batch_size=4}). */
    private List<Ast.Arg> inputOptions(List<ArgContext> ctxs) {
        List<Ast.Arg> out = new ArrayList<>();
        Set<String> keywords = new HashSet<>();
        for (ArgContext a : ctxs) {
            if (a.name() == null) {
                error(span(a), "an input takes keyword arguments after its shape, such as batch_size=32");
                continue;
            }
            String keyword = id(a.name());
            if (!keywords.add(keyword)) error(span(a.name()), "keyword argument '" + keyword + "' repeated");
            out.add(new Ast.Arg(span(a), keyword, expr(a.expr())));
        }
        return out;
    }

    private List<Ast.Arg> args(ArgsContext ctx) {
        if (ctx == null) return List.of();
        List<Ast.Arg> args = new ArrayList<>();
        Set<String> keywords = new HashSet<>();
        for (ArgContext a : ctx.arg()) {
            String keyword = a.name() == null ? null : id(a.name());
            if (keyword == null && !keywords.isEmpty()) {
                error(span(a), "positional argument follows keyword argument");
            } else if (keyword != null && !keywords.add(keyword)) {
                error(span(a.name()), "keyword argument '" + keyword + "' repeated");
            }
            args.add(new Ast.Arg(span(a), keyword, expr(a.expr())));
        }
        return args;
    }

    private List<Ast.Expr> exprs(List<ExprContext> ctxs) {
        return ctxs.stream().map(this::expr).toList();
    }

    private String id(ParserRuleContext ctx) {
        return ctx.getText();
    }

    private Span span(ParserRuleContext ctx) {
        return Tokens.span(file, ctx);
    }

    private Span header(Token keyword, ParserRuleContext name) {
        return Tokens.span(file, keyword, name.getStop());
    }

    private void error(Span span, String message) {
        errors.add(new Diagnostic(span, message));
    }
}
