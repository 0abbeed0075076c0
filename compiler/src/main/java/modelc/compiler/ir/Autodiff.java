package modelc.compiler.ir;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reverse-mode automatic differentiation over the IR: walks the forward nodes from the loss
 * backwards, applies each op's {@link Op#vjp} rule, sums gradients where a value has several
 * users, and records the gradient of every trainable parameter. The backward pass is ordinary IR,
 * planned and emitted like the forward pass.
 */
public final class Autodiff {
    private Autodiff() {}

    public static void run(Graph g) {
        Node loss = g.loss();
        if (loss == null) throw new IllegalStateException("graph has no loss");
        g.markForwardEnd();
        List<Node> forward = List.copyOf(g.forwardNodes());
        Map<Node, Node> grad = new HashMap<>();
        for (int i = forward.size() - 1; i >= 0; i--) {
            Node n = forward.get(i);
            Node dy = n == loss ? null : grad.get(n);
            if (n != loss && dy == null) continue;
            List<Node> dx = n.op().vjp(g, n, dy);
            for (int k = 0; k < dx.size(); k++) {
                Node d = dx.get(k);
                if (d == null) continue;
                Node in = n.input(k);
                Node prev = grad.get(in);
                grad.put(in, prev == null ? d : g.add(new Op.Binary(Op.BinOp.ADD), List.of(prev, d), in));
            }
        }
        for (Map.Entry<String, Node> e : g.params().entrySet()) {
            ParamInfo info = ((Op.Param) e.getValue().op()).info();
            if (!info.trainable()) continue;
            Node d = grad.get(e.getValue());
            if (d == null) {
                throw new IllegalStateException("parameter " + e.getKey() + " does not influence the loss");
            }
            g.setGrad(e.getKey(), d);
        }
    }
}
