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
 * Keras's layers for sequences and multi-branch graphs, with Keras's arguments, defaults, weight
 * names and shape rules ({@code reference/keras-semantics.md} §2–4): Embedding, Conv1D, the 1-D
 * and global poolings, the merging layers, RepeatVector, Permute and SpatialDropout1D.
 */
final class SequenceLayers {
    private SequenceLayers() {}

    /** Keras arguments accepted with no effect here: Keras 2's {@code input_length} and the first-layer shape arguments. */
    private static final Set<String> IGNORED = union(CoreLayers.INPUT_SHAPE_ARGS, Set.of("input_length"));

    /** Embedding's first argument is itself called {@code input_dim}. */
    private static final Set<String> EMBEDDING_IGNORED = IGNORED.stream().filter(n -> !n.equals("input_dim")).collect(java.util.stream.Collectors.toSet());

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> all = new HashSet<>(a);
        all.addAll(b);
        return Set.copyOf(all);
    }

    static void register(Map<String, LayerLibrary.Factory> lib) {
        lib.put("Embedding", SequenceLayers::embedding);
        lib.put("Conv1D", SequenceLayers::conv1d);
        lib.put("Convolution1D", SequenceLayers::conv1d);
        lib.put("MaxPooling1D", (a, ctx) -> pooling(a, ctx, true));
        lib.put("MaxPool1D", (a, ctx) -> pooling(a, ctx, true));
        lib.put("AveragePooling1D", (a, ctx) -> pooling(a, ctx, false));
        lib.put("AvgPool1D", (a, ctx) -> pooling(a, ctx, false));
        lib.put("GlobalAveragePooling1D", (a, ctx) -> globalPooling(a, ctx, false));
        lib.put("GlobalAvgPool1D", (a, ctx) -> globalPooling(a, ctx, false));
        lib.put("GlobalMaxPooling1D", (a, ctx) -> globalPooling(a, ctx, true));
        lib.put("GlobalMaxPool1D", (a, ctx) -> globalPooling(a, ctx, true));
        lib.put("Concatenate", SequenceLayers::concatenate);
        for (String m : List.of("Add", "Subtract", "Multiply", "Average", "Maximum", "Minimum")) {
            lib.put(m, (a, ctx) -> merge(a, ctx, m));
        }
        lib.put("RepeatVector", SequenceLayers::repeatVector);
        lib.put("Permute", SequenceLayers::permute);
        lib.put("SpatialDropout1D", SequenceLayers::spatialDropout);
        lib.put("Masking", SequenceLayers::masking);
    }

    /** An error if a Keras argument that modelc cannot honour yet was given (and is not None). */
    private static void unsupported(Args a, String... names) {
        for (String n : names) {
            if (a.has(n)) throw new CompileException(a.get(n).span(), a.callee() + "'s " + n + " is not supported yet");
        }
    }

    /** A positive integer, or a list of one (Keras's {@code kernel_size=(3,)}). */
    private static int single(Args a, String name, int dflt) {
        if (!a.has(name)) return dflt;
        List<Integer> v = a.ints(name);
        if (v.size() != 1 || v.get(0) <= 0) {
            throw new CompileException(a.get(name).span(), a.callee() + ": " + name + " must be a positive integer, got " + a.get(name));
        }
        return v.get(0);
    }

    private static Node sequence(Node x, String what, Span s) {
        TensorType t = x.type();
        if (t.rank() != 3 || !t.isBatched()) {
            throw new CompileException(s, what + " needs an input of shape (batch, steps, channels), got " + t.kerasShape());
        }
        return x;
    }

    /** The output length and left padding of a window of {@code k} (dilated by {@code d}) sliding by {@code s} over {@code n}. */
    record Padding(int outLen, int left) {
        static Padding of(String mode, int n, int k, int s, int d, Span span, String what) {
            int keff = d * (k - 1) + 1;
            return switch (mode) {
                case "valid" -> {
                    if (n < keff) {
                        throw new CompileException(span, what + ": a window of " + keff + " does not fit an input of " + n
                                + " steps with padding=valid");
                    }
                    yield new Padding((n - keff) / s + 1, 0);
                }
                // TF's rule, which every Keras backend follows: the odd pad goes at the end.
                case "same" -> {
                    int out = (n + s - 1) / s;
                    yield new Padding(out, Math.max(0, (out - 1) * s + keff - n) / 2);
                }
                case "causal" -> new Padding((n - 1) / s + 1, d * (k - 1));
                default -> throw new IllegalArgumentException(mode);
            };
        }
    }

    // ------------------------------------------------------------------ Embedding

    private static Layer embedding(Args a, LayerLibrary.Context ctx) {
        a.bind(List.of("input_dim", "output_dim", "embeddings_initializer", "embeddings_regularizer", "embeddings_constraint",
                "mask_zero", "weights", "lora_rank", "name"), Map.of(), EMBEDDING_IGNORED);
        unsupported(a, "embeddings_constraint", "weights", "lora_rank");
        int inputDim = a.integer("input_dim"), outputDim = a.integer("output_dim");
        if (inputDim <= 0) throw new CompileException(a.require("input_dim").span(), "Embedding's input_dim must be a positive integer, got " + inputDim);
        if (outputDim <= 0) throw new CompileException(a.require("output_dim").span(), "Embedding's output_dim must be a positive integer, got " + outputDim);
        InitSpec init = CoreLayers.initializer(a, "embeddings_initializer", "uniform");
        boolean maskZero = a.bool("mask_zero", false);
        return new Layer("Embedding", ctx.name("Embedding", a), a.span()) {
            protected Node lower(Graph g, List<Node> in, Span s) {
                Node ids = single(in, s);
                Node table = weight(g, "embeddings", List.of(inputDim, outputDim), true, init);
                Node y = g.add(new Op.Gather(), List.of(ids, table), name(), s);
                if (maskZero) ctx.masks().set(y, g.add(new Op.NonZero(), List.of(ids), name(), s));
                return y;
            }
        }.regularized(a);
    }

    // ------------------------------------------------------------------ Conv1D

    /**
     * y = act(im2col(x) @ kernel + bias): the windows of each output step as rows, times the
     * kernel [k, in/groups, filters] read as a [k·in/groups, filters] matrix. With groups, each
     * group's channels meet its own slice of the filters and the results are concatenated.
     */
    private static Layer conv1d(Args a, LayerLibrary.Context ctx) {
        a.bind(List.of("filters", "kernel_size", "strides", "padding", "data_format", "dilation_rate", "groups", "activation",
                "use_bias", "kernel_initializer", "bias_initializer", "kernel_regularizer", "bias_regularizer",
                "activity_regularizer", "kernel_constraint", "bias_constraint", "name"), Map.of(), IGNORED);
        unsupported(a, "kernel_constraint", "bias_constraint");
        int filters = a.integer("filters");
        if (filters <= 0) throw new CompileException(a.require("filters").span(), "Conv1D needs a positive number of filters, got " + filters);
        a.require("kernel_size");
        int k = single(a, "kernel_size", 1), stride = single(a, "strides", 1), dilation = single(a, "dilation_rate", 1);
        int groups = a.integer("groups", 1);
        String padding = a.option("padding", "valid", Set.of("valid", "same", "causal"));
        a.option("data_format", "channels_last", Set.of("channels_last"));
        if (stride > 1 && dilation > 1) {
            throw new CompileException(a.get("strides").span(), "Conv1D: strides > 1 is not supported together with dilation_rate > 1 (as in Keras)");
        }
        if (groups <= 0 || filters % groups != 0) {
            throw new CompileException(a.has("groups") ? a.get("groups").span() : a.span(),
                    "Conv1D: filters (" + filters + ") must be divisible by groups (" + groups + ")");
        }
        Activations.validate(a.get("activation"));
        var act = a.get("activation");
        boolean useBias = a.bool("use_bias", true);
        InitSpec kInit = CoreLayers.initializer(a, "kernel_initializer", "glorot_uniform");
        InitSpec bInit = CoreLayers.initializer(a, "bias_initializer", "zeros");
        return new Layer("Conv1D", ctx.name("Conv1D", a), a.span()) {
            protected Node lower(Graph g, List<Node> in, Span s) {
                Node x = sequence(single(in, s), "Conv1D", s);
                int n = x.type().dim(1).size(), channels = x.type().dim(2).size();
                if (channels % groups != 0) {
                    throw new CompileException(s, "Conv1D: the input's " + channels + " channels must be divisible by groups (" + groups + ")");
                }
                int cg = channels / groups, fg = filters / groups;
                Padding p = Padding.of(padding, n, k, stride, dilation, s, "Conv1D");
                Node kernel = weight(g, "kernel", List.of(k, cg, filters), true, kInit);
                Node matrix = g.add(new Op.Reshape(List.of(Dim.of(k * cg), Dim.of(filters))), List.of(kernel), name(), s);
                List<Node> parts = new ArrayList<>();
                for (int j = 0; j < groups; j++) {
                    Node cols = k == 1 && stride == 1 && groups == 1 ? x
                            : g.add(new Op.Im2Col(k, stride, dilation, p.left(), p.outLen(), j * cg, cg), List.of(x), name(), s);
                    Node w = groups == 1 ? matrix : g.add(new Op.Slice(1, j * fg, fg), List.of(matrix), name(), s);
                    parts.add(g.add(new Op.MatMul(), List.of(cols, w), name(), s));
                }
                Node y = parts.size() == 1 ? parts.get(0) : g.add(new Op.Concat(2), parts, name(), s);
                if (useBias) {
                    Node b = weight(g, "bias", List.of(filters), true, bInit);
                    y = g.add(new Op.Binary(Op.BinOp.ADD), List.of(y, b), name(), s);
                }
                return Activations.apply(g, y, act, name(), s);
            }
        }.regularized(a);
    }

    // ------------------------------------------------------------------ pooling

    /**
     * MaxPooling1D (pool_size=2) and AveragePooling1D (pool_size required in Keras 3, 2 in Keras 2;
     * 2 here): strides default to pool_size; padding valid or same, never counted in a window.
     */
    private static Layer pooling(Args a, LayerLibrary.Context ctx, boolean max) {
        String cls = max ? "MaxPooling1D" : "AveragePooling1D";
        a.bind(List.of("pool_size", "strides", "padding", "data_format", "name"), Map.of(), IGNORED);
        int pool = single(a, "pool_size", 2);
        int stride = single(a, "strides", pool);
        String padding = a.option("padding", "valid", Set.of("valid", "same"));
        a.option("data_format", "channels_last", Set.of("channels_last"));
        return new Layer(cls, ctx.name(cls, a), a.span()) {
            protected Node lower(Graph g, List<Node> in, Span s) {
                Node x = sequence(single(in, s), cls, s);
                Padding p = Padding.of(padding, x.type().dim(1).size(), pool, stride, 1, s, cls);
                return g.add(new Op.Pool1D(max, pool, stride, p.left(), p.outLen()), List.of(x), name(), s);
            }
        };
    }

    /**
     * The mean or maximum over all steps, [batch, steps, c] to [batch, c] ([batch, 1, c] with
     * keepdims). GlobalAveragePooling1D averages only the unmasked steps of a masked input.
     */
    private static Layer globalPooling(Args a, LayerLibrary.Context ctx, boolean max) {
        String cls = max ? "GlobalMaxPooling1D" : "GlobalAveragePooling1D";
        a.bind(List.of("data_format", "keepdims", "name"), Map.of(), IGNORED);
        a.option("data_format", "channels_last", Set.of("channels_last"));
        boolean keepdims = a.bool("keepdims", false);
        return new Layer(cls, ctx.name(cls, a), a.span()) {
            protected Node lower(Graph g, List<Node> in, Span s) {
                Node x = sequence(single(in, s), cls, s);
                int steps = x.type().dim(1).size();
                Dim c = x.type().dim(2);
                Node mask = max ? null : ctx.masks().of(x);
                Node y = mask != null ? g.add(new Op.MaskedMean(), List.of(x, mask), name(), s)
                        : g.add(new Op.Pool1D(max, steps, steps, 0, 1), List.of(x), name(), s);
                List<Dim> dims = keepdims ? List.of(Dim.BATCH, Dim.of(1), c) : List.of(Dim.BATCH, c);
                return y.type().dims().equals(dims) ? y : g.add(new Op.Reshape(dims), List.of(y), name(), s);
            }
        };
    }

    // ------------------------------------------------------------------ merging

    private static Layer concatenate(Args a, LayerLibrary.Context ctx) {
        a.bind(List.of("axis", "name"), Map.of(), IGNORED);
        int axis = a.integer("axis", -1);
        Span axisSpan = a.has("axis") ? a.get("axis").span() : a.span();
        return new Layer("Concatenate", ctx.name("Concatenate", a), a.span()) {
            protected Node lower(Graph g, List<Node> in, Span s) {
                if (in.size() < 2) throw new CompileException(s, "Concatenate needs a list of at least 2 inputs, got " + in.size());
                int rank = in.get(0).type().rank();
                int ax = axis < 0 ? axis + rank : axis;
                if (ax <= 0 || ax >= rank) {
                    throw new CompileException(axisSpan, "Concatenate: axis " + axis + " is not a feature axis of " + in.get(0).type().kerasShape());
                }
                return g.add(new Op.Concat(ax), in, name(), s);
            }
        };
    }

    /**
     * Add, Subtract, Multiply, Average, Maximum, Minimum: elementwise over inputs of one rank
     * (axes of 1 broadcast, as Keras allows); Subtract takes exactly two.
     */
    private static Layer merge(Args a, LayerLibrary.Context ctx, String cls) {
        a.bind(List.of("name"), Map.of(), IGNORED);
        return new Layer(cls, ctx.name(cls, a), a.span()) {
            protected Node lower(Graph g, List<Node> in, Span s) {
                if (cls.equals("Subtract") ? in.size() != 2 : in.size() < 2) {
                    throw new CompileException(s, cls + " needs a list of " + (cls.equals("Subtract") ? "exactly" : "at least") + " 2 inputs, got " + in.size());
                }
                for (Node x : in) {
                    if (x.type().rank() != in.get(0).type().rank()) {
                        throw new CompileException(s, cls + " needs inputs of one rank, got " + in.get(0).type().kerasShape() + " and " + x.type().kerasShape());
                    }
                }
                Node y = in.get(0);
                for (Node x : in.subList(1, in.size())) {
                    Op op = switch (cls) {
                        case "Subtract" -> new Op.Binary(Op.BinOp.SUB);
                        case "Multiply" -> new Op.Binary(Op.BinOp.MUL);
                        case "Maximum" -> new Op.MaxMin(true);
                        case "Minimum" -> new Op.MaxMin(false);
                        default -> new Op.Binary(Op.BinOp.ADD);
                    };
                    y = g.add(op, List.of(y, x), name(), s);
                }
                return cls.equals("Average") ? g.add(new Op.Affine(1.0 / in.size(), 0), List.of(y), name(), s) : y;
            }
        };
    }

    // ------------------------------------------------------------------ reshaping

    private static Layer repeatVector(Args a, LayerLibrary.Context ctx) {
        a.bind(List.of("n", "name"), Map.of(), IGNORED);
        int times = a.integer("n");
        if (times <= 0) throw new CompileException(a.require("n").span(), "RepeatVector needs a positive n, got " + times);
        return new Layer("RepeatVector", ctx.name("RepeatVector", a), a.span()) {
            protected Node lower(Graph g, List<Node> in, Span s) {
                Node x = single(in, s);
                if (x.type().rank() != 2) throw new CompileException(s, "RepeatVector needs an input of shape (batch, features), got " + x.type().kerasShape());
                return g.add(new Op.Repeat(times), List.of(x), name(), s);
            }
        };
    }

    /** Keras's dims are 1-based sample axes: Permute((2, 1)) swaps the two axes after the batch. */
    private static Layer permute(Args a, LayerLibrary.Context ctx) {
        a.bind(List.of("dims", "name"), Map.of(), IGNORED);
        List<Integer> dims = a.ints("dims");
        Span ds = a.require("dims").span();
        Set<Integer> seen = new HashSet<>(dims);
        for (int i = 1; i <= dims.size(); i++) {
            if (!seen.contains(i) || seen.size() != dims.size()) {
                throw new CompileException(ds, "Permute's dims must be a permutation of 1.." + dims.size() + ", got " + dims);
            }
        }
        List<Integer> perm = dims.stream().map(d -> d - 1).toList();
        return new Layer("Permute", ctx.name("Permute", a), a.span()) {
            protected Node lower(Graph g, List<Node> in, Span s) {
                Node x = single(in, s);
                if (x.type().rank() != dims.size() + 1) {
                    throw new CompileException(ds, "Permute" + dims + " does not fit an input of shape " + x.type().kerasShape());
                }
                return g.add(new Op.Transpose(perm), List.of(x), name(), s);
            }
        };
    }

    // ------------------------------------------------------------------ Masking

    /**
     * Masking(mask_value=0.0): a step whose features all equal mask_value is masked (the mask then
     * reaches recurrent layers, pooling and the loss as one from mask_zero does); the output is the
     * input with masked steps set to zero, as Keras's.
     */
    private static Layer masking(Args a, LayerLibrary.Context ctx) {
        a.bind(List.of("mask_value", "name"), Map.of(), IGNORED);
        double value = a.number("mask_value", 0);
        return new Layer("Masking", ctx.name("Masking", a), a.span()) {
            protected Node lower(Graph g, List<Node> in, Span s) {
                Node x = sequence(single(in, s), "Masking", s);
                Node mask = g.add(new Op.AnyNotEqual(value), List.of(x), name(), s);
                Node column = g.add(new Op.Reshape(List.of(Dim.BATCH, x.type().dim(1), Dim.of(1))), List.of(mask), name(), s);
                Node y = g.add(new Op.Binary(Op.BinOp.MUL), List.of(x, column), name(), s);
                ctx.masks().set(y, mask);
                return y;
            }
        };
    }

    // ------------------------------------------------------------------ regularisation

    private static Layer spatialDropout(Args a, LayerLibrary.Context ctx) {
        a.bind(List.of("rate", "seed", "name"), Map.of(), IGNORED);
        double rate = a.number("rate");
        if (rate < 0 || rate >= 1) throw new CompileException(a.require("rate").span(), "SpatialDropout1D rate must be in [0, 1), got " + rate);
        int stream = ctx.nextStream();
        return new Layer("SpatialDropout1D", ctx.name("SpatialDropout1D", a), a.span()) {
            protected Node lower(Graph g, List<Node> in, Span s) {
                Node x = sequence(single(in, s), "SpatialDropout1D", s);
                return rate == 0 ? x : g.add(new Op.SpatialDropout(rate, stream), List.of(x), name(), s);
            }
        };
    }
}
