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
import modelc.runtime.text.TextPipeline;
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
    /** The axis (per sample) of each input's None dimension, by input name. */
    private final Map<String, Integer> noneAxes = new LinkedHashMap<>();
    /** The pipelines of text inputs, by input name. */
    private final Map<String, TextPipeline> textInputs = new LinkedHashMap<>();
    private final Evaluator ev = new Evaluator(graph, library, ctx, layers, "", null);
    private final Map<String, Object> env = ev.env;
    private Val.Ctor compileCall;
    private Val.Ctor fitCall;

    /** The length each input with a {@code None} dimension is specialised to, by input name. */
    private final Map<String, Integer> lengths;

    private Resolver(Map<String, Integer> lengths) {
        this.lengths = lengths;
    }

    public static ModelIR resolve(Ast.Program program) {
        return resolve(program, Map.of());
    }

    /** {@code lengths}: the length to specialise each input's {@code None} dimension to, by input name. */
    public static ModelIR resolve(Ast.Program program, Map<String, Integer> lengths) {
        if (program.model() == null) {
            throw new CompileException(Span.at(program.file(), 1, 1), "the file defines no model (expected 'model Name { ... }' or 'sequential Name { ... }')");
        }
        return new Resolver(lengths).run(program);
    }

    /** The inputs that have a {@code None} dimension, with its axis (per sample, 0 = the first after the batch). */
    public static Map<String, Integer> variableLengthInputs(Ast.Program program) {
        Map<String, Integer> out = new LinkedHashMap<>();
        if (program.model() == null) return out;
        for (Ast.Stmt st : program.model().body()) {
            if (st instanceof Ast.InputDecl in) {
                for (int i = 0; i < in.dims().size(); i++) if (in.dims().get(i) instanceof Ast.NoneLit) out.putIfAbsent(in.name(), i);
                if (in.dtype().equals("text") && TextPipelines.padsToLongest(in)) out.putIfAbsent(in.name(), 0);
            }
        }
        return out;
    }

    private ModelIR run(Ast.Program program) {
        for (Ast.LayerDecl l : program.layers()) library.define(l);
        for (Ast.CellDecl c : program.cells()) library.defineCell(c);
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
                    Object v = ev.eval(a.value());
                    if (a.targets().size() == 1) {
                        env.put(a.targets().get(0), v);
                    } else if (v instanceof List<?> values && values.size() == a.targets().size()) {
                        for (int i = 0; i < values.size(); i++) env.put(a.targets().get(i), values.get(i));
                    } else {
                        int got = v instanceof List<?> values ? values.size() : 1;
                        throw new CompileException(a.span(), a.targets().size() + " names are assigned, but the value is " + got
                                + " tensor" + (got == 1 ? "" : "s"));
                    }
                }
                case Ast.Output o -> {
                    if (sequential) throw new CompileException(o.span(), "a sequential model's output is its last layer; 'output' belongs in 'model' form");
                    if (output != null) throw new CompileException(o.span(), "only one output is supported");
                    output = Evaluator.node(ev.eval(o.value()), o.value().span());
                }
                case Ast.ExprStmt e -> {
                    if (isCallOf(e.expr(), "compile") || isCallOf(e.expr(), "fit")) {
                        config((Ast.Call) e.expr());
                    } else if (sequential) {
                        if (current == null) throw new CompileException(e.span(), "declare the input first: input x: float[...]");
                        Object v = ev.eval(e.expr());
                        if (!(v instanceof Layer l)) throw new CompileException(e.span(), "each line of a sequential model must be a layer, such as Dense(10)");
                        Node in = current;
                        List<Node> outs = l.callAll(graph, List.of(in), List.of(), e.span());
                        if (outs.size() > 1) {
                            throw new CompileException(e.span(), "a layer with return_state returns several tensors; use the functional form: out, h = ...(x)");
                        }
                        current = outs.get(0);
                        ctx.masks().afterCall(l, List.of(in), current);
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
        requireUsed(output);
        if (compileCall == null) throw new CompileException(m.span(), "model '" + m.name() + "' needs compile(loss=..., optimizer=...)");
        TrainingConfig training = training();
        graph.setOutput(output);
        Node target = graph.add(new Op.Target(targetType(training.loss().kind(), output.type())), List.of(), "", training.loss().span());
        graph.setTarget(target);
        TrainingConfig.LossSpec ls = training.loss();
        // A mask on the output (from mask_zero through return_sequences) masks the loss and the metrics, as in Keras 3.
        Node mask = ctx.masks().of(output);
        List<Node> lossIn = mask == null ? List.of(output, target) : List.of(output, target, mask);
        if (!training.classWeights().isEmpty()) checkClassWeights(training, output.type());
        graph.setLoss(graph.add(new Op.Loss(ls.kind(), ls.fromLogits(), ls.labelSmoothing(), ls.ignoreClass(), mask != null,
                ls.sumOverSteps(), training.classWeights()), lossIn, "", ls.span()));
        return new ModelIR(m.name(), sequential, graph, List.copyOf(layers), training,
                metricSpecs(training, output.type()), program.file(), Map.copyOf(textInputs), Map.copyOf(noneAxes));
    }

    /** Every input must feed the output: data for an input that nothing reads is a mistake in the model. */
    private void requireUsed(Node output) {
        java.util.Set<Node> reached = new java.util.HashSet<>();
        java.util.ArrayDeque<Node> todo = new java.util.ArrayDeque<>(List.of(output));
        while (!todo.isEmpty()) {
            Node n = todo.pop();
            if (reached.add(n)) todo.addAll(n.inputs());
        }
        for (Node in : graph.inputs().values()) {
            if (!reached.contains(in)) {
                throw new CompileException(in.span(), "input '" + ((Op.Input) in.op()).inputName() + "' is not used to compute the output");
            }
        }
    }

    /**
     * Keras 3 turns class_weight into one weight per sample from its target
     * (data_adapter_utils.class_weight_to_sample_weights): the class is the target's index, the
     * argmax of a one-hot row, or the rounded value of a single-unit target. Targets with a class
     * per time step are refused: Keras fails on (batch, steps, classes) targets and would take the
     * argmax over the time steps of (batch, steps) class indices.
     */
    private void checkClassWeights(TrainingConfig t, TensorType pred) {
        Val given = fitCall.args().get("class_weight");
        if (pred.rank() != 2) {
            TensorType target = targetType(t.loss().kind(), pred);
            throw new CompileException(given.span(), "class_weight weighs each sample by its target's class, but a target of shape "
                    + target.kerasShape() + " has a class per time step", target.rank() > 2
                    ? "Keras 3 fails on class_weight for targets of rank 3 or more"
                    : "Keras 3 would take the argmax over the time steps as the class; modelc refuses that");
        }
        // The classes a target can have: an index or argmax below the units; 0 or 1 for a single sigmoid unit;
        // a single regression unit's rounded value is unbounded.
        int classes = pred.dim(-1).size();
        LossKind kind = t.loss().kind();
        if (classes == 1 && !kind.sparseTarget() && kind != LossKind.BINARY_CROSSENTROPY) return;
        int upper = classes == 1 && !kind.sparseTarget() ? 1 : classes - 1;
        Val.Dict d = (Val.Dict) given;
        for (Val k : d.keys()) {
            int c = (int) ((Val.Num) k).value();
            if (c < 0 || c > upper) {
                throw new CompileException(k.span(), "class_weight names class " + c + ", but the targets' classes are 0 to " + upper,
                        "a class that never occurs would have no effect");
            }
        }
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
        inputOptions(in);
        if (in.dtype().equals("text")) {
            if (!in.dims().isEmpty()) {
                throw new CompileException(in.dims().getFirst().span(), "a text input has no shape: its pipeline gives it one",
                        "write: input " + in.name() + ": text -> Tokenizer(...) -> pad_sequences(maxlen=...)");
            }
            TextPipeline text = TextPipelines.resolve(ev, in.span(), in.name(), in.pipeline(), lengths.get(in.name()));
            textInputs.put(in.name(), text);
            if (TextPipelines.padsToLongest(in)) noneAxes.put(in.name(), 0);
            return graph.addInput(in.name(), new TensorType(text.integer() ? ElemType.INT : ElemType.FLOAT,
                    List.of(Dim.BATCH, Dim.of(text.width()))), in.span());
        }
        ElemType elem = switch (in.dtype()) {
            case "float" -> ElemType.FLOAT;
            case "int" -> ElemType.INT;
            default -> throw new CompileException(in.span(), "input type must be float, int or text, got '" + in.dtype() + "'");
        };
        List<Dim> dims = new ArrayList<>();
        dims.add(Dim.BATCH);
        for (Ast.Expr d : in.dims()) {
            if (d instanceof Ast.Num n && n.integral() && n.value() > 0) dims.add(Dim.of((int) n.value()));
            else if (d instanceof Ast.NoneLit) {
                noneAxes.put(in.name(), dims.size() - 1);
                dims.add(Dim.of(length(in, d)));
            }
            else throw new CompileException(d.span(), "an input dimension must be a positive integer");
        }
        if (dims.size() == 1) throw new CompileException(in.span(), "input '" + in.name() + "' needs a shape, such as float[784]");
        if (!in.pipeline().isEmpty()) {
            throw new CompileException(in.pipeline().get(0).span(), "a preprocessing pipeline ('->') belongs to a text input",
                    "write: input " + in.name() + ": text -> Tokenizer(...) -> pad_sequences(maxlen=...)");
        }
        return graph.addInput(in.name(), new TensorType(elem, dims), in.span());
    }

    /**
     * An input's keyword arguments: {@code batch_size=B}, Keras's {@code Input(shape, batch_size=B)},
     * fixes the batch size (every input that gives one must give the same), as stateful recurrent
     * layers need.
     */
    private void inputOptions(Ast.InputDecl in) {
        for (Ast.Arg a : in.options()) {
            if (!a.keyword().equals("batch_size")) {
                throw new CompileException(a.span(), "unknown input argument '" + a.keyword() + "'", "an input takes batch_size=...");
            }
            if (!(a.value() instanceof Ast.Num n) || !n.integral() || n.value() < 1 || n.value() > Integer.MAX_VALUE) {
                throw new CompileException(a.value().span(), "batch_size must be a positive integer");
            }
            int b = (int) n.value();
            if (graph.fixedBatch() != 0 && graph.fixedBatch() != b) {
                throw new CompileException(a.value().span(), "input '" + in.name() + "' has batch_size " + b + ", but another input has "
                        + graph.fixedBatch() + "; the inputs' batch sizes must agree");
            }
            graph.setFixedBatch(b);
        }
    }

    /**
     * The length a {@code None} dimension is specialised to: the code is generated for one length, given
     * by the data (train, evaluate, predict) or by {@code --max-length}; the weights must not depend on it.
     */
    private int length(Ast.InputDecl in, Ast.Expr none) {
        if (in.dims().stream().filter(d -> d instanceof Ast.NoneLit).count() > 1) {
            throw new CompileException(none.span(), "an input may have one dimension of length None (its sequence length), '"
                    + in.name() + "' has " + in.dims().stream().filter(d -> d instanceof Ast.NoneLit).count());
        }
        Integer n = lengths.get(in.name());
        if (n == null) {
            throw new CompileException(none.span(), "input '" + in.name() + "' has a dimension of length None: give the length to"
                    + " generate the code for", "--max-length N (train, evaluate and predict take it from the data; the Maven plugin's"
                    + " <maxLength>)");
        }
        if (n < 1) throw new CompileException(none.span(), "input '" + in.name() + "': the length must be at least 1, got " + n);
        return n;
    }

    private static boolean isCallOf(Ast.Expr e, String name) {
        return e instanceof Ast.Call c && c.callee() instanceof Ast.Name n && n.id().equals(name);
    }

    private void config(Ast.Call call) {
        String name = ((Ast.Name) call.callee()).id();
        Val.Ctor v = (Val.Ctor) ev.constant(call);
        if (name.equals("compile")) {
            if (compileCall != null) throw new CompileException(call.span(), "compile(...) appears twice");
            compileCall = v;
        } else {
            if (fitCall != null) throw new CompileException(call.span(), "fit(...) appears twice");
            fitCall = v;
        }
    }

    /** A callback must watch a value that fit(...) logs, which is known here, before any epoch runs. */
    private void checkMonitors(ModelSpec.FitConfig fit, List<String> metrics) {
        List<String> logged = new ArrayList<>(List.of("loss"));
        logged.addAll(metrics);
        if (fit.validationSplit() > 0) logged.addAll(logged.stream().map(k -> "val_" + k).toList());
        for (var c : fit.callbacks()) {
            if (!logged.contains(c.monitor())) {
                String near = Diagnostics.closest(c.monitor(), logged);
                throw new CompileException(fitCall.args().get("callbacks").span(), "a callback monitors '" + c.monitor() + "', which fit(...) does not log",
                        near != null ? "did you mean '" + near + "'?" : "logged: " + String.join(", ", logged));
            }
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
        boolean stateful = !graph.stateIns().isEmpty();
        ModelSpec.FitConfig d = ModelSpec.FitConfig.DEFAULT;
        ModelSpec.FitConfig fit = fitCall != null ? TrainingConfig.fit(fitCall.args(), graph.fixedBatch(), stateful, !noneAxes.isEmpty())
                : new ModelSpec.FitConfig(d.epochs(), graph.fixedBatch() > 0 ? graph.fixedBatch() : d.batchSize(), d.validationSplit(),
                        d.shuffle() && !stateful, d.callbacks());
        var classWeights = fitCall == null ? java.util.Collections.<Integer, Double>emptySortedMap() : TrainingConfig.classWeights(fitCall.args());
        var schedule = TrainingConfig.schedule(a.has("optimizer") ? a.get("optimizer") : null, opt);
        checkMonitors(fit, metrics);
        return new TrainingConfig(loss, opt, schedule, metrics, fit, classWeights);
    }

}
