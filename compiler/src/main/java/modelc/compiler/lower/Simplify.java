package modelc.compiler.lower;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import modelc.compiler.ir.Graph;
import modelc.compiler.ir.Node;

/**
 * Dead-code elimination: the nodes that the loss, the output or a parameter gradient depend on.
 * Autodiff's rules build every input's gradient, including the gradient of the model's inputs,
 * which nothing needs; this pass drops them.
 */
public final class Simplify {
    private Simplify() {}

    public static Set<Node> live(Graph g) {
        Set<Node> live = new HashSet<>();
        Deque<Node> work = new ArrayDeque<>();
        work.add(g.loss());
        work.addAll(g.penalties());
        work.add(g.output());
        work.addAll(g.stateOuts().values());
        work.addAll(g.grads().values());
        while (!work.isEmpty()) {
            Node n = work.pop();
            if (live.add(n)) work.addAll(n.deps());
        }
        return live;
    }

    /** The nodes of {@code nodes} that {@code roots} depend on, in their original order. */
    public static List<Node> needed(List<Node> nodes, List<Node> roots) {
        Set<Node> live = new HashSet<>();
        Deque<Node> work = new ArrayDeque<>(roots);
        while (!work.isEmpty()) {
            Node n = work.pop();
            if (live.add(n)) work.addAll(n.deps());
        }
        return nodes.stream().filter(live::contains).toList();
    }
}
