package modelc.compiler.ir;

import java.util.List;
import modelc.compiler.diag.Span;

/**
 * One SSA value of the IR: an op applied to earlier nodes. {@code layer} and {@code span} point
 * back to the {@code .model} text that produced it (for comments in generated code and errors).
 */
public final class Node {
    private final int id;
    private final Op op;
    private final List<Node> inputs;
    private final TensorType type;
    private final String layer;
    private final Span span;
    private final Loop loop;

    Node(int id, Op op, List<Node> inputs, TensorType type, String layer, Span span, Loop loop) {
        this.id = id;
        this.op = op;
        this.inputs = List.copyOf(inputs);
        this.type = type;
        this.layer = layer;
        this.span = span;
        this.loop = loop;
    }

    public int id() { return id; }
    public Op op() { return op; }
    public List<Node> inputs() { return inputs; }
    public Node input(int i) { return inputs.get(i); }
    public TensorType type() { return type; }
    /** The layer this value belongs to ("dense_1"), or "" for values outside any layer. */
    public String layer() { return layer; }
    public Span span() { return span; }
    /** The recurrence whose body computes this value once per time step, or null. */
    public Loop loop() { return loop; }

    /**
     * What this value depends on: its inputs and, for a loop's carried state, the value the state
     * is carried from (a back edge of the recurrence, so it is not an input).
     */
    public List<Node> deps() {
        if (op instanceof Op.Carry c && c.loop().source(c.index()) != null) {
            List<Node> d = new java.util.ArrayList<>(inputs);
            d.add(c.loop().source(c.index()));
            return d;
        }
        return inputs;
    }

    @Override
    public String toString() {
        return "%" + id;
    }
}
