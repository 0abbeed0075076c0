package modelc.compiler.resolve;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import modelc.compiler.diag.CompileException;
import modelc.compiler.diag.Span;
import modelc.compiler.ir.Dim;
import modelc.compiler.ir.Graph;
import modelc.compiler.ir.Node;
import modelc.compiler.ir.Op;
import modelc.compiler.ir.TensorType;

/**
 * Keras's merging layers, called on a list of tensors: Concatenate, Add, Subtract, Multiply,
 * Average, Maximum, Minimum and Dot, with Keras 3's shape rules and its masks
 * (keras/src/layers/merging/): Add, Subtract and Average OR their inputs' masks when every input
 * has one (else the output has none); Multiply and Maximum/Minimum also use the masks in the
 * values (a masked entry counts as 1, or as the other operand); Concatenate joins the masks
 * along its axis, counting an unmasked input as all valid; Dot drops them.
 */
final class MergeLayers {
    private MergeLayers() {}

    /** Keras's epsilon ({@code keras.config.epsilon()}), the lower bound of a norm in {@code Dot(normalize=True)}. */
    private static final double EPSILON = 1e-7;

    static void register(Map<String, LayerLibrary.Factory> lib, Set<String> ignored) {
        lib.put("Concatenate", (a, ctx) -> concatenate(a, ctx, ignored));
        for (String m : List.of("Add", "Subtract", "Multiply", "Average", "Maximum", "Minimum")) {
            lib.put(m, (a, ctx) -> merge(a, ctx, m, ignored));
        }
        lib.put("Dot", (a, ctx) -> dot(a, ctx, ignored));
    }

    // ------------------------------------------------------------------ Concatenate

    private static Layer concatenate(Args a, LayerLibrary.Context ctx, Set<String> ignored) {
        a.bind(List.of("axis", "name"), Map.of(), ignored);
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
                Node y = g.add(new Op.Concat(ax), in, name(), s);
                List<Node> masks = masks(in, ctx, "Concatenate", s);
                if (masks == null) return y;
                if (ax < rank - 1) {
                    // Keras concatenates the masks along the same axis, an unmasked input counting as all valid.
                    List<Node> parts = new ArrayList<>();
                    for (int i = 0; i < in.size(); i++) {
                        Node m = masks.get(i);
                        parts.add(m != null ? m : ones(g, in.get(i).type().dims().subList(0, rank - 1), name(), s));
                    }
                    ctx.masks().set(y, g.add(new Op.Concat(ax), parts, name(), s));
                } else if (!masks.contains(null)) {
                    // Along the features: a step is valid if it is in any input (an unmasked input makes every step valid).
                    ctx.masks().set(y, or(g, masks, name(), s));
                }
                return y;
            }
        };
    }

    // ------------------------------------------------------------------ elementwise merges

    /**
     * Add, Subtract, Multiply, Average, Maximum, Minimum: elementwise over inputs of one rank
     * (axes of 1 broadcast, as Keras allows); Subtract takes exactly two.
     */
    private static Layer merge(Args a, LayerLibrary.Context ctx, String cls, Set<String> ignored) {
        a.bind(List.of("name"), Map.of(), ignored);
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
                List<Node> masks = masks(in, ctx, cls, s);
                return switch (cls) {
                    case "Multiply" -> multiply(g, in, masks, ctx, name(), s);
                    case "Maximum", "Minimum" -> maxMin(g, in, masks, cls.equals("Maximum"), ctx, name(), s);
                    default -> {
                        Node y = in.get(0);
                        for (Node x : in.subList(1, in.size())) {
                            y = g.add(new Op.Binary(cls.equals("Subtract") ? Op.BinOp.SUB : Op.BinOp.ADD), List.of(y, x), name(), s);
                        }
                        if (cls.equals("Average")) y = g.add(new Op.Affine(1.0 / in.size(), 0), List.of(y), name(), s);
                        // Keras's Merge.compute_mask: the OR of the masks if every input has one.
                        if (masks != null && !masks.contains(null)) ctx.masks().set(y, or(g, masks, name(), s));
                        yield y;
                    }
                };
            }
        };
    }

    /**
     * Keras's Multiply: a masked input counts as 1 where it is masked; if every input is masked,
     * the product is 0 outside the OR of the masks, which is the output's mask.
     */
    private static Node multiply(Graph g, List<Node> in, List<Node> masks, LayerLibrary.Context ctx, String layer, Span s) {
        boolean all = masks != null && !masks.contains(null);
        Node y = null;
        for (int i = 0; i < in.size(); i++) {
            Node x = in.get(i), m = masks == null ? null : masks.get(i);
            if (m != null) x = g.add(new Op.Select(), List.of(m, x, ones(g, x.type().dims(), layer, s)), layer, s);
            y = y == null ? x : g.add(new Op.Binary(Op.BinOp.MUL), List.of(y, x), layer, s);
        }
        if (all) {
            Node mask = or(g, masks, layer, s);
            y = g.add(new Op.MaskRows(true), List.of(mask, y), layer, s);
            ctx.masks().set(y, mask);
        }
        return y;
    }

    /**
     * Keras's Maximum and Minimum (Merge._apply_merge_op_and_or_mask), input by input: where the
     * next input is masked it takes the running result's value, where the running result is masked
     * it takes the input's; the running mask is the OR while every input so far has one.
     */
    private static Node maxMin(Graph g, List<Node> in, List<Node> masks, boolean max, LayerLibrary.Context ctx, String layer, Span s) {
        Op.MaxMin op = new Op.MaxMin(max);
        // The shapes first, so that a mismatch is reported as one.
        for (Node x : in.subList(1, in.size())) op.infer(List.of(in.get(0).type(), x.type()), s);
        Node y = in.get(0), ym = masks == null ? null : masks.get(0);
        for (int i = 1; i < in.size(); i++) {
            Node x = in.get(i), m = masks == null ? null : masks.get(i);
            if (m != null) x = g.add(new Op.Select(), List.of(m, x, y), layer, s);
            if (ym != null) y = g.add(new Op.Select(), List.of(ym, y, x), layer, s);
            ym = m != null && ym != null ? or(g, List.of(ym, m), layer, s) : null;
            y = g.add(op, List.of(y, x), layer, s);
        }
        if (ym != null) ctx.masks().set(y, ym);
        return y;
    }

    // ------------------------------------------------------------------ Dot

    /**
     * Dot(axes, normalize=False): per sample, the sum over axis {@code axes[0]} of the first input
     * times axis {@code axes[1]} of the second (Keras's batch_dot); the output's axes are the first
     * input's other axes, then the second's, or {@code (batch, 1)} if none are left. With
     * {@code normalize}, each input is first L2-normalised along its axis (keras.ops.normalize).
     * Masks are dropped, as Keras's Dot.compute_mask does.
     */
    private static Layer dot(Args a, LayerLibrary.Context ctx, Set<String> ignored) {
        a.bind(List.of("axes", "normalize", "name"), Map.of(), ignored);
        Val given = a.require("axes");
        List<Integer> axes = a.ints("axes");
        if (given instanceof Val.Seq && axes.size() != 2) {
            throw new CompileException(given.span(), "Dot's axes must be an integer or a pair of integers, got " + given);
        }
        boolean normalize = a.bool("normalize", false);
        return new Layer("Dot", ctx.name("Dot", a), a.span()) {
            protected Node lower(Graph g, List<Node> in, Span s) {
                if (in.size() != 2) throw new CompileException(s, "Dot needs a list of exactly 2 inputs, got " + in.size());
                Node x = in.get(0), y = in.get(1);
                TensorType tx = x.type(), ty = y.type();
                int ax = axis(axes.get(0), tx, given, tx, ty), ay = axis(axes.get(axes.size() - 1), ty, given, tx, ty);
                if (!tx.dim(ax).equals(ty.dim(ay))) {
                    throw new CompileException(s, "cannot take the dot product of shapes " + tx.kerasShape() + " and " + ty.kerasShape()
                            + " over axes (" + ax + ", " + ay + "): " + tx.dim(ax).size() + " vs " + ty.dim(ay).size());
                }
                if (normalize) {
                    x = g.add(new Op.L2Normalize(ax, EPSILON), List.of(x), name(), s);
                    y = g.add(new Op.L2Normalize(ay, EPSILON), List.of(y), name(), s);
                }
                int k = tx.dim(ax).size();
                // The first input as [batch, M, K] (or [batch, K, M], transposed in the product), the second as [batch, K, N] (or [batch, N, K]).
                boolean transA = ax == 1 && tx.rank() > 2, transB = ay == ty.rank() - 1 && ty.rank() > 2;
                if (!transA && ax != tx.rank() - 1) x = g.add(new Op.Transpose(moved(tx.rank() - 1, ax - 1, tx.rank() - 2)), List.of(x), name(), s);
                if (!transB && ay != 1) y = g.add(new Op.Transpose(moved(ty.rank() - 1, ay - 1, 0)), List.of(y), name(), s);
                int m = tx.sampleSize() / k, n = ty.sampleSize() / k;
                Dim batch = tx.dim(0); // the batch, or under TimeDistributed the batch times its steps
                x = g.add(new Op.Reshape(transA ? rows(batch, k, m) : rows(batch, m, k)), List.of(x), name(), s);
                y = g.add(new Op.Reshape(transB ? rows(batch, n, k) : rows(batch, k, n)), List.of(y), name(), s);
                Node z = g.add(new Op.BatchMatMul(transA, transB), List.of(x, y), name(), s);
                List<Dim> out = new ArrayList<>(tx.dims());
                out.remove(ax);
                List<Dim> rest = new ArrayList<>(ty.dims().subList(1, ty.rank()));
                rest.remove(ay - 1);
                out.addAll(rest);
                if (out.size() == 1) out.add(Dim.of(1));
                return g.add(new Op.Reshape(out), List.of(z), name(), s);
            }
        };
    }

    /** A Dot axis of {@code t} (negative counts from the end), which must be a sample axis. */
    private static int axis(int written, TensorType t, Val given, TensorType tx, TensorType ty) {
        int a = written < 0 ? written + t.rank() : written;
        if (a <= 0 || a >= t.rank()) {
            throw new CompileException(given.span(), "Dot: axes " + given + " do not fit inputs of shapes " + tx.kerasShape() + " and "
                    + ty.kerasShape(), a == 0 ? "axis 0 is the batch axis, which Dot cannot sum over" : null);
        }
        return a;
    }

    /** The permutation of {@code rank} sample axes that moves axis {@code from} to position {@code to}, the others keeping their order. */
    private static List<Integer> moved(int rank, int from, int to) {
        List<Integer> perm = new ArrayList<>();
        for (int i = 0; i < rank; i++) if (i != from) perm.add(i);
        perm.add(to, from);
        return perm;
    }

    private static List<Dim> rows(Dim batch, int r, int c) {
        return List.of(batch, Dim.of(r), Dim.of(c));
    }

    // ------------------------------------------------------------------ masks

    /**
     * The masks of {@code in} (null for an input without one), or null if no input has one. Masks
     * of different shapes (inputs that broadcast along a masked axis) are refused.
     */
    private static List<Node> masks(List<Node> in, LayerLibrary.Context ctx, String cls, Span s) {
        List<Node> masks = new ArrayList<>();
        for (Node x : in) masks.add(ctx.masks().of(x));
        Node first = masks.stream().filter(m -> m != null).findFirst().orElse(null);
        if (first == null) return null;
        for (Node m : masks) {
            if (m != null && !m.type().dims().equals(first.type().dims()) && !cls.equals("Concatenate")) {
                throw new CompileException(s, cls + " of values masked over different steps " + first.type().kerasShape() + " and "
                        + m.type().kerasShape() + " is not supported yet");
            }
        }
        return masks;
    }

    /** The OR of 0/1 masks of one shape: their maximum. */
    private static Node or(Graph g, List<Node> masks, String layer, Span s) {
        Node m = masks.get(0);
        for (Node next : masks.subList(1, masks.size())) {
            if (next != m) m = g.add(new Op.MaxMin(true), List.of(m, next), layer, s);
        }
        return m;
    }

    /** A value of ones of the per-sample {@code dims}: an unmasked input's mask, or where a masked Multiply counts 1. */
    private static Node ones(Graph g, List<Dim> dims, String layer, Span s) {
        Node zeros = g.add(new Op.Zeros(TensorType.floats(dims)), List.of(), layer, s);
        return g.add(new Op.Affine(1, 1), List.of(zeros), layer, s);
    }
}
