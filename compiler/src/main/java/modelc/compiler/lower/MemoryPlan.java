package modelc.compiler.lower;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import modelc.compiler.ir.Graph;
import modelc.compiler.ir.Node;
import modelc.compiler.ir.Op;
import modelc.compiler.ir.ParamInfo;

/**
 * The static memory plan of a training step. Every value gets storage once, at compile time:
 * parameters and their final gradients live in the parameter and gradient arrays; everything else
 * shares one arena, laid out by liveness over the schedule (first fit), so values whose lifetimes do
 * not overlap reuse the same floats. Per-sample values are sized for the session's capacity;
 * values without a batch axis live in a fixed region at the arena's start.
 */
public final class MemoryPlan {
    private final Map<Node, Storage> storage = new LinkedHashMap<>();
    private final Map<String, Integer> paramOffsets = new LinkedHashMap<>();
    private java.util.Set<Node> singleSlot = java.util.Set.of();
    private int fixedSize;
    private int perSampleSize;
    private int paramSize;
    private int trainableSize;

    public Storage of(Node n) {
        Storage s = storage.get(n);
        if (s == null) throw new IllegalStateException("no storage for " + n + " " + n.op() + " of " + n.layer() + " (" + n.span() + ")");
        return s;
    }

    /** False for values fused into another node's kernel: they are never stored. */
    public boolean has(Node n) {
        return storage.containsKey(n);
    }

    public int paramOffset(String key) { return paramOffsets.get(key); }

    /** True for a loop body's value that is stored for one time step only (see {@link Loops#singleSlot}). */
    public boolean singleSlot(Node n) {
        return singleSlot.contains(n);
    }
    public int fixedSize() { return fixedSize; }
    public int perSampleSize() { return perSampleSize; }
    public int paramSize() { return paramSize; }
    public int trainableSize() { return trainableSize; }

    /** Values that a node's kernel writes to the gradient array directly (a parameter's final gradient). */
    public boolean isGrad(Node n) {
        return storage.get(n) instanceof Storage.Grad;
    }

    /**
     * Plans storage for {@code schedule} (forward then backward nodes, in execution order);
     * {@code keepAlive} values (output, loss, inputs) live for the whole step. Members of a fused
     * group ({@link Fusion}) read their inputs where their group runs, and those it does not store
     * get no storage. A loop's per-step values are stored for every step, and every value a loop
     * defines or reads is live for the whole block.
     */
    public static MemoryPlan plan(Graph g, List<Node> schedule, List<Node> keepAlive, Fusion fusion,
                                  Map<modelc.compiler.ir.Loop, Loops.Block> loops) {
        return plan(g, schedule, keepAlive, fusion.fusedInto(), fusion.runsWith(), loops,
                Loops.singleSlot(schedule, loops, new java.util.HashSet<>(keepAlive)), true);
    }

    /**
     * The inference plan of a training plan: the forward pass alone (nodes fused into backward
     * kernels left out), keeping only the inputs and the output, so values the backward pass would
     * read are freed at their last forward use. Loop bodies keep the training plan's one-slot
     * values, since the loop code is shared.
     */
    public static MemoryPlan inference(Graph g, List<Node> forward, Fusion fusion,
                                       Map<modelc.compiler.ir.Loop, Loops.Block> loops, MemoryPlan training) {
        Map<Node, Node> runsWith = fusion.runsWith();
        java.util.Set<Node> scheduled = new java.util.HashSet<>(forward);
        List<Node> schedule = forward.stream().filter(n -> !runsWith.containsKey(n) || scheduled.contains(runsWith.get(n))).toList();
        List<Node> keep = new ArrayList<>(g.inputs().values());
        keep.add(g.output());
        for (Node s : g.stateOuts().values()) if (!keep.contains(s)) keep.add(s);
        return plan(g, schedule, keep, fusion.fusedInto(), runsWith, loops, training.singleSlot, false);
    }

    private static MemoryPlan plan(Graph g, List<Node> schedule, List<Node> keepAlive, Map<Node, Node> fusedInto,
                                   Map<Node, Node> runsWith, Map<modelc.compiler.ir.Loop, Loops.Block> loops, java.util.Set<Node> singleSlot, boolean gradients) {
        MemoryPlan p = new MemoryPlan();
        p.singleSlot = singleSlot;
        // Parameters: trainable first, so gradient offsets equal parameter offsets.
        int off = 0;
        List<ParamInfo> infos = new ArrayList<>(g.paramInfos());
        infos.sort(Comparator.comparing(i -> !i.trainable()));
        for (ParamInfo info : infos) {
            p.paramOffsets.put(info.key(), off);
            if (info.trainable()) p.trainableSize = off + info.size();
            off += info.size();
        }
        p.paramSize = off;
        for (Map.Entry<String, Node> e : g.params().entrySet()) {
            p.storage.put(e.getValue(), new Storage.Param(e.getKey(), p.paramOffsets.get(e.getKey())));
        }
        // A parameter's final gradient is written straight into the gradient array, unless the same
        // value is also the gradient of another parameter or feeds another node.
        Map<Node, Integer> users = new HashMap<>();
        for (Node n : schedule) for (Node in : n.deps()) users.merge(in, 1, Integer::sum);
        // A gradient that is a reshape (a conv kernel used as a matrix) is written by the node it reshapes.
        for (Map.Entry<String, Node> e : gradients ? g.grads().entrySet() : java.util.Set.<Map.Entry<String, Node>>of()) {
            Node gn = e.getValue();
            if (users.containsKey(gn)) gn = null;
            while (gn != null && gn.op() instanceof Op.Reshape) gn = users.get(gn.input(0)) == 1 ? gn.input(0) : null;
            if (gn == null || p.storage.containsKey(gn) || gn.inputs().isEmpty()) {
                throw new IllegalStateException("the gradient of " + e.getKey() + " cannot be written into the gradient array in place");
            }
            p.storage.put(gn, new Storage.Grad(e.getKey(), p.paramOffsets.get(e.getKey())));
        }
        // Liveness: a value is live from its definition to its last use; a reshape extends its root.
        Map<Node, Node> root = new HashMap<>();
        Map<Node, Integer> def = new HashMap<>(), last = new HashMap<>(), position = new HashMap<>();
        Map<Node, Integer> blockStart = new HashMap<>(), blockEnd = new HashMap<>();
        for (int i = 0; i < schedule.size(); i++) position.put(schedule.get(i), i);
        for (Loops.Block b : loops.values()) {
            List<Node> all = b.all().stream().filter(position::containsKey).toList();
            if (all.isEmpty()) continue;
            int from = all.stream().mapToInt(position::get).min().orElseThrow(), to = all.stream().mapToInt(position::get).max().orElseThrow();
            for (Node n : all) {
                blockStart.put(n, from);
                blockEnd.put(n, to);
            }
        }
        for (int i = 0; i < schedule.size(); i++) {
            Node n = schedule.get(i);
            Node r = aliases(n) ? rootOf(root, n.input(0)) : n;
            root.put(n, r);
            def.putIfAbsent(r, (n.op() instanceof Op.Input || n.op() instanceof Op.Target) ? -1 : blockStart.getOrDefault(n, i));
            int at = runsWith.containsKey(n) ? blockEnd.getOrDefault(n, position.get(runsWith.get(n))) : blockEnd.getOrDefault(n, i);
            for (Node in : n.deps()) last.merge(rootOf(root, in), at, Math::max);
        }
        for (Node k : keepAlive) last.put(rootOf(root, k), schedule.size());
        // First-fit allocation, separately for fixed-size and per-sample values.
        List<Interval> fixed = new ArrayList<>(), batched = new ArrayList<>();
        for (Node n : schedule) {
            if (root.get(n) != n || p.storage.containsKey(n) || fusedInto.containsKey(n)) continue;
            int size = p.singleSlot(n) ? n.type().elementsPerSample() : storedSize(n);
            int from = def.get(n), to = last.getOrDefault(n, def.get(n));
            Interval iv = new Interval(n, from, to, size, 0);
            (n.type().isBatched() ? batched : fixed).add(iv);
        }
        p.fixedSize = allocate(fixed);
        p.perSampleSize = allocate(batched);
        for (Interval iv : fixed) p.storage.put(iv.node, new Storage.Arena(iv.offset, 0));
        for (Interval iv : batched) p.storage.put(iv.node, new Storage.Arena(p.fixedSize, iv.offset));
        for (Node n : schedule) {
            if (!p.storage.containsKey(n) && !fusedInto.containsKey(n)) p.storage.put(n, p.storage.get(root.get(n)));
        }
        return p;
    }

    /** Ops whose value is their input's storage seen differently: a reshape, one step of a sequence, all steps of a body value. */
    private static boolean aliases(Node n) {
        return n.op() instanceof Op.Reshape || n.op() instanceof Op.StepIn || n.op() instanceof Op.Stack;
    }

    /** Floats per sample (or in all, if not per sample): a loop body's per-step value is kept for every step. */
    public static int storedSize(Node n) {
        int size = n.type().elementsPerSample();
        return n.loop() != null && n.type().isBatched() ? Math.multiplyExact(size, n.loop().steps()) : size;
    }

    private static Node rootOf(Map<Node, Node> root, Node n) {
        return root.getOrDefault(n, n);
    }

    private static final class Interval {
        final Node node;
        final int from, to, size;
        int offset;

        Interval(Node node, int from, int to, int size, int offset) {
            this.node = node;
            this.from = from;
            this.to = to;
            this.size = size;
            this.offset = offset;
        }
    }

    /** Places intervals in order of definition at the lowest offset free for their lifetime; returns the total size. */
    private static int allocate(List<Interval> ivs) {
        List<Interval> placed = new ArrayList<>();
        int total = 0;
        for (Interval iv : ivs) {
            List<Interval> overlapping = placed.stream()
                    .filter(o -> o.from <= iv.to && iv.from <= o.to)
                    .sorted(Comparator.comparingInt(o -> o.offset)).toList();
            int candidate = 0;
            for (Interval o : overlapping) {
                if (candidate + iv.size <= o.offset) break;
                candidate = Math.max(candidate, o.offset + o.size);
            }
            iv.offset = candidate;
            placed.add(iv);
            total = Math.max(total, candidate + iv.size);
        }
        return total;
    }
}
