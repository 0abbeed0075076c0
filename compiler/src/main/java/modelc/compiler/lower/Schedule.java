package modelc.compiler.lower;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import modelc.compiler.ir.Graph;
import modelc.compiler.ir.Loop;
import modelc.compiler.ir.Node;

/**
 * The order kernels run in: the forward pass (what the output needs), the loss and the penalties
 * added to it (activity regularizers, which read forward values but are not part of a prediction),
 * and the backward pass (what the parameter gradients need). {@link #training()} is all of them, in order.
 */
public record Schedule(List<Node> forward, Node loss, List<Node> penalties, List<Node> backward, Map<Loop, Loops.Block> loops) {

    public static Schedule of(Graph g) {
        Set<Node> live = new HashSet<>(Simplify.live(g));
        // The forward pass: what the output and the stateful layers' final states need.
        List<Node> roots = new ArrayList<>(List.of(g.output()));
        roots.addAll(g.stateOuts().values());
        List<Node> forward = Simplify.needed(g.forwardNodes(), roots);
        List<Node> lossRoots = new ArrayList<>(List.of(g.loss()));
        lossRoots.addAll(g.penalties());
        List<Node> lossDeps = Simplify.needed(g.forwardNodes(), lossRoots);
        List<Node> extra = lossDeps.stream().filter(n -> !forward.contains(n) && n != g.loss() && !g.penalties().contains(n)).toList();
        List<Node> fwd = new ArrayList<>(forward);
        fwd.addAll(extra);
        List<Node> backward = g.backwardNodes().stream().filter(live::contains).toList();
        Map<Loop, Loops.Block> loops = new LinkedHashMap<>();
        return new Schedule(List.copyOf(Loops.group(fwd, loops)), g.loss(), List.copyOf(g.penalties()), List.copyOf(Loops.group(backward, loops)), loops);
    }

    /** The loop block {@code n} belongs to, or null. */
    public Loops.Block blockOf(Node n) {
        return n.loop() == null ? null : loops.get(n.loop());
    }

    public List<Node> training() {
        List<Node> all = new ArrayList<>(forward);
        all.add(loss);
        all.addAll(penalties);
        all.addAll(backward);
        return all;
    }
}
