package modelc.compiler.resolve;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import modelc.compiler.diag.Span;
import modelc.compiler.ir.Graph;
import modelc.compiler.ir.InitSpec;
import modelc.compiler.ir.Node;
import modelc.compiler.ir.ParamInfo;
import modelc.compiler.ir.Regularizer;

/**
 * A layer instance: a Keras class name, its (automatic or given) name, and how it lowers to IR.
 * Weights are created on the first call, keyed {@code <name>.<weight>}, and reused by later calls
 * (a layer object applied twice shares its weights, as in Keras).
 */
public abstract class Layer {
    private final String kerasClass;
    private final String name;
    private final Span span;
    private final Map<String, Node> weights = new LinkedHashMap<>();
    private final List<Node> outputs = new ArrayList<>();
    private final List<List<Node>> callInputs = new ArrayList<>();
    private String keyPrefix;
    private final Map<String, Regularizer> regularizers = new LinkedHashMap<>();
    /** The layer's weight constraints ({@code kernel_constraint=...}), by weight name; taken with the regularizers. */
    private final Map<String, Constraints.Given> constraints = new LinkedHashMap<>();
    private boolean regularizersTaken;
    /** Keras's {@code activity_regularizer}: a penalty on each output tensor of every call, or null; and where it was given. */
    private Regularizer activity;
    private Span activitySpan;

    protected Layer(String kerasClass, String name, Span span) {
        this.kerasClass = kerasClass;
        this.name = name;
        this.span = span;
        this.keyPrefix = name;
    }

    /** Keys this layer's weights under {@code prefix} instead of its own name (a wrapper's: {@code time_distributed.kernel}). */
    void keyPrefix(String prefix) {
        this.keyPrefix = prefix;
    }

    /** What this layer's weight keys start with: its name, or its wrapper's. */
    String keyPrefix() {
        return keyPrefix;
    }

    public String kerasClass() { return kerasClass; }
    public String name() { return name; }
    public Span span() { return span; }
    public Map<String, Node> weights() { return weights; }
    /** The output of each call, in call order. */
    public List<Node> outputs() { return outputs; }
    public List<List<Node>> callInputs() { return callInputs; }

    /** The layers this one is built from (a {@code layer} definition's body constructs them); their weights count as this layer's. */
    public List<Layer> sublayers() {
        return List.of();
    }

    /** This layer's weights and its sublayers', as the summary counts them. */
    public List<Node> allWeights() {
        List<Node> all = new ArrayList<>(weights.values());
        for (Layer l : sublayers()) all.addAll(l.allWeights());
        return all;
    }

    /** Applies the layer to its inputs, recording the call for the summary. */
    public final Node call(Graph g, List<Node> inputs, Span callSpan) {
        return callAll(g, inputs, List.of(), callSpan).get(0);
    }

    /**
     * Applies the layer, returning all its outputs: one for most layers; a recurrent layer with
     * return_state returns its output and then its final states, as Keras does.
     */
    public final List<Node> callAll(Graph g, List<Node> inputs, List<Node> initialState, Span callSpan) {
        if (!initialState.isEmpty() && !takesInitialState()) {
            throw new modelc.compiler.diag.CompileException(callSpan, kerasClass + " does not take initial_state");
        }
        this.initialState = List.copyOf(initialState);
        List<Node> out = lowerAll(g, inputs, callSpan);
        if (activity != null) {
            // Keras's Layer.__call__ penalises every output tensor of the call (a recurrent layer's states too).
            for (Node o : penalised(out)) {
                // A layer of a user layer's body can still be run on folded steps or inside a recurrent cell.
                if (o.type().batchFactor() != 1 || o.loop() != null) {
                    throw new modelc.compiler.diag.CompileException(activitySpan, kerasClass + ": activity_regularizer on a layer run "
                            + (o.loop() != null ? "inside a recurrent cell" : "under TimeDistributed") + " is not supported yet");
                }
                g.addPenalty(g.addIn(null, new modelc.compiler.ir.Op.ActivityPenalty(activity.l1(), activity.l2()), List.of(o), name, activitySpan));
            }
        }
        outputs.add(out.get(0));
        callInputs.add(List.copyOf(inputs));
        return out;
    }

    protected abstract Node lower(Graph g, List<Node> inputs, Span callSpan);

    /**
     * The tensors of the call just lowered that an {@code activity_regularizer} penalises: its outputs
     * ({@code out}), as Keras's Layer.__call__ does. A wrapper whose inner layers Keras calls (and
     * penalises) separately returns their outputs instead.
     */
    protected List<Node> penalised(List<Node> out) {
        return out;
    }

    private List<Node> initialState = List.of();

    /** True for layers that accept {@code initial_state=} in a call (the recurrent ones). */
    protected boolean takesInitialState() {
        return false;
    }

    /** The {@code initial_state=} tensors of the call being lowered (empty if none were given). */
    protected List<Node> initialState() {
        return initialState;
    }

    /** All outputs of a call; layers with several override this. */
    protected List<Node> lowerAll(Graph g, List<Node> inputs, Span callSpan) {
        return List.of(lower(g, inputs, callSpan));
    }

    /**
     * Takes Keras's weight regularizer arguments from {@code args} ({@code kernel_regularizer=l2(0.01)},
     * {@code bias_regularizer}, {@code recurrent_regularizer}, {@code embeddings_regularizer}, ...),
     * checked now; the weights this layer creates later carry them ({@code kernel_regularizer} goes
     * to every weight named {@code kernel}, also {@code forward.kernel}), and {@code activity_regularizer},
     * a penalty on each output of every call ({@link modelc.compiler.ir.Op.ActivityPenalty}). A factory adopts this in
     * one line: {@code return new Layer(...) { ... }.regularized(a);}
     */
    public final Layer regularized(Args args) {
        regularizers.putAll(Regularizers.of(args));
        activity = Regularizers.activity(args);
        if (activity != null) activitySpan = args.get("activity_regularizer").span();
        constraints.putAll(Constraints.of(args));
        regularizersTaken = true;
        return this;
    }

    /** True once {@link #regularized} took the layer's regularizer arguments. */
    final boolean regularizersTaken() {
        return regularizersTaken;
    }

    /** This layer's weight named {@code weight}, created on first use, with the layer's regularizer for it (if any). */
    protected Node weight(Graph g, String weight, List<Integer> shape, boolean trainable, InitSpec init) {
        return weight(g, weight, shape, trainable, init, regularizers.get(argName(weight)));
    }

    /** The name a weight's regularizer and constraint arguments use: {@code kernel} for {@code forward.kernel}. */
    private static String argName(String weight) {
        return weight.substring(weight.lastIndexOf('.') + 1);
    }

    /** This layer's weight named {@code weight}, created on first use with the penalty {@code regularizer} (null for none). */
    protected Node weight(Graph g, String weight, List<Integer> shape, boolean trainable, InitSpec init, Regularizer regularizer) {
        Node existing = weights.get(weight);
        if (existing != null) return existing;
        Constraints.Given c = constraints.get(argName(weight));
        Node n = g.addParam(new ParamInfo(keyPrefix + "." + weight, shape, trainable, init, regularizer,
                c == null ? null : c.forShape(shape, keyPrefix + "." + weight)), name, span);
        weights.put(weight, n);
        return n;
    }

    /** Exactly one input, or an error at the call naming the layer. */
    protected Node single(List<Node> inputs, Span callSpan) {
        if (inputs.size() != 1) {
            throw new modelc.compiler.diag.CompileException(callSpan,
                    kerasClass + " '" + name + "' takes one input, got " + inputs.size());
        }
        return inputs.get(0);
    }
}
