package modelc.compiler.lower;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import modelc.compiler.ir.Dim;
import modelc.compiler.ir.ElemType;
import modelc.compiler.ir.Node;
import modelc.compiler.ir.Op;
import modelc.compiler.ir.TensorType;

/**
 * Elementwise fusion: chains of elementwise nodes of one shape (a bias add and its activation, an
 * activation's derivative, a formula such as {@code H * T + x * (1 - T)}) become one kernel that
 * reads each outside operand once and writes only the chain's result. A node joins the group of an
 * input when that input is used by nothing else and need not outlive the step. The intermediate
 * values of a group get no storage; the group runs where its last node was scheduled.
 *
 * <p>Inside a time loop a step's elementwise work is one kernel: there a node also joins the group
 * of an input that something else reads later (the backward pass, the next step's carry), and the
 * group stores that member as one more output of its single pass ({@link Group#stored}), so an
 * LSTM or GRU step runs its gate activations, the state update and the values kept for
 * backpropagation through time in one loop over the step's rows instead of one kernel each.
 */
public final class Fusion {
    /**
     * A fused group: its nodes in schedule order; the last is the result. {@code stored} are the
     * members other than the result whose values are written too (read outside the group), in
     * schedule order; empty for a chain.
     */
    public record Group(List<Node> nodes, List<Node> stored, Set<Node> throughSlices) {
        public Group(List<Node> nodes) {
            this(nodes, List.of(), Set.of());
        }

        public Node result() {
            return nodes.get(nodes.size() - 1);
        }

        /**
         * Operands the group reads from outside itself, in first-use order; for a slice of a value
         * computed in slices ({@link #throughSlices}), that value's operands.
         */
        public List<Node> externals() {
            Set<Node> members = new HashSet<>(nodes);
            List<Node> out = new ArrayList<>();
            for (Node n : nodes) {
                for (Node in : n.inputs()) {
                    for (Node e : throughSlices.contains(in) ? in.inputs() : List.of(in)) {
                        if (!members.contains(e) && !out.contains(e)) out.add(e);
                    }
                }
            }
            return out;
        }
    }

    /** Sums and products that are never stored: every slice of them computes its own part (see {@link #of}). */
    private final Map<Node, Node> slicedAway = new HashMap<>();

    private final Map<Node, Group> groupOf = new LinkedHashMap<>();

    /**
     * Values that get no storage → where their inputs are last read: a member that is neither the
     * result nor stored → its group's result; a value computed in slices → the result of the last
     * group that reads a slice of it.
     */
    public Map<Node, Node> fusedInto() {
        Map<Node, Node> m = new HashMap<>(slicedAway);
        for (Group gr : groups()) for (Node n : gr.nodes()) if (n != gr.result() && !gr.stored().contains(n)) m.put(n, gr.result());
        return m;
    }

    /** As {@link #fusedInto}, and every stored member → its group's result: the member's inputs are read where the group runs. */
    public Map<Node, Node> runsWith() {
        Map<Node, Node> m = new HashMap<>(slicedAway);
        for (Group gr : groups()) for (Node n : gr.nodes()) if (n != gr.result()) m.put(n, gr.result());
        return m;
    }

    /** True for a stored member of a group other than its result: the group's kernel writes it. */
    public boolean storedByGroup(Node n) {
        Group gr = groupOf.get(n);
        return gr != null && gr.stored().contains(n);
    }

    /** Groups of two or more nodes, keyed by their result. */
    public List<Group> groups() {
        List<Group> out = new ArrayList<>();
        for (Map.Entry<Node, Group> e : groupOf.entrySet()) {
            if (e.getValue().result() == e.getKey() && e.getValue().nodes().size() > 1) out.add(e.getValue());
        }
        return out;
    }

    public Group groupOf(Node result) {
        Group gr = groupOf.get(result);
        return gr != null && gr.result() == result && gr.nodes().size() > 1 ? gr : null;
    }

    /** Groups the nodes of {@code schedule}; a group never spans the forward and backward passes. */
    public static Fusion of(List<Node> schedule, Set<Node> keepAlive, Set<Node> forward) {
        return of(schedule, keepAlive, forward, Map.of());
    }

    /**
     * As above, for a schedule with loop blocks: a group stays within one loop and one of its modes
     * (before, in or after the time loop), and a value a state is carried from is never fused away.
     */
    public static Fusion of(List<Node> schedule, Set<Node> keepAlive, Set<Node> forward, Map<modelc.compiler.ir.Loop, Loops.Block> loops) {
        Fusion f = new Fusion();
        Map<Node, Loops.Mode> mode = new HashMap<>();
        for (Loops.Block b : loops.values()) {
            for (Node n : b.before()) mode.put(n, Loops.Mode.BEFORE);
            for (Node n : b.step()) mode.put(n, Loops.Mode.STEP);
            for (Node n : b.after()) mode.put(n, Loops.Mode.AFTER);
        }
        Map<Node, Set<Node>> users = new HashMap<>();
        for (Node n : schedule) for (Node in : n.deps()) users.computeIfAbsent(in, k -> new HashSet<>()).add(n);
        Map<Node, Integer> position = new HashMap<>();
        for (int i = 0; i < schedule.size(); i++) position.put(schedule.get(i), i);
        for (Node n : schedule) {
            if (!fusable(n)) continue;
            List<Node> nodes = new ArrayList<>();
            boolean step = mode.get(n) == Loops.Mode.STEP;
            for (Node in : n.inputs()) {
                Group gr = f.groupOf.get(in);
                boolean alike = gr != null && in.type().dims().equals(n.type().dims())
                        && forward.contains(in) == forward.contains(n)
                        && in.loop() == n.loop() && mode.get(in) == mode.get(n);
                boolean chain = alike && gr.result() == in && users.getOrDefault(in, Set.of()).equals(Set.of(n)) && !keepAlive.contains(in);
                // In a time step a value read elsewhere too joins as a stored member of the group.
                boolean storedJoin = alike && step && (gr.result() == in || gr.stored().contains(in));
                if (chain || storedJoin) {
                    for (Node m : gr.nodes()) if (!nodes.contains(m)) nodes.add(m);
                }
            }
            nodes.add(n);
            List<Node> sorted = List.copyOf(sortBySchedule(nodes, schedule));
            Group merged = new Group(sorted, stored(sorted, users, keepAlive), Set.of());
            if (!loopShape(merged) || !readsAfter(merged, users, position)) merged = new Group(List.of(n));
            for (Node m : merged.nodes()) f.groupOf.put(m, merged);
        }
        f.sliceThrough(schedule, users, keepAlive, mode, position);
        return f;
    }

    /**
     * Inside a time step, a sum or product read only through slices of its last axis (an LSTM's
     * {@code x·W + h·U} of all gates, sliced per gate) need not be stored: each gate's fused kernel
     * reads its slice of the two operands and adds them itself. That leaves a step one GEMM for all
     * gates and one elementwise pass.
     */
    private void sliceThrough(List<Node> schedule, Map<Node, Set<Node>> users, Set<Node> keepAlive,
                              Map<Node, Loops.Mode> mode, Map<Node, Integer> position) {
        for (Node b : schedule) {
            Group own = groupOf.get(b);
            if (!(b.op() instanceof Op.Binary bo) || bo.kind() == Op.BinOp.DIV || mode.get(b) != Loops.Mode.STEP || keepAlive.contains(b)
                    || own != null && own.nodes().size() > 1 || b.type().elem() != ElemType.FLOAT || b.type().rank() < 2) continue;
            boolean operandsRead = b.inputs().stream().allMatch(in -> in.type().elem() == ElemType.FLOAT
                    && (in.type().dims().equals(b.type().dims()) || suffix(in.type(), b.type()) && in.type().rank() == 1));
            Set<Node> readers = users.getOrDefault(b, Set.of());
            if (!operandsRead || readers.isEmpty()) continue;
            Node last = null;
            boolean allSliced = true;
            for (Node u : readers) {
                Group gr = groupOf.get(u);
                allSliced &= u.op() instanceof Op.Slice && slicesRow(u) && u.type().dim(-1).size() < b.type().dim(-1).size()
                        && gr != null && gr.nodes().size() > 1 && mode.get(u) == Loops.Mode.STEP;
                if (allSliced && (last == null || position.get(gr.result()) > position.get(last))) last = gr.result();
            }
            if (!allSliced) continue;
            slicedAway.put(b, last);
            for (Node u : readers) {
                Group gr = groupOf.get(u);
                Set<Node> through = new HashSet<>(gr.throughSlices());
                through.add(b);
                Group updated = new Group(gr.nodes(), gr.stored(), Set.copyOf(through));
                for (Node m : gr.nodes()) groupOf.put(m, updated);
            }
        }
    }

    /** The members other than the last that something outside the group reads (or that must outlive the step). */
    private static List<Node> stored(List<Node> nodes, Map<Node, Set<Node>> users, Set<Node> keepAlive) {
        Set<Node> members = new HashSet<>(nodes);
        List<Node> out = new ArrayList<>();
        for (Node m : nodes.subList(0, nodes.size() - 1)) {
            boolean outside = keepAlive.contains(m) || users.getOrDefault(m, Set.of()).stream().anyMatch(u -> !members.contains(u));
            if (outside) out.add(m);
        }
        return List.copyOf(out);
    }

    /**
     * True if every outside reader of a stored member runs after the group (which runs where its last
     * member was scheduled): a carry reads its source at the next step, so it counts as after.
     */
    private static boolean readsAfter(Group gr, Map<Node, Set<Node>> users, Map<Node, Integer> position) {
        int at = position.get(gr.result());
        Set<Node> members = new HashSet<>(gr.nodes());
        for (Node m : gr.stored()) {
            for (Node u : users.getOrDefault(m, Set.of())) {
                if (members.contains(u) || u.op() instanceof Op.Carry) continue;
                if (position.getOrDefault(u, Integer.MAX_VALUE) < at) return false;
            }
        }
        return true;
    }

    private static List<Node> sortBySchedule(List<Node> nodes, List<Node> schedule) {
        List<Node> out = new ArrayList<>(nodes);
        out.sort((a, b) -> Integer.compare(schedule.indexOf(a), schedule.indexOf(b)));
        return out;
    }

    /** Elementwise ops over float values whose operands are the output's shape or repeat along leading axes. */
    static boolean fusable(Node n) {
        if (n.type().elem() != ElemType.FLOAT) return false;
        return switch (n.op()) {
            case Op.Unary u -> true;
            case Op.UnaryGrad u -> true;
            case Op.Affine a -> n.input(0).type().elem() == ElemType.FLOAT;
            case Op.Binary b -> n.inputs().stream().allMatch(in -> in.type().dims().equals(n.type().dims()) || suffix(in.type(), n.type()));
            // A slice of the last axis is read in place by the group that consumes it (an LSTM's gates).
            case Op.Slice sl -> slicesRow(n);
            // A masked step's choice between the new and the carried state, and its gradient: one mask value per row.
            case Op.Select sel -> prefix(n.input(0).type(), n.type()) && n.input(1).type().dims().equals(n.type().dims())
                    && n.input(2).type().dims().equals(n.type().dims());
            case Op.MaskRows mr -> prefix(n.input(0).type(), n.type()) && n.input(1).type().dims().equals(n.type().dims());
            default -> false;
        };
    }

    /** {@code mask}'s dims are the leading dims of {@code full}'s: one value per row of {@code full}'s last axes. */
    public static boolean prefix(TensorType mask, TensorType full) {
        List<Dim> m = mask.dims(), f = full.dims();
        return !m.isEmpty() && m.size() < f.size() && f.subList(0, m.size()).equals(m) && mask.isBatched();
    }

    /** A slice of the last axis of a value whose other axes are the slice's. */
    static boolean slicesRow(Node n) {
        TensorType in = n.input(0).type(), out = n.type();
        return n.op() instanceof Op.Slice sl && sl.axis() == in.rank() - 1 && in.elem() == ElemType.FLOAT
                && in.dims().subList(0, in.rank() - 1).equals(out.dims().subList(0, out.rank() - 1));
    }

    /** True if a group can run as one loop: every outside operand is full-size or repeats with one row length. */
    static boolean loopShape(Group gr) {
        TensorType out = gr.result().type();
        Set<Node> sliced = new HashSet<>();
        for (Node m : gr.nodes()) if (m.op() instanceof Op.Slice) sliced.add(m.input(0));
        // A sliced operand is read row by row: the group's rows must be the output's last axis.
        Integer inner = sliced.isEmpty() ? null : out.dim(-1).size();
        for (Node e : gr.externals()) {
            if (sliced.contains(e)) {
                boolean onlySliced = gr.nodes().stream().allMatch(m -> !m.inputs().contains(e) || m.op() instanceof Op.Slice);
                if (!onlySliced) return false;
                continue;
            }
            if (e.type().dims().equals(out.dims())) continue;
            boolean perRow = prefix(e.type(), out);
            if (perRow) {
                boolean onlyMask = gr.nodes().stream().allMatch(m -> !m.inputs().contains(e)
                        || (m.op() instanceof Op.Select || m.op() instanceof Op.MaskRows) && m.inputs().indexOf(e) == 0 && m.inputs().lastIndexOf(e) == 0);
                if (!onlyMask) return false;
            } else if (!suffix(e.type(), out)) {
                return false;
            }
            int size = perRow ? out.sampleSize() / e.type().sampleSize() : e.type().sampleSize();
            if (inner != null && inner != size) return false;
            inner = size;
        }
        for (Node m : gr.nodes()) if (!m.type().dims().equals(out.dims())) return false;
        return true;
    }

    /** {@code small}'s dims are the trailing dims of {@code full}. */
    public static boolean suffix(TensorType small, TensorType full) {
        List<Dim> s = small.dims(), f = full.dims();
        return !s.isEmpty() && s.size() < f.size() && f.subList(f.size() - s.size(), f.size()).equals(s);
    }
}
