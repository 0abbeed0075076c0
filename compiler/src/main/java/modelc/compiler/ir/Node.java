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

    Node(int id, Op op, List<Node> inputs, TensorType type, String layer, Span span) {
        this.id = id;
        this.op = op;
        this.inputs = List.copyOf(inputs);
        this.type = type;
        this.layer = layer;
        this.span = span;
    }

    public int id() { return id; }
    public Op op() { return op; }
    public List<Node> inputs() { return inputs; }
    public Node input(int i) { return inputs.get(i); }
    public TensorType type() { return type; }
    /** The layer this value belongs to ("dense_1"), or "" for values outside any layer. */
    public String layer() { return layer; }
    public Span span() { return span; }

    @Override
    public String toString() {
        return "%" + id;
    }
}
