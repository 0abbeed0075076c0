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

    /**
     * Gradients of the inputs given the output gradient {@code dy}; {@code self} is this op's node.
     * Ops that only autodiff creates (the gradient ops) keep this default: modelc differentiates
     * once, so they are never differentiated themselves.
     */
    default List<Node> vjp(Graph g, Node self, Node dy) {
        throw new IllegalStateException(name() + " is a gradient op; modelc does not take second-order gradients");
    }

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
            // In a loop body, a weight's transpose is made once before the time loop: a product with a
            // transposed operand is much slower for the small matrices of one time step.
            Node dx = self.loop() != null && w.op() instanceof Param
                    ? g.add(new MatMul(), List.of(dy, g.add(new TransposeMatrix(), List.of(w), self)), self)
                    : g.add(new MatMulBT(), List.of(dy, w), self);
            return List.of(dx, g.add(new MatMulAT(), List.of(x, dy), self));
        }
    }

    /** {@code w[K, N] -> w^T [N, K]} of a matrix without a batch axis. */
    record TransposeMatrix() implements Op {
        public String name() { return "transpose_matrix"; }
        public TensorType infer(List<TensorType> in, Span span) {
            TensorType w = in.get(0);
            if (w.rank() != 2 || w.isBatched()) throw Shapes.error(span, "transpose_matrix needs a matrix, got " + w);
            return TensorType.floats(List.of(w.dim(1), w.dim(0)));
        }
        public List<Node> vjp(Graph g, Node self, Node dy) {
            return List.of(g.add(new TransposeMatrix(), List.of(dy), self));
        }
    }

    /**
     * {@code dy[..., N] @ w[K, N]^T -> [..., K]}: the input gradient of {@link MatMul}, and the
     * forward product of a transposed convolution (its kernel is stored as the forward one's).
     */
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
            // y = a w^T: da = dy w, dw = dy^T a.
            Node a = self.input(0), w = self.input(1);
            return List.of(g.add(new MatMul(), List.of(dy, w), self), g.add(new MatMulAT(), List.of(dy, a), self));
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
    }

    /**
     * {@code x[..., K] @ w[K, gates·N] -> [..., gates·N]} where each gate may read its own dropped copy of x
     * (Keras's implementation 1 of a GRU or LSTM: a mask per gate). Inputs: x, then x_0 ... x_{gates-1} (x under
     * gate k's mask), then w. In a training step gate k's columns are {@code x_k @ w[:, k·N, N]}, one product
     * per gate; otherwise no mask applies, every x_k equals x, and the whole product is one {@code x @ w}.
     * The input gradient flows through the x_k (each x_k's is {@code dy_k @ w_k^T}, which does not read x_k; without
     * dropout the x_k's dropout passes it on unchanged); the weight gradient ({@link GateMatMulAT}) reads x_k with dropout
     * and x without it, so a step without dropout need not compute the x_k at all.
     */
    record GateMatMul(int gates) implements Op {
        public String name() { return "gate_matmul"; }
        public TensorType infer(List<TensorType> in, Span span) {
            TensorType x = in.get(0), w = in.get(in.size() - 1);
            if (in.size() != gates + 2 || w.rank() != 2 || w.dim(1).size() % gates != 0 || !x.dim(-1).equals(w.dim(0))) {
                throw Shapes.error(span, "gate_matmul of " + x + " by " + w + " for " + gates + " gates");
            }
            for (int k = 1; k <= gates; k++) {
                if (!in.get(k).dims().equals(x.dims())) throw Shapes.error(span, "gate_matmul: gate " + (k - 1) + " reads " + in.get(k) + ", not " + x);
            }
            List<Dim> d = new ArrayList<>(x.dims().subList(0, x.rank() - 1));
            d.add(w.dim(1));
            return TensorType.floats(d);
        }
        public List<Node> vjp(Graph g, Node self, Node dy) {
            Node w = self.input(gates + 1);
            int units = w.type().dim(1).size() / gates, axis = dy.type().rank() - 1;
            List<Node> dx = new ArrayList<>();
            dx.add(null);
            List<Node> weightGradIn = new ArrayList<>(self.inputs().subList(0, gates + 1));
            for (int k = 0; k < gates; k++) {
                Node dyk = block(g, self, dy, axis, k * units, units);
                Node wk = g.add(new Slice(1, k * units, units), List.of(w), self);
                // As MatMul's: in a loop body, the transpose of the weight's gate columns is made once before the time loop.
                dx.add(self.loop() != null && w.op() instanceof Param
                        ? g.add(new MatMul(), List.of(dyk, g.add(new TransposeMatrix(), List.of(wk), self)), self)
                        : g.add(new MatMulBT(), List.of(dyk, wk), self));
                weightGradIn.add(dyk);
            }
            dx.add(g.add(new GateMatMulAT(gates), weightGradIn, self));
            return dx;
        }

        /**
         * Entries {@code [start, start + length)} of the last axis of {@code dy}: the gradient placed there if dy
         * gathers the gates' gradients ({@link SliceGrad}), so the gates' own gradients are used as they are.
         */
        private static Node block(Graph g, Node self, Node dy, int axis, int start, int length) {
            if (dy.op() instanceof SliceGrad sg && sg.axis() == axis) {
                int i = sg.starts().indexOf(start);
                if (i >= 0 && dy.input(i).type().dim(axis).size() == length) return dy.input(i);
            }
            return g.add(new Slice(axis, start, length), List.of(dy), self);
        }
    }

    /**
     * The weight gradient of {@link GateMatMul}: inputs x, x_0 ... x_{gates-1}, then dy_0 ... dy_{gates-1} (each gate's
     * output gradient, [..., N]); output [K, gates·N] whose gate k columns are {@code x_k^T @ dy_k} in a training step
     * and {@code x^T @ dy_k} otherwise (x_k is x then, and is not computed), summed over all leading axes.
     */
    record GateMatMulAT(int gates) implements Op {
        public String name() { return "gate_matmul_at"; }
        public TensorType infer(List<TensorType> in, Span span) {
            TensorType x = in.get(0), dy = in.get(gates + 1);
            if (in.size() != 2 * gates + 1 || !x.dims().subList(0, x.rank() - 1).equals(dy.dims().subList(0, dy.rank() - 1))) {
                throw Shapes.error(span, "gate_matmul_at " + x + " by " + dy + " for " + gates + " gates");
            }
            return TensorType.floats(List.of(x.dim(-1), Dim.of(gates * dy.dim(-1).size())));
        }
    }

    /**
     * A matrix product per sample: {@code op(a) [batch, M, K] · op(b) [batch, K, N] -> [batch, M, N]},
     * where {@code op(a)} is a, or a stored as {@code [batch, K, M]} and transposed when
     * {@code transA} (likewise b, stored {@code [batch, N, K]} when {@code transB}). Keras's
     * {@code batch_dot} (the Dot layer) after its axes are brought into place. Its gradients are
     * products of the same kind.
     */
    record BatchMatMul(boolean transA, boolean transB) implements Op {
        public String name() { return "batch_matmul" + (transA ? "_at" : "") + (transB ? "_bt" : ""); }
        public TensorType infer(List<TensorType> in, Span span) {
            TensorType a = in.get(0), b = in.get(1);
            if (a.rank() != 3 || b.rank() != 3 || !a.dim(0).isBatch() || !a.dim(0).equals(b.dim(0))) {
                throw Shapes.error(span, name() + " needs two [batch, rows, columns] values, got " + a + " and " + b);
            }
            Dim m = a.dim(transA ? 2 : 1), k = a.dim(transA ? 1 : 2), kb = b.dim(transB ? 2 : 1), n = b.dim(transB ? 1 : 2);
            if (!k.equals(kb)) throw Shapes.error(span, "cannot multiply " + a + " by " + b + " per sample: " + k + " vs " + kb);
            return TensorType.floats(List.of(a.dim(0), m, n));
        }
        public List<Node> vjp(Graph g, Node self, Node dy) {
            // y = op(a)·op(b): d op(a) = dy·op(b)^T and d op(b) = op(a)^T·dy, transposed back where a or b is stored transposed.
            Node a = self.input(0), b = self.input(1);
            Node da = transA ? g.add(new BatchMatMul(transB, true), List.of(b, dy), self) : g.add(new BatchMatMul(false, !transB), List.of(dy, b), self);
            Node db = transB ? g.add(new BatchMatMul(true, transA), List.of(dy, a), self) : g.add(new BatchMatMul(!transA, false), List.of(a, dy), self);
            return List.of(da, db);
        }
    }

    /**
     * Keras's L2 normalisation along {@code axis} (an axis of the full shape, never the batch's):
     * {@code y = x · min(1/sqrt(Σ x²), 1/epsilon)} (keras.ops.normalize with order 2, as the Dot
     * layer's {@code normalize=True} calls it, epsilon = backend.epsilon() = 1e-7).
     */
    record L2Normalize(int axis, double epsilon) implements Op {
        public String name() { return "l2_normalize"; }
        public TensorType infer(List<TensorType> in, Span span) {
            TensorType x = in.get(0);
            if (axis <= 0 || axis >= x.rank() || !x.dim(axis).isFixed()) throw Shapes.error(span, "cannot normalise axis " + axis + " of " + x);
            return x.withElem(ElemType.FLOAT);
        }
        public List<Node> vjp(Graph g, Node self, Node dy) {
            return List.of(g.add(new L2NormalizeGrad(axis, epsilon), List.of(self.input(0), self, dy), self));
        }
    }

    /**
     * The gradient of {@link L2Normalize}: with r = 1/sqrt(Σ x²) along the axis,
     * {@code dx = r·(dy − y·Σ dy·y)}, or {@code dx = dy/epsilon} where the norm is below epsilon
     * (the bound is then the constant factor); inputs (x, y, dy). At a vector of zeros JAX's
     * gradient of Keras's formula is NaN (0 · the infinite derivative of rsqrt); this one is the
     * bounded branch's, dy/epsilon.
     */
    record L2NormalizeGrad(int axis, double epsilon) implements Op {
        public String name() { return "l2_normalize_grad"; }
        public TensorType infer(List<TensorType> in, Span span) { return in.get(0).withElem(ElemType.FLOAT); }
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
    }

    /** {@code y = fn(x)} elementwise; {@code param} is the function's constant (leaky_relu's slope, elu's alpha). */
    record Unary(UnaryFn fn, double param) implements Op {
        public String name() { return fn.method; }
        public TensorType infer(List<TensorType> in, Span span) { return in.get(0); }
        public List<Node> vjp(Graph g, Node self, Node dy) {
            // relu, relu6 and leaky_relu (slope > 0) have x > 0 exactly where y > 0 (and x < 6 where y < 6);
            // sigmoid, tanh and exp have derivatives in y alone. Their derivative reads y in place of x,
            // so x need not be kept for the backward pass.
            boolean fromY = fn == UnaryFn.RELU || fn == UnaryFn.RELU6 || (fn == UnaryFn.LEAKY_RELU && param > 0)
                    || fn == UnaryFn.SIGMOID || fn == UnaryFn.TANH || fn == UnaryFn.EXP;
            Node x = fromY ? self : self.input(0);
            return List.of(g.add(new UnaryGrad(fn, param), List.of(x, self, dy), self));
        }
    }

    /** {@code dx = fn'(x) * dy}, given x, y = fn(x) and dy. */
    record UnaryGrad(UnaryFn fn, double param) implements Op {
        public String name() { return fn.method + "_grad"; }
        public TensorType infer(List<TensorType> in, Span span) { return in.get(0); }
    }

    /** {@code y = x * scale + offset}: Keras's Rescaling, and constants in formulas such as {@code 1 - t}. */
    record Affine(double scale, double offset) implements Op {
        public String name() { return "affine"; }
        public TensorType infer(List<TensorType> in, Span span) { return in.get(0).withElem(ElemType.FLOAT); }
        public List<Node> vjp(Graph g, Node self, Node dy) {
            return List.of(scale == 1 ? dy : g.add(new Affine(scale, 0), List.of(dy), self));
        }
    }

    /**
     * {@code (x - mean) / sqrt(var + epsilon)} over the last axis (the biased variance), as Keras's
     * LayerNormalization before its scale and offset.
     */
    record LayerNorm(double epsilon) implements Op {
        public String name() { return "layer_norm"; }
        public TensorType infer(List<TensorType> in, Span span) { return in.get(0).withElem(ElemType.FLOAT); }
        public List<Node> vjp(Graph g, Node self, Node dy) {
            return List.of(g.add(new LayerNormGrad(epsilon), List.of(self.input(0), self, dy), self));
        }
    }

    /**
     * The gradient of {@link LayerNorm}: {@code dx = (dy - mean(dy) - y·mean(dy·y)) / sqrt(var + epsilon)}
     * per row, with y the normalised value; inputs (x, y, dy).
     */
    record LayerNormGrad(double epsilon) implements Op {
        public String name() { return "layer_norm_grad"; }
        public TensorType infer(List<TensorType> in, Span span) { return in.get(0).withElem(ElemType.FLOAT); }
    }

    /**
     * Per-channel statistics for BatchNormalization, [2, channels] (mean, then variance) of
     * {@code x} [batch, ..., channels]; inputs (x, moving_mean, moving_variance). In training mode
     * the mean and biased variance over every axis but the last: the kernel computes a part's, the
     * session merges the parts' into the batch's and, in a training step (not {@code grad}), moves
     * the moving statistics: moving ← moving·momentum + batch·(1 − momentum). Otherwise the moving
     * statistics themselves.
     *
     * <p>With {@code groups} above 1 (BatchNormalization under TimeDistributed, whose statistics
     * are per time step as Keras 3 calls the layer once per step), the last axis is {@code groups}
     * blocks of the moving statistics' channels: each block's statistics are its own, and a
     * training step moves the moving statistics once per block, in block order, as Keras's calls
     * do; otherwise every block gets the moving statistics.
     *
     * <p>{@code masked} (a masked input, Keras 3's {@code _moments} with a mask): a fourth input
     * {@code w} of x's shape, 1 where the value counts and 0 where it is masked, and a third row:
     * [3, channels] (with groups, each group's channels weighted by its own steps' w). Keras's moments are {@code mean = Σ w·x / (Σ w + 1e-7)} and
     * {@code var = Σ w·(x − mean)² / (Σ w + 1e-7)} (its backend epsilon in both denominators). The
     * kernel writes a part's exact weighted mean, variance and Σ w; the session merges the parts'
     * and writes Keras's mean, variance and the denominator {@code Σ w + 1e-7}.
     *
     * <p>{@code renorm} (batch renormalization, Keras's {@code renorm=True}), or null: three more
     * inputs after the others, {@code moving_stddev}, {@code renorm_mean} and {@code renorm_stddev},
     * and two more rows, Keras's corrections {@code r} and {@code d} (see {@link Renorm}; 1 and 0
     * outside training), which the session computes from the merged moments; their gradients are
     * dropped (Keras's {@code stop_gradient}).
     */
    record BatchMoments(double momentum, int groups, boolean masked, Renorm renorm) implements Op {
        /** Keras's {@code backend.epsilon()}, added to Σ w in the masked moments' denominators. */
        public static final double MASK_EPSILON = 1e-7;

        /** The row of r (d the next), after mean, variance and, if masked, the denominator. */
        public int renormRow() { return masked ? 3 : 2; }

        /** The inputs before the renorm statistics: x, moving_mean, moving_variance and, if masked, w. */
        public int renormInput() { return masked ? 4 : 3; }

        public String name() { return (masked ? "masked_" : "") + (renorm != null ? "renorm_" : "") + "batch_moments"; }
        public TensorType infer(List<TensorType> in, Span span) {
            TensorType x = in.get(0);
            if (!x.isBatched() || x.isTimeMajor() || x.rank() < 2) {
                throw Shapes.error(span, "batch statistics need (batch, ..., channels), got " + x.kerasShape());
            }
            if (groups < 1 || x.dim(-1).size() != groups * in.get(1).dim(-1).size()) {
                throw Shapes.error(span, "batch statistics in " + groups + " groups of " + in.get(1) + " do not fit " + x.kerasShape());
            }
            if (in.size() != renormInput() + (renorm != null ? 3 : 0)) throw Shapes.error(span, "batch statistics: " + in.size() + " inputs");
            if (masked && !in.get(3).dims().equals(x.dims())) {
                throw Shapes.error(span, "masked batch statistics need weights of " + x.kerasShape());
            }
            for (int i = renormInput(); i < in.size(); i++) {
                if (!in.get(i).dims().equals(in.get(1).dims())) throw Shapes.error(span, "renorm statistics " + in.get(i) + " do not fit " + in.get(1));
            }
            return TensorType.floats(List.of(Dim.of(renormRow() + (renorm != null ? 2 : 0)), x.dim(-1)));
        }
        public List<Node> vjp(Graph g, Node self, Node dy) {
            // Only x has a gradient (the moving and renorm statistics are not trained; r and d's rows of dy are dropped).
            List<Node> out = new ArrayList<>(java.util.Collections.nCopies(self.inputs().size(), (Node) null));
            List<Node> in = masked ? List.of(self.input(0), self, dy, self.input(3)) : List.of(self.input(0), self, dy);
            out.set(0, g.add(new BatchMomentsGrad(masked), in, self));
            return out;
        }
    }

    /**
     * Batch renormalization (Ioffe 2017) as Keras 3.15.1 does it. With {@code std = sqrt(var +
     * epsilon)} of the batch's moments and {@code s = max(renorm_stddev, sqrt(epsilon))}: {@code r =
     * std / s} clipped to [rmin, rmax] and {@code d = (mean − renorm_mean) / s} to [−dmax, dmax]
     * (rmin 0, rmax and dmax infinite when not given). A training step then moves {@code
     * renorm_mean} and {@code renorm_stddev} towards mean and std by {@code momentum} (renorm_momentum),
     * {@code moving_mean} and {@code moving_stddev} by the layer's momentum, and sets {@code
     * moving_variance = max(moving_stddev² − epsilon, 0)}.
     */
    record Renorm(double momentum, double epsilon, double rmin, double rmax, double dmax) {}

    /**
     * The gradient of {@link BatchMoments} in training mode: {@code dx = dmean/N + dvar·2(x − mean)/N}
     * with N the whole batch's rows times the spatial positions and dmoments summed over the parts
     * (by the session); inputs (x, moments, dmoments). {@code masked}: inputs (x, moments,
     * dmoments, w) and, with D = Σ w + ε the denominator the moments carry in their third row,
     * {@code dx = w/D · (dmean + 2·dvar·(x − mean − mean·ε/D))}: the last term is the variance's
     * dependence on the mean, which Σ w·(x − mean) = mean·ε no longer cancels.
     */
    record BatchMomentsGrad(boolean masked) implements Op {
        public String name() { return masked ? "masked_batch_moments_grad" : "batch_moments_grad"; }
        public TensorType infer(List<TensorType> in, Span span) { return in.get(0).withElem(ElemType.FLOAT); }
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
    }

    // ---------------------------------------------------------------- movement

    /** Row-major reshape of the per-sample shape; shares the input's storage. */
    record Reshape(List<Dim> dims) implements Op {
        public String name() { return "reshape"; }
        public TensorType infer(List<TensorType> in, Span span) {
            TensorType x = in.get(0);
            TensorType out = x.withDims(dims);
            if (x.elementsPerSample() != out.elementsPerSample() || x.isBatched() != out.isBatched()) {
                throw Shapes.error(span, "cannot reshape " + x + " to " + out + ": "
                        + x.elementsPerSample() + " elements per sample vs " + out.elementsPerSample());
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
     * Keras's {@code noise_shape}: {@code shared} marks the sample axes along which one draw is shared (a
     * 1 in noise_shape; the element key counts only the other axes), {@code acrossBatch} a 1 for the batch
     * axis (one mask for every sample: the sample key is 0). Both empty/false: a draw per element.
     */
    record Dropout(double rate, int stream, List<Boolean> shared, boolean acrossBatch) implements Op {
        public Dropout {
            shared = List.copyOf(shared);
        }

        public Dropout(double rate, int stream) {
            this(rate, stream, List.of(), false);
        }

        public String name() { return "dropout"; }
        public TensorType infer(List<TensorType> in, Span span) { return in.get(0); }
        public List<Node> vjp(Graph g, Node self, Node dy) {
            return List.of(g.add(new Dropout(rate, stream, shared, acrossBatch), List.of(dy), self));
        }
    }

    // ---------------------------------------------------------------- losses

    /**
     * A Keras loss of (prediction, target[, mask]) reduced to a scalar: the mean over samples and
     * time steps. {@code fromLogits}: the prediction is logits; {@code labelSmoothing} as Keras.
     * Time steps whose mask is 0, or whose target is {@code ignoreClass} (for one-hot targets: a row
     * of it, modelc's extension), are missing: the mean is over the present ones, as Keras 3 masks a
     * loss. With {@code sumOverSteps} (the course's reduction, modelc's extension) a sample's loss is
     * the sum over its present steps and the result the mean over samples. {@code classWeights}
     * (Keras's {@code fit(class_weight=...)}, empty if none): in training, each sample's loss is
     * multiplied by the weight of its target's class (classes not named weigh 1); the divisor stays.
     */
    record Loss(LossKind kind, boolean fromLogits, double labelSmoothing, Integer ignoreClass, boolean hasMask, boolean sumOverSteps,
                java.util.SortedMap<Integer, Double> classWeights) implements Op {
        public Loss(LossKind kind, boolean fromLogits, double labelSmoothing) {
            this(kind, fromLogits, labelSmoothing, null, false, false, java.util.Collections.emptySortedMap());
        }

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
            if (hasMask != (in.size() > 2)) throw new IllegalStateException("loss mask input");
            if (hasMask && !in.get(2).dims().equals(pred.dims().subList(0, pred.rank() - 1))) {
                throw Shapes.error(span, "a mask of shape " + in.get(2).kerasShape() + " does not fit a prediction of shape " + pred.kerasShape());
            }
            return TensorType.SCALAR;
        }
        public List<Node> vjp(Graph g, Node self, Node dy) {
            List<Node> in = self.inputs();
            List<Node> dx = new ArrayList<>(java.util.Collections.nCopies(in.size(), (Node) null));
            dx.set(0, g.add(new LossGrad(this), in, self));
            return dx;
        }

        /** True if samples weigh by their class in training. */
        public boolean classWeighted() {
            return !classWeights.isEmpty();
        }

        /** True if some time steps may be missing: the loss divides by the present ones, counted over the whole batch. */
        public boolean masked() {
            return ignoreClass != null || hasMask;
        }
    }

    /** The gradient of a {@link Loss} (with seed 1) with respect to the prediction. */
    record LossGrad(Loss loss) implements Op {
        public String name() { return loss.kind().kerasName + "_grad"; }
        public TensorType infer(List<TensorType> in, Span span) { return in.get(0); }
    }

    /**
     * Keras's {@code activity_regularizer} on a layer's output {@code y}: {@code (l1·Σ|y| + l2·Σy²)}
     * over the whole output, divided by the batch size (keras/src/layers/layer.py, {@code __call__}).
     * A scalar added to the loss ({@link Graph#addPenalty}); a kernel sees one part of the batch and
     * divides its rows' share by the batch's rows, {@code total}, as {@link Loss} does.
     */
    record ActivityPenalty(double l1, double l2) implements Op {
        public String name() { return "activity_penalty"; }
        public TensorType infer(List<TensorType> in, Span span) {
            if (!in.get(0).isBatched()) throw Shapes.error(span, "activity_regularizer needs a per-sample output, got " + in.get(0));
            return TensorType.SCALAR;
        }
        public List<Node> vjp(Graph g, Node self, Node dy) {
            return List.of(g.add(new ActivityPenaltyGrad(l1, l2), self.inputs(), self));
        }
    }

    /**
     * The gradient of an {@link ActivityPenalty} (with seed 1) with respect to the output:
     * {@code (l1·sign(y) + 2·l2·y) / total}, with sign(0) = 0 as JAX differentiates {@code abs}.
     */
    record ActivityPenaltyGrad(double l1, double l2) implements Op {
        public String name() { return "activity_penalty_grad"; }
        public TensorType infer(List<TensorType> in, Span span) { return in.get(0); }
    }

    /** Helper for dumps: the op's attributes as text. */
    static String describe(Op op) {
        return switch (op) {
            case Reshape r -> "reshape" + r.dims();
            case Unary u -> u.fn().method + (u.param() != 0 ? "(" + u.param() + ")" : "");
            default -> op.toString();
        };
    }

    // ---------------------------------------------------------------- sequences (embeddings, 1-D convolution, pooling, merging)

    /** Time steps of a [batch, steps, channels] value, or an error naming the op and the shape. */
    private static void requireSequence(TensorType x, Span span, String what) {
        if (x.rank() != 3 || !x.isBatched()) {
            throw Shapes.error(span, what + " needs an input of shape (batch, steps, channels), got " + x.kerasShape());
        }
    }

    /**
     * Row lookup: {@code y[..., :] = table[ids[...], :]}; inputs (ids, table [rows, d]). Ids are
     * stored as the model's floats and truncated to int as Keras casts them; an id outside
     * [0, rows) is an error at run time. Not differentiable in the ids.
     */
    record Gather() implements Op {
        public String name() { return "gather"; }
        public TensorType infer(List<TensorType> in, Span span) {
            TensorType ids = in.get(0), table = in.get(1);
            if (table.rank() != 2 || table.isBatched()) throw Shapes.error(span, "gather needs a [rows, d] table, got " + table);
            if (!ids.isBatched()) throw Shapes.error(span, "gather needs per-sample ids, got " + ids);
            List<Dim> d = new ArrayList<>(ids.dims());
            d.add(table.dim(1));
            return TensorType.floats(d);
        }
        public List<Node> vjp(Graph g, Node self, Node dy) {
            Node ids = self.input(0);
            int rows = self.input(1).type().dim(0).size();
            return java.util.Arrays.asList(null, g.add(new ScatterAdd(rows), List.of(ids, dy), self));
        }
    }

    /** {@code dw[ids[i], :] += dy[i, :]} into a zeroed [rows, d]: the table gradient of {@link Gather}; inputs (ids, dy). */
    record ScatterAdd(int rows) implements Op {
        public String name() { return "scatter_add"; }
        public TensorType infer(List<TensorType> in, Span span) {
            TensorType ids = in.get(0), dy = in.get(1);
            if (!dy.dims().subList(0, dy.rank() - 1).equals(ids.dims())) throw Shapes.error(span, "scatter_add " + ids + " with " + dy);
            return TensorType.floats(List.of(Dim.of(rows), dy.dim(-1)));
        }
    }

    /** {@code 1} where the input is not 0, else {@code 0}: Keras's {@code mask_zero} mask of token ids. */
    record NonZero() implements Op {
        public String name() { return "non_zero"; }
        public TensorType infer(List<TensorType> in, Span span) { return in.get(0).withElem(ElemType.FLOAT); }
        public List<Node> vjp(Graph g, Node self, Node dy) { return java.util.Arrays.asList((Node) null); }
    }

    /**
     * {@code 1} where any entry of the last axis differs from {@code value}, else {@code 0}:
     * {@code [batch, steps, f] -> [batch, steps]}, Keras's Masking mask. Not differentiable.
     */
    record AnyNotEqual(double value) implements Op {
        public String name() { return "any_not_equal"; }
        public TensorType infer(List<TensorType> in, Span span) {
            TensorType x = in.get(0);
            requireSequence(x, span, "Masking");
            return TensorType.floats(x.dims().subList(0, 2));
        }
        public List<Node> vjp(Graph g, Node self, Node dy) { return java.util.Arrays.asList((Node) null); }
    }

    /**
     * The mean over time of the steps whose mask is 1: {@code sum_t m[t]·x[t] / sum_t m[t]}
     * (Keras's masked GlobalAveragePooling1D; a row with no valid step gives 0/0 = NaN, as Keras);
     * inputs (x [batch, steps, c], mask [batch, steps]).
     */
    record MaskedMean() implements Op {
        public String name() { return "masked_mean"; }
        public TensorType infer(List<TensorType> in, Span span) {
            TensorType x = in.get(0), m = in.get(1);
            requireSequence(x, span, "masked_mean");
            if (!m.dims().equals(x.dims().subList(0, 2))) throw Shapes.error(span, "a mask of shape " + m.kerasShape() + " does not fit " + x.kerasShape());
            return TensorType.floats(List.of(x.dim(0), x.dim(2)));
        }
        public List<Node> vjp(Graph g, Node self, Node dy) {
            return java.util.Arrays.asList(g.add(new MaskedMeanGrad(), List.of(self.input(1), dy), self), null);
        }
    }

    /** {@code dx[t] = m[t]·dy / sum_t m[t]}: the gradient of {@link MaskedMean}; inputs (mask, dy). */
    record MaskedMeanGrad() implements Op {
        public String name() { return "masked_mean_grad"; }
        public TensorType infer(List<TensorType> in, Span span) {
            TensorType m = in.get(0), dy = in.get(1);
            return TensorType.floats(List.of(m.dim(0), m.dim(1), dy.dim(1)));
        }
    }

    /**
     * One spatial axis of a sliding window: {@code kernel} taps {@code dilation} apart, moved by
     * {@code stride}, over an input with {@code padLeft} zeros (or nothing, for pooling) before it;
     * {@code outLen} windows. Output position {@code o}, tap {@code k} reads input position
     * {@code o·stride + k·dilation - padLeft}.
     */
    record Window(int kernel, int stride, int dilation, int padLeft, int outLen) {}

    /** [batch, s..., c]: a value with one or more spatial axes (steps; rows and columns) and channels last. */
    private static void requireSpatial(TensorType x, int axes, Span span, String what) {
        if (!x.isBatched() || x.isTimeMajor() || x.rank() != axes + 2) {
            throw Shapes.error(span, what + " needs " + (axes == 1 ? "(batch, steps, channels)" : "(batch, rows, columns, channels)")
                    + ", got " + x.kerasShape());
        }
    }

    /** The dims of [batch, w.outLen..., channels], with the input's batch dimension. */
    private static List<Dim> windowed(Dim batch, List<Window> axes, Dim channels) {
        List<Dim> d = new ArrayList<>();
        d.add(batch);
        for (Window w : axes) d.add(Dim.of(w.outLen()));
        d.add(channels);
        return d;
    }

    /**
     * The windows of a convolution as rows: {@code y[b, o..., (k...)·channels + c] = x[b, s..., channelStart + c]}
     * with {@code s = o·stride + k·dilation - padLeft} on each spatial axis, 0 outside the input. A
     * convolution is then a matmul of these rows with the kernel [k..., channels, filters] read as
     * a [k...·channels, filters] matrix. One spatial axis for Conv1D, two for Conv2D.
     */
    record Im2Col(List<Window> axes, int channelStart, int channels) implements Op {
        public Im2Col {
            axes = List.copyOf(axes);
        }

        public String name() { return "im2col"; }
        /** Taps per window: the product of the kernel sizes. */
        public int taps() {
            int k = 1;
            for (Window w : axes) k *= w.kernel();
            return k;
        }
        public TensorType infer(List<TensorType> in, Span span) {
            TensorType x = in.get(0);
            requireSpatial(x, axes.size(), span, "im2col");
            if (channelStart + channels > x.dim(-1).size()) throw Shapes.error(span, "im2col channels beyond " + x.kerasShape());
            return TensorType.floats(windowed(x.dim(0), axes, Dim.of(taps() * channels)));
        }
        public List<Node> vjp(Graph g, Node self, Node dy) {
            return List.of(g.add(new Col2Im(this, self.input(0).type().dims()), List.of(dy), self));
        }
    }

    /**
     * The adjoint of {@link Im2Col}: each window row's entries summed back into the input's shape
     * {@code inDims}. The gradient of im2col, and the forward pass of a transposed convolution (the
     * rows are then the input times the kernel); its own gradient is the im2col again.
     */
    record Col2Im(Im2Col of, List<Dim> inDims) implements Op {
        public Col2Im {
            inDims = List.copyOf(inDims);
        }

        public String name() { return "col2im"; }
        public TensorType infer(List<TensorType> in, Span span) {
            TensorType cols = in.get(0), out = TensorType.floats(inDims);
            if (!cols.dims().equals(of.infer(List.of(out), span).dims())) {
                throw Shapes.error(span, "col2im of " + cols.kerasShape() + " does not fit " + out.kerasShape());
            }
            return out;
        }
        public List<Node> vjp(Graph g, Node self, Node dy) {
            return List.of(g.add(of, List.of(dy), self));
        }
    }

    /**
     * A depthwise convolution: each input channel meets its own {@code m} filters,
     * {@code y[b, o..., c·m + j] = Σ_k x[b, s..., c] · w[k..., c, j]} with {@code s} on each axis as
     * in {@link Im2Col} (0 outside the input); inputs (x [batch, s..., C], w [k..., C, m]). Keras's
     * DepthwiseConv1D/2D before the bias. One pass over the windows with the channels as the vector
     * lanes: a depthwise convolution does too little work per channel for a GEMM.
     */
    record DepthwiseConv(List<Window> axes) implements Op {
        public DepthwiseConv {
            axes = List.copyOf(axes);
        }

        public String name() { return "depthwise_conv" + axes.size() + "d"; }
        public TensorType infer(List<TensorType> in, Span span) {
            TensorType x = in.get(0), w = in.get(1);
            requireSpatial(x, axes.size(), span, name());
            boolean fits = w.rank() == axes.size() + 2 && !w.isBatched() && w.dim(-2).equals(x.dim(-1));
            for (int i = 0; fits && i < axes.size(); i++) fits = w.dim(i).size() == axes.get(i).kernel();
            if (!fits) throw Shapes.error(span, name() + " of " + x.kerasShape() + " with a kernel " + w);
            return TensorType.floats(windowed(x.dim(0), axes, Dim.of(x.dim(-1).size() * w.dim(-1).size())));
        }
        public List<Node> vjp(Graph g, Node self, Node dy) {
            Node x = self.input(0), w = self.input(1);
            return List.of(g.add(new DepthwiseConvInputGrad(this, x.type().dims()), List.of(dy, w), self),
                    g.add(new DepthwiseConvKernelGrad(this, w.type().dims()), List.of(x, dy), self));
        }
    }

    /**
     * The input gradient of {@link DepthwiseConv}: {@code dx[b, s..., c] = Σ_{o,k} Σ_j dy[b, o..., c·m + j] · w[k..., c, j]}
     * over the windows that read {@code s}; inputs (dy, w), output of shape {@code inDims}.
     */
    record DepthwiseConvInputGrad(DepthwiseConv of, List<Dim> inDims) implements Op {
        public DepthwiseConvInputGrad {
            inDims = List.copyOf(inDims);
        }

        public String name() { return of.name() + "_input_grad"; }
        public TensorType infer(List<TensorType> in, Span span) { return TensorType.floats(inDims); }
    }

    /**
     * The kernel gradient of {@link DepthwiseConv}: {@code dw[k..., c, j] = Σ_{b,o} x[b, s..., c] · dy[b, o..., c·m + j]};
     * inputs (x, dy), output of shape {@code wDims}.
     */
    record DepthwiseConvKernelGrad(DepthwiseConv of, List<Dim> wDims) implements Op {
        public DepthwiseConvKernelGrad {
            wDims = List.copyOf(wDims);
        }

        public String name() { return of.name() + "_kernel_grad"; }
        public TensorType infer(List<TensorType> in, Span span) { return TensorType.floats(wDims); }
    }

    /**
     * Max or average pooling over one or two spatial axes, per channel (dilation 1): the window
     * of output position {@code o} covers input positions {@code [o·stride - padLeft, ... + kernel)}
     * clipped to the input on each axis, so padding is never part of a maximum or an average
     * (Keras: -inf padding for max, padding excluded from the average's count).
     */
    record Pool(boolean max, List<Window> axes) implements Op {
        public Pool {
            axes = List.copyOf(axes);
        }

        public String name() { return (max ? "max_pool" : "avg_pool") + axes.size() + "d"; }
        public TensorType infer(List<TensorType> in, Span span) {
            TensorType x = in.get(0);
            requireSpatial(x, axes.size(), span, name());
            return TensorType.floats(windowed(x.dim(0), axes, x.dim(-1)));
        }
        public List<Node> vjp(Graph g, Node self, Node dy) {
            return List.of(g.add(new PoolGrad(this), List.of(self.input(0), dy), self));
        }
    }

    /** The input gradient of {@link Pool}; inputs (x, dy). A maximum's gradient goes to the first largest position of its window. */
    record PoolGrad(Pool pool) implements Op {
        public String name() { return pool.name() + "_grad"; }
        public TensorType infer(List<TensorType> in, Span span) { return in.get(0).withElem(ElemType.FLOAT); }
    }

    /** Nearest-neighbour upsampling: each spatial axis's entries repeated {@code factors[i]} times (Keras's UpSampling1D/2D). */
    record Upsample(List<Integer> factors) implements Op {
        public Upsample {
            factors = List.copyOf(factors);
        }

        public String name() { return "upsample"; }
        public TensorType infer(List<TensorType> in, Span span) {
            TensorType x = in.get(0);
            requireSpatial(x, factors.size(), span, "upsampling");
            List<Dim> d = new ArrayList<>(x.dims());
            for (int i = 0; i < factors.size(); i++) d.set(i + 1, Dim.of(x.dim(i + 1).size() * factors.get(i)));
            return x.withDims(d).withElem(ElemType.FLOAT);
        }
        public List<Node> vjp(Graph g, Node self, Node dy) {
            // The sum of each block of copies: an average pool over the blocks, times the block's size.
            List<Window> w = new ArrayList<>();
            int block = 1;
            for (int i = 0; i < factors.size(); i++) {
                int f = factors.get(i);
                w.add(new Window(f, f, 1, 0, self.input(0).type().dim(i + 1).size()));
                block *= f;
            }
            Node mean = g.add(new Pool(false, w), List.of(dy), self);
            return List.of(block == 1 ? mean : g.add(new Affine(block, 0), List.of(mean), self));
        }
    }

    /** Joins its inputs along {@code axis} (an axis of the full shape, never the batch's); the other dims must agree. */
    record Concat(int axis) implements Op {
        public String name() { return "concat"; }
        public TensorType infer(List<TensorType> in, Span span) {
            TensorType first = in.get(0);
            int total = 0;
            for (TensorType t : in) {
                boolean same = t.rank() == first.rank();
                for (int a = 0; same && a < t.rank(); a++) same = a == axis || t.dim(a).equals(first.dim(a));
                if (!same || axis >= t.rank() || (t.isBatched() && axis == 0)) {
                    throw Shapes.error(span, "cannot concatenate " + first.kerasShape() + " and " + t.kerasShape()
                            + " on axis " + axis + ": all other axes must be equal");
                }
                total += t.dim(axis).size();
            }
            List<Dim> d = new ArrayList<>(first.dims());
            d.set(axis, Dim.of(total));
            return TensorType.floats(d);
        }
        public List<Node> vjp(Graph g, Node self, Node dy) {
            List<Node> out = new ArrayList<>();
            int start = 0;
            for (Node x : self.inputs()) {
                int len = x.type().dim(axis).size();
                out.add(g.add(new Slice(axis, start, len), List.of(dy), self));
                start += len;
            }
            return out;
        }
    }

    /** Entries {@code [start, start + length)} of {@code axis}. */
    record Slice(int axis, int start, int length) implements Op {
        public String name() { return "slice"; }
        public TensorType infer(List<TensorType> in, Span span) {
            TensorType x = in.get(0);
            if (axis >= x.rank() || !x.dim(axis).isFixed() || start + length > x.dim(axis).size()) {
                throw Shapes.error(span, "cannot take [" + start + ", " + (start + length) + ") of axis " + axis + " of " + x);
            }
            List<Dim> d = new ArrayList<>(x.dims());
            d.set(axis, Dim.of(length));
            return x.withDims(d).withElem(ElemType.FLOAT);
        }
        public List<Node> vjp(Graph g, Node self, Node dy) {
            return List.of(g.add(new SliceGrad(axis, List.of(start), self.input(0).type().dim(axis).size()), List.of(dy), self));
        }
    }

    /**
     * The gradient of {@link Slice}: input {@code i} placed at {@code [starts[i], ...)} of an axis of
     * {@code total}, zeros elsewhere. Autodiff merges the gradients of disjoint slices of one value
     * (an LSTM's four gates) into one of these instead of adding zero-padded copies.
     */
    record SliceGrad(int axis, List<Integer> starts, int total) implements Op {
        public SliceGrad {
            starts = List.copyOf(starts);
        }

        public String name() { return "slice_grad"; }
        public TensorType infer(List<TensorType> in, Span span) {
            List<Dim> d = new ArrayList<>(in.get(0).dims());
            d.set(axis, Dim.of(total));
            return TensorType.floats(d);
        }
        public List<Node> vjp(Graph g, Node self, Node dy) {
            // Also ZeroPadding: the gradient of each placed input is its range again.
            List<Node> dx = new ArrayList<>();
            for (int i = 0; i < starts.size(); i++) {
                dx.add(g.add(new Slice(axis, starts.get(i), self.input(i).type().dim(axis).size()), List.of(dy), self));
            }
            return dx;
        }

        /** This gradient and {@code other}'s (of the same axis) as one, if their ranges do not overlap; else null. */
        static Node merge(Graph g, Node a, Node b, Node origin) {
            if (!(a.op() instanceof SliceGrad x) || !(b.op() instanceof SliceGrad y) || x.axis != y.axis || x.total != y.total) return null;
            List<int[]> ranges = new ArrayList<>();
            List<Node> in = new ArrayList<>(a.inputs());
            in.addAll(b.inputs());
            List<Integer> starts = new ArrayList<>(x.starts);
            starts.addAll(y.starts);
            for (int i = 0; i < in.size(); i++) ranges.add(new int[] {starts.get(i), starts.get(i) + in.get(i).type().dim(x.axis).size()});
            for (int i = 0; i < ranges.size(); i++) {
                for (int j = i + 1; j < ranges.size(); j++) {
                    if (ranges.get(i)[0] < ranges.get(j)[1] && ranges.get(j)[0] < ranges.get(i)[1]) return null;
                }
            }
            return g.add(new SliceGrad(x.axis, starts, x.total), in, origin);
        }
    }

    /** The elementwise maximum (or minimum) of two values of one shape. */
    record MaxMin(boolean max) implements Op {
        public String name() { return max ? "maximum" : "minimum"; }
        public TensorType infer(List<TensorType> in, Span span) {
            TensorType a = in.get(0), b = in.get(1);
            if (!a.dims().equals(b.dims())) {
                throw Shapes.error(span, "cannot take the " + name() + " of shapes " + a.kerasShape() + " and " + b.kerasShape()
                        + ": they must be equal");
            }
            return a.withElem(ElemType.FLOAT);
        }
        public List<Node> vjp(Graph g, Node self, Node dy) {
            List<Node> ab = List.of(self.input(0), self.input(1), dy);
            return List.of(g.add(new MaxMinGrad(max, 0), ab, self), g.add(new MaxMinGrad(max, 1), ab, self));
        }
    }

    /**
     * The gradient of {@link MaxMin} for input {@code which}: {@code dy} where that input is the
     * chosen one, half of it on ties (as JAX's {@code max}), else 0; inputs (a, b, dy).
     */
    record MaxMinGrad(boolean max, int which) implements Op {
        public String name() { return (max ? "maximum" : "minimum") + "_grad"; }
        public TensorType infer(List<TensorType> in, Span span) { return in.get(2); }
    }

    /** {@code [batch, f...] -> [batch, times, f...]}: each sample repeated (Keras's RepeatVector). */
    record Repeat(int times) implements Op {
        public String name() { return "repeat"; }
        public TensorType infer(List<TensorType> in, Span span) {
            TensorType x = in.get(0);
            if (!x.isBatched()) throw Shapes.error(span, "repeat needs a per-sample value, got " + x);
            List<Dim> d = new ArrayList<>(x.dims());
            d.add(1, Dim.of(times));
            return x.withDims(d).withElem(ElemType.FLOAT);
        }
        public List<Node> vjp(Graph g, Node self, Node dy) {
            return List.of(g.add(new SumRepeats(times), List.of(dy), self));
        }
    }

    /** {@code [batch, times, f...] -> [batch, f...]}, summing over the repeats: the gradient of {@link Repeat}. */
    record SumRepeats(int times) implements Op {
        public String name() { return "sum_repeats"; }
        public TensorType infer(List<TensorType> in, Span span) {
            List<Dim> d = new ArrayList<>(in.get(0).dims());
            d.remove(1);
            return TensorType.floats(d);
        }
    }

    /** Permutes the per-sample axes: output sample axis {@code i} is input sample axis {@code perm[i]} (0-based). */
    record Transpose(List<Integer> perm) implements Op {
        public Transpose {
            perm = List.copyOf(perm);
        }
        public String name() { return "transpose"; }
        public TensorType infer(List<TensorType> in, Span span) {
            TensorType x = in.get(0);
            List<Dim> s = x.sampleDims();
            if (!x.isBatched() || s.size() != perm.size()) {
                throw Shapes.error(span, "a permutation of " + perm.size() + " axes does not fit " + x.kerasShape());
            }
            List<Dim> d = new ArrayList<>();
            d.add(x.dim(0));
            for (int p : perm) d.add(s.get(p));
            return x.withDims(d);
        }
        public List<Node> vjp(Graph g, Node self, Node dy) {
            Integer[] inv = new Integer[perm.size()];
            for (int i = 0; i < perm.size(); i++) inv[perm.get(i)] = i;
            return List.of(g.add(new Transpose(List.of(inv)), List.of(dy), self));
        }
    }

    /**
     * Dropout of whole channels: one keep decision per (sample, channel), shared by every step of
     * a [batch, steps, channels] value (Keras's SpatialDropout1D). Keyed like {@link Dropout}, with
     * the channel as the element.
     */
    record SpatialDropout(double rate, int stream) implements Op {
        public String name() { return "spatial_dropout"; }
        public TensorType infer(List<TensorType> in, Span span) {
            requireSequence(in.get(0), span, "spatial dropout");
            return in.get(0);
        }
        public List<Node> vjp(Graph g, Node self, Node dy) {
            return List.of(g.add(new SpatialDropout(rate, stream), List.of(dy), self));
        }
    }

    // ---------------------------------------------------------------- image augmentation

    /**
     * Keras's RandomFlip in training: each sample flipped left-right ({@code horizontal}) and/or
     * upside down ({@code vertical}), each with probability 1/2, decided by the counter-based
     * generator keyed like {@link Dropout}'s; the identity otherwise. Its own adjoint.
     */
    record RandomFlip(boolean horizontal, boolean vertical, int stream) implements Op {
        public String name() { return "random_flip"; }
        public TensorType infer(List<TensorType> in, Span span) {
            requireSpatial(in.get(0), 2, span, "RandomFlip");
            return in.get(0).withElem(ElemType.FLOAT);
        }
        public List<Node> vjp(Graph g, Node self, Node dy) {
            return List.of(g.add(this, List.of(dy), self));
        }
    }

    /**
     * Keras's RandomTranslation in training: output (i, j) samples the input at (i − dy, j − dx),
     * dy = U(heightLo, heightHi)·rows and dx = U(widthLo, widthHi)·columns per sample, with
     * nearest or bilinear interpolation and Keras's fill modes ({@code reflect}, {@code wrap},
     * {@code mirror}, {@code nearest}, {@code constant}) outside the image; the identity otherwise.
     * With {@code adjoint}, the transposed map (the gradient), for the same draws.
     */
    record RandomTranslation(double heightLo, double heightHi, double widthLo, double widthHi, String fill, double fillValue,
                             boolean bilinear, int stream, boolean adjoint) implements Op {
        public String name() { return adjoint ? "random_translation_grad" : "random_translation"; }
        public TensorType infer(List<TensorType> in, Span span) {
            requireSpatial(in.get(0), 2, span, "RandomTranslation");
            return in.get(0).withElem(ElemType.FLOAT);
        }
        public List<Node> vjp(Graph g, Node self, Node dy) {
            return List.of(g.add(new RandomTranslation(heightLo, heightHi, widthLo, widthHi, fill, fillValue, bilinear, stream, !adjoint),
                    List.of(dy), self));
        }
    }

    // ---------------------------------------------------------------- recurrences (see Loop)

    /** A per-step value {@code [batch, ...]} of a loop body, or an error naming the op. */
    private static void requireStep(TensorType x, Span span, String what) {
        if (x.rank() < 1 || !x.dim(0).isBatch()) throw Shapes.error(span, what + " needs a per-sample value, got " + x);
    }

    /**
     * {@code [batch, steps, ...] <-> [steps, batch, ...]}: a sequence to the time-major layout a loop
     * reads one step at a time, and back. With {@code reverse} the time axis is also reversed
     * (Keras's go_backwards order).
     */
    record SwapBatchTime(boolean reverse) implements Op {
        public String name() { return reverse ? "swap_batch_time_reversed" : "swap_batch_time"; }
        public TensorType infer(List<TensorType> in, Span span) {
            TensorType x = in.get(0);
            if (x.rank() < 2 || !(x.dim(0).isBatch() || x.dim(1).isBatch())) {
                throw Shapes.error(span, "a recurrence needs a sequence of shape (batch, steps, ...), got " + x.kerasShape());
            }
            List<Dim> d = new ArrayList<>(x.dims());
            d.set(0, x.dim(1));
            d.set(1, x.dim(0));
            return x.withDims(d);
        }
        public List<Node> vjp(Graph g, Node self, Node dy) {
            return List.of(g.add(new SwapBatchTime(reverse), List.of(dy), self));
        }
    }

    /** Inside a loop body: step {@code t} of a time-major sequence {@code [steps, batch, ...]}. Stores nothing. */
    record StepIn() implements Op {
        public String name() { return "step_in"; }
        public TensorType infer(List<TensorType> in, Span span) {
            TensorType x = in.get(0);
            if (!x.isTimeMajor()) throw Shapes.error(span, "step_in needs a time-major sequence, got " + x);
            return x.withDims(x.dims().subList(1, x.rank()));
        }
    }

    /** After a loop: every step of a body value as one time-major sequence {@code [steps, batch, ...]}. Stores nothing. */
    record Stack(int steps) implements Op {
        public String name() { return "stack"; }
        public TensorType infer(List<TensorType> in, Span span) {
            TensorType x = in.get(0);
            requireStep(x, span, "stack");
            List<Dim> d = new ArrayList<>();
            d.add(Dim.of(steps));
            d.addAll(x.dims());
            return x.withDims(d);
        }
        public List<Node> vjp(Graph g, Node self, Node dy) {
            Loop back = self.input(0).loop().backward(g);
            return List.of(g.addIn(back, new StepIn(), List.of(dy), self.layer(), self.span()));
        }
    }

    /**
     * A state of a loop: at the loop's first step its initial value (the input), at every later step
     * the value of {@code loop.source(index)} at the previous step. Autodiff treats it specially.
     */
    record Carry(Loop loop, int index) implements Op {
        public String name() { return "carry"; }
        public TensorType infer(List<TensorType> in, Span span) {
            requireStep(in.get(0), span, "a recurrent state");
            return in.get(0);
        }
    }

    /** One time step {@code t} of a time-major sequence: {@code [steps, batch, ...] -> [batch, ...]} (a final state). */
    record TimeStep(int t) implements Op {
        public String name() { return "time_step"; }
        public TensorType infer(List<TensorType> in, Span span) {
            TensorType x = in.get(0);
            if (!x.isTimeMajor() || t >= x.dim(0).size()) throw Shapes.error(span, "time_step " + t + " of " + x);
            return x.withDims(x.dims().subList(1, x.rank()));
        }
        public List<Node> vjp(Graph g, Node self, Node dy) {
            return List.of(g.add(new TimeStepGrad(t, self.input(0).type().dim(0).size()), List.of(dy), self));
        }
    }

    /** The gradient of {@link TimeStep}: {@code dy} at step {@code t} of a zero sequence of {@code steps}. */
    record TimeStepGrad(int t, int steps) implements Op {
        public String name() { return "time_step_grad"; }
        public TensorType infer(List<TensorType> in, Span span) {
            List<Dim> d = new ArrayList<>();
            d.add(Dim.of(steps));
            d.addAll(in.get(0).dims());
            return in.get(0).withDims(d);
        }
    }

    /**
     * A stateful recurrent layer's state as the previous batch left it, row by row (zeros after a
     * reset): the session copies it in and, after the step, the state's final value out. No
     * gradient flows back across batches (truncated backpropagation through time, as Keras).
     */
    record StateIn(String key, int slot, TensorType type) implements Op {
        public String name() { return "state_in"; }
        public TensorType infer(List<TensorType> in, Span span) { return type; }
        public List<Node> vjp(Graph g, Node self, Node dy) { return List.of(); }
    }

    /** Zeros of a per-sample shape: the initial state of a recurrence that was given none. */
    record Zeros(TensorType type) implements Op {
        public String name() { return "zeros"; }
        public TensorType infer(List<TensorType> in, Span span) { return type; }
        public List<Node> vjp(Graph g, Node self, Node dy) { return List.of(); }
    }

    /**
     * {@code y = m != 0 ? a : b} per row of the mask: {@code m}'s dims are the leading dims of
     * {@code a}'s and {@code b}'s, so each entry of m picks a block of the trailing axes. With m one
     * value per sample ({@code [batch]}), a masked time step keeps the previous state; with m
     * {@code [batch, steps]}, Keras's {@code where(mask, x, other)} of the masked merges. Inputs (m, a, b).
     */
    record Select() implements Op {
        public String name() { return "select"; }
        public TensorType infer(List<TensorType> in, Span span) {
            TensorType m = in.get(0), a = in.get(1), b = in.get(2);
            if (!a.dims().equals(b.dims()) || !maskOf(m, a)) {
                throw Shapes.error(span, "select needs a mask of the leading axes and two values of one shape, got " + m + ", " + a + ", " + b);
            }
            return a.withElem(ElemType.FLOAT);
        }
        public List<Node> vjp(Graph g, Node self, Node dy) {
            Node m = self.input(0);
            return java.util.Arrays.asList(null, g.add(new MaskRows(true), List.of(m, dy), self),
                    g.add(new MaskRows(false), List.of(m, dy), self));
        }
    }

    /**
     * {@code dy} where {@code (m != 0) == whenSet}, else 0, per row of the mask (see {@link Select});
     * inputs (m, x). The gradient of {@link Select}, a masked sequence's output with Keras's
     * zero_output_for_mask, and Keras's {@code where(mask, x, 0)} of a masked Multiply.
     */
    record MaskRows(boolean whenSet) implements Op {
        public String name() { return whenSet ? "mask_rows" : "mask_rows_unset"; }
        public TensorType infer(List<TensorType> in, Span span) {
            if (!maskOf(in.get(0), in.get(1))) throw Shapes.error(span, "a mask " + in.get(0) + " does not fit " + in.get(1));
            return in.get(1);
        }
        public List<Node> vjp(Graph g, Node self, Node dy) {
            return java.util.Arrays.asList(null, g.add(new MaskRows(whenSet), List.of(self.input(0), dy), self));
        }
    }

    /** True if {@code m} is a per-sample mask of {@code x}'s leading axes ({@code [batch]}, {@code [batch, steps]}, ...). */
    private static boolean maskOf(TensorType m, TensorType x) {
        return m.rank() >= 1 && m.dim(0).isBatch() && m.rank() <= x.rank() && x.dims().subList(0, m.rank()).equals(m.dims());
    }
}
