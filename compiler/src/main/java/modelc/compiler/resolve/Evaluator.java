package modelc.compiler.resolve;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import modelc.compiler.diag.CompileException;
import modelc.compiler.diag.Diagnostics;
import modelc.compiler.diag.Span;
import modelc.compiler.ir.Graph;
import modelc.compiler.ir.Node;
import modelc.compiler.ir.Op;
import modelc.compiler.ir.UnaryFn;
import modelc.compiler.syntax.Ast;

/**
 * Evaluates expressions of a model body, or of a {@code layer} definition's body, to IR nodes,
 * layers or constants. Names resolve in {@link #env}; nodes are attributed to {@code layerName}
 * ("" in a model body). Inside a layer definition, {@code param(shape, init=..., trainable=...)}
 * creates a weight through the {@link Params} hook.
 */
final class Evaluator {
    /** How {@code param(...)} creates a weight named after the variable it is assigned to. */
    interface Params {
        Node param(String var, Args args);
    }

    private final Graph graph;
    private final LayerLibrary library;
    private final LayerLibrary.Context ctx;
    private final List<Layer> layers;
    final Map<String, Object> env = new LinkedHashMap<>();
    private final String layerName;
    private final Params params;
    /** The variable an assignment being evaluated binds, for naming weights. */
    String assigning;
    /** In a {@code layer} definition's body: the layer being defined, which owns the layers its body constructs. */
    UserLayer owner;

    Evaluator(Graph graph, LayerLibrary library, LayerLibrary.Context ctx, List<Layer> layers, String layerName, Params params) {
        this.graph = graph;
        this.library = library;
        this.ctx = ctx;
        this.layers = layers;
        this.layerName = layerName;
        this.params = params;
    }

    // ------------------------------------------------------------------ expressions

    /** Evaluates an expression of the model body to a Node, a Layer or a constant Val. */
    Object eval(Ast.Expr e) {
        return switch (e) {
            case Ast.Name n -> {
                Object v = env.get(n.id());
                if (v != null) yield v;
                if (library.has(n.id())) throw new CompileException(n.span(), "'" + n.id() + "' is a layer class; construct it, e.g. " + n.id() + "(...)");
                String near = Diagnostics.closest(n.id(), env.keySet());
                throw new CompileException(n.span(), "unknown name '" + n.id() + "'", near != null ? "did you mean '" + near + "'?" : null);
            }
            case Ast.Call c -> call(c);
            case Ast.Binary b -> binary(b);
            case Ast.Unary u -> {
                Object x = eval(u.operand());
                if (u.op().equals("+")) yield x;
                if (x instanceof Val.Num n) yield new Val.Num(u.span(), -n.value(), n.integral());
                yield graph.add(new Op.Unary(UnaryFn.NEG, 0), List.of(node(x, u.span())), layerName, u.span());
            }
            default -> constant(e);
        };
    }

    private Object call(Ast.Call c) {
        if (c.callee() instanceof Ast.Name n && !env.containsKey(n.id())) {
            if (n.id().equals("concat") && !library.has("concat")) {
                // concat(a, b, ...): joined along the last axis, as in DESIGN.md's Elman cell.
                if (c.args().size() < 2 || c.args().stream().anyMatch(a -> a.keyword() != null)) {
                    throw new CompileException(c.span(), "concat(a, b, ...) joins two or more tensors along their last axis");
                }
                List<Node> parts = new ArrayList<>();
                for (Ast.Arg a : c.args()) parts.add(node(eval(a.value()), a.span()));
                return graph.add(new Op.Concat(parts.get(0).type().rank() - 1), parts, layerName, c.span());
            }
            if (n.id().equals("layer_norm") && !library.has("layer_norm")) {
                // layer_norm(x, epsilon=1e-3): normalised over the last axis, without scale or offset (give those as params).
                if (c.args().isEmpty() || c.args().get(0).keyword() != null) {
                    throw new CompileException(c.span(), "layer_norm(x, epsilon=0.001) normalises a tensor over its last axis");
                }
                double eps = 1e-3;
                for (Ast.Arg a : c.args().subList(1, c.args().size())) {
                    if (!"epsilon".equals(a.keyword()) || !(constant(a.value()) instanceof Val.Num num) || num.value() <= 0) {
                        throw new CompileException(a.span(), "layer_norm takes one tensor and epsilon= (a positive number)");
                    }
                    eps = num.value();
                }
                return graph.add(new Op.LayerNorm(eps), List.of(node(eval(c.args().get(0).value()), c.args().get(0).span())), layerName, c.span());
            }
            if (n.id().equals("param") && params != null) {
                if (assigning == null) throw new CompileException(c.span(), "assign param(...) to a name: the name becomes the weight's key");
                return params.param(assigning, ((Val.Ctor) constant(c)).args());
            }
            if (library.has(n.id())) {
                // A layer constructed in a layer definition's body is built once per defined layer and
                // reused by its later calls, as a Keras sublayer made in __init__.
                Layer known = owner != null ? owner.sublayer(c) : null;
                if (known != null) return known;
                Layer l = library.create(n.id(), ((Val.Ctor) constant(c)).args(), ctx);
                layers.add(l);
                if (owner != null) owner.adopt(c, l);
                return l;
            }
            if (Activations.isActivation(n.id())) {
                if (c.args().size() != 1 || c.args().get(0).keyword() != null) {
                    throw new CompileException(c.span(), "the activation " + n.id() + "(...) called as a function takes one tensor, such as "
                            + n.id() + "(x)", "for its arguments, write Activation(" + n.id() + "(...))(x)");
                }
                Node x = node(eval(c.args().get(0).value()), c.args().get(0).span());
                return Activations.apply(graph, x, new Val.Str(n.span(), n.id(), false), layerName, c.span());
            }
            if (n.id().equals("compile") || n.id().equals("fit")) {
                throw new CompileException(c.span(), n.id() + "(...) must stand on its own line");
            }
            List<String> known = new ArrayList<>(library.names());
            known.addAll(Activations.names());
            String near = Diagnostics.closest(n.id(), known);
            throw new CompileException(n.span(), "unknown layer or function '" + n.id() + "'", near != null ? "did you mean '" + near + "'?" : null);
        }
        Object callee = eval(c.callee());
        if (!(callee instanceof Layer l)) throw new CompileException(c.callee().span(), "this is not a layer and cannot be called");
        List<Node> inputs = new ArrayList<>();
        List<Node> initialState = new ArrayList<>();
        for (Ast.Arg a : c.args()) {
            if ("initial_state".equals(a.keyword())) {
                List<Ast.Expr> items = a.value() instanceof Ast.ListExpr list ? list.items()
                        : a.value() instanceof Ast.TupleExpr t ? t.items() : List.of(a.value());
                for (Ast.Expr item : items) initialState.add(node(eval(item), item.span()));
                continue;
            }
            if (a.keyword() != null) {
                throw new CompileException(a.span(), "a layer call takes its inputs as positional arguments (and, for a recurrent layer, initial_state=)");
            }
            if (a.value() instanceof Ast.ListExpr list) {
                for (Ast.Expr item : list.items()) inputs.add(node(eval(item), item.span()));
            } else {
                inputs.add(node(eval(a.value()), a.span()));
            }
        }
        List<Node> all = l.callAll(graph, inputs, initialState, c.span());
        ctx.masks().afterCall(l, inputs, all.get(0));
        return all.size() == 1 ? all.get(0) : all;
    }

    private Object binary(Ast.Binary b) {
        Object l = eval(b.left()), r = eval(b.right());
        if (l instanceof Val.Num a && r instanceof Val.Num c) {
            double v = switch (b.op()) {
                case "+" -> a.value() + c.value();
                case "-" -> a.value() - c.value();
                case "*" -> a.value() * c.value();
                case "/" -> a.value() / c.value();
                case "**" -> Math.pow(a.value(), c.value());
                default -> throw new CompileException(b.span(), "'" + b.op() + "' needs tensors");
            };
            return new Val.Num(b.span(), v, a.integral() && c.integral() && !b.op().equals("/"));
        }
        if (b.op().equals("@")) {
            return graph.add(new Op.MatMul(), List.of(node(l, b.left().span()), node(r, b.right().span())), layerName, b.span());
        }
        if (l instanceof Val.Num || r instanceof Val.Num) return scalarOp(b, l, r);
        Op.BinOp op = switch (b.op()) {
            case "+" -> Op.BinOp.ADD;
            case "-" -> Op.BinOp.SUB;
            case "*" -> Op.BinOp.MUL;
            case "/" -> Op.BinOp.DIV;
            default -> throw new CompileException(b.span(), "'" + b.op() + "' is not supported between tensors");
        };
        return graph.add(new Op.Binary(op), List.of(node(l, b.left().span()), node(r, b.right().span())), layerName, b.span());
    }

    /** A tensor combined with a number becomes an affine op: {@code 1 - t} is {@code t·(-1) + 1}. */
    private Node scalarOp(Ast.Binary b, Object l, Object r) {
        boolean numLeft = l instanceof Val.Num;
        double c = ((Val.Num) (numLeft ? l : r)).value();
        Node x = node(numLeft ? r : l, (numLeft ? b.right() : b.left()).span());
        Op op = switch (b.op()) {
            case "+" -> new Op.Affine(1, c);
            case "-" -> numLeft ? new Op.Affine(-1, c) : new Op.Affine(1, -c);
            case "*" -> new Op.Affine(c, 0);
            case "/" -> {
                if (numLeft) throw new CompileException(b.span(), "dividing a number by a tensor is not supported yet");
                yield new Op.Affine(1 / c, 0);
            }
            default -> throw new CompileException(b.span(), "'" + b.op() + "' with a number is not supported");
        };
        return graph.add(op, List.of(x), layerName, b.span());
    }

    static Node node(Object v, Span span) {
        if (v instanceof Node n) return n;
        if (v instanceof List<?> l) {
            throw new CompileException(span, "this call returns " + l.size() + " tensors (an output and final states); assign them to as many"
                    + " names, e.g. out, h, c = LSTM(8, return_state=true)(x)");
        }
        if (v instanceof Layer l) throw new CompileException(span, "layer '" + l.name() + "' must be called on an input, e.g. " + l.kerasClass() + "(...)(x)");
        throw new CompileException(span, "expected a tensor, got " + (v instanceof Val val ? Val.kind(val) : v));
    }

    // ------------------------------------------------------------------ constants

    /** Evaluates a constant expression: numbers, names as options, lists, constructor calls. */
    Val constant(Ast.Expr e) {
        return switch (e) {
            case Ast.Num n -> new Val.Num(n.span(), n.value(), n.integral());
            case Ast.Str s -> new Val.Str(s.span(), s.value(), true);
            case Ast.Bool b -> new Val.Bool(b.span(), b.value());
            case Ast.NoneLit n -> new Val.None(n.span());
            case Ast.Name n -> env.get(n.id()) instanceof Val v ? v : new Val.Str(n.span(), n.id(), false);
            case Ast.Attribute a -> new Val.Str(a.span(), a.name(), false);
            case Ast.ListExpr l -> new Val.Seq(l.span(), l.items().stream().map(this::constant).toList());
            case Ast.TupleExpr t -> new Val.Seq(t.span(), t.items().stream().map(this::constant).toList());
            case Ast.DictExpr d -> new Val.Dict(d.span(), d.keys().stream().map(this::constant).toList(),
                    d.values().stream().map(this::constant).toList());
            case Ast.Unary u when u.operand() instanceof Ast.Num n ->
                    new Val.Num(u.span(), u.op().equals("-") ? -n.value() : n.value(), n.integral());
            case Ast.Binary b when constant(b.left()) instanceof Val.Num l && constant(b.right()) instanceof Val.Num r -> {
                double v = switch (b.op()) {
                    case "+" -> l.value() + r.value();
                    case "-" -> l.value() - r.value();
                    case "*" -> l.value() * r.value();
                    case "/" -> l.value() / r.value();
                    case "**" -> Math.pow(l.value(), r.value());
                    default -> throw new CompileException(b.span(), "'" + b.op() + "' is not a constant operation");
                };
                yield new Val.Num(b.span(), v, l.integral() && r.integral() && !b.op().equals("/"));
            }
            case Ast.Call c -> {
                String name = switch (c.callee()) {
                    case Ast.Name n -> n.id();
                    case Ast.Attribute a -> a.name();
                    default -> throw new CompileException(c.callee().span(), "expected a name before '('");
                };
                List<Val> pos = new ArrayList<>();
                Map<String, Val> kw = new LinkedHashMap<>();
                Map<String, Span> kwSpans = new LinkedHashMap<>();
                for (Ast.Arg a : c.args()) {
                    if (a.keyword() == null) {
                        if (!kw.isEmpty()) throw new CompileException(a.span(), "a positional argument cannot follow keyword arguments");
                        pos.add(constant(a.value()));
                    } else {
                        if (kw.containsKey(a.keyword())) throw new CompileException(a.span(), "argument '" + a.keyword() + "' given twice");
                        kw.put(a.keyword(), constant(a.value()));
                        kwSpans.put(a.keyword(), a.span());
                    }
                }
                yield new Val.Ctor(c.span(), name, new Args(c.span(), name, pos, kw, kwSpans));
            }
            default -> throw new CompileException(e.span(), "expected a constant value here");
        };
    }
}
