package modelc.compiler.resolve;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import modelc.compiler.diag.CompileException;
import modelc.compiler.diag.Diagnostics;
import modelc.compiler.diag.Span;
import modelc.compiler.ir.Dim;
import modelc.compiler.ir.Graph;
import modelc.compiler.ir.InitSpec;
import modelc.compiler.ir.Node;
import modelc.compiler.ir.Op;
import modelc.compiler.ir.TensorType;
import modelc.compiler.ir.UnaryFn;

/** Dense, Activation, Dropout, Flatten, Reshape and Rescaling, with Keras's arguments and defaults. */
final class CoreLayers {
    private CoreLayers() {}

    /** In a fixed order, so that "did you mean" picks the same name on every run. */
    static final Set<String> INITIALIZERS = new LinkedHashSet<>(List.of("glorot_uniform", "glorot_normal", "he_uniform",
            "he_normal", "lecun_uniform", "lecun_normal", "random_uniform", "uniform", "random_normal", "normal",
            "truncated_normal", "zeros", "zero", "ones", "one", "constant", "orthogonal"));

    /**
     * Keras 2 arguments any layer accepts that change nothing here: the shape of a first layer's
     * input ({@code Flatten(input_shape=(28, 28))}), which the model's {@code input} line declares.
     */
    static final Set<String> INPUT_SHAPE_ARGS = Set.of("input_shape", "input_dim", "batch_input_shape", "batch_size", "dtype");

    /** The Keras class names this file defines, with their factories. */
    static void register(Map<String, LayerLibrary.Factory> lib) {
        lib.put("Dense", CoreLayers::dense);
        lib.put("Activation", CoreLayers::activation);
        lib.put("Dropout", CoreLayers::dropout);
        lib.put("Flatten", CoreLayers::flatten);
        lib.put("Reshape", CoreLayers::reshape);
        lib.put("Rescaling", CoreLayers::rescaling);
        lib.put("LayerNormalization", CoreLayers::layerNormalization);
        lib.put("BatchNormalization", CoreLayers::batchNormalization);
    }

    static InitSpec initializer(Args a, String arg, String dflt) {
        Val v = a.get(arg);
        if (v == null || v instanceof Val.None) return InitSpec.of(dflt);
        if (v instanceof Val.Str s) {
            a.option(arg, dflt, INITIALIZERS);
            return InitSpec.of(s.value());
        }
        if (v instanceof Val.Ctor c) {
            String n = Naming.snake(c.name());
            Args ia = c.args();
            return switch (n) {
                case "random_uniform" -> {
                    ia.bind(List.of("minval", "maxval", "seed"), Map.of(), Set.of());
                    yield new InitSpec("random_uniform", ia.number("minval", -0.05), ia.number("maxval", 0.05));
                }
                case "random_normal", "truncated_normal" -> {
                    ia.bind(List.of("mean", "stddev", "seed"), Map.of(), Set.of());
                    yield new InitSpec(n, ia.number("mean", 0), ia.number("stddev", 0.05));
                }
                case "constant" -> {
                    ia.bind(List.of("value"), Map.of(), Set.of());
                    yield new InitSpec("constant", ia.number("value", 0), 0);
                }
                case "orthogonal" -> {
                    ia.bind(List.of("gain", "seed"), Map.of(), Set.of());
                    yield new InitSpec("orthogonal", ia.number("gain", 1), 0);
                }
                default -> {
                    if (!INITIALIZERS.contains(n)) {
                        String near = Diagnostics.closest(n, INITIALIZERS);
                        throw new CompileException(v.span(), "unknown initializer '" + c.name() + "'",
                                near != null ? "did you mean '" + near + "'?" : "known initializers: " + String.join(", ", INITIALIZERS));
                    }
                    ia.bind(List.of("seed"), Map.of(), Set.of());
                    yield InitSpec.of(n);
                }
            };
        }
        throw a.typeError(arg, v, "an initializer name");
    }

    private static Layer dense(Args a, LayerLibrary.Context ctx) {
        a.bind(List.of("units", "activation", "use_bias", "kernel_initializer", "bias_initializer", "kernel_regularizer",
                "bias_regularizer", "activity_regularizer", "kernel_constraint", "bias_constraint", "name"), Map.of(), INPUT_SHAPE_ARGS);
        int units = a.integer("units");
        if (units <= 0) throw new CompileException(a.require("units").span(), "Dense needs a positive number of units, got " + units);
        Val act = a.get("activation");
        Activations.validate(act);
        boolean useBias = a.bool("use_bias", true);
        InitSpec kInit = initializer(a, "kernel_initializer", "glorot_uniform");
        InitSpec bInit = initializer(a, "bias_initializer", "zeros");
        return new Layer("Dense", ctx.name("Dense", a), a.span()) {
            protected Node lower(Graph g, List<Node> in, Span s) {
                Node x = single(in, s);
                if (x.type().rank() < 2) throw new CompileException(s, "Dense needs an input with a feature axis, got " + x.type().kerasShape());
                Dim d = x.type().dim(-1);
                Node k = weight(g, "kernel", List.of(d.size(), units), true, kInit);
                Node y = g.add(new Op.MatMul(), List.of(x, k), name(), s);
                if (useBias) {
                    Node b = weight(g, "bias", List.of(units), true, bInit);
                    y = g.add(new Op.Binary(Op.BinOp.ADD), List.of(y, b), name(), s);
                }
                return Activations.apply(g, y, act, name(), s);
            }
        }.regularized(a);
    }

    private static Layer activation(Args a, LayerLibrary.Context ctx) {
        a.bind(List.of("activation", "name"), Map.of(), INPUT_SHAPE_ARGS);
        Val act = a.require("activation");
        Activations.validate(act);
        return new Layer("Activation", ctx.name("Activation", a), a.span()) {
            protected Node lower(Graph g, List<Node> in, Span s) {
                return Activations.apply(g, single(in, s), act, name(), s);
            }
        };
    }

    private static Layer dropout(Args a, LayerLibrary.Context ctx) {
        a.bind(List.of("rate", "noise_shape", "seed", "name"), Map.of(), INPUT_SHAPE_ARGS);
        double rate = a.number("rate");
        if (rate < 0 || rate >= 1) throw new CompileException(a.require("rate").span(), "Dropout rate must be in [0, 1), got " + rate);
        Val noise = a.get("noise_shape") instanceof Val.None ? null : a.get("noise_shape");
        if (noise != null && !(noise instanceof Val.Seq)) throw a.typeError("noise_shape", noise, "a tuple such as (None, 1, 8)");
        int stream = ctx.nextStream();
        return new Layer("Dropout", ctx.name("Dropout", a), a.span()) {
            protected Node lower(Graph g, List<Node> in, Span s) {
                Node x = single(in, s);
                if (rate == 0) return x;
                if (noise == null) return g.add(new Op.Dropout(rate, stream), List.of(x), name(), s);
                return g.add(noiseShaped(rate, stream, (Val.Seq) noise, x.type()), List.of(x), name(), s);
            }
        };
    }

    /**
     * Keras's noise_shape, one entry per axis of the input (the batch's included): None or the axis's size for
     * a draw per index, 1 for one draw shared along the axis (backend.random.dropout broadcasts the mask).
     */
    private static Op.Dropout noiseShaped(double rate, int stream, Val.Seq noise, TensorType x) {
        if (noise.items().size() != x.rank()) {
            throw new CompileException(noise.span(), "Dropout's noise_shape " + noise + " has " + noise.items().size()
                    + " entries for an input of shape " + x.kerasShape() + " (" + x.rank() + " axes, the batch's included)");
        }
        List<Boolean> shared = new java.util.ArrayList<>();
        boolean acrossBatch = false;
        for (int i = 0; i < x.rank(); i++) {
            Val v = noise.items().get(i);
            int size = v instanceof Val.Num num && num.integral() ? (int) num.value() : -1;
            boolean fixed = i > 0 && x.dim(i).isFixed();
            boolean full = v instanceof Val.None || (fixed && size == x.dim(i).size());
            if (!full && size != 1) {
                throw new CompileException(v.span(), "Dropout's noise_shape entry " + v + " for axis " + i + " of " + x.kerasShape()
                        + " must be None, 1 or the axis's size");
            }
            if (i == 0) acrossBatch = !full;
            else shared.add(!full);
        }
        return new Op.Dropout(rate, stream, shared, acrossBatch);
    }

    private static Layer flatten(Args a, LayerLibrary.Context ctx) {
        a.bind(List.of("data_format", "name"), Map.of(), INPUT_SHAPE_ARGS);
        a.option("data_format", "channels_last", Set.of("channels_last"));
        return new Layer("Flatten", ctx.name("Flatten", a), a.span()) {
            protected Node lower(Graph g, List<Node> in, Span s) {
                Node x = single(in, s);
                TensorType t = x.type();
                return g.add(new Op.Reshape(List.of(t.dim(0), Dim.of(t.sampleSize()))), List.of(x), name(), s);
            }
        };
    }

    private static Layer reshape(Args a, LayerLibrary.Context ctx) {
        a.bind(List.of("target_shape", "name"), Map.of(), INPUT_SHAPE_ARGS);
        List<Integer> target = a.ints("target_shape");
        Span ts = a.require("target_shape").span();
        if (target.stream().filter(d -> d == -1).count() > 1) throw new CompileException(ts, "Reshape: at most one dimension may be -1");
        return new Layer("Reshape", ctx.name("Reshape", a), a.span()) {
            protected Node lower(Graph g, List<Node> in, Span s) {
                Node x = single(in, s);
                int total = x.type().sampleSize();
                int known = 1;
                for (int d : target) if (d != -1) known *= d;
                List<Dim> dims = new ArrayList<>();
                dims.add(x.type().dim(0));
                for (int d : target) {
                    if (d == -1) {
                        if (known == 0 || total % known != 0) {
                            throw new CompileException(ts, "cannot reshape " + x.type().kerasShape() + " to " + target);
                        }
                        dims.add(Dim.of(total / known));
                    } else {
                        dims.add(Dim.of(d));
                    }
                }
                return g.add(new Op.Reshape(dims), List.of(x), name(), ts);
            }
        };
    }

    private static Layer rescaling(Args a, LayerLibrary.Context ctx) {
        a.bind(List.of("scale", "offset", "name"), Map.of(), INPUT_SHAPE_ARGS);
        double scale = a.number("scale"), offset = a.number("offset", 0);
        return new Layer("Rescaling", ctx.name("Rescaling", a), a.span()) {
            protected Node lower(Graph g, List<Node> in, Span s) {
                return g.add(new Op.Affine(scale, offset), List.of(single(in, s)), name(), s);
            }
        };
    }

    /**
     * BatchNormalization(axis=-1, momentum=0.99, epsilon=1e-3, center=True, scale=True): per
     * channel (the entries of {@code axis}, any one axis but the batch's), {@code y = x·inv +
     * (beta − mean·inv)} with {@code inv = gamma / sqrt(var + epsilon)} (Keras 3's formula). In
     * training (and {@code grad}) mean and var are the batch's over every other axis (biased
     * variance) and a training step moves {@code moving_mean} and {@code moving_variance} (not
     * trainable, saved with the weights) by {@code momentum}; evaluation and prediction use the
     * moving statistics. {@code trainable=False} freezes the layer: its weights stay and it always
     * uses the moving statistics, as in Keras. An axis other than the last is moved last and back
     * (two transposes). A masked input (Keras 3.15's {@code _moments} with a mask) counts only the
     * values at unmasked steps, the mask broadcast over the other axes, in both the batch moments
     * and so in the moving statistics' move; the mask is passed on. {@code renorm=True} (batch
     * renormalization, {@link Op.Renorm}) adds moving_stddev, renorm_mean and renorm_stddev and
     * scales by r·gamma, offsets by d·gamma + beta in training, r and d without gradient.
     */
    private static Layer batchNormalization(Args a, LayerLibrary.Context ctx) {
        a.bind(List.of("axis", "momentum", "epsilon", "center", "scale", "beta_initializer", "gamma_initializer",
                "moving_mean_initializer", "moving_variance_initializer", "beta_regularizer", "gamma_regularizer",
                "beta_constraint", "gamma_constraint", "synchronized", "renorm", "renorm_clipping", "renorm_momentum",
                "fused", "virtual_batch_size", "adjustment", "trainable", "name"), Map.of(), INPUT_SHAPE_ARGS);
        for (String u : List.of("virtual_batch_size", "adjustment")) {
            if (a.has(u)) throw new CompileException(a.get(u).span(), "BatchNormalization: " + u + " is not supported yet");
        }
        int axis = a.has("axis") ? a.integer("axis") : -1;
        double momentum = a.number("momentum", 0.99), epsilon = a.number("epsilon", 1e-3);
        if (momentum < 0 || momentum > 1) throw new CompileException(a.get("momentum").span(), "BatchNormalization's momentum must be in [0, 1], got " + momentum);
        if (epsilon <= 0) throw new CompileException(a.get("epsilon").span(), "BatchNormalization's epsilon must be positive, got " + epsilon);
        boolean center = a.bool("center", true), scale = a.bool("scale", true), frozen = !a.bool("trainable", true);
        InitSpec betaInit = initializer(a, "beta_initializer", "zeros"), gammaInit = initializer(a, "gamma_initializer", "ones");
        InitSpec meanInit = initializer(a, "moving_mean_initializer", "zeros"), varInit = initializer(a, "moving_variance_initializer", "ones");
        Span axisSpan = a.has("axis") ? a.get("axis").span() : a.span();
        Op.Renorm renorm = a.bool("renorm", false) ? renorm(a, epsilon) : null;
        // Keras starts moving_stddev and renorm_stddev at the square root of the moving variance's initial value.
        InitSpec stdInit = renorm == null ? null : sqrtInit(a, varInit);
        return new Layer("BatchNormalization", ctx.name("BatchNormalization", a), a.span()) {
            protected Node lower(Graph g, List<Node> in, Span s) {
                Node x = single(in, s);
                TensorType t = x.type();
                if (t.rank() < 2 || !t.isBatched() || t.isTimeMajor()) {
                    throw new CompileException(s, "BatchNormalization needs (batch, ..., channels), got " + t.kerasShape());
                }
                int ax = axis < 0 ? axis + t.rank() : axis;
                if (ax < 0 || ax >= t.rank()) {
                    throw new CompileException(axisSpan, "BatchNormalization: axis " + axis + " is out of bounds for an input of shape " + t.kerasShape());
                }
                if (ax == 0) throw new CompileException(axisSpan, "BatchNormalization: axis " + axis + " is the batch axis, which has no fixed size");
                Node mask = frozen ? null : ctx.masks().of(x);
                if (mask != null && mask.type().rank() != t.rank() - 1) {
                    throw new CompileException(s, "BatchNormalization: the mask " + mask.type().kerasShape() + " must have one dimension less than the input "
                            + t.kerasShape() + (t.batchFactor() > 1 ? " (under TimeDistributed: of each step)" : ""));
                }
                int c = t.dim(ax).size();
                Node gamma = scale ? weight(g, "gamma", List.of(c), !frozen, gammaInit) : null;
                Node beta = center ? weight(g, "beta", List.of(c), !frozen, betaInit) : null;
                Node movingMean = weight(g, "moving_mean", List.of(c), false, meanInit);
                Node movingVar = weight(g, "moving_variance", List.of(c), false, varInit);
                // Batch renormalization's statistics (Keras's names, in Keras's order): not trainable, saved with the weights.
                List<Node> renormStats = renorm == null ? List.of() : List.of(weight(g, "moving_stddev", List.of(c), false, stdInit),
                        weight(g, "renorm_mean", List.of(c), false, meanInit), weight(g, "renorm_stddev", List.of(c), false, stdInit));
                // The values that count in masked statistics: 1 at an unmasked step, over all its features.
                Node w = mask == null ? null : g.add(new Op.MaskRows(true), List.of(mask, g.add(new Op.Affine(0, 1), List.of(x), name(), s)), name(), s);
                if (ax == t.rank() - 1) return normalize(g, x, w, gamma, beta, movingMean, movingVar, renormStats, s);
                // Sample axes with the channel axis moved last, and back.
                int k = ax - 1, sampleAxes = t.rank() - 1;
                List<Integer> toLast = new ArrayList<>(), back = new ArrayList<>();
                for (int i = 0; i < sampleAxes; i++) if (i != k) toLast.add(i);
                toLast.add(k);
                for (int i = 0; i < sampleAxes; i++) back.add(i < k ? i : i == k ? sampleAxes - 1 : i - 1);
                Node xt = g.add(new Op.Transpose(toLast), List.of(x), name(), s);
                Node wt = w == null ? null : g.add(new Op.Transpose(toLast), List.of(w), name(), s);
                return g.add(new Op.Transpose(back), List.of(normalize(g, xt, wt, gamma, beta, movingMean, movingVar, renormStats, s)), name(), s);
            }

            /**
             * Normalises {@code x} over its last axis, the channels; {@code w} the weights of masked
             * statistics, or null; {@code renormStats} moving_stddev, renorm_mean and renorm_stddev
             * with renorm, else empty.
             */
            private Node normalize(Graph g, Node x, Node w, Node gamma, Node beta, Node movingMean, Node movingVar, List<Node> renormStats, Span s) {
                TensorType t = x.type();
                int c = t.dim(-1).size();
                if (!frozen && t.batchFactor() > 1) return perStep(g, x, w, gamma, beta, movingMean, movingVar, renormStats, s);
                Node mean, var;
                if (frozen) {
                    mean = movingMean;
                    var = movingVar;
                } else {
                    List<Node> inputs = new ArrayList<>(List.of(x, movingMean, movingVar));
                    if (w != null) inputs.add(w);
                    inputs.addAll(renormStats);
                    Op.BatchMoments op = new Op.BatchMoments(momentum, 1, w != null, renorm);
                    Node moments = g.add(op, inputs, name(), s);
                    List<Dim> row = List.of(Dim.of(c));
                    mean = momentRow(g, moments, 0, row, s);
                    var = momentRow(g, moments, 1, row, s);
                    if (renorm != null) {
                        Node r = momentRow(g, moments, op.renormRow(), row, s);
                        Node d = momentRow(g, moments, op.renormRow() + 1, row, s);
                        return scaleAndShift(g, x, mean, var, renormed(g, r, gamma, s), renormedOffset(g, d, gamma, beta, s), s);
                    }
                }
                return scaleAndShift(g, x, mean, var, gamma, beta, s);
            }

            /** Keras's {@code batch_normalization(x, mean, var, offset, scale)}: x·inv + (offset − mean·inv), inv = scale / sqrt(var + epsilon). */
            private Node scaleAndShift(Graph g, Node x, Node mean, Node var, Node gamma, Node beta, Span s) {
                Node[] inv = invAndShift(g, mean, var, gamma, beta, s);
                Node y = g.add(new Op.Binary(Op.BinOp.MUL), List.of(x, inv[0]), name(), s);
                return g.add(new Op.Binary(Op.BinOp.ADD), List.of(y, inv[1]), name(), s);
            }

            /** {@code inv = scale / sqrt(var + epsilon)} (scale 1 if {@code gamma} is null) and {@code shift = offset − mean·inv}. */
            private Node[] invAndShift(Graph g, Node mean, Node var, Node gamma, Node beta, Span s) {
                Node inv = g.add(new Op.Unary(UnaryFn.RSQRT, 0), List.of(g.add(new Op.Affine(1, epsilon), List.of(var), name(), s)), name(), s);
                if (gamma != null) inv = g.add(new Op.Binary(Op.BinOp.MUL), List.of(inv, gamma), name(), s);
                Node centre = g.add(new Op.Binary(Op.BinOp.MUL), List.of(mean, inv), name(), s);
                Node shift = beta != null ? g.add(new Op.Binary(Op.BinOp.SUB), List.of(beta, centre), name(), s)
                        : g.add(new Op.Unary(UnaryFn.NEG, 0), List.of(centre), name(), s);
                return new Node[] {inv, shift};
            }

            /** Row {@code row} of the batch statistics {@code moments} (mean, variance, ..., r, d), shaped {@code dims}. */
            private Node momentRow(Graph g, Node moments, int row, List<Dim> dims, Span s) {
                return g.add(new Op.Reshape(dims), List.of(g.add(new Op.Slice(0, row, 1), List.of(moments), name(), s)), name(), s);
            }

            /**
             * Under TimeDistributed ({@code x} is [batch·steps, s..., c], the steps folded into the
             * batch), Keras 3 calls the layer once per step: each step has its own batch statistics,
             * and a training step moves the moving ones once per step. The steps become channels
             * ([batch, s..., steps·c], a transpose if there are spatial axes s), so the statistics,
             * their merge across threads and the normalisation are the ordinary ones over
             * steps·c channels. A masked input's weights {@code w} (or null) are rearranged as
             * {@code x}: each step's moments count its unmasked rows (Keras passes {@code mask[:, t]}).
             */
            private Node perStep(Graph g, Node x, Node w, Node gamma, Node beta, Node movingMean, Node movingVar, List<Node> renormStats, Span s) {
                TensorType t = x.type();
                int steps = t.batchFactor(), c = t.dim(-1).size();
                List<Dim> spatial = t.dims().subList(1, t.rank() - 1);
                List<Dim> split = new ArrayList<>(List.of(Dim.BATCH, Dim.of(steps)));
                split.addAll(spatial);
                split.add(Dim.of(c));
                Node u = g.add(new Op.Reshape(split), List.of(x), name(), s);
                Node uw = w == null ? null : g.add(new Op.Reshape(split), List.of(w), name(), s);
                // Sample axes (steps, s..., c) to (s..., steps, c), and back.
                List<Integer> toChannels = new ArrayList<>(), back = new ArrayList<>();
                for (int i = 1; i <= spatial.size(); i++) toChannels.add(i);
                toChannels.add(0);
                toChannels.add(spatial.size() + 1);
                back.add(spatial.size());
                for (int i = 0; i < spatial.size(); i++) back.add(i);
                back.add(spatial.size() + 1);
                if (!spatial.isEmpty()) u = g.add(new Op.Transpose(toChannels), List.of(u), name(), s);
                if (uw != null && !spatial.isEmpty()) uw = g.add(new Op.Transpose(toChannels), List.of(uw), name(), s);
                List<Dim> wide = new ArrayList<>(List.of(Dim.BATCH));
                wide.addAll(spatial);
                wide.add(Dim.of(steps * c));
                Node v = g.add(new Op.Reshape(wide), List.of(u), name(), s);
                Node vw = uw == null ? null : g.add(new Op.Reshape(wide), List.of(uw), name(), s);
                List<Node> inputs = new ArrayList<>(List.of(v, movingMean, movingVar));
                if (vw != null) inputs.add(vw);
                inputs.addAll(renormStats);
                Op.BatchMoments op = new Op.BatchMoments(momentum, steps, vw != null, renorm);
                Node moments = g.add(op, inputs, name(), s);
                List<Dim> grid = List.of(Dim.of(steps), Dim.of(c)), flat = List.of(Dim.of(steps * c));
                Node mean = momentRow(g, moments, 0, grid, s);
                Node var = momentRow(g, moments, 1, grid, s);
                Node scaleBy = gamma, offset = beta;
                if (renorm != null) {
                    // Each step's own r and d (gamma and beta broadcast over the steps).
                    Node r = momentRow(g, moments, op.renormRow(), grid, s);
                    Node d = momentRow(g, moments, op.renormRow() + 1, grid, s);
                    scaleBy = renormed(g, r, gamma, s);
                    offset = renormedOffset(g, d, gamma, beta, s);
                }
                Node[] grids = invAndShift(g, mean, var, scaleBy, offset, s);
                Node inv = g.add(new Op.Reshape(flat), List.of(grids[0]), name(), s);
                Node shift = g.add(new Op.Reshape(flat), List.of(grids[1]), name(), s);
                Node y = g.add(new Op.Binary(Op.BinOp.ADD), List.of(g.add(new Op.Binary(Op.BinOp.MUL), List.of(v, inv), name(), s), shift), name(), s);
                if (!spatial.isEmpty()) {
                    List<Dim> stepsLast = new ArrayList<>(List.of(Dim.BATCH));
                    stepsLast.addAll(spatial);
                    stepsLast.addAll(grid);
                    y = g.add(new Op.Transpose(back), List.of(g.add(new Op.Reshape(stepsLast), List.of(y), name(), s)), name(), s);
                }
                return g.add(new Op.Reshape(t.dims()), List.of(y), name(), s);
            }

            /** Renorm's scale, Keras's {@code _compose_transforms}: r·gamma (r without gamma). r carries no gradient. */
            private Node renormed(Graph g, Node r, Node gamma, Span s) {
                return gamma == null ? r : g.add(new Op.Binary(Op.BinOp.MUL), List.of(r, gamma), name(), s);
            }

            /** Renorm's offset: d·gamma + beta (d without gamma, no beta without center). d carries no gradient. */
            private Node renormedOffset(Graph g, Node d, Node gamma, Node beta, Span s) {
                Node dg = gamma == null ? d : g.add(new Op.Binary(Op.BinOp.MUL), List.of(d, gamma), name(), s);
                return beta == null ? dg : g.add(new Op.Binary(Op.BinOp.ADD), List.of(dg, beta), name(), s);
            }
        }.regularized(a);
    }

    /**
     * {@code renorm=True}'s settings, checked as Keras checks them: {@code renorm_clipping} a dict
     * of optional {@code rmax}, {@code rmin}, {@code dmax} (rmax ≥ rmin, dmax ≥ 0; a key given as
     * None is as if not given), {@code renorm_momentum} (0.99).
     */
    private static Op.Renorm renorm(Args a, double epsilon) {
        double momentum = a.number("renorm_momentum", 0.99);
        if (momentum < 0 || momentum > 1) {
            throw new CompileException(a.get("renorm_momentum").span(), "BatchNormalization's renorm_momentum must be in [0, 1], got " + momentum);
        }
        double rmin = 0, rmax = Double.POSITIVE_INFINITY, dmax = Double.POSITIVE_INFINITY;
        Val v = a.get("renorm_clipping");
        if (v != null && !(v instanceof Val.None)) {
            if (!(v instanceof Val.Dict d)) throw a.typeError("renorm_clipping", v, "a dict such as {rmax: 3, rmin: 0.33, dmax: 5}");
            Set<String> seen = new java.util.HashSet<>();
            Double givenMin = null, givenMax = null;
            for (int i = 0; i < d.keys().size(); i++) {
                Val k = d.keys().get(i), x = d.values().get(i);
                String key = k instanceof Val.Str str ? str.value() : null;
                if (key == null || !List.of("rmax", "rmin", "dmax").contains(key)) {
                    throw new CompileException(k.span(), "BatchNormalization: renorm_clipping has the keys rmax, rmin and dmax, got " + k);
                }
                if (!seen.add(key)) throw new CompileException(k.span(), "BatchNormalization: renorm_clipping gives " + key + " twice");
                if (x instanceof Val.None) continue;
                if (!(x instanceof Val.Num n)) throw new CompileException(x.span(), "BatchNormalization: renorm_clipping's " + key + " must be a number, got " + Val.kind(x));
                switch (key) {
                    case "rmax" -> rmax = givenMax = n.value();
                    case "rmin" -> rmin = givenMin = n.value();
                    default -> {
                        if (n.value() < 0) throw new CompileException(x.span(), "BatchNormalization: renorm_clipping's dmax must be non-negative, got " + n);
                        dmax = n.value();
                    }
                }
            }
            if (givenMin != null && givenMax != null && givenMax < givenMin) {
                throw new CompileException(v.span(), "BatchNormalization: renorm_clipping's rmax (" + givenMax + ") must not be less than rmin (" + givenMin + ")");
            }
        }
        return new Op.Renorm(momentum, epsilon, rmin, rmax, dmax);
    }

    /** The square root of a constant initializer (Keras's renorm stddev initializer); renorm needs one. */
    private static InitSpec sqrtInit(Args a, InitSpec var) {
        double value = switch (var.name()) {
            case "zeros" -> 0;
            case "ones" -> 1;
            case "constant" -> var.a();
            default -> Double.NaN;
        };
        if (Double.isNaN(value) || value < 0) {
            throw new CompileException(a.has("moving_variance_initializer") ? a.get("moving_variance_initializer").span() : a.span(),
                    "BatchNormalization: with renorm, moving_variance_initializer must be zeros, ones or constant(v) with v >= 0 "
                            + "(moving_stddev and renorm_stddev start at its square root), got " + var.name());
        }
        return value == 0 ? InitSpec.of("zeros") : value == 1 ? InitSpec.of("ones") : new InitSpec("constant", Math.sqrt(value), 0);
    }

    /**
     * LayerNormalization(axis=-1, epsilon=1e-3, center=True, scale=True): each sample's last axis
     * normalised to mean 0 and variance 1 ({@code (x - mean) / sqrt(var + epsilon)}, the biased
     * variance), then {@code * gamma + beta}. Weights {@code gamma} (ones) and {@code beta} (zeros).
     */
    private static Layer layerNormalization(Args a, LayerLibrary.Context ctx) {
        a.bind(List.of("axis", "epsilon", "center", "scale", "rms_scaling", "beta_initializer", "gamma_initializer",
                "beta_regularizer", "gamma_regularizer", "beta_constraint", "gamma_constraint", "name"), Map.of(), INPUT_SHAPE_ARGS);
        if (a.has("axis") && a.integer("axis") != -1) {
            throw new CompileException(a.get("axis").span(), "LayerNormalization: only axis=-1 (the last axis) is supported");
        }
        if (a.bool("rms_scaling", false)) throw new CompileException(a.get("rms_scaling").span(), "LayerNormalization: rms_scaling is not supported yet");
        double epsilon = a.number("epsilon", 1e-3);
        if (epsilon <= 0) throw new CompileException(a.get("epsilon").span(), "LayerNormalization's epsilon must be positive, got " + epsilon);
        boolean center = a.bool("center", true), scale = a.bool("scale", true);
        InitSpec betaInit = initializer(a, "beta_initializer", "zeros"), gammaInit = initializer(a, "gamma_initializer", "ones");
        return new Layer("LayerNormalization", ctx.name("LayerNormalization", a), a.span()) {
            protected Node lower(Graph g, List<Node> in, Span s) {
                Node x = single(in, s);
                if (x.type().rank() < 2) throw new CompileException(s, "LayerNormalization needs a feature axis, got " + x.type().kerasShape());
                int f = x.type().dim(-1).size();
                Node y = g.add(new Op.LayerNorm(epsilon), List.of(x), name(), s);
                if (scale) y = g.add(new Op.Binary(Op.BinOp.MUL), List.of(y, weight(g, "gamma", List.of(f), true, gammaInit)), name(), s);
                if (center) y = g.add(new Op.Binary(Op.BinOp.ADD), List.of(y, weight(g, "beta", List.of(f), true, betaInit)), name(), s);
                return y;
            }
        }.regularized(a);
    }
}
