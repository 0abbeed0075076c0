package modelc.compiler.resolve;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import modelc.compiler.diag.CompileException;
import modelc.compiler.diag.Span;
import modelc.compiler.ir.Dim;
import modelc.compiler.ir.Graph;
import modelc.compiler.ir.Loop;
import modelc.compiler.ir.Node;
import modelc.compiler.ir.Op;
import modelc.compiler.ir.TensorType;
import modelc.compiler.syntax.Ast;

/**
 * A recurrent cell defined in the language:
 * <pre>
 * cell Elman(units) {
 *     state h: [units]
 *     step(x: [d]) {
 *         W = param([units + d, units]);  b = param([units], init=zeros)
 *         h = tanh(concat(h, x) @ W + b)
 *         return h
 *     }
 * }
 * </pre>
 * {@code RNN(Elman(4))} unrolls it over time: the body is a loop body (see {@link Loop}) in which a
 * state's name is its value from the previous step until it is assigned, and its last assignment is
 * its next value; {@code return} gives the step's output. States start at zero. With a mask, a
 * masked step keeps every state and repeats the previous output, as Keras's RNN does.
 */
final class UserCell {
    private final Ast.CellDecl decl;
    private final Map<String, Val> ctorArgs;
    private final LayerLibrary library;
    private final LayerLibrary.Context ctx;

    private UserCell(Ast.CellDecl decl, Map<String, Val> ctorArgs, LayerLibrary library, LayerLibrary.Context ctx) {
        this.decl = decl;
        this.ctorArgs = ctorArgs;
        this.library = library;
        this.ctx = ctx;
    }

    String name() {
        return decl.name();
    }

    /** The number of states the cell declares. */
    int states() {
        return decl.states().size();
    }

    /** Binds a constructor call such as {@code Elman(4)} of {@code decl}. */
    static UserCell bind(Ast.CellDecl decl, Args args, LayerLibrary library, LayerLibrary.Context ctx) {
        return new UserCell(decl, UserLayer.constructorArgs(decl.name(), decl.params(), args, false, library, ctx), library, ctx);
    }

    /** The types of the cell's states ({@code [batch, dims...]}), in declaration order. */
    List<TensorType> stateTypes(Dim batch) {
        Evaluator consts = new Evaluator(null, library, ctx, List.of(), "", null);
        consts.env.putAll(ctorArgs);
        List<TensorType> shapes = new ArrayList<>();
        for (Ast.StateDecl st : decl.states()) {
            List<Integer> dims = new ArrayList<>();
            for (Ast.Expr e : st.dims()) {
                if (!(consts.constant(e) instanceof Val.Num n) || !n.integral() || n.value() <= 0) {
                    throw new CompileException(e.span(), "a state's dimensions must be positive integers");
                }
                dims.add((int) ((Val.Num) consts.constant(e)).value());
            }
            List<Dim> d = new ArrayList<>(List.of(batch));
            for (int k : dims) d.add(Dim.of(k));
            shapes.add(TensorType.floats(d));
        }
        return shapes;
    }

    /**
     * The cell over {@code x} ({@code [batch, steps, features]}), from the last step to the first if
     * {@code reverse}; returns the time-major sequence of outputs and the loop.
     */
    RecurrentLayers.Run run(Graph g, Node x, Node mask, boolean reverse, List<Node> initial, UserLayer.WeightMaker weights, String layer, Span s) {
        Ast.MethodDecl step = decl.methods().stream().filter(m -> m.name().equals("step")).findFirst()
                .orElseThrow(() -> new CompileException(decl.span(), "cell " + decl.name() + " has no step(...) method"));
        if (step.params().size() != 1) throw new CompileException(step.span(), "step(...) takes one input, the time step's features");
        if (decl.states().isEmpty()) throw new CompileException(decl.span(), "cell " + decl.name() + " declares no state");
        int steps = x.type().dim(1).size();
        List<TensorType> shapes = stateTypes(x.type().dim(0));
        List<Node> inits = RecurrentLayers.initialStates(g, initial, shapes, decl.name(), layer, s);
        Node xs = g.add(new Op.SwapBatchTime(false), List.of(x), layer, s);
        Node ms = mask == null ? null : g.add(new Op.SwapBatchTime(false), List.of(mask), layer, s);

        Loop loop = g.beginLoop(steps, reverse);
        Evaluator ev = new Evaluator(g, library, ctx, new ArrayList<>(), layer, (var, args) -> UserLayer.param(var, args, weights));
        ev.env.putAll(ctorArgs);
        Node xt = g.add(new Op.StepIn(), List.of(xs), layer, s);
        Node mt = ms == null ? null : g.add(new Op.StepIn(), List.of(ms), layer, s);
        Map<String, Node> carries = new LinkedHashMap<>();
        for (int i = 0; i < decl.states().size(); i++) {
            Ast.StateDecl st = decl.states().get(i);
            Node c = loop.addState(g, inits.get(i), layer, st.span());
            carries.put(st.name(), c);
            ev.env.put(st.name(), c);
        }
        Ast.TypedParam in = step.params().get(0);
        if (in.shape() != null) UserLayer.bindShape(decl.name(), in, xt, ev, s);
        ev.env.put(in.name(), xt);
        Node out = UserLayer.runBody(ev, step.body(), "a cell's step body");
        if (out == null) throw new CompileException(step.span(), decl.name() + ".step(...) has no return");
        List<Node> next = new ArrayList<>(), assigned = new ArrayList<>();
        for (int i = 0; i < decl.states().size(); i++) {
            Ast.StateDecl st = decl.states().get(i);
            Node prev = carries.get(st.name());
            Node v = Evaluator.node(ev.env.get(st.name()), st.span());
            assigned.add(v);
            if (!v.type().dims().equals(prev.type().dims())) {
                throw new CompileException(st.span(), "state " + st.name() + " is declared " + prev.type().kerasShape()
                        + " but its next value has shape " + v.type().kerasShape());
            }
            if (v.loop() != loop || v == prev) v = g.add(new Op.Affine(1, 0), List.of(v), layer, st.span());
            if (mt != null) v = g.add(new Op.Select(), List.of(mt, v, prev), layer, st.span());
            next.add(v);
        }
        for (int i = 0; i < next.size(); i++) loop.setSource(i, next.get(i));
        int k = assigned.indexOf(out);
        if (k >= 0) {
            out = next.get(k);
        } else if (out.loop() != loop) {
            out = g.add(new Op.Affine(1, 0), List.of(out), layer, s);
        }
        if (mt != null && k < 0) {
            // A masked step repeats the previous output: the output is carried too, unless it is a state.
            Node zero = g.addIn(null, new Op.Zeros(out.type()), List.of(), layer, s);
            Node prevOut = loop.addState(g, zero, layer, s);
            out = g.add(new Op.Select(), List.of(mt, out, prevOut), layer, s);
            loop.setSource(loop.states() - 1, out);
        }
        g.endLoop();
        return new RecurrentLayers.Run(g.add(new Op.Stack(steps), List.of(out), layer, s), loop);
    }
}
