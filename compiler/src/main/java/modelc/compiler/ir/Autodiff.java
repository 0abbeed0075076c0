package modelc.compiler.ir;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reverse-mode automatic differentiation over the IR: walks the forward nodes from the loss
 * backwards, applies each op's {@link Op#vjp} rule, sums gradients where a value has several
 * users, and records the gradient of every trainable parameter. The backward pass is ordinary IR,
 * planned and emitted like the forward pass.
 *
 * <p>A loop body is differentiated as a whole into a backward loop that runs in the opposite
 * direction (backpropagation through time): each state's gradient is carried from one step to
 * the one before it, a step input's gradient is stacked into a sequence, and a parameter's
 * gradient is the sum over all steps (its reduction runs once over the stored steps, after the loop).
 */
public final class Autodiff {
    private Autodiff() {}

    public static void run(Graph g) {
        Node loss = g.loss();
        if (loss == null) throw new IllegalStateException("graph has no loss");
        g.markForwardEnd();
        List<Node> forward = List.copyOf(g.forwardNodes());
        // The loss and the penalties added to it (activity regularizers): each has gradient 1.
        java.util.Set<Node> seeds = new java.util.HashSet<>(g.penalties());
        seeds.add(loss);
        Map<Node, Node> grad = new HashMap<>();
        for (int i = forward.size() - 1; i >= 0; i--) {
            Node n = forward.get(i);
            if (n.loop() != null) {
                Loop loop = n.loop();
                int first = i;
                while (first > 0 && (forward.get(first - 1).loop() == loop || forward.get(first - 1).op() instanceof Op.Param)) first--;
                differentiateLoop(g, loop, forward.subList(first, i + 1), grad);
                i = first;
                continue;
            }
            boolean seed = seeds.contains(n);
            Node dy = seed ? null : grad.get(n);
            if (!seed && dy == null) continue;
            Loop into = n.op() instanceof Op.Stack ? n.input(0).loop().backward(g) : null;
            g.setCurrentLoop(into);
            apply(g, n, n.op().vjp(g, n, dy), grad);
            g.setCurrentLoop(null);
        }
        // A gradient is written straight into the gradient array; one that another node also reads
        // (BatchNormalization's beta shares its gradient with the shift it makes) or that is another
        // weight's too is copied there.
        java.util.Set<Node> read = new java.util.HashSet<>();
        for (Node n : g.nodes()) read.addAll(n.deps());
        java.util.Set<Node> taken = new java.util.HashSet<>();
        for (Map.Entry<String, Node> e : g.params().entrySet()) {
            ParamInfo info = ((Op.Param) e.getValue().op()).info();
            if (!info.trainable()) continue;
            Node d = grad.get(e.getValue());
            if (d == null) {
                throw new IllegalStateException("parameter " + e.getKey() + " does not influence the loss");
            }
            if (read.contains(d) || !taken.add(d)) d = g.add(new Op.Affine(1, 0), List.of(d), e.getValue());
            g.setGrad(e.getKey(), d);
        }
    }

    /** Adds the input gradients {@code dx} of node {@code n} to the running sums. */
    private static void apply(Graph g, Node n, List<Node> dx, Map<Node, Node> grad) {
        for (int k = 0; k < dx.size(); k++) {
            Node d = dx.get(k);
            if (d != null) accumulate(g, grad, n.input(k), d);
        }
    }

    private static void accumulate(Graph g, Map<Node, Node> grad, Node of, Node d) {
        Node prev = grad.get(of);
        if (prev == null) {
            grad.put(of, d);
            return;
        }
        Node merged = Op.SliceGrad.merge(g, prev, d, of);
        grad.put(of, merged != null ? merged : g.add(new Op.Binary(Op.BinOp.ADD), List.of(prev, d), of));
    }

    /**
     * Differentiates the body of {@code loop} (its nodes in order, with any parameters created in
     * between). Gradients that reach body values from outside (through {@link Op.Stack}) are
     * already in {@code grad} as steps of the backward loop.
     */
    private static void differentiateLoop(Graph g, Loop loop, List<Node> body, Map<Node, Node> grad) {
        Loop back = loop.backward(g);
        List<Node> zeros = new ArrayList<>();
        for (int i = 0; i < loop.states(); i++) {
            Node c = loop.carry(i);
            zeros.add(g.addIn(null, new Op.Zeros(c.type()), List.of(), c.layer(), c.span()));
        }
        g.setCurrentLoop(back);
        // The gradient a state's next value gets from the step after it.
        List<Node> backCarries = new ArrayList<>();
        for (int i = 0; i < loop.states(); i++) {
            Node c = loop.carry(i);
            Node bc = back.addState(g, zeros.get(i), c.layer(), c.span());
            backCarries.add(bc);
            if (loop.source(i) != null) accumulate(g, grad, loop.source(i), bc);
        }
        Map<Node, Node> stepGrads = new LinkedHashMap<>();
        Map<Integer, Node> initGrads = new LinkedHashMap<>();
        for (int k = body.size() - 1; k >= 0; k--) {
            Node n = body.get(k);
            if (n.loop() != loop) continue;
            Node dy = grad.get(n);
            if (dy == null) continue;
            switch (n.op()) {
                case Op.StepIn s -> stepGrads.merge(n.input(0), dy, (a, b) -> g.add(new Op.Binary(Op.BinOp.ADD), List.of(a, b), n));
                case Op.Carry c -> {
                    back.setSource(c.index(), dy);
                    initGrads.put(c.index(), dy);
                }
                default -> apply(g, n, n.op().vjp(g, n, dy), grad);
            }
        }
        g.setCurrentLoop(null);
        for (Map.Entry<Node, Node> e : stepGrads.entrySet()) {
            Node d = e.getValue();
            accumulate(g, grad, e.getKey(), g.add(new Op.Stack(loop.steps()), List.of(d), d));
        }
        for (Map.Entry<Integer, Node> e : initGrads.entrySet()) {
            Node d = e.getValue(), c = loop.carry(e.getKey());
            Node all = g.add(new Op.Stack(loop.steps()), List.of(d), d);
            accumulate(g, grad, c.input(0), g.add(new Op.TimeStep(loop.firstStep()), List.of(all), c));
        }
    }
}
