package modelc.compiler.ir;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import modelc.compiler.diag.Span;

/**
 * A model as an IR graph: nodes in topological order (every node after its inputs), the model's
 * inputs, parameters, output, target and loss. Built by the resolver; {@link Autodiff} appends the
 * backward nodes and records each trainable parameter's gradient.
 */
public final class Graph {
    private final List<Node> nodes = new ArrayList<>();
    private final Map<String, Node> inputs = new LinkedHashMap<>();
    private final Map<String, Node> params = new LinkedHashMap<>();
    private final Map<String, Node> grads = new LinkedHashMap<>();
    private Node output;
    private Node target;
    private Node loss;
    /** Penalties on activations added to the loss ({@link Op.ActivityPenalty}): scalars, each seeded like the loss. */
    private final List<Node> penalties = new ArrayList<>();
    /** Stateful recurrent layers' states, by key ({@code gru.states.0}): what a batch starts from, and what it ends with. */
    private final Map<String, Node> stateIns = new LinkedHashMap<>();
    private final Map<String, Node> stateOuts = new LinkedHashMap<>();
    /** The batch size the inputs fix ({@code input x: float[3], batch_size=4}), or 0. */
    private int fixedBatch;
    private int forwardCount = -1;
    private Loop currentLoop;
    private int loops;

    /** Adds a node (to the body of the loop being built, if any); its type comes from the op's shape rule. */
    public Node add(Op op, List<Node> in, String layer, Span span) {
        return addIn(currentLoop, op, in, layer, span);
    }

    /** Adds a node to the body of {@code loop}, or outside every loop if it is null. */
    public Node addIn(Loop loop, Op op, List<Node> in, String layer, Span span) {
        TensorType type = op.infer(in.stream().map(Node::type).toList(), span);
        if (loop != null && type.isTimeMajor()) throw new IllegalStateException("a time-major value inside a loop body: " + op);
        Node n = new Node(nodes.size(), op, in, type, layer, span, loop);
        nodes.add(n);
        return n;
    }

    /** Starts the body of a recurrence over {@code steps} time steps: nodes added until {@link #endLoop} run once per step. */
    public Loop beginLoop(int steps, boolean reverse) {
        if (currentLoop != null) throw new IllegalStateException("loops do not nest");
        currentLoop = new Loop(++loops, steps, reverse, null);
        return currentLoop;
    }

    Loop newBackwardLoop(Loop forward) {
        return new Loop(++loops, forward.steps(), !forward.reverse(), forward);
    }

    public void endLoop() {
        currentLoop = null;
    }

    /** The loop nodes are being added to (autodiff switches to a backward loop while it differentiates a body). */
    void setCurrentLoop(Loop l) { currentLoop = l; }

    /** Adds a node that belongs to the same layer and source line as {@code origin} (used by VJP rules). */
    public Node add(Op op, List<Node> in, Node origin) {
        return add(op, in, origin.layer(), origin.span());
    }

    public Node addInput(String name, TensorType type, Span span) {
        Node n = addIn(null, new Op.Input(name, type), List.of(), "", span);
        inputs.put(name, n);
        return n;
    }

    public Node addParam(ParamInfo info, String layer, Span span) {
        Node n = addIn(null, new Op.Param(info), List.of(), layer, span);
        params.put(info.key(), n);
        return n;
    }

    /** Sums {@code x} down to {@code target}'s shape if broadcasting stretched it. */
    public Node sumTo(Node x, TensorType target, Node origin) {
        if (x.type().dims().equals(target.dims())) return x;
        if (x.op() instanceof Op.SliceGrad sg && sg.axis() == x.type().rank() - 1 && target.rank() > 0 && target.dim(-1).equals(x.type().dim(-1))) {
            // Gradients placed side by side on the last axis (a GRU's or LSTM's gates) are summed one by one and placed
            // after, rather than placed side by side for every row first.
            List<Node> parts = new java.util.ArrayList<>();
            for (Node part : x.inputs()) {
                List<Dim> d = new java.util.ArrayList<>(target.dims());
                d.set(d.size() - 1, part.type().dim(-1));
                parts.add(sumTo(part, target.withDims(d), origin));
            }
            return add(new Op.SliceGrad(target.rank() - 1, sg.starts(), sg.total()), parts, origin);
        }
        return add(new Op.SumTo(target), List.of(x), origin);
    }

    /** A stateful layer's state {@code key}: the value the previous batch left (zeros after a reset). */
    public Node addStateIn(String key, TensorType type, String layer, Span span) {
        Node n = addIn(null, new Op.StateIn(key, stateIns.size(), type), List.of(), layer, span);
        stateIns.put(key, n);
        return n;
    }

    /** Records {@code n} as the value of state {@code key} that the next batch starts from. */
    public void setStateOut(String key, Node n) {
        if (!n.type().dims().equals(stateIns.get(key).type().dims())) throw new IllegalStateException("state " + key + " changes shape");
        stateOuts.put(key, n);
    }

    public Map<String, Node> stateIns() { return Collections.unmodifiableMap(stateIns); }
    public Map<String, Node> stateOuts() { return Collections.unmodifiableMap(stateOuts); }
    public int fixedBatch() { return fixedBatch; }
    public void setFixedBatch(int b) { fixedBatch = b; }

    public void setOutput(Node n) { output = n; }
    public void setTarget(Node n) { target = n; }
    public void setLoss(Node n) { loss = n; }
    /** Adds {@code n}, a scalar of the batch such as an {@link Op.ActivityPenalty}, to the loss the model minimises and reports. */
    public void addPenalty(Node n) {
        if (!n.type().dims().isEmpty()) throw new IllegalStateException("a penalty is a scalar: " + n.type());
        penalties.add(n);
    }
    void setGrad(String key, Node g) { grads.put(key, g); }
    void markForwardEnd() { forwardCount = nodes.size(); }

    public List<Node> nodes() { return Collections.unmodifiableList(nodes); }
    /** Nodes of the forward pass (all nodes before autodiff ran). */
    public List<Node> forwardNodes() { return nodes.subList(0, forwardCount < 0 ? nodes.size() : forwardCount); }
    /** Nodes appended by autodiff. */
    public List<Node> backwardNodes() { return forwardCount < 0 ? List.of() : nodes.subList(forwardCount, nodes.size()); }
    public Map<String, Node> inputs() { return Collections.unmodifiableMap(inputs); }
    public Map<String, Node> params() { return Collections.unmodifiableMap(params); }
    public Map<String, Node> grads() { return Collections.unmodifiableMap(grads); }
    public Node output() { return output; }
    public Node target() { return target; }
    public Node loss() { return loss; }
    /** The penalties the loss includes besides the data loss (activity regularizers), in the order the layers ran. */
    public List<Node> penalties() { return Collections.unmodifiableList(penalties); }

    public List<ParamInfo> paramInfos() {
        return params.values().stream().map(n -> ((Op.Param) n.op()).info()).toList();
    }

    /** A readable listing, one node per line: {@code %3 = matmul(%1, %2) : float[batch, 256]  # dense}. */
    public String dump(List<Node> which) {
        StringBuilder sb = new StringBuilder();
        for (Node n : which) {
            sb.append(n).append(" = ").append(Op.describe(n.op()));
            if (!n.inputs().isEmpty()) {
                sb.append(n.inputs().stream().map(Node::toString).toList().toString().replace('[', '(').replace(']', ')'));
            }
            sb.append(" : ").append(n.type());
            if (n.loop() != null) sb.append("  @loop").append(n.loop().id());
            if (!n.layer().isEmpty()) sb.append("  # ").append(n.layer());
            sb.append('\n');
        }
        return sb.toString();
    }
}
