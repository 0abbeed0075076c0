package modelc.compiler.resolve;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import modelc.compiler.diag.CompileException;
import modelc.compiler.diag.Span;
import modelc.compiler.ir.Dim;
import modelc.compiler.ir.Graph;
import modelc.compiler.ir.InitSpec;
import modelc.compiler.ir.Node;
import modelc.compiler.syntax.Ast;

/**
 * A layer defined in the language: {@code layer Highway(units) { call(x: [d]) { ... } }}. Its
 * constructor arguments are constants; {@code call}'s shape patterns bind names such as {@code d}
 * to the input's dimensions; {@code W = param([d, units])} creates the weight {@code <layer>.W};
 * the body's ops are differentiated like any other IR.
 */
final class UserLayer extends Layer {
    private final Ast.LayerDecl decl;
    private final Map<String, Val> ctorArgs;
    private final LayerLibrary library;
    private final LayerLibrary.Context ctx;
    /** The layers the body constructs, by construction site. */
    private final Map<Ast.Call, Layer> sublayers = new LinkedHashMap<>();

    private UserLayer(Ast.LayerDecl decl, String name, Span span, Map<String, Val> ctorArgs, LayerLibrary library, LayerLibrary.Context ctx) {
        super(decl.name(), name, span);
        this.decl = decl;
        this.ctorArgs = ctorArgs;
        this.library = library;
        this.ctx = ctx;
    }

    /** The factory for {@code decl}: binds the constructor's arguments, with their declared defaults. */
    static LayerLibrary.Factory factory(Ast.LayerDecl decl, LayerLibrary library) {
        return (args, ctx) -> {
            Map<String, Val> values = constructorArgs(decl.name(), decl.params(), args, true, library, ctx);
            return new UserLayer(decl, ctx.name(decl.name(), args), args.span(), values, library, ctx);
        };
    }

    /** Binds a constructor call of a layer or cell defined in the language, with the declared defaults. */
    static Map<String, Val> constructorArgs(String owner, List<Ast.ParamDecl> params, Args args, boolean named,
                                            LayerLibrary library, LayerLibrary.Context ctx) {
        List<String> names = new ArrayList<>();
        for (Ast.ParamDecl p : params) names.add(p.name());
        if (named) names.add("name");
        args.bind(names, Map.of(), Set.of());
        Evaluator consts = new Evaluator(null, library, ctx, List.of(), "", null);
        Map<String, Val> values = new LinkedHashMap<>();
        for (Ast.ParamDecl p : params) {
            Val v = args.get(p.name());
            if (v == null && p.defaultValue() != null) v = consts.constant(p.defaultValue());
            if (v == null) throw new CompileException(args.span(), owner + " needs the argument '" + p.name() + "'");
            values.put(p.name(), v);
        }
        return values;
    }

    /**
     * Runs a body of assignments and one {@code return} (of a layer's call or a cell's step) in
     * {@code ev}; returns the returned tensor, or null if there is no return. {@code what} names the
     * body in errors.
     */
    static Node runBody(Evaluator ev, List<Ast.Stmt> body, String what) {
        for (Ast.Stmt st : body) {
            switch (st) {
                case Ast.Assign a -> {
                    if (a.targets().size() != 1) throw new CompileException(a.span(), "assign one name at a time");
                    ev.assigning = a.targets().get(0);
                    Object v = ev.eval(a.value());
                    ev.assigning = null;
                    ev.env.put(a.targets().get(0), v);
                }
                case Ast.Return r -> {
                    if (r.values().size() != 1) throw new CompileException(r.span(), what + " returns one tensor");
                    return Evaluator.node(ev.eval(r.values().get(0)), r.span());
                }
                default -> throw new CompileException(st.span(), what + " holds assignments and a return");
            }
        }
        return null;
    }

    @Override
    protected Node lower(Graph g, List<Node> inputs, Span callSpan) {
        Ast.MethodDecl call = decl.methods().stream().filter(m -> m.name().equals("call")).findFirst()
                .orElseThrow(() -> new CompileException(decl.span(), "layer " + decl.name() + " has no call(...) method"));
        if (call.params().size() != inputs.size()) {
            throw new CompileException(callSpan, decl.name() + " takes " + call.params().size() + " input"
                    + (call.params().size() == 1 ? "" : "s") + ", got " + inputs.size());
        }
        Evaluator ev = new Evaluator(g, library, ctx, new ArrayList<>(), name(), (var, args) -> param(g, var, args));
        ev.owner = this;
        ev.env.putAll(ctorArgs);
        for (int i = 0; i < inputs.size(); i++) {
            Ast.TypedParam tp = call.params().get(i);
            if (tp.shape() != null) bindShape(decl.name(), tp, inputs.get(i), ev, callSpan);
            ev.env.put(tp.name(), inputs.get(i));
        }
        Node out = runBody(ev, call.body(), "a layer's call body");
        if (out != null) return out;
        throw new CompileException(call.span(), decl.name() + ".call(...) has no return");
    }

    /** The layer the body constructed at {@code site} in an earlier call, or null. */
    Layer sublayer(Ast.Call site) {
        return sublayers.get(site);
    }

    /** Takes {@code l}, constructed at {@code site}, as a part of this layer: its weights are keyed {@code <this>.<l>.<weight>} (under a wrapper's name, {@code <wrapper>.<l>.<weight>}). */
    void adopt(Ast.Call site, Layer l) {
        sublayers.put(site, l);
        l.keyPrefix(keyPrefix() + "." + l.name());
    }

    @Override
    public List<Layer> sublayers() {
        return List.copyOf(sublayers.values());
    }

    /** {@code x: [d]} matches the input's trailing per-sample dims, binding names not yet bound. */
    static void bindShape(String owner, Ast.TypedParam tp, Node input, Evaluator ev, Span callSpan) {
        List<Dim> dims = input.type().sampleDims();
        List<Ast.Expr> pattern = tp.shape();
        boolean open = !pattern.isEmpty() && pattern.get(0) instanceof Ast.Ellipsis;
        List<Ast.Expr> fixed = open ? pattern.subList(1, pattern.size()) : pattern;
        if (open ? dims.size() < fixed.size() : dims.size() != fixed.size()) {
            throw new CompileException(callSpan, owner + " expects " + tp.name() + " of rank " + fixed.size()
                    + (open ? " or more" : "") + " per sample, got " + input.type().kerasShape());
        }
        for (int i = 0; i < fixed.size(); i++) {
            Dim d = dims.get(dims.size() - fixed.size() + i);
            Ast.Expr p = fixed.get(i);
            if (p instanceof Ast.Name n && !(ev.env.get(n.id()) instanceof Val)) {
                ev.env.put(n.id(), new Val.Num(n.span(), d.size(), true));
                continue;
            }
            Val want = ev.constant(p);
            if (!(want instanceof Val.Num num) || num.value() != d.size()) {
                throw new CompileException(p.span(), owner + ": " + tp.name() + " must have " + want + " on this axis, got "
                        + input.type().kerasShape());
            }
        }
    }

    /** {@code param(shape, init=glorot_uniform, trainable=true, regularizer=None)}; Keras's {@code add_weight} takes a regularizer too. */
    private Node param(Graph g, String var, Args args) {
        return param(var, args, (name, shape, trainable, init, reg) -> weight(g, name, shape, trainable, init, reg));
    }

    /** Makes a weight from {@code param(...)}'s arguments with {@code maker}, named after the variable it is assigned to. */
    interface WeightMaker {
        Node make(String var, List<Integer> shape, boolean trainable, InitSpec init, modelc.compiler.ir.Regularizer regularizer);
    }

    static Node param(String var, Args args, WeightMaker maker) {
        args.bind(List.of("shape", "init", "trainable", "regularizer"), Map.of("initializer", "init"), Set.of());
        List<Integer> shape = args.ints("shape");
        for (int s : shape) if (s <= 0) throw new CompileException(args.require("shape").span(), "a weight's dimensions must be positive, got " + shape);
        InitSpec init = CoreLayers.initializer(args, "init", "glorot_uniform");
        if (!var.matches("[A-Za-z_][A-Za-z0-9_]*")) throw new CompileException(args.span(), "invalid weight name '" + var + "'");
        return maker.make(var, shape, args.bool("trainable", true), init, Regularizers.parse(args, "regularizer"));
    }
}
