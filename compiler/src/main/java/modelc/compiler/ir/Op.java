package modelc.compiler.ir;

import java.util.ArrayList;
import java.util.List;
import modelc.compiler.diag.CompileException;
import modelc.compiler.diag.Span;

/**
 * The primitive ops of the IR. Each op keeps its two rules side by side: {@link #infer} (the shape
 * rule: input types to the output type, with an error naming both shapes on a mismatch) and
 * {@link #vjp} (the reverse-mode rule: the output's gradient to one gradient per input, or null
 * where an input is not differentiable). Code generation for each op lives in the codegen package.
 */
public sealed interface Op {
    String name();

    TensorType infer(List<TensorType> in, Span span);

    /** Gradients of the inputs given the output gradient {@code dy}; {@code self} is this op's node. */
    List<Node> vjp(Graph g, Node self, Node dy);

    // ---------------------------------------------------------------- leaves

    /** A model input, fed from the data. */
    record Input(String inputName, TensorType type) implements Op {
        public String name() { return "input " + inputName; }
        public TensorType infer(List<TensorType> in, Span span) { return type; }
        public List<Node> vjp(Graph g, Node self, Node dy) { return List.of(); }
    }

    /** The training target, fed from the data. */
    record Target(TensorType type) implements Op {
        public String name() { return "target"; }
        public TensorType infer(List<TensorType> in, Span span) { return type; }
        public List<Node> vjp(Graph g, Node self, Node dy) { return List.of(); }
    }

    /** A weight. */
    record Param(ParamInfo info) implements Op {
        public String name() { return "param " + info.key(); }
        public TensorType infer(List<TensorType> in, Span span) {
            return TensorType.fixed(ElemType.FLOAT, info.shapeArray());
        }
        public List<Node> vjp(Graph g, Node self, Node dy) { return List.of(); }
    }

    // ---------------------------------------------------------------- products

    /** {@code x[..., K] @ w[K, N] -> [..., N]}. */
    record MatMul() implements Op {
        public String name() { return "matmul"; }
        public TensorType infer(List<TensorType> in, Span span) {
            TensorType x = in.get(0), w = in.get(1);
            if (w.rank() != 2 || x.rank() < 1 || !x.dim(-1).equals(w.dim(0))) {
                throw Shapes.error(span, "cannot multiply " + x + " by " + w
                        + ": the last axis of the left operand must equal the first axis of the right");
            }
            List<Dim> d = new ArrayList<>(x.dims().subList(0, x.rank() - 1));
            d.add(w.dim(1));
            return TensorType.floats(d);
        }
        public List<Node> vjp(Graph g, Node self, Node dy) {
            Node x = self.input(0), w = self.input(1);
            return List.of(g.add(new MatMulBT(), List.of(dy, w), self), g.add(new MatMulAT(), List.of(x, dy), self));
        }
    }

    /** {@code dy[..., N] @ w[K, N]^T -> [..., K]}: the input gradient of {@link MatMul}. */
    record MatMulBT() implements Op {
        public String name() { return "matmul_bt"; }
        public TensorType infer(List<TensorType> in, Span span) {
            TensorType dy = in.get(0), w = in.get(1);
            if (w.rank() != 2 || !dy.dim(-1).equals(w.dim(1))) throw Shapes.error(span, "matmul_bt " + dy + " by " + w);
            List<Dim> d = new ArrayList<>(dy.dims().subList(0, dy.rank() - 1));
            d.add(w.dim(0));
            return TensorType.floats(d);
        }
        public List<Node> vjp(Graph g, Node self, Node dy) {
            throw new UnsupportedOperationException("second-order gradients are not supported (matmul_bt)");
        }
    }

    /** {@code x[..., K]^T @ dy[..., N] -> [K, N]}, summed over all leading axes: the weight gradient of {@link MatMul}. */
    record MatMulAT() implements Op {
        public String name() { return "matmul_at"; }
        public TensorType infer(List<TensorType> in, Span span) {
            TensorType x = in.get(0), dy = in.get(1);
            if (!x.dims().subList(0, x.rank() - 1).equals(dy.dims().subList(0, dy.rank() - 1))) {
                throw Shapes.error(span, "matmul_at " + x + " by " + dy);
            }
            return TensorType.floats(List.of(x.dim(-1), dy.dim(-1)));
        }
        public List<Node> vjp(Graph g, Node self, Node dy) {
            throw new UnsupportedOperationException("second-order gradients are not supported (matmul_at)");
        }
    }

    // ---------------------------------------------------------------- elementwise

    enum BinOp { ADD, SUB, MUL, DIV }

    /** Elementwise arithmetic with NumPy broadcasting (axes aligned from the right). */
    record Binary(BinOp kind) implements Op {
        public String name() { return kind.name().toLowerCase(); }
        public TensorType infer(List<TensorType> in, Span span) {
            return Shapes.broadcast(in.get(0), in.get(1), span, kind.name().toLowerCase());
        }
        public List<Node> vjp(Graph g, Node self, Node dy) {
            Node a = self.input(0), b = self.input(1);
            Node da, db;
            switch (kind) {
                case ADD -> { da = dy; db = dy; }
                case SUB -> { da = dy; db = g.add(new Unary(UnaryFn.NEG, 0), List.of(dy), self); }
                case MUL -> {
                    da = g.add(new Binary(BinOp.MUL), List.of(dy, b), self);
                    db = g.add(new Binary(BinOp.MUL), List.of(dy, a), self);
                }
                case DIV -> {
                    da = g.add(new Binary(BinOp.DIV), List.of(dy, b), self);
                    // d(a/b)/db = -a/b^2 = -(y / b)
                    Node yOverB = g.add(new Binary(BinOp.DIV), List.of(self, b), self);
                    Node t = g.add(new Binary(BinOp.MUL), List.of(dy, yOverB), self);
                    db = g.add(new Unary(UnaryFn.NEG, 0), List.of(t), self);
                }
                default -> throw new AssertionError();
            }
            return List.of(g.sumTo(da, a.type(), self), g.sumTo(db, b.type(), self));
        }
    }

    /** Sums away the axes that broadcasting added or stretched, giving {@code target}'s shape. */
    record SumTo(TensorType target) implements Op {
        public String name() { return "sum_to"; }
        public TensorType infer(List<TensorType> in, Span span) { return target.withElem(in.get(0).elem()); }
        public List<Node> vjp(Graph g, Node self, Node dy) {
            throw new UnsupportedOperationException("second-order gradients are not supported (sum_to)");
        }
    }

    /** {@code y = fn(x)} elementwise; {@code param} is the function's constant (leaky_relu's slope, elu's alpha). */
    record Unary(UnaryFn fn, double param) implements Op {
        public String name() { return fn.method; }
        public TensorType infer(List<TensorType> in, Span span) { return in.get(0); }
        public List<Node> vjp(Graph g, Node self, Node dy) {
            return List.of(g.add(new UnaryGrad(fn, param), List.of(self.input(0), self, dy), self));
        }
    }

    /** {@code dx = fn'(x) * dy}, given x, y = fn(x) and dy. */
    record UnaryGrad(UnaryFn fn, double param) implements Op {
        public String name() { return fn.method + "_grad"; }
        public TensorType infer(List<TensorType> in, Span span) { return in.get(0); }
        public List<Node> vjp(Graph g, Node self, Node dy) {
            throw new UnsupportedOperationException("second-order gradients are not supported (" + name() + ")");
        }
    }

    /** {@code y = x * scale + offset}: Keras's Rescaling, and constants in formulas such as {@code 1 - t}. */
    record Affine(double scale, double offset) implements Op {
        public String name() { return "affine"; }
        public TensorType infer(List<TensorType> in, Span span) { return in.get(0).withElem(ElemType.FLOAT); }
        public List<Node> vjp(Graph g, Node self, Node dy) {
            return List.of(scale == 1 ? dy : g.add(new Affine(scale, 0), List.of(dy), self));
        }
    }

    /** Softmax over the last axis (max subtracted). */
    record Softmax() implements Op {
        public String name() { return "softmax"; }
        public TensorType infer(List<TensorType> in, Span span) { return in.get(0); }
        public List<Node> vjp(Graph g, Node self, Node dy) {
            return List.of(g.add(new SoftmaxGrad(false), List.of(self, dy), self));
        }
    }

    /** log_softmax over the last axis. */
    record LogSoftmax() implements Op {
        public String name() { return "log_softmax"; }
        public TensorType infer(List<TensorType> in, Span span) { return in.get(0); }
        public List<Node> vjp(Graph g, Node self, Node dy) {
            return List.of(g.add(new SoftmaxGrad(true), List.of(self, dy), self));
        }
    }

    /**
     * Gradient of softmax ({@code dx = y * (dy - sum(dy * y))}) or, when {@code log},
     * of log_softmax ({@code dx = dy - exp(y) * sum(dy)}); inputs (y, dy).
     */
    record SoftmaxGrad(boolean log) implements Op {
        public String name() { return log ? "log_softmax_grad" : "softmax_grad"; }
        public TensorType infer(List<TensorType> in, Span span) { return in.get(0); }
        public List<Node> vjp(Graph g, Node self, Node dy) {
            throw new UnsupportedOperationException("second-order gradients are not supported (" + name() + ")");
        }
    }

    // ---------------------------------------------------------------- movement

    /** Row-major reshape of the per-sample shape; shares the input's storage. */
    record Reshape(List<Dim> dims) implements Op {
        public String name() { return "reshape"; }
        public TensorType infer(List<TensorType> in, Span span) {
            TensorType x = in.get(0);
            TensorType out = x.withDims(dims);
            if (x.sampleSize() != out.sampleSize() || x.isBatched() != out.isBatched()) {
                throw Shapes.error(span, "cannot reshape " + x + " to " + out + ": "
                        + x.sampleSize() + " elements per sample vs " + out.sampleSize());
            }
            return out;
        }
        public List<Node> vjp(Graph g, Node self, Node dy) {
            return List.of(g.add(new Reshape(self.input(0).type().dims()), List.of(dy), self));
        }
    }

    // ---------------------------------------------------------------- regularisation

    /**
     * Inverted dropout: in training, keep each element with probability 1 - rate and scale it by
     * 1/(1 - rate); otherwise identity. The mask comes from a counter-based generator keyed by
     * (seed, step, sample, stream, element), so the backward pass regenerates it instead of storing it.
     */
    record Dropout(double rate, int stream) implements Op {
        public String name() { return "dropout"; }
        public TensorType infer(List<TensorType> in, Span span) { return in.get(0); }
        public List<Node> vjp(Graph g, Node self, Node dy) {
            return List.of(g.add(new Dropout(rate, stream), List.of(dy), self));
        }
    }

    // ---------------------------------------------------------------- losses

    /**
     * A Keras loss of (prediction, target) reduced to a scalar, the mean over samples.
     * {@code fromLogits}: the prediction is logits; {@code labelSmoothing} as Keras.
     */
    record Loss(LossKind kind, boolean fromLogits, double labelSmoothing) implements Op {
        public String name() { return kind.kerasName; }
        public TensorType infer(List<TensorType> in, Span span) {
            TensorType pred = in.get(0), target = in.get(1);
            List<Dim> want = kind.sparseTarget() ? pred.dims().subList(0, pred.rank() - 1) : pred.dims();
            List<Dim> got = target.dims();
            boolean squeezable = kind.sparseTarget() && got.size() == want.size() + 1 && got.get(got.size() - 1).equals(Dim.of(1))
                    && got.subList(0, want.size()).equals(want);
            if (!got.equals(want) && !squeezable) {
                throw Shapes.error(span, kind.kerasName + " needs a target of shape " + pred.withDims(want).kerasShape()
                        + " for a prediction of shape " + pred.kerasShape() + ", got " + target.kerasShape());
            }
            return TensorType.SCALAR;
        }
        public List<Node> vjp(Graph g, Node self, Node dy) {
            return java.util.Arrays.asList(g.add(new LossGrad(this), List.of(self.input(0), self.input(1)), self), null);
        }
    }

    /** The gradient of a {@link Loss} (with seed 1) with respect to the prediction. */
    record LossGrad(Loss loss) implements Op {
        public String name() { return loss.kind().kerasName + "_grad"; }
        public TensorType infer(List<TensorType> in, Span span) { return in.get(0); }
        public List<Node> vjp(Graph g, Node self, Node dy) {
            throw new UnsupportedOperationException("second-order gradients are not supported (" + name() + ")");
        }
    }

    /** Helper for dumps: the op's attributes as text. */
    static String describe(Op op) {
        return switch (op) {
            case Reshape r -> "reshape" + r.dims();
            case Unary u -> u.fn().method + (u.param() != 0 ? "(" + u.param() + ")" : "");
            default -> op.toString();
        };
    }
}
