package modelc.compiler.resolve;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import modelc.compiler.diag.CompileException;
import modelc.compiler.diag.Diagnostics;
import modelc.compiler.diag.Span;
import modelc.compiler.ir.Dim;
import modelc.compiler.ir.ElemType;
import modelc.compiler.ir.Graph;
import modelc.compiler.ir.LossKind;
import modelc.compiler.ir.Node;
import modelc.compiler.ir.Op;
import modelc.compiler.ir.TensorType;
import modelc.compiler.ir.UnaryFn;
import modelc.compiler.syntax.Ast;
import modelc.runtime.train.ModelSpec;

/**
 * Turns a parsed file into a {@link ModelIR}: resolves names, constructs layers from the library
 * (checking every argument), lowers each layer call to IR (each node's shape rule runs as it is
 * added, so a shape error stops here with both shapes), and attaches the loss.
 */
public final class Resolver {
    private final LayerLibrary library = new LayerLibrary();
    private final LayerLibrary.Context ctx = new LayerLibrary.Context();
    private final Graph graph = new Graph();
    private final List<Layer> layers = new ArrayList<>();
    private final Map<String, Object> env = new LinkedHashMap<>();
    private Val.Ctor compileCall;
    private Val.Ctor fitCall;

    public static ModelIR resolve(Ast.Program program) {
        if (program.model() == null) {
            throw new CompileException(Span.at(program.file(), 1, 1), "the file defines no model (expected 'model Name { ... }' or 'sequential Name { ... }')");
        }
        return new Resolver().run(program);
    }

    private ModelIR run(Ast.Program program) {
        Ast.ModelDecl m = program.model();
        boolean sequential = m.kind().equals("sequential");
        Node current = null;
        Node output = null;
        for (Ast.Stmt st : m.body()) {
            switch (st) {
                case Ast.InputDecl in -> {
                    Node n = input(in);
                    if (sequential && current != null) {
                        throw new CompileException(in.span(), "a sequential model has one input");
                    }
                    env.put(in.name(), n);
                    current = n;
                }
                case Ast.Assign a -> {
                    if (sequential) throw new CompileException(a.span(), "assignments belong in 'model' (functional) form; a sequential model lists layers");
                    if (a.targets().size() != 1) throw new CompileException(a.span(), "only one name may be assigned here");
                    env.put(a.targets().get(0), eval(a.value()));
                }
                case Ast.Output o -> {
                    if (sequential) throw new CompileException(o.span(), "a sequential model's output is its last layer; 'output' belongs in 'model' form");
                    if (output != null) throw new CompileException(o.span(), "only one output is supported");
                    output = node(eval(o.value()), o.value().span());
                }
                case Ast.ExprStmt e -> {
                    if (isCallOf(e.expr(), "compile") || isCallOf(e.expr(), "fit")) {
                        config((Ast.Call) e.expr());
                    } else if (sequential) {
                        if (current == null) throw new CompileException(e.span(), "declare the input first: input x: float[...]");
                        Object v = eval(e.expr());
                        if (!(v instanceof Layer l)) throw new CompileException(e.span(), "each line of a sequential model must be a layer, such as Dense(10)");
                        current = l.call(graph, List.of(current), e.span());
                    } else {
                        throw new CompileException(e.span(), "this expression has no effect; assign it (x = ...) or make it the output");
                    }
                }
                default -> throw new CompileException(st.span(), "this statement does not belong in a model");
            }
        }
        if (sequential) output = current;
        if (graph.inputs().isEmpty()) throw new CompileException(m.span(), "model '" + m.name() + "' declares no input");
        if (output == null) throw new CompileException(m.span(), "model '" + m.name() + "' has no output");
        if (compileCall == null) throw new CompileException(m.span(), "model '" + m.name() + "' needs compile(loss=..., optimizer=...)");
        TrainingConfig training = training();
        graph.setOutput(output);
        Node target = graph.add(new Op.Target(targetType(training.loss().kind(), output.type())), List.of(), "", training.loss().span());
        graph.setTarget(target);
        TrainingConfig.LossSpec ls = training.loss();
        graph.setLoss(graph.add(new Op.Loss(ls.kind(), ls.fromLogits(), ls.labelSmoothing()), List.of(output, target), "", ls.span()));
        return new ModelIR(m.name(), sequential, graph, List.copyOf(layers), training,
                metricSpecs(training, output.type()), program.file());
    }

    private static TensorType targetType(LossKind kind, TensorType pred) {
        if (kind.sparseTarget()) return new TensorType(ElemType.INT, pred.dims().subList(0, pred.rank() - 1));
        return pred;
    }

    /** Keras's rule for "accuracy": binary if the output has one unit, sparse if the target lacks the class axis. */
    private static List<ModelSpec.MetricSpec> metricSpecs(TrainingConfig t, TensorType out) {
        List<ModelSpec.MetricSpec> specs = new ArrayList<>();
        for (String m : t.metrics()) {
            String kind = switch (m) {
                case "accuracy", "acc" -> out.dim(-1).equals(Dim.of(1)) ? "binary_accuracy"
                        : t.loss().kind().sparseTarget() ? "sparse_categorical_accuracy" : "categorical_accuracy";
                case "mse", "mean_squared_error" -> "mean_squared_error";
                case "mae", "mean_absolute_error" -> "mean_absolute_error";
                default -> m;
            };
            specs.add(new ModelSpec.MetricSpec(m, kind));
        }
        return specs;
    }

    private Node input(Ast.InputDecl in) {
        if (env.containsKey(in.name())) throw new CompileException(in.span(), "'" + in.name() + "' is already defined");
        if (!in.name().matches("[A-Za-z_][A-Za-z0-9_]*")) throw new CompileException(in.span(), "invalid input name '" + in.name() + "'");
        ElemType elem = switch (in.dtype()) {
            case "float" -> ElemType.FLOAT;
            case "int" -> ElemType.INT;
            default -> throw new CompileException(in.span(), "input type must be float or int, got '" + in.dtype() + "'",
                    in.dtype().equals("text") ? "text inputs are not supported yet" : null);
        };
        List<Dim> dims = new ArrayList<>();
        dims.add(Dim.BATCH);
        for (Ast.Expr d : in.dims()) {
            if (d instanceof Ast.Num n && n.integral() && n.value() > 0) dims.add(Dim.of((int) n.value()));
            else if (d instanceof Ast.NoneLit) throw new CompileException(d.span(), "dimensions of length None are not supported yet");
            else throw new CompileException(d.span(), "an input dimension must be a positive integer");
        }
        if (dims.size() == 1) throw new CompileException(in.span(), "input '" + in.name() + "' needs a shape, such as float[784]");
        return graph.addInput(in.name(), new TensorType(elem, dims), in.span());
    }

    private static boolean isCallOf(Ast.Expr e, String name) {
        return e instanceof Ast.Call c && c.callee() instanceof Ast.Name n && n.id().equals(name);
    }

    private void config(Ast.Call call) {
        String name = ((Ast.Name) call.callee()).id();
        Val.Ctor v = (Val.Ctor) constant(call);
        if (name.equals("compile")) {
            if (compileCall != null) throw new CompileException(call.span(), "compile(...) appears twice");
            compileCall = v;
        } else {
            if (fitCall != null) throw new CompileException(call.span(), "fit(...) appears twice");
            fitCall = v;
        }
    }

    private TrainingConfig training() {
        Args a = compileCall.args().bind(List.of("optimizer", "loss", "metrics", "loss_weights", "run_eagerly", "steps_per_execution",
                "jit_compile"), Map.of(), Set.of("run_eagerly", "steps_per_execution", "jit_compile"));
        if (!a.has("loss")) throw new CompileException(a.span(), "compile(...) needs loss=");
        if (a.has("loss_weights")) throw new CompileException(a.get("loss_weights").span(), "loss_weights needs several outputs, which are not supported yet");
        TrainingConfig.LossSpec loss = TrainingConfig.loss(a.get("loss"));
        var opt = a.has("optimizer") ? TrainingConfig.optimizer(a.get("optimizer")) : modelc.runtime.train.OptimizerConfig.defaults("rmsprop");
        List<String> metrics = a.has("metrics") ? TrainingConfig.metrics(a.get("metrics")) : List.of();
        ModelSpec.FitConfig fit = fitCall == null ? ModelSpec.FitConfig.DEFAULT : TrainingConfig.fit(fitCall.args());
        return new TrainingConfig(loss, opt, metrics, fit);
    }

    // ------------------------------------------------------------------ expressions

    /** Evaluates an expression of the model body to a Node, a Layer or a constant Val. */
    private Object eval(Ast.Expr e) {
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
                yield graph.add(new Op.Unary(UnaryFn.NEG, 0), List.of(node(x, u.span())), "", u.span());
            }
            default -> constant(e);
        };
    }

    private Object call(Ast.Call c) {
        if (c.callee() instanceof Ast.Name n && !env.containsKey(n.id())) {
            if (library.has(n.id())) {
                Layer l = library.create(n.id(), ((Val.Ctor) constant(c)).args(), ctx);
                layers.add(l);
                return l;
            }
            if (Activations.isActivation(n.id()) && c.args().size() == 1 && c.args().get(0).keyword() == null) {
                Node x = node(eval(c.args().get(0).value()), c.args().get(0).span());
                return Activations.apply(graph, x, new Val.Str(n.span(), n.id(), false), "", c.span());
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
        for (Ast.Arg a : c.args()) {
            if (a.keyword() != null) throw new CompileException(a.span(), "a layer call takes its inputs as positional arguments");
            if (a.value() instanceof Ast.ListExpr list) {
                for (Ast.Expr item : list.items()) inputs.add(node(eval(item), item.span()));
            } else {
                inputs.add(node(eval(a.value()), a.span()));
            }
        }
        return l.call(graph, inputs, c.span());
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
            return graph.add(new Op.MatMul(), List.of(node(l, b.left().span()), node(r, b.right().span())), "", b.span());
        }
        if (l instanceof Val.Num || r instanceof Val.Num) return scalarOp(b, l, r);
        Op.BinOp op = switch (b.op()) {
            case "+" -> Op.BinOp.ADD;
            case "-" -> Op.BinOp.SUB;
            case "*" -> Op.BinOp.MUL;
            case "/" -> Op.BinOp.DIV;
            default -> throw new CompileException(b.span(), "'" + b.op() + "' is not supported between tensors");
        };
        return graph.add(new Op.Binary(op), List.of(node(l, b.left().span()), node(r, b.right().span())), "", b.span());
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
        return graph.add(op, List.of(x), "", b.span());
    }

    private static Node node(Object v, Span span) {
        if (v instanceof Node n) return n;
        if (v instanceof Layer l) throw new CompileException(span, "layer '" + l.name() + "' must be called on an input, e.g. " + l.kerasClass() + "(...)(x)");
        throw new CompileException(span, "expected a tensor, got " + (v instanceof Val val ? Val.kind(val) : v));
    }

    // ------------------------------------------------------------------ constants

    /** Evaluates a constant expression: numbers, names as options, lists, constructor calls. */
    static Val constant(Ast.Expr e) {
        return switch (e) {
            case Ast.Num n -> new Val.Num(n.span(), n.value(), n.integral());
            case Ast.Str s -> new Val.Str(s.span(), s.value(), true);
            case Ast.Bool b -> new Val.Bool(b.span(), b.value());
            case Ast.NoneLit n -> new Val.None(n.span());
            case Ast.Name n -> new Val.Str(n.span(), n.id(), false);
            case Ast.Attribute a -> new Val.Str(a.span(), a.name(), false);
            case Ast.ListExpr l -> new Val.Seq(l.span(), l.items().stream().map(Resolver::constant).toList());
            case Ast.TupleExpr t -> new Val.Seq(t.span(), t.items().stream().map(Resolver::constant).toList());
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
