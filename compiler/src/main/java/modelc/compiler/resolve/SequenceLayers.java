package modelc.compiler.resolve;

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
 * names and shape rules ({@code reference/keras-semantics.md} §2–4): Embedding, RepeatVector, Permute,
 * Masking and SpatialDropout1D. The windowed layers are in {@link ConvLayers}, the merging layers
 * in {@link MergeLayers}.
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
        MergeLayers.register(lib, IGNORED);
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

    // ------------------------------------------------------------------ Embedding

    private static Layer embedding(Args a, LayerLibrary.Context ctx) {
        a.bind(List.of("input_dim", "output_dim", "embeddings_initializer", "embeddings_regularizer", "embeddings_constraint",
                "mask_zero", "weights", "lora_rank", "name"), Map.of(), EMBEDDING_IGNORED);
        unsupported(a, "weights", "lora_rank");
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
                Node column = g.add(new Op.Reshape(List.of(x.type().dim(0), x.type().dim(1), Dim.of(1))), List.of(mask), name(), s);
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
