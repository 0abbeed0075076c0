package modelc.compiler.resolve;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import modelc.compiler.diag.CompileException;
import modelc.compiler.diag.Span;
import modelc.compiler.ir.Dim;
import modelc.compiler.ir.Graph;
import modelc.compiler.ir.InitSpec;
import modelc.compiler.ir.Node;
import modelc.compiler.ir.Op;
import modelc.compiler.ir.TensorType;

/**
 * Keras's layers that slide a window over one or two spatial axes (channels last), with Keras's
 * arguments, defaults, weight layouts and padding rules ({@code reference/keras-semantics.md} §3):
 * Conv1D/Conv2D, DepthwiseConv, SeparableConv, ConvTranspose, max and average pooling, global
 * pooling, ZeroPadding, Cropping, UpSampling and SpatialDropout2D. Each is written once for both
 * ranks; {@code rank} is the number of spatial axes.
 */
final class ConvLayers {
    private ConvLayers() {}

    /** Keras arguments accepted with no effect here: Keras 2's {@code input_length} and the first-layer shape arguments. */
    private static final Set<String> IGNORED = union(CoreLayers.INPUT_SHAPE_ARGS, Set.of("input_length"));

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> all = new HashSet<>(a);
        all.addAll(b);
        return Set.copyOf(all);
    }

    static void register(Map<String, LayerLibrary.Factory> lib) {
        for (int rank = 1; rank <= 2; rank++) {
            int r = rank;
            String d = rank + "D";
            lib.put("Conv" + d, (a, ctx) -> conv(a, ctx, r));
            lib.put("Convolution" + d, (a, ctx) -> conv(a, ctx, r));
            lib.put("DepthwiseConv" + d, (a, ctx) -> depthwiseConv(a, ctx, r));
            lib.put("SeparableConv" + d, (a, ctx) -> separableConv(a, ctx, r));
            lib.put("SeparableConvolution" + d, (a, ctx) -> separableConv(a, ctx, r));
            lib.put("Conv" + d + "Transpose", (a, ctx) -> convTranspose(a, ctx, r));
            lib.put("Convolution" + d + "Transpose", (a, ctx) -> convTranspose(a, ctx, r));
            for (boolean max : new boolean[] {true, false}) {
                String kind = max ? "Max" : "Average", shortKind = max ? "Max" : "Avg";
                lib.put(kind + "Pooling" + d, (a, ctx) -> pooling(a, ctx, r, max));
                lib.put(shortKind + "Pool" + d, (a, ctx) -> pooling(a, ctx, r, max));
                lib.put("Global" + kind + "Pooling" + d, (a, ctx) -> globalPooling(a, ctx, r, max));
                lib.put("Global" + shortKind + "Pool" + d, (a, ctx) -> globalPooling(a, ctx, r, max));
            }
            lib.put("ZeroPadding" + d, (a, ctx) -> padOrCrop(a, ctx, r, true));
            lib.put("Cropping" + d, (a, ctx) -> padOrCrop(a, ctx, r, false));
            lib.put("UpSampling" + d, (a, ctx) -> upSampling(a, ctx, r));
        }
        lib.put("SpatialDropout2D", ConvLayers::spatialDropout2d);
    }

    private static String cls(String base, int rank) {
        return base + rank + "D";
    }

    /** An error if a Keras argument that modelc cannot honour yet was given (and is not None). */
    private static void unsupported(Args a, String... names) {
        for (String n : names) {
            if (a.has(n)) throw new CompileException(a.get(n).span(), a.callee() + "'s " + n + " is not supported yet");
        }
    }

    /** One positive integer per spatial axis: an integer (the same for every axis) or a tuple of {@code rank}. */
    static int[] perAxis(Args a, String name, int rank, int dflt) {
        int[] out = new int[rank];
        if (!a.has(name)) {
            java.util.Arrays.fill(out, dflt);
            return out;
        }
        List<Integer> v = a.ints(name);
        boolean ok = (v.size() == 1 || v.size() == rank) && v.stream().allMatch(x -> x > 0);
        if (!ok) {
            throw new CompileException(a.get(name).span(), a.callee() + ": " + name + " must be a positive integer"
                    + (rank > 1 ? " or a tuple of " + rank : "") + ", got " + a.get(name));
        }
        for (int i = 0; i < rank; i++) out[i] = v.get(v.size() == 1 ? 0 : i);
        return out;
    }

    /** [batch, s..., channels] with {@code rank} spatial axes, or an error naming the layer and the shape. */
    private static Node spatial(Node x, int rank, String what, Span s) {
        TensorType t = x.type();
        if (t.rank() != rank + 2 || !t.isBatched() || t.isTimeMajor()) {
            throw new CompileException(s, what + " needs an input of shape "
                    + (rank == 1 ? "(batch, steps, channels)" : "(batch, rows, columns, channels)") + ", got " + t.kerasShape());
        }
        return x;
    }

    /** The windows over each spatial axis of {@code x} for a padding mode. */
    private static List<Op.Window> windows(TensorType x, String mode, int[] k, int[] stride, int[] dilation, Span s, String what) {
        List<Op.Window> w = new ArrayList<>();
        for (int i = 0; i < k.length; i++) {
            String axis = k.length == 1 ? "steps" : i == 0 ? "rows" : "columns";
            w.add(window(mode, x.dim(i + 1).size(), k[i], stride[i], dilation[i], s, what, axis));
        }
        return w;
    }

    /** The window of {@code k} taps (dilated by {@code d}) sliding by {@code s} over {@code n} {@code axis} (steps, rows). */
    static Op.Window window(String mode, int n, int k, int s, int d, Span span, String what, String axis) {
        int keff = d * (k - 1) + 1;
        return switch (mode) {
            case "valid" -> {
                if (n < keff) {
                    throw new CompileException(span, what + ": a window of " + keff + " does not fit an input of " + n
                            + " " + axis + " with padding=valid");
                }
                yield new Op.Window(k, s, d, 0, (n - keff) / s + 1);
            }
            // TF's rule, which every Keras backend follows: the odd pad goes at the end.
            case "same" -> {
                int out = (n + s - 1) / s;
                yield new Op.Window(k, s, d, Math.max(0, (out - 1) * s + keff - n) / 2, out);
            }
            case "causal" -> new Op.Window(k, s, d, d * (k - 1), (n - 1) / s + 1);
            default -> throw new IllegalArgumentException(mode);
        };
    }

    // ------------------------------------------------------------------ convolution

    /**
     * y = act(im2col(x) @ kernel + bias): the windows of each output position as rows, times the
     * kernel [k..., in/groups, filters] read as a [k...·in/groups, filters] matrix. With groups, each
     * group's channels meet its own slice of the filters and the results are concatenated.
     */
    private static Layer conv(Args a, LayerLibrary.Context ctx, int rank) {
        String cls = cls("Conv", rank);
        a.bind(List.of("filters", "kernel_size", "strides", "padding", "data_format", "dilation_rate", "groups", "activation",
                "use_bias", "kernel_initializer", "bias_initializer", "kernel_regularizer", "bias_regularizer",
                "activity_regularizer", "kernel_constraint", "bias_constraint", "name"), Map.of(), IGNORED);
        int filters = a.integer("filters");
        if (filters <= 0) throw new CompileException(a.require("filters").span(), cls + " needs a positive number of filters, got " + filters);
        a.require("kernel_size");
        int[] k = perAxis(a, "kernel_size", rank, 1), stride = perAxis(a, "strides", rank, 1), dilation = perAxis(a, "dilation_rate", rank, 1);
        int groups = a.integer("groups", 1);
        String padding = a.option("padding", "valid", rank == 1 ? Set.of("valid", "same", "causal") : Set.of("valid", "same"));
        a.option("data_format", "channels_last", Set.of("channels_last"));
        if (java.util.Arrays.stream(stride).anyMatch(x -> x > 1) && java.util.Arrays.stream(dilation).anyMatch(x -> x > 1)) {
            throw new CompileException(a.get("strides").span(), cls + ": strides > 1 is not supported together with dilation_rate > 1 (as in Keras)");
        }
        if (groups <= 0 || filters % groups != 0) {
            throw new CompileException(a.has("groups") ? a.get("groups").span() : a.span(),
                    cls + ": filters (" + filters + ") must be divisible by groups (" + groups + ")");
        }
        Activations.validate(a.get("activation"));
        var act = a.get("activation");
        boolean useBias = a.bool("use_bias", true);
        InitSpec kInit = CoreLayers.initializer(a, "kernel_initializer", "glorot_uniform");
        InitSpec bInit = CoreLayers.initializer(a, "bias_initializer", "zeros");
        int taps = java.util.Arrays.stream(k).reduce(1, (x, y) -> x * y);
        boolean pointwise = taps == 1 && java.util.Arrays.stream(stride).allMatch(x -> x == 1);
        return new Layer(cls, ctx.name(cls, a), a.span()) {
            protected Node lower(Graph g, List<Node> in, Span s) {
                Node x = spatial(single(in, s), rank, cls, s);
                int channels = x.type().dim(-1).size();
                if (channels % groups != 0) {
                    throw new CompileException(s, cls + ": the input's " + channels + " channels must be divisible by groups (" + groups + ")");
                }
                int cg = channels / groups, fg = filters / groups;
                List<Op.Window> w = windows(x.type(), padding, k, stride, dilation, s, cls);
                List<Integer> shape = new ArrayList<>();
                for (int kk : k) shape.add(kk);
                shape.add(cg);
                shape.add(filters);
                Node kernel = weight(g, "kernel", shape, true, kInit);
                Node matrix = g.add(new Op.Reshape(List.of(Dim.of(taps * cg), Dim.of(filters))), List.of(kernel), name(), s);
                List<Node> parts = new ArrayList<>();
                for (int j = 0; j < groups; j++) {
                    Node cols = pointwise && groups == 1 ? x : g.add(new Op.Im2Col(w, j * cg, cg), List.of(x), name(), s);
                    Node wj = groups == 1 ? matrix : g.add(new Op.Slice(1, j * fg, fg), List.of(matrix), name(), s);
                    parts.add(g.add(new Op.MatMul(), List.of(cols, wj), name(), s));
                }
                Node y = parts.size() == 1 ? parts.get(0) : g.add(new Op.Concat(rank + 1), parts, name(), s);
                if (useBias) {
                    Node b = weight(g, "bias", List.of(filters), true, bInit);
                    y = g.add(new Op.Binary(Op.BinOp.ADD), List.of(y, b), name(), s);
                }
                return Activations.apply(g, y, act, name(), s);
            }
        }.regularized(a);
    }

    /** kernel_size, strides, dilation_rate and padding (valid or same) of a convolution, checked as Keras checks them. */
    private record Sliding(int[] kernel, int[] strides, int[] dilation, String padding) {
        int taps() {
            return java.util.Arrays.stream(kernel).reduce(1, (x, y) -> x * y);
        }

        /** The kernel's spatial sizes followed by {@code rest}: a weight's shape. */
        List<Integer> shape(int... rest) {
            List<Integer> out = new ArrayList<>();
            for (int k : kernel) out.add(k);
            for (int r : rest) out.add(r);
            return out;
        }
    }

    /**
     * Reads a convolution's window arguments. Keras refuses strides > 1 with dilation_rate > 1 in
     * Conv and ConvTranspose layers but not in the depthwise and separable ones ({@code withDilatedStrides}).
     */
    private static Sliding sliding(Args a, String cls, int rank, boolean withDilatedStrides) {
        a.require("kernel_size");
        int[] k = perAxis(a, "kernel_size", rank, 1), stride = perAxis(a, "strides", rank, 1), dilation = perAxis(a, "dilation_rate", rank, 1);
        String padding = a.option("padding", "valid", Set.of("valid", "same"));
        a.option("data_format", "channels_last", Set.of("channels_last"));
        if (!withDilatedStrides && java.util.Arrays.stream(stride).anyMatch(x -> x > 1) && java.util.Arrays.stream(dilation).anyMatch(x -> x > 1)) {
            throw new CompileException(a.get("strides").span(), cls + ": strides > 1 is not supported together with dilation_rate > 1 (as in Keras)");
        }
        return new Sliding(k, stride, dilation, padding);
    }

    /** A positive integer argument such as {@code filters} or {@code depth_multiplier}. */
    private static int positive(Args a, String name, int dflt, String cls) {
        int v = a.integer(name, dflt);
        if (v <= 0) throw new CompileException(a.get(name).span(), cls + " needs a positive " + name + ", got " + v);
        return v;
    }

    /** y + bias (a weight the size of y's channels, unless use_bias=false), then the activation. */
    private static Node biasAndActivation(Layer l, Graph g, Node y, boolean useBias, InitSpec bInit, Val act, Span s) {
        if (useBias) {
            Node b = l.weight(g, "bias", List.of(y.type().dim(-1).size()), true, bInit);
            y = g.add(new Op.Binary(Op.BinOp.ADD), List.of(y, b), l.name(), s);
        }
        return Activations.apply(g, y, act, l.name(), s);
    }

    /**
     * DepthwiseConv1D/2D: each input channel c convolved with its own {@code depth_multiplier}
     * filters, output channel c·depth_multiplier + j. Weights (Keras 3's names): {@code kernel}
     * [k..., channels, depth_multiplier] (depthwise_initializer, depthwise_regularizer) and
     * {@code bias} [channels·depth_multiplier].
     */
    private static Layer depthwiseConv(Args a, LayerLibrary.Context ctx, int rank) {
        String cls = cls("DepthwiseConv", rank);
        a.bind(List.of("kernel_size", "strides", "padding", "depth_multiplier", "data_format", "dilation_rate", "activation", "use_bias",
                "depthwise_initializer", "bias_initializer", "depthwise_regularizer", "bias_regularizer", "activity_regularizer",
                "depthwise_constraint", "bias_constraint", "name"), Map.of(), IGNORED);
        Sliding sw = sliding(a, cls, rank, true);
        int multiplier = positive(a, "depth_multiplier", 1, cls);
        Activations.validate(a.get("activation"));
        Val act = a.get("activation");
        boolean useBias = a.bool("use_bias", true);
        InitSpec kInit = CoreLayers.initializer(a, "depthwise_initializer", "glorot_uniform");
        InitSpec bInit = CoreLayers.initializer(a, "bias_initializer", "zeros");
        modelc.compiler.ir.Regularizer kReg = Regularizers.parse(a, "depthwise_regularizer");
        return new Layer(cls, ctx.name(cls, a), a.span()) {
            protected Node lower(Graph g, List<Node> in, Span s) {
                Node x = spatial(single(in, s), rank, cls, s);
                int channels = x.type().dim(-1).size();
                Node kernel = weight(g, "kernel", sw.shape(channels, multiplier), true, kInit, kReg);
                List<Op.Window> w = windows(x.type(), sw.padding(), sw.kernel(), sw.strides(), sw.dilation(), s, cls);
                Node y = g.add(new Op.DepthwiseConv(w), List.of(x, kernel), name(), s);
                return biasAndActivation(this, g, y, useBias, bInit, act, s);
            }
        }.regularized(a);
    }

    /**
     * SeparableConv1D/2D: a depthwise convolution (no bias of its own) followed by a pointwise one,
     * y = act(depthwise(x) @ pointwise_kernel + bias). Weights: {@code depthwise_kernel}
     * [k..., channels, depth_multiplier], {@code pointwise_kernel} [1..., channels·depth_multiplier,
     * filters], {@code bias} [filters].
     */
    private static Layer separableConv(Args a, LayerLibrary.Context ctx, int rank) {
        String cls = cls("SeparableConv", rank);
        a.bind(List.of("filters", "kernel_size", "strides", "padding", "data_format", "dilation_rate", "depth_multiplier", "activation",
                "use_bias", "depthwise_initializer", "pointwise_initializer", "bias_initializer", "depthwise_regularizer",
                "pointwise_regularizer", "bias_regularizer", "activity_regularizer", "depthwise_constraint", "pointwise_constraint",
                "bias_constraint", "name"), Map.of(), IGNORED);
        a.require("filters");
        int filters = positive(a, "filters", 0, cls);
        Sliding sw = sliding(a, cls, rank, true);
        int multiplier = positive(a, "depth_multiplier", 1, cls);
        Activations.validate(a.get("activation"));
        Val act = a.get("activation");
        boolean useBias = a.bool("use_bias", true);
        InitSpec dInit = CoreLayers.initializer(a, "depthwise_initializer", "glorot_uniform");
        InitSpec pInit = CoreLayers.initializer(a, "pointwise_initializer", "glorot_uniform");
        InitSpec bInit = CoreLayers.initializer(a, "bias_initializer", "zeros");
        return new Layer(cls, ctx.name(cls, a), a.span()) {
            protected Node lower(Graph g, List<Node> in, Span s) {
                Node x = spatial(single(in, s), rank, cls, s);
                int channels = x.type().dim(-1).size(), mid = channels * multiplier;
                Node depthwise = weight(g, "depthwise_kernel", sw.shape(channels, multiplier), true, dInit);
                List<Integer> pointwiseShape = new ArrayList<>(java.util.Collections.nCopies(rank, 1));
                pointwiseShape.addAll(List.of(mid, filters));
                Node pointwise = weight(g, "pointwise_kernel", pointwiseShape, true, pInit);
                List<Op.Window> w = windows(x.type(), sw.padding(), sw.kernel(), sw.strides(), sw.dilation(), s, cls);
                Node h = g.add(new Op.DepthwiseConv(w), List.of(x, depthwise), name(), s);
                Node matrix = g.add(new Op.Reshape(List.of(Dim.of(mid), Dim.of(filters))), List.of(pointwise), name(), s);
                Node y = g.add(new Op.MatMul(), List.of(h, matrix), name(), s);
                return biasAndActivation(this, g, y, useBias, bInit, act, s);
            }
        }.regularized(a);
    }

    /**
     * Conv1DTranspose/Conv2DTranspose: the adjoint of a convolution, x·kernelᵀ as the rows of
     * im2col, summed back into the output positions (col2im). Weights: {@code kernel} [k..., filters,
     * channels] (Keras's order: the kernel of the convolution it transposes) and {@code bias} [filters].
     */
    private static Layer convTranspose(Args a, LayerLibrary.Context ctx, int rank) {
        String cls = "Conv" + rank + "DTranspose";
        a.bind(List.of("filters", "kernel_size", "strides", "padding", "output_padding", "data_format", "dilation_rate", "activation",
                "use_bias", "kernel_initializer", "bias_initializer", "kernel_regularizer", "bias_regularizer", "activity_regularizer",
                "kernel_constraint", "bias_constraint", "name"), Map.of(), IGNORED);
        a.require("filters");
        int filters = positive(a, "filters", 0, cls);
        Sliding sw = sliding(a, cls, rank, false);
        int[] outputPadding = null;
        if (a.has("output_padding")) {
            List<Integer> v = a.ints("output_padding");
            if ((v.size() != 1 && v.size() != rank) || v.stream().anyMatch(p -> p < 0)) {
                throw new CompileException(a.get("output_padding").span(), cls + ": output_padding must be an integer >= 0"
                        + (rank > 1 ? " or a tuple of " + rank : "") + ", got " + a.get("output_padding"));
            }
            outputPadding = new int[rank];
            for (int i = 0; i < rank; i++) {
                outputPadding[i] = v.get(v.size() == 1 ? 0 : i);
                if (outputPadding[i] >= sw.strides()[i]) {
                    throw new CompileException(a.get("output_padding").span(), cls + ": output_padding must be less than strides on every axis, got "
                            + outputPadding[i] + " with strides " + sw.strides()[i]);
                }
            }
        }
        int[] op = outputPadding;
        Activations.validate(a.get("activation"));
        Val act = a.get("activation");
        boolean useBias = a.bool("use_bias", true);
        InitSpec kInit = CoreLayers.initializer(a, "kernel_initializer", "glorot_uniform");
        InitSpec bInit = CoreLayers.initializer(a, "bias_initializer", "zeros");
        return new Layer(cls, ctx.name(cls, a), a.span()) {
            protected Node lower(Graph g, List<Node> in, Span s) {
                Node x = spatial(single(in, s), rank, cls, s);
                int channels = x.type().dim(-1).size();
                List<Op.Window> w = new ArrayList<>();
                List<Dim> outDims = new ArrayList<>();
                outDims.add(x.type().dim(0));
                boolean identity = true;
                for (int i = 0; i < rank; i++) {
                    int n = x.type().dim(i + 1).size();
                    int[] lp = transposed(sw.padding(), n, sw.kernel()[i], sw.strides()[i], sw.dilation()[i], op == null ? null : op[i]);
                    if (lp[0] <= 0) {
                        throw new CompileException(s, cls + ": the output would have " + lp[0] + " positions on an axis of " + n + " in "
                                + x.type().kerasShape());
                    }
                    w.add(new Op.Window(sw.kernel()[i], sw.strides()[i], sw.dilation()[i], lp[1], n));
                    outDims.add(Dim.of(lp[0]));
                    identity &= sw.kernel()[i] == 1 && sw.strides()[i] == 1 && lp[1] == 0 && lp[0] == n;
                }
                outDims.add(Dim.of(filters));
                Node kernel = weight(g, "kernel", sw.shape(filters, channels), true, kInit);
                Node matrix = g.add(new Op.Reshape(List.of(Dim.of(sw.taps() * filters), Dim.of(channels))), List.of(kernel), name(), s);
                Node cols = g.add(new Op.MatMulBT(), List.of(x, matrix), name(), s);
                Node y = identity ? cols : g.add(new Op.Col2Im(new Op.Im2Col(w, 0, filters), outDims), List.of(cols), name(), s);
                return biasAndActivation(this, g, y, useBias, bInit, act, s);
            }
        }.regularized(a);
    }

    /**
     * A transposed convolution's output length over {@code n} positions and the left padding of the
     * convolution it transposes, {@code {length, padLeft}}, as Keras 3 computes them
     * (keras/src/backend/common/backend_utils.py: _get_output_shape_given_tf_padding and the padding
     * JAX's conv_transpose is given, which pads the strided input by {@code jaxLeft};
     * padLeft = k' - 1 - jaxLeft with k' = dilation·(k - 1) + 1).
     */
    static int[] transposed(String mode, int n, int k, int s, int d, Integer outputPadding) {
        int keff = d * (k - 1) + 1;
        if (mode.equals("valid")) {
            int extra = outputPadding == null ? Math.max(keff, s) - keff : outputPadding;
            return new int[] {(n - 1) * s + keff + extra, 0};
        }
        int padLen = outputPadding == null ? s + keff - 2 : keff + keff % 2 - 2 + outputPadding;
        int jaxLeft = Math.min(padLen / 2 + padLen % 2, keff - 1);
        int length = outputPadding == null ? n * s : (n - 1) * s + keff % 2 + outputPadding;
        return new int[] {length, keff - 1 - jaxLeft};
    }

    // ------------------------------------------------------------------ pooling

    /**
     * MaxPooling and AveragePooling (pool_size 2 per axis; AveragePooling1D's is required in
     * Keras 3 and 2 in Keras 2, 2 here): strides default to pool_size; padding valid or same,
     * never counted in a window.
     */
    private static Layer pooling(Args a, LayerLibrary.Context ctx, int rank, boolean max) {
        String cls = cls(max ? "MaxPooling" : "AveragePooling", rank);
        a.bind(List.of("pool_size", "strides", "padding", "data_format", "name"), Map.of(), IGNORED);
        int[] pool = perAxis(a, "pool_size", rank, 2);
        int[] stride = a.has("strides") && !(a.get("strides") instanceof Val.None) ? perAxis(a, "strides", rank, 1) : pool.clone();
        String padding = a.option("padding", "valid", Set.of("valid", "same"));
        a.option("data_format", "channels_last", Set.of("channels_last"));
        int[] ones = new int[rank];
        java.util.Arrays.fill(ones, 1);
        return new Layer(cls, ctx.name(cls, a), a.span()) {
            protected Node lower(Graph g, List<Node> in, Span s) {
                Node x = spatial(single(in, s), rank, cls, s);
                return g.add(new Op.Pool(max, windows(x.type(), padding, pool, stride, ones, s, cls)), List.of(x), name(), s);
            }
        };
    }

    /**
     * The mean or maximum over all spatial positions, [batch, s..., c] to [batch, c] ([batch, 1..., c]
     * with keepdims). GlobalAveragePooling1D averages only the unmasked steps of a masked input.
     */
    private static Layer globalPooling(Args a, LayerLibrary.Context ctx, int rank, boolean max) {
        String cls = cls(max ? "GlobalMaxPooling" : "GlobalAveragePooling", rank);
        a.bind(List.of("data_format", "keepdims", "name"), Map.of(), IGNORED);
        a.option("data_format", "channels_last", Set.of("channels_last"));
        boolean keepdims = a.bool("keepdims", false);
        return new Layer(cls, ctx.name(cls, a), a.span()) {
            protected Node lower(Graph g, List<Node> in, Span s) {
                Node x = spatial(single(in, s), rank, cls, s);
                Dim c = x.type().dim(-1);
                int positions = x.type().sampleSize() / c.size();
                Node mask = max ? null : ctx.masks().of(x);
                Node y;
                if (mask != null) {
                    y = g.add(new Op.MaskedMean(), List.of(x, mask), name(), s);
                } else {
                    Node rows = rank == 1 ? x : g.add(new Op.Reshape(List.of(x.type().dim(0), Dim.of(positions), c)), List.of(x), name(), s);
                    y = g.add(new Op.Pool(max, List.of(new Op.Window(positions, positions, 1, 0, 1))), List.of(rows), name(), s);
                }
                List<Dim> dims = new ArrayList<>();
                dims.add(x.type().dim(0));
                if (keepdims) for (int i = 0; i < rank; i++) dims.add(Dim.of(1));
                dims.add(c);
                return y.type().dims().equals(dims) ? y : g.add(new Op.Reshape(dims), List.of(y), name(), s);
            }
        };
    }

    // ------------------------------------------------------------------ padding, cropping, upsampling

    /**
     * ZeroPadding1D/2D and Cropping1D/2D: {@code padding}/{@code cropping} is an integer (every side),
     * a tuple with one integer per spatial axis (both sides of it), or, per axis, a pair
     * (before, after). Defaults: 1 for padding, 0 for cropping.
     */
    private static Layer padOrCrop(Args a, LayerLibrary.Context ctx, int rank, boolean pad) {
        String cls = cls(pad ? "ZeroPadding" : "Cropping", rank);
        String arg = pad ? "padding" : "cropping";
        a.bind(List.of(arg, "data_format", "name"), Map.of(), IGNORED);
        a.option("data_format", "channels_last", Set.of("channels_last"));
        int[][] sides = sides(a, arg, rank, pad ? 1 : 0);
        return new Layer(cls, ctx.name(cls, a), a.span()) {
            protected Node lower(Graph g, List<Node> in, Span s) {
                Node y = spatial(single(in, s), rank, cls, s);
                for (int i = 0; i < rank; i++) {
                    int axis = i + 1, n = y.type().dim(axis).size(), before = sides[i][0], after = sides[i][1];
                    if (before == 0 && after == 0) continue;
                    if (pad) {
                        y = g.add(new Op.SliceGrad(axis, List.of(before), n + before + after), List.of(y), name(), s);
                    } else {
                        if (before + after >= n) {
                            throw new CompileException(s, cls + ": cropping " + before + " + " + after + " leaves nothing of an axis of "
                                    + n + " in " + y.type().kerasShape());
                        }
                        y = g.add(new Op.Slice(axis, before, n - before - after), List.of(y), name(), s);
                    }
                }
                return y;
            }
        };
    }

    /** (before, after) per spatial axis from Keras's integer / tuple / tuple-of-pairs forms. */
    private static int[][] sides(Args a, String name, int rank, int dflt) {
        int[][] out = new int[rank][2];
        if (!a.has(name)) {
            for (int[] side : out) java.util.Arrays.fill(side, dflt);
            return out;
        }
        Val v = a.get(name);
        String form = rank == 1 ? "an integer or a pair (before, after)" : "an integer, a tuple of " + rank + " integers or a tuple of " + rank + " pairs";
        CompileException bad = new CompileException(v.span(), a.callee() + ": " + name + " must be " + form + " of integers >= 0, got " + v);
        List<Val> items = v instanceof Val.Seq s ? s.items() : List.of(v);
        if (rank == 1 && items.size() == 2 && items.stream().allMatch(ConvLayers::isInt)) {
            out[0] = new int[] {intOf(items.get(0), bad), intOf(items.get(1), bad)};
        } else if (items.size() == 1 && isInt(items.get(0))) {
            int p = intOf(items.get(0), bad);
            for (int[] side : out) java.util.Arrays.fill(side, p);
        } else if (items.size() == rank) {
            for (int i = 0; i < rank; i++) {
                Val item = items.get(i);
                if (isInt(item)) {
                    java.util.Arrays.fill(out[i], intOf(item, bad));
                } else if (item instanceof Val.Seq pair && pair.items().size() == 2) {
                    out[i] = new int[] {intOf(pair.items().get(0), bad), intOf(pair.items().get(1), bad)};
                } else {
                    throw bad;
                }
            }
        } else {
            throw bad;
        }
        return out;
    }

    private static boolean isInt(Val v) {
        return v instanceof Val.Num n && n.integral();
    }

    private static int intOf(Val v, CompileException bad) {
        if (!(v instanceof Val.Num n) || !n.integral() || n.value() < 0) throw bad;
        return (int) n.value();
    }

    /** UpSampling1D(size=2) and UpSampling2D(size=(2, 2), interpolation="nearest"): each position repeated. */
    private static Layer upSampling(Args a, LayerLibrary.Context ctx, int rank) {
        String cls = cls("UpSampling", rank);
        a.bind(List.of("size", "data_format", "interpolation", "name"), Map.of(), IGNORED);
        a.option("data_format", "channels_last", Set.of("channels_last"));
        if (rank == 2) a.option("interpolation", "nearest", Set.of("nearest"));
        int[] size = perAxis(a, "size", rank, 2);
        List<Integer> factors = java.util.Arrays.stream(size).boxed().toList();
        return new Layer(cls, ctx.name(cls, a), a.span()) {
            protected Node lower(Graph g, List<Node> in, Span s) {
                Node x = spatial(single(in, s), rank, cls, s);
                return factors.stream().allMatch(f -> f == 1) ? x : g.add(new Op.Upsample(factors), List.of(x), name(), s);
            }
        };
    }

    /** SpatialDropout2D: one keep decision per (sample, channel), shared by every row and column. */
    private static Layer spatialDropout2d(Args a, LayerLibrary.Context ctx) {
        a.bind(List.of("rate", "seed", "data_format", "name"), Map.of(), IGNORED);
        a.option("data_format", "channels_last", Set.of("channels_last"));
        double rate = a.number("rate");
        if (rate < 0 || rate >= 1) throw new CompileException(a.require("rate").span(), "SpatialDropout2D rate must be in [0, 1), got " + rate);
        int stream = ctx.nextStream();
        return new Layer("SpatialDropout2D", ctx.name("SpatialDropout2D", a), a.span()) {
            protected Node lower(Graph g, List<Node> in, Span s) {
                Node x = spatial(single(in, s), 2, "SpatialDropout2D", s);
                if (rate == 0) return x;
                TensorType t = x.type();
                Node rows = g.add(new Op.Reshape(List.of(t.dim(0), Dim.of(t.dim(1).size() * t.dim(2).size()), t.dim(3))), List.of(x), name(), s);
                Node y = g.add(new Op.SpatialDropout(rate, stream), List.of(rows), name(), s);
                return g.add(new Op.Reshape(t.dims()), List.of(y), name(), s);
            }
        };
    }
}
