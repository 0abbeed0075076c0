package modelc.compiler.lower;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import modelc.compiler.ir.Loop;
import modelc.compiler.ir.Node;
import modelc.compiler.ir.Op;

/**
 * Where each node of a loop body runs. Only the values a state's next value depends on need the
 * time loop ({@link Mode#STEP}); the rest of the body runs once over all time steps as one
 * larger kernel: values that depend only on the step inputs and weights before the loop (the input
 * projection {@code x·W} of every step as one GEMM), values that nothing carried depends on after it
 * (the weight gradients of backpropagation through time, summed over all steps by one GEMM).
 * Every per-step value is stored for every step, time-major, so each of these sees the whole
 * sequence as a matrix of {@code steps·rows} rows.
 */
public final class Loops {
    public enum Mode { BEFORE, STEP, AFTER }

    /** A loop's nodes in the order they run: before the time loop, in it, after it. */
    public record Block(Loop loop, List<Node> before, List<Node> step, List<Node> after) {
        public List<Node> all() {
            List<Node> out = new ArrayList<>(before);
            out.addAll(step);
            out.addAll(after);
            return out;
        }
    }

    private Loops() {}

    /**
     * {@code order} with the nodes of each loop gathered into one block at the place of the loop's
     * last node (every input a loop reads from outside comes before it), ordered before/step/after.
     */
    public static List<Node> group(List<Node> order, Map<Loop, Block> blocks) {
        Map<Loop, List<Node>> members = new LinkedHashMap<>();
        Map<Loop, Node> lastOf = new LinkedHashMap<>();
        for (Node n : order) {
            if (n.loop() == null) continue;
            members.computeIfAbsent(n.loop(), k -> new ArrayList<>()).add(n);
            lastOf.put(n.loop(), n);
        }
        List<Node> out = new ArrayList<>();
        for (Node n : order) {
            if (n.loop() == null) {
                out.add(n);
            } else if (lastOf.get(n.loop()) == n) {
                Block b = classify(n.loop(), members.get(n.loop()));
                blocks.put(n.loop(), b);
                out.addAll(b.all());
            }
        }
        return out;
    }

    /**
     * The per-step values that need storage for one step only: computed in the time loop and read only
     * by the same loop's per-step kernels at the same step (not by a carry, which reads the step
     * before, nor by kernels before or after the time loop, another loop or anything outside, which
     * read every step). Their one slot is reused at every step.
     */
    public static Set<Node> singleSlot(List<Node> schedule, Map<Loop, Block> blocks, Set<Node> keepAlive) {
        Set<Node> step = new HashSet<>();
        for (Block b : blocks.values()) step.addAll(b.step());
        Set<Node> out = new HashSet<>();
        for (Node n : step) if (n.type().isBatched() && !(n.op() instanceof Op.StepIn) && !keepAlive.contains(n)) out.add(n);
        for (Node user : schedule) {
            for (Node d : user.deps()) {
                if (!out.contains(d)) continue;
                boolean sameStep = user.loop() == d.loop() && step.contains(user) && !(user.op() instanceof Op.Carry)
                        && !(user.op() instanceof Op.Stack) && !(user.op() instanceof Op.Reshape);
                if (!sameStep) out.remove(d);
            }
        }
        return out;
    }

    /**
     * A slice of the last axis of a per-step value of the loop (a gate's columns of {@code x·W + b}): it stays with
     * the step that reads it, whose fused kernel reads the columns in place, rather than being copied out for all
     * steps before the time loop.
     */
    private static boolean gateOfStepValue(Node n, Set<Node> in) {
        return n.op() instanceof Op.Slice sl && n.type().isBatched() && sl.axis() == n.type().rank() - 1 && in.contains(n.input(0));
    }

    private static Block classify(Loop loop, List<Node> nodes) {
        Set<Node> in = new HashSet<>(nodes);
        Set<Node> before = new HashSet<>();
        for (Node n : nodes) {
            boolean free = !(n.op() instanceof Op.Carry) && !(n.op() instanceof Op.Dropout) && !(n.op() instanceof Op.SpatialDropout)
                    && !gateOfStepValue(n, in);
            for (Node d : n.inputs()) free &= !in.contains(d) || before.contains(d);
            if (free) before.add(n);
        }
        // The time loop runs what the carried states need, and dropout (its mask must be the same at every step).
        Set<Node> step = new HashSet<>();
        Deque<Node> work = new ArrayDeque<>();
        for (int i = 0; i < loop.states(); i++) {
            work.add(loop.carry(i));
            if (loop.source(i) != null) work.add(loop.source(i));
        }
        for (Node n : nodes) if (n.op() instanceof Op.Dropout || n.op() instanceof Op.SpatialDropout) work.add(n);
        while (!work.isEmpty()) {
            Node n = work.pop();
            if (!in.contains(n) || before.contains(n) || !step.add(n)) continue;
            if (!n.type().isBatched()) throw new IllegalStateException("a recurrence's state depends on a reduction over the batch: " + n.op());
            work.addAll(n.inputs());
        }
        List<Node> b = new ArrayList<>(), s = new ArrayList<>(), a = new ArrayList<>();
        for (Node n : nodes) (before.contains(n) ? b : step.contains(n) ? s : a).add(n);
        return new Block(loop, List.copyOf(b), List.copyOf(s), List.copyOf(a));
    }
}
