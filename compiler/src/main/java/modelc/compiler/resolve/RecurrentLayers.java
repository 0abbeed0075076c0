package modelc.compiler.resolve;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import modelc.compiler.diag.CompileException;
import modelc.compiler.diag.Span;
import modelc.compiler.ir.Dim;
import modelc.compiler.ir.Graph;
import modelc.compiler.ir.InitSpec;
import modelc.compiler.ir.Loop;
import modelc.compiler.ir.Node;
import modelc.compiler.ir.Op;
import modelc.compiler.ir.TensorType;

/**
 * Keras's recurrent layers ({@code reference/keras-semantics.md} §6): SimpleRNN, GRU (reset_after
 * true and false) and LSTM with Keras's weight layouts, gate orders, initialisers and defaults,
 * masks (a masked step keeps the state), variational dropout (one mask per sequence, on the inputs
 * and on the recurrent state), return_sequences and go_backwards; Bidirectional and TimeDistributed.
 * Each cell is written as a loop body of primitive ops (see {@link Loop}); autodiff derives
 * backpropagation through time, and the input projection {@code x·W} of all steps runs as one GEMM
 * before the time loop.
 */
final class RecurrentLayers {
    private RecurrentLayers() {}

    private static final Set<String> IGNORED = union(CoreLayers.INPUT_SHAPE_ARGS, Set.of("input_length", "unroll", "use_cudnn"));

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> all = new java.util.HashSet<>(a);
        all.addAll(b);
        return Set.copyOf(all);
    }

    static void register(Map<String, LayerLibrary.Factory> lib, LayerLibrary library) {
        lib.put("SimpleRNN", (a, ctx) -> layer(Spec.parse("SimpleRNN", a, ctx), ctx.name("SimpleRNN", a), a.span(), ctx).regularized(a));
        lib.put("GRU", (a, ctx) -> layer(Spec.parse("GRU", a, ctx), ctx.name("GRU", a), a.span(), ctx).regularized(a));
        lib.put("LSTM", (a, ctx) -> layer(Spec.parse("LSTM", a, ctx), ctx.name("LSTM", a), a.span(), ctx).regularized(a));
        lib.put("RNN", (a, ctx) -> rnn(a, ctx, library));
        lib.put("Bidirectional", RecurrentLayers::bidirectional);
        lib.put("TimeDistributed", (a, ctx) -> timeDistributed(a, ctx, library));
    }

    /** A recurrent layer's arguments. */
    record Spec(String kind, int units, Val activation, Val recurrentActivation, boolean useBias, InitSpec kernelInit,
                InitSpec recurrentInit, InitSpec biasInit, boolean resetAfter, double dropout, double recurrentDropout,
                boolean returnSequences, boolean returnState, boolean goBackwards, int inputStream, int recurrentStream, Span stateful,
                boolean perGateMasks) {

        static Spec parse(String kind, Args a, LayerLibrary.Context ctx) {
            List<String> names = new ArrayList<>(List.of("units", "activation"));
            if (!kind.equals("SimpleRNN")) names.add("recurrent_activation");
            names.addAll(List.of("use_bias", "kernel_initializer", "recurrent_initializer", "bias_initializer"));
            if (kind.equals("LSTM")) names.add("unit_forget_bias");
            names.addAll(List.of("kernel_regularizer", "recurrent_regularizer", "bias_regularizer", "activity_regularizer",
                    "kernel_constraint", "recurrent_constraint", "bias_constraint", "dropout", "recurrent_dropout", "seed",
                    "return_sequences", "return_state", "go_backwards", "stateful"));
            if (kind.equals("GRU")) names.add("reset_after");
            if (!kind.equals("SimpleRNN")) names.add("implementation");
            names.add("name");
            a.bind(names, Map.of(), IGNORED);
            int units = a.integer("units");
            if (units <= 0) throw new CompileException(a.require("units").span(), kind + " needs a positive number of units, got " + units);
            Val act = a.has("activation") ? a.get("activation") : new Val.Str(a.span(), "tanh", false);
            Val rec = a.has("recurrent_activation") ? a.get("recurrent_activation") : new Val.Str(a.span(), "sigmoid", false);
            Activations.validate(act);
            Activations.validate(rec);
            boolean useBias = a.bool("use_bias", true);
            InitSpec bias = CoreLayers.initializer(a, "bias_initializer", "zeros");
            if (kind.equals("LSTM") && useBias && a.bool("unit_forget_bias", true)) {
                if (!bias.name().equals("zeros")) {
                    throw new CompileException(a.get("bias_initializer").span(), "LSTM: a bias_initializer other than zeros together with"
                            + " unit_forget_bias=true is not supported yet", "pass unit_forget_bias=false");
                }
                bias = new InitSpec("unit_forget_bias", units, 0);
            }
            double dropout = rate(a, "dropout"), recurrentDropout = rate(a, "recurrent_dropout");
            // Keras 3 runs a gated cell as "implementation 1" when recurrent_dropout is set (or implementation=1
            // is asked for): then each gate draws its own masks, for the inputs and for the state.
            int gates = gates(kind);
            int implementation = a.integer("implementation", 2);
            if (implementation != 1 && implementation != 2) {
                throw new CompileException(a.get("implementation").span(), kind + ": implementation must be 1 or 2, got " + implementation);
            }
            boolean perGate = gates > 1 && (recurrentDropout > 0 || implementation == 1);
            int masks = perGate ? gates : 1;
            return new Spec(kind, units, act, rec, useBias, CoreLayers.initializer(a, "kernel_initializer", "glorot_uniform"),
                    CoreLayers.initializer(a, "recurrent_initializer", "orthogonal"), bias, a.bool("reset_after", true), dropout,
                    recurrentDropout, a.bool("return_sequences", false), a.bool("return_state", false), a.bool("go_backwards", false),
                    dropout > 0 ? streams(ctx, masks) : 0, recurrentDropout > 0 ? streams(ctx, masks) : 0,
                    a.bool("stateful", false) ? a.get("stateful").span() : null, perGate);
        }

        /**
         * The same layer with random streams of its own: Keras's Bidirectional runs a copy of the layer over
         * the reversed sequence, and each copy draws its own dropout masks.
         */
        Spec withOwnStreams(LayerLibrary.Context ctx) {
            int masks = perGateMasks ? gates(kind) : 1;
            return new Spec(kind, units, activation, recurrentActivation, useBias, kernelInit, recurrentInit, biasInit, resetAfter, dropout,
                    recurrentDropout, returnSequences, returnState, goBackwards, dropout > 0 ? streams(ctx, masks) : 0,
                    recurrentDropout > 0 ? streams(ctx, masks) : 0, stateful, perGateMasks);
        }

        /** The first of {@code count} consecutive random streams (one per gate's mask). */
        private static int streams(LayerLibrary.Context ctx, int count) {
            int first = ctx.nextStream();
            for (int i = 1; i < count; i++) ctx.nextStream();
            return first;
        }

        private static double rate(Args a, String name) {
            double r = a.number(name, 0);
            if (r < 0 || r >= 1) throw new CompileException(a.get(name).span(), name + " must be in [0, 1), got " + r);
            return r;
        }

        /** Columns of the fused kernel: one block of units per gate. */
        int gates() {
            return gates(kind);
        }

        private static int gates(String kind) {
            return switch (kind) {
                case "LSTM" -> 4;
                case "GRU" -> 3;
                default -> 1;
            };
        }
    }

    /**
     * A recurrent layer: its call may give {@code initial_state=}, and it returns its output and,
     * with return_state, its final states ({@link #lowerAll}).
     */
    private abstract static class Recurrent extends Layer {
        Recurrent(String kerasClass, String name, Span span) {
            super(kerasClass, name, span);
        }

        @Override
        protected final Node lower(Graph g, List<Node> in, Span s) {
            return lowerAll(g, in, s).get(0);
        }

        @Override
        protected abstract List<Node> lowerAll(Graph g, List<Node> in, Span s);

        @Override
        protected final boolean takesInitialState() {
            return true;
        }

        /**
         * Keras's stateful=True: the states a batch starts from. Without initial_state, each state
         * as the previous batch left it ({@code <key>.states.<i>}, zeros after a reset); with it,
         * the given ones (Keras uses them, and still keeps the final states).
         */
        List<Node> carried(Graph g, Span stateful, List<TensorType> types, String prefix, Span s) {
            if (stateful == null) return initialState();
            if (g.fixedBatch() == 0) {
                throw new CompileException(stateful, kerasClass() + ": stateful=true needs a fixed batch size, as in Keras",
                        "declare it on the input: input x: float[steps, features], batch_size=32 (Keras: Input(shape, batch_size=32))");
            }
            for (TensorType t : types) {
                if (!t.dim(0).equals(Dim.BATCH)) {
                    throw new CompileException(stateful, kerasClass() + ": stateful=true is not supported under TimeDistributed");
                }
            }
            if (g.stateIns().containsKey(prefix + ".states.0")) {
                throw new CompileException(s, "the stateful layer '" + name() + "' is called a second time; its states belong to one call",
                        "make a second layer");
            }
            List<Node> in = new ArrayList<>();
            for (int i = 0; i < types.size(); i++) in.add(g.addStateIn(prefix + ".states." + i, types.get(i), name(), s));
            return initialState().isEmpty() ? in : initialState();
        }

        /** Keeps the first {@code count} final states of {@code loop} for the next batch (stateful=True). */
        void keep(Graph g, Span stateful, Loop loop, int count, String prefix, Span s) {
            if (stateful == null) return;
            List<Node> fin = finalStates(g, loop, name(), s);
            for (int i = 0; i < count; i++) g.setStateOut(prefix + ".states." + i, fin.get(i));
        }
    }

    /** The states of a built-in layer of {@code sp} on {@code x}: h, and c for LSTM. */
    private static List<TensorType> stateTypes(Spec sp, Node x) {
        TensorType state = TensorType.floats(List.of(x.type().dim(0), Dim.of(sp.units())));
        return sp.kind().equals("LSTM") ? List.of(state, state) : List.of(state);
    }

    /** Makes (or finds) a weight of the layer being lowered, under a prefix such as "forward." for Bidirectional. */
    interface Weights {
        Node get(String name, List<Integer> shape, InitSpec init);
    }

    /**
     * One run over a sequence: the output at every step (time-major), the loop, and the output with
     * masked steps set to zero (Keras's zero_output_for_mask, which Bidirectional sets for sequences),
     * or null without a mask.
     */
    record Run(Node states, Loop loop, Node zeroMasked) {
        Run(Node states, Loop loop) {
            this(states, loop, null);
        }
    }

    private static Layer layer(Spec sp, String name, Span span, LayerLibrary.Context ctx) {
        return new Recurrent(sp.kind(), name, span) {
            protected List<Node> lowerAll(Graph g, List<Node> in, Span s) {
                Node x = sequence(single(in, s), sp.kind(), s);
                Node mask = stepMask(g, x, ctx, name(), s);
                List<Node> init = carried(g, sp.stateful(), stateTypes(sp, x), keyPrefix(), s);
                Run r = run(g, sp, x, mask, sp.goBackwards(), init, (w, shape, init2) -> weight(g, w, shape, true, init2), name(), s);
                keep(g, sp.stateful(), r.loop(), r.loop().states(), keyPrefix(), s);
                Node out = output(g, sp, r, sp.goBackwards(), name(), s);
                if (sp.returnSequences() && mask != null) ctx.masks().set(out, mask);
                List<Node> all = new ArrayList<>(List.of(out));
                if (sp.returnState()) all.addAll(finalStates(g, r.loop(), name(), s));
                return all;
            }
        };
    }

    /**
     * The states a run starts from: the call's {@code initial_state=} tensors, checked against the
     * states' shapes, or zeros if none were given.
     */
    static List<Node> initialStates(Graph g, List<Node> given, List<TensorType> states, String what, String layer, Span s) {
        if (given.isEmpty()) {
            List<Node> zeros = new ArrayList<>();
            for (TensorType t : states) zeros.add(g.add(new Op.Zeros(t), List.of(), layer, s));
            return zeros;
        }
        if (given.size() != states.size()) {
            throw new CompileException(s, what + " has " + states.size() + " state" + (states.size() == 1 ? "" : "s") + ", but initial_state gives "
                    + given.size());
        }
        for (int i = 0; i < states.size(); i++) {
            if (!given.get(i).type().dims().equals(states.get(i).dims())) {
                throw new CompileException(s, what + "'s state " + i + " has shape " + states.get(i).kerasShape() + ", but initial_state gives "
                        + given.get(i).type().kerasShape());
            }
        }
        return given;
    }

    /** Each state after the last step (with a mask, after the last unmasked one): Keras's return_state. */
    static List<Node> finalStates(Graph g, Loop loop, String layer, Span s) {
        List<Node> out = new ArrayList<>();
        for (int i = 0; i < loop.states(); i++) {
            Node all = g.add(new Op.Stack(loop.steps()), List.of(loop.source(i)), layer, s);
            out.add(g.add(new Op.TimeStep(loop.lastStep()), List.of(all), layer, s));
        }
        return out;
    }

    /**
     * The mask of the sequence {@code x} as {@code [batch, steps]}, or null. A mask with more axes
     * (TimeDistributed passes on its input's, such as the words of each sentence) is read as Keras's
     * JAX backend reads it in a recurrent layer: a step is present if any of its entries is.
     */
    static Node stepMask(Graph g, Node x, LayerLibrary.Context ctx, String layer, Span s) {
        Node mask = ctx.masks().of(x);
        if (mask == null || mask.type().rank() == 2) return mask;
        TensorType m = mask.type();
        Node rows = g.add(new Op.Reshape(List.of(m.dim(0), m.dim(1), Dim.of(m.sampleSize() / m.dim(1).size()))), List.of(mask), layer, s);
        return g.add(new Op.AnyNotEqual(0), List.of(rows), layer, s);
    }

    private static Node sequence(Node x, String what, Span s) {
        TensorType t = x.type();
        if (t.rank() != 3 || !t.isBatched() || t.isTimeMajor()) {
            throw new CompileException(s, what + " needs an input of shape (batch, steps, features), got " + t.kerasShape());
        }
        return x;
    }

    /**
     * The layer's output from a run: the whole sequence of outputs ({@code [batch, steps, units]},
     * in the order the steps were processed, as Keras returns it for go_backwards) or the last one.
     */
    private static Node output(Graph g, Spec sp, Run r, boolean reversedOrder, String layer, Span s) {
        if (sp.returnSequences()) return g.add(new Op.SwapBatchTime(reversedOrder), List.of(r.states()), layer, s);
        return g.add(new Op.TimeStep(r.loop().lastStep()), List.of(r.states()), layer, s);
    }

    /**
     * Runs the cell of {@code sp} over {@code x} ({@code [batch, steps, features]}) from zero states,
     * from the last step to the first if {@code reverse}; a mask ({@code [batch, steps]}) makes a
     * masked step keep the states.
     */
    static Run run(Graph g, Spec sp, Node x, Node mask, boolean reverse, List<Node> initial, Weights w, String layer, Span s) {
        int steps = x.type().dim(1).size(), features = x.type().dim(2).size(), u = sp.units();
        Node kernel = w.get("kernel", List.of(features, sp.gates() * u), sp.kernelInit());
        Node recurrent = w.get("recurrent_kernel", List.of(u, sp.gates() * u), sp.recurrentInit());
        Node bias = null;
        if (sp.useBias()) {
            boolean twoRows = sp.kind().equals("GRU") && sp.resetAfter();
            bias = w.get("bias", twoRows ? List.of(2, 3 * u) : List.of(sp.gates() * u), sp.biasInit());
        }
        // Input dropout keeps one mask per (sequence, feature) for every step: applied to the whole
        // sequence before the loop (the same keys, so the same mask as inside a step), it lets x·W
        // run as one product over all steps instead of one per step.
        // With per-gate masks each gate reads its own dropped copy of the sequence, after the sequence itself
        // (which the product reads in a step without dropout: one x·W for every gate, see Op.GateMatMul).
        boolean perGateIn = sp.perGateMasks() && sp.dropout() > 0, perGateRec = sp.perGateMasks() && sp.recurrentDropout() > 0;
        List<Node> xs = new ArrayList<>();
        if (perGateIn) xs.add(g.add(new Op.SwapBatchTime(false), List.of(x), layer, s));
        for (int k = 0; k < (perGateIn ? sp.gates() : 1); k++) {
            Node dropped = sp.dropout() > 0 ? g.add(new Op.SpatialDropout(sp.dropout(), sp.inputStream() + k), List.of(x), layer, s) : x;
            xs.add(g.add(new Op.SwapBatchTime(false), List.of(dropped), layer, s));
        }
        Node ms = mask == null ? null : g.add(new Op.SwapBatchTime(false), List.of(mask), layer, s);
        TensorType state = TensorType.floats(List.of(x.type().dim(0), Dim.of(u)));
        List<Node> inits = initialStates(g, initial, List.of(state, state).subList(0, sp.kind().equals("LSTM") ? 2 : 1), sp.kind(), layer, s);
        Node h0 = inits.get(0);
        Node c0 = sp.kind().equals("LSTM") ? inits.get(1) : null;

        Loop loop = g.beginLoop(steps, reverse);
        Cell c = new Cell(g, layer, s);
        Node mt = ms == null ? null : c.op(new Op.StepIn(), ms);
        Node h = loop.addState(g, h0, layer, s);
        Node cPrev = c0 == null ? null : loop.addState(g, c0, layer, s);
        Node hin = sp.recurrentDropout() > 0 && !perGateRec ? c.op(new Op.Dropout(sp.recurrentDropout(), sp.recurrentStream()), h) : h;
        Node hNext, cNext = null;
        // x·W over all gates; with per-gate input masks (Keras's implementation 1) gate k's columns from its own dropped input.
        List<Node> xin = new ArrayList<>();
        for (Node seq : xs) xin.add(c.op(new Op.StepIn(), seq));
        Node xw = perGateIn ? c.gateMatMul(xin, kernel) : c.matmul(xin.get(0), kernel);
        switch (sp.kind()) {
            case "SimpleRNN" -> {
                Node z = c.add(xw, c.matmul(hin, recurrent));
                if (bias != null) z = c.add(z, bias);
                hNext = c.act(sp.activation(), z);
            }
            case "LSTM" -> {
                Node xz = xw;
                if (bias != null) xz = c.add(xz, bias);
                Node z = c.add(xz, stateProduct(c, sp, h, hin, recurrent, 4, perGateRec));
                Node i = c.act(sp.recurrentActivation(), c.gate(z, 0, u));
                Node f = c.act(sp.recurrentActivation(), c.gate(z, 1, u));
                Node cc = c.act(sp.activation(), c.gate(z, 2, u));
                Node o = c.act(sp.recurrentActivation(), c.gate(z, 3, u));
                cNext = c.add(c.mul(f, cPrev), c.mul(i, cc));
                hNext = c.mul(o, c.act(sp.activation(), cNext));
            }
            case "GRU" -> {
                Node xz = xw;
                Node z, r, hh;
                if (sp.resetAfter()) {
                    Node hz = stateProduct(c, sp, h, hin, recurrent, 3, perGateRec);
                    if (bias != null) {
                        xz = c.add(xz, c.biasRow(bias, 0, 3 * u));
                        hz = c.add(hz, c.biasRow(bias, 1, 3 * u));
                    }
                    z = c.act(sp.recurrentActivation(), c.add(c.gate(xz, 0, u), c.gate(hz, 0, u)));
                    r = c.act(sp.recurrentActivation(), c.add(c.gate(xz, 1, u), c.gate(hz, 1, u)));
                    hh = c.act(sp.activation(), c.add(c.gate(xz, 2, u), c.mul(r, c.gate(hz, 2, u))));
                } else {
                    if (bias != null) xz = c.add(xz, bias);
                    Node zr = stateProduct(c, sp, h, hin, c.op(new Op.Slice(1, 0, 2 * u), recurrent), 2, perGateRec);
                    z = c.act(sp.recurrentActivation(), c.add(c.gate(xz, 0, u), c.gate(zr, 0, u)));
                    r = c.act(sp.recurrentActivation(), c.add(c.gate(xz, 1, u), c.gate(zr, 1, u)));
                    // reset_before multiplies r·h by U_h itself: with per-gate masks, by the candidate gate's dropped h
                    Node hForH = perGateRec ? c.op(new Op.Dropout(sp.recurrentDropout(), sp.recurrentStream() + 2), h) : hin;
                    Node rh = c.matmul(c.mul(r, hForH), c.op(new Op.Slice(1, 2 * u, u), recurrent));
                    hh = c.act(sp.activation(), c.add(c.gate(xz, 2, u), rh));
                }
                // h = z·h_prev + (1 - z)·ĥ
                hNext = c.add(c.mul(z, h), c.mul(c.op(new Op.Affine(-1, 1), z), hh));
            }
            default -> throw new IllegalStateException(sp.kind());
        }
        if (mt != null) {
            hNext = c.op(new Op.Select(), mt, hNext, h);
            if (cNext != null) cNext = c.op(new Op.Select(), mt, cNext, cPrev);
        }
        loop.setSource(0, hNext);
        if (cNext != null) loop.setSource(1, cNext);
        Node zeroed = mt == null ? null : c.op(new Op.MaskRows(true), mt, hNext);
        g.endLoop();
        Node seq = g.add(new Op.Stack(steps), List.of(hNext), layer, s);
        return new Run(seq, loop, zeroed == null ? null : g.add(new Op.Stack(steps), List.of(zeroed), layer, s));
    }

    /**
     * The state's product {@code h·U} for the first {@code gates} gates of U's columns: with per-gate masks
     * (Keras's implementation 1), gate k's columns from h under gate k's own mask in a training step, and one
     * product of h by all of U otherwise ({@link Op.GateMatMul}); else the product of the (shared-mask) state hin.
     */
    private static Node stateProduct(Cell c, Spec sp, Node h, Node hin, Node recurrent, int gates, boolean perGateRec) {
        if (!perGateRec) return c.matmul(hin, recurrent);
        List<Node> in = new ArrayList<>(List.of(h));
        for (int k = 0; k < gates; k++) in.add(c.op(new Op.Dropout(sp.recurrentDropout(), sp.recurrentStream() + k), h));
        return c.gateMatMul(in, recurrent);
    }

    /** Builds a cell body: each helper adds one node of the layer at the call's span. */
    private record Cell(Graph g, String layer, Span s) {
        Node op(Op op, Node... in) {
            return g.add(op, List.of(in), layer, s);
        }

        Node matmul(Node x, Node w) { return op(new Op.MatMul(), x, w); }
        Node add(Node a, Node b) { return op(new Op.Binary(Op.BinOp.ADD), a, b); }
        Node mul(Node a, Node b) { return op(new Op.Binary(Op.BinOp.MUL), a, b); }
        Node act(Val fn, Node x) { return Activations.apply(g, x, fn, layer, s); }

        /** x·w where gate k reads its own dropped x ({@code in}: x, then each gate's, see {@link Op.GateMatMul}). */
        Node gateMatMul(List<Node> in, Node w) {
            List<Node> all = new ArrayList<>(in);
            all.add(w);
            return g.add(new Op.GateMatMul(in.size() - 1), all, layer, s);
        }

        /** Gate {@code k}'s block of {@code units} columns of a fused [batch, gates·units] value. */
        Node gate(Node z, int k, int units) { return op(new Op.Slice(1, k * units, units), z); }


        /** Row {@code row} of a [2, width] bias as a [width] vector. */
        Node biasRow(Node bias, int row, int width) {
            Node r = op(new Op.Slice(0, row, 1), bias);
            return op(new Op.Reshape(List.of(Dim.of(width))), r);
        }
    }

    // ------------------------------------------------------------------ RNN(cell)

    private static final Map<String, String> BUILT_IN_CELLS = Map.of("SimpleRNNCell", "SimpleRNN", "LSTMCell", "LSTM", "GRUCell", "GRU");

    /**
     * RNN(cell, return_sequences=false, go_backwards=false): a cell written in the language
     * ({@code cell Elman(units) {...}}) or Keras's SimpleRNNCell, LSTMCell, GRUCell, unrolled over
     * time. Weights are keyed under the RNN layer's name ({@code rnn.W}, {@code rnn.kernel}).
     */
    private static Layer rnn(Args a, LayerLibrary.Context ctx, LayerLibrary library) {
        a.bind(List.of("cell", "return_sequences", "return_state", "go_backwards", "stateful", "unroll", "zero_output_for_mask", "name"),
                Map.of(), IGNORED);
        if (a.bool("zero_output_for_mask", false)) {
            throw new CompileException(a.get("zero_output_for_mask").span(), "RNN: zero_output_for_mask=true is not supported yet");
        }
        Span stateful = a.bool("stateful", false) ? a.get("stateful").span() : null;
        boolean sequences = a.bool("return_sequences", false), backwards = a.bool("go_backwards", false), states = a.bool("return_state", false);
        Val cv = a.require("cell");
        if (!(cv instanceof Val.Ctor c)) throw new CompileException(cv.span(), "RNN needs a cell such as Elman(4) or LSTMCell(8), got " + cv);
        Spec builtIn = null;
        UserCell user = null;
        if (BUILT_IN_CELLS.containsKey(c.name())) {
            Spec p = Spec.parse(BUILT_IN_CELLS.get(c.name()), c.args(), ctx);
            builtIn = new Spec(p.kind(), p.units(), p.activation(), p.recurrentActivation(), p.useBias(), p.kernelInit(), p.recurrentInit(),
                    p.biasInit(), p.resetAfter(), p.dropout(), p.recurrentDropout(), sequences, states, backwards, p.inputStream(), p.recurrentStream(),
                    p.stateful(), p.perGateMasks());
            if (p.stateful() != null) {
                throw new CompileException(p.stateful(), "stateful belongs to the RNN layer, not to its cell", "write RNN(" + c.name() + "(...), stateful=true)");
            }
        } else if (library.cell(c.name()) != null) {
            user = UserCell.bind(library.cell(c.name()), c.args(), library, ctx);
        } else {
            throw new CompileException(cv.span(), "unknown cell '" + c.name() + "'", "define it with cell " + c.name()
                    + "(...) { state ...; step(x) { ... } }, or use SimpleRNNCell, LSTMCell or GRUCell");
        }
        Spec sp = builtIn;
        UserCell uc = user;
        return new Recurrent("RNN", ctx.name("RNN", a), a.span()) {
            protected List<Node> lowerAll(Graph g, List<Node> in, Span s) {
                Node x = sequence(single(in, s), "RNN", s);
                Node mask = stepMask(g, x, ctx, name(), s);
                List<TensorType> types = sp != null ? stateTypes(sp, x) : uc.stateTypes(x.type().dim(0));
                List<Node> init = carried(g, stateful, types, keyPrefix(), s);
                Run r = sp != null
                        ? run(g, sp, x, mask, backwards, init, (w, shape, i) -> weight(g, w, shape, true, i), name(), s)
                        : uc.run(g, x, mask, backwards, init, (w, shape, trainable, i, reg) -> weight(g, w, shape, trainable, i, reg), name(), s);
                keep(g, stateful, r.loop(), types.size(), keyPrefix(), s);
                Node out = sequences ? g.add(new Op.SwapBatchTime(backwards), List.of(r.states()), name(), s)
                        : g.add(new Op.TimeStep(r.loop().lastStep()), List.of(r.states()), name(), s);
                if (sequences && mask != null) ctx.masks().set(out, mask);
                List<Node> all = new ArrayList<>(List.of(out));
                // A user cell's masked output that is not a state is carried as an extra state: not one of the cell's states.
                if (states) all.addAll(finalStates(g, r.loop(), name(), s).subList(0, uc != null ? uc.states() : r.loop().states()));
                return all;
            }
        }.regularized(builtIn != null ? c.args() : a);
    }

    // ------------------------------------------------------------------ wrappers

    private static final Set<String> MERGE_MODES = Set.of("concat", "sum", "mul", "ave");

    /**
     * Bidirectional(layer, merge_mode="concat"): the layer over the sequence and a copy over the
     * reversed sequence, with weights keyed {@code <name>.forward.*} and {@code <name>.backward.*}.
     * With return_sequences the backward outputs are put back in time order before merging.
     */
    private static Layer bidirectional(Args a, LayerLibrary.Context ctx) {
        a.bind(List.of("layer", "merge_mode", "weights", "backward_layer", "name"), Map.of(), IGNORED);
        if (a.has("weights")) throw new CompileException(a.get("weights").span(), "Bidirectional: weights= is not supported; load weights with --weights");
        if (a.has("backward_layer")) throw new CompileException(a.get("backward_layer").span(), "Bidirectional: backward_layer is not supported yet");
        Val inner = a.require("layer");
        if (!(inner instanceof Val.Ctor c) || !Set.of("SimpleRNN", "GRU", "LSTM").contains(c.name())) {
            throw new CompileException(inner.span(), "Bidirectional wraps a recurrent layer such as LSTM(64), got " + inner);
        }
        Spec sp = Spec.parse(c.name(), c.args(), ctx), back = sp.withOwnStreams(ctx);
        // Python builds the wrapped layer first: it uses up its automatic name (after Bidirectional(GRU(5)) the next GRU is gru_1).
        ctx.name(c.name(), c.args());
        String mode = a.option("merge_mode", "concat", MERGE_MODES);
        return new Recurrent("Bidirectional", ctx.name("Bidirectional", a), a.span()) {
            /** The call's outputs of each direction before the merge, then each direction's states (if returned). */
            private List<Node> directions;

            /** Keras penalises the wrapped layer's outputs: each copy's own (its output and states), before the merge. */
            @Override
            protected List<Node> penalised(List<Node> out) {
                return directions;
            }

            protected List<Node> lowerAll(Graph g, List<Node> in, Span s) {
                Node x = sequence(single(in, s), "Bidirectional", s);
                Node mask = stepMask(g, x, ctx, name(), s);
                // initial_state: the forward layer's states, then the backward layer's, as in Keras.
                List<Node> init = initialState();
                int half = init.size() / 2;
                if (init.size() % 2 != 0) throw new CompileException(s, "Bidirectional's initial_state needs as many states for each direction");
                List<Node> fwInit = init.subList(0, half), bwInit = init.subList(half, init.size());
                if (sp.stateful() != null) {
                    // Keras keeps each direction's states in its own layer: forward_layer.states, backward_layer.states.
                    List<Node> f = carried(g, sp.stateful(), stateTypes(sp, x), keyPrefix() + ".forward", s);
                    List<Node> b = carried(g, sp.stateful(), stateTypes(sp, x), keyPrefix() + ".backward", s);
                    if (init.isEmpty()) {
                        fwInit = f;
                        bwInit = b;
                    }
                }
                Run fw = run(g, sp, x, mask, sp.goBackwards(), fwInit, (w, shape, i) -> weight(g, "forward." + w, shape, true, i), name(), s);
                Run bw = run(g, back, x, mask, !sp.goBackwards(), bwInit, (w, shape, i) -> weight(g, "backward." + w, shape, true, i), name(), s);
                keep(g, sp.stateful(), fw.loop(), fw.loop().states(), keyPrefix() + ".forward", s);
                keep(g, sp.stateful(), bw.loop(), bw.loop().states(), keyPrefix() + ".backward", s);
                // Keras's Bidirectional sets zero_output_for_mask on both layers when they return sequences.
                Node f = output(g, sp, sp.returnSequences() ? zeroed(fw) : fw, sp.goBackwards(), name(), s);
                Node b = output(g, sp, sp.returnSequences() ? zeroed(bw) : bw, sp.goBackwards(), name(), s);
                Node out = switch (mode) {
                    case "concat" -> g.add(new Op.Concat(f.type().rank() - 1), List.of(f, b), name(), s);
                    case "sum" -> g.add(new Op.Binary(Op.BinOp.ADD), List.of(f, b), name(), s);
                    case "mul" -> g.add(new Op.Binary(Op.BinOp.MUL), List.of(f, b), name(), s);
                    default -> g.add(new Op.Affine(0.5, 0), List.of(g.add(new Op.Binary(Op.BinOp.ADD), List.of(f, b), name(), s)), name(), s);
                };
                if (sp.returnSequences() && mask != null) ctx.masks().set(out, mask);
                List<Node> all = new ArrayList<>(List.of(out));
                directions = new ArrayList<>(List.of(f, b));
                if (sp.returnState()) {
                    List<Node> fs = finalStates(g, fw.loop(), name(), s), bs = finalStates(g, bw.loop(), name(), s);
                    all.addAll(fs);
                    all.addAll(bs);
                    directions.addAll(fs);
                    directions.addAll(bs);
                }
                return all;
            }
        }.regularized(c.args());
    }

    private static Run zeroed(Run r) {
        return r.zeroMasked() == null ? r : new Run(r.zeroMasked(), r.loop());
    }

    /** Layers that act on the last axis (or each element) alone: applied to the whole sequence, they act on every time step. */
    private static final Set<String> PER_STEP = Set.of("Dense", "Activation", "Dropout", "LayerNormalization", "Rescaling", "Embedding");
    /** Layers of several inputs, which TimeDistributed (one input) cannot wrap. */
    private static final Set<String> MERGING = Set.of("Add", "Subtract", "Multiply", "Average", "Maximum", "Minimum", "Concatenate");

    /**
     * TimeDistributed(layer), as Keras 3's (keras/src/layers/rnn/time_distributed.py): the layer
     * applied to every time step (axis 1) of a (batch, steps, ...) input, with one set of weights,
     * keyed under the wrapper's name ({@code time_distributed.kernel}). Keras calls the layer once
     * per step; modelc runs it once on the steps folded into the batch ({@code [batch·steps, ...]},
     * the same floats, see {@link modelc.compiler.ir.Dim#batchTimes}), so a convolution or a
     * recurrence over each step's own axes is one kernel over all steps and threads still split the
     * batch by samples. Layers that act on the last axis or on each element alone (Dense,
     * Activation, Dropout, LayerNormalization, Rescaling, Embedding) need no folding and run on the
     * sequence as it is. BatchNormalization keeps Keras's statistics per step (see its lowering).
     *
     * <p>Masks, as Keras: the output carries the input's mask unchanged (a mask the wrapped layer
     * would make, as Embedding(mask_zero=true), is dropped); the wrapped layer sees the mask of each
     * step ({@code mask[:, t]}) when the mask has axes of its own beyond (batch, steps), as the mask
     * of the words of each sentence after Embedding(mask_zero=true) of (sentences, words) ids, and a
     * wrapped BatchNormalization also a (batch, steps) mask's (each step's statistics over its
     * unmasked rows, as Keras 3.15's per-step calls with {@code mask[:, t]} of shape (batch,)).
     */
    private static Layer timeDistributed(Args a, LayerLibrary.Context ctx, LayerLibrary library) {
        a.bind(List.of("layer", "name"), Map.of(), IGNORED);
        Val inner = a.require("layer");
        if (!(inner instanceof Val.Ctor c)) throw new CompileException(inner.span(), "TimeDistributed wraps a layer such as Dense(10), got " + inner);
        if (MERGING.contains(c.name())) {
            throw new CompileException(inner.span(), "TimeDistributed wraps a layer of one input; " + c.name() + " merges several");
        }
        Layer wrapped = library.create(c.name(), c.args(), ctx);
        if (c.args().has("activity_regularizer") && Regularizers.activity(c.args()) != null) {
            // Keras 3.15.1's TimeDistributed runs the wrapped layer's call(), not __call__, so the penalty silently never applies
            throw new CompileException(c.args().get("activity_regularizer").span(), "TimeDistributed(" + c.name()
                    + "): Keras 3 ignores activity_regularizer on the wrapped layer (TimeDistributed runs the layer's call(), which"
                    + " adds no penalty)", "leave it out, or put activity_regularizer on a layer outside TimeDistributed");
        }
        // The factory bound the arguments: a recurrent layer's return_state is now known.
        if (wrapped.takesInitialState() && c.args().has("return_state") && c.args().bool("return_state", false)) {
            throw new CompileException(c.args().get("return_state").span(), "TimeDistributed(" + c.name() + "(return_state=true)) is not supported: "
                    + "the wrapper returns one tensor (Keras would stack the output and the states)");
        }
        String name = ctx.name("TimeDistributed", a);
        wrapped.keyPrefix(name);
        boolean perStep = PER_STEP.contains(c.name());
        return new Layer("TimeDistributed", name, a.span()) {
            @Override
            void keyPrefix(String prefix) {
                super.keyPrefix(prefix);
                wrapped.keyPrefix(prefix);
            }

            @Override
            public List<Layer> sublayers() {
                return List.of(wrapped);
            }

            protected Node lower(Graph g, List<Node> in, Span s) {
                Node x = single(in, s);
                TensorType t = x.type();
                if (t.rank() < (c.name().equals("Embedding") ? 2 : 3) || !t.isBatched() || t.isTimeMajor()) {
                    throw new CompileException(s, "TimeDistributed needs an input of shape (batch, steps, ...), got " + t.kerasShape());
                }
                Node mask = ctx.masks().of(x);
                Node y = perStep ? wrapped.call(g, List.of(x), s) : folded(g, x, mask, s);
                ctx.masks().set(y, mask);
                return y;
            }

            /** The wrapped layer on {@code x}'s steps folded into the batch, its output unfolded: [batch, steps, ...]. */
            private Node folded(Graph g, Node x, Node mask, Span s) {
                TensorType t = x.type();
                Dim rows = Dim.batchTimes(Math.multiplyExact(t.batchFactor(), t.dim(1).size()));
                Node xf = g.add(new Op.Reshape(fold(rows, t.dims())), List.of(x), name(), s);
                // Keras calls the wrapped layer on each step with that step's mask, mask[:, t]: a mask with axes
                // of its own beyond (batch, steps) for any layer, and a (batch, steps) mask, one flag per row of the
                // step, for BatchNormalization (whose moments count the unmasked rows; the other layers ignore it).
                if (mask != null && (mask.type().rank() > 2 || c.name().equals("BatchNormalization"))) {
                    ctx.masks().set(xf, g.add(new Op.Reshape(fold(rows, mask.type().dims())), List.of(mask), name(), s));
                }
                Node yf = wrapped.call(g, List.of(xf), s);
                TensorType ty = yf.type();
                if (ty.rank() < 1 || !ty.dim(0).equals(rows)) {
                    throw new CompileException(s, "TimeDistributed(" + c.name() + "): the wrapped layer returns " + ty.kerasShape()
                            + ", which has no batch axis, for each step");
                }
                List<Dim> out = new ArrayList<>(List.of(t.dim(0), t.dim(1)));
                out.addAll(ty.dims().subList(1, ty.rank()));
                return g.add(new Op.Reshape(out), List.of(yf), name(), s);
            }
        };
    }

    /** {@code [batch, steps, rest...]} as {@code [rows, rest...]}. */
    private static List<Dim> fold(Dim rows, List<Dim> dims) {
        List<Dim> d = new ArrayList<>(List.of(rows));
        d.addAll(dims.subList(2, dims.size()));
        return d;
    }
}
