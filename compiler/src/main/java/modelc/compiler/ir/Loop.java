package modelc.compiler.ir;

import java.util.ArrayList;
import java.util.List;

/**
 * A recurrence: a body of nodes that runs once per time step, {@code steps} times, in increasing
 * time or (when {@code reverse}) decreasing. Each value of the body is a per-step value
 * ({@code [batch, ...]}) stored once per step. State is carried by {@link Op.Carry} nodes: at the
 * first step a carry reads its initial value, at every later step the value of its {@link #source}
 * at the previous step. Autodiff gives every loop a backward loop that runs in the opposite
 * direction and carries the states' gradients.
 */
public final class Loop {
    private final int id;
    private final int steps;
    private final boolean reverse;
    private final Loop forward;
    private final List<Node> carries = new ArrayList<>();
    private final List<Node> sources = new ArrayList<>();
    private Loop backward;

    Loop(int id, int steps, boolean reverse, Loop forward) {
        if (steps < 1) throw new IllegalArgumentException("a loop needs at least one step, got " + steps);
        this.id = id;
        this.steps = steps;
        this.reverse = reverse;
        this.forward = forward;
    }

    public int id() { return id; }
    public int steps() { return steps; }
    /** True if the loop runs from the last time step to the first. */
    public boolean reverse() { return reverse; }
    /** The loop this one differentiates, or null for a loop of the model itself. */
    public Loop forward() { return forward; }
    /** The time step the loop starts at. */
    public int firstStep() { return reverse ? steps - 1 : 0; }
    /** The time step the loop ends at. */
    public int lastStep() { return reverse ? 0 : steps - 1; }

    public int states() { return carries.size(); }
    public Node carry(int i) { return carries.get(i); }
    /** The value carry {@code i} takes at the next step, or null if it stays at its initial value. */
    public Node source(int i) { return sources.get(i); }

    /** Adds a state carried by {@code g.add(new Op.Carry(this, i), [init])}; returns the carry node. */
    public Node addState(Graph g, Node init, String layer, modelc.compiler.diag.Span span) {
        int i = carries.size();
        carries.add(null);
        sources.add(null);
        Node c = g.addIn(this, new Op.Carry(this, i), List.of(init), layer, span);
        carries.set(i, c);
        return c;
    }

    /** Sets the value state {@code i} is carried from; it must be a value of this loop's body. */
    public void setSource(int i, Node source) {
        if (source != null && source.loop() != this) throw new IllegalStateException("a state's next value must be computed in the loop body");
        sources.set(i, source);
    }

    /** The backward loop of this one, made on first use. */
    Loop backward(Graph g) {
        if (backward == null) backward = g.newBackwardLoop(this);
        return backward;
    }

    @Override
    public String toString() {
        return "loop" + id;
    }
}
