package modelc.compiler.codegen;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.MethodSpec;
import java.util.ArrayList;
import java.util.List;
import javax.lang.model.element.Modifier;
import modelc.compiler.ir.Dim;
import modelc.compiler.ir.LossKind;
import modelc.compiler.ir.Node;
import modelc.compiler.ir.Op;
import modelc.compiler.ir.TensorType;
import modelc.compiler.ir.UnaryFn;

/**
 * Emits one static method per IR node (ModelEmitter keeps one of those that come out as the same
 * code, see {@link SameCode}): loops with constant trip counts (only the batch size
 * {@code n} varies), Vector API bodies with a scalar tail (loops go through {@link Simd}, which
 * leaves the vector bodies out for the scalar target), GEMM calls into the runtime.
 * Every size in the node's type is a literal in the generated code.
 */
final class KernelEmitter {
    static final ClassName GEMM = ClassName.get("modelc.runtime.kernels", "Gemm");
    static final ClassName ACT = ClassName.get("modelc.runtime.kernels", "Act");
    static final ClassName RNG = ClassName.get("modelc.runtime", "Rng");
    static final ClassName AUGMENT = ClassName.get("modelc.runtime.kernels", "Augment");
    static final ClassName OPS = ClassName.get("jdk.incubator.vector", "VectorOperators");

    private final Dtype dt;
    private final Simd simd;
    private final String t;
    private final String v;
    private final SequenceKernels seq;
    private final AugmentKernels augment;
    private final DotKernels dot;

    KernelEmitter(Dtype dt, Simd simd) {
        this.dt = dt;
        this.simd = simd;
        this.t = dt.java;
        this.v = dt.vector().simpleName();
        this.seq = new SequenceKernels(dt, simd);
        this.augment = new AugmentKernels(dt);
        this.dot = new DotKernels(dt, simd);
    }

    /** The kernel of {@code n}, or null for ops that need none (inputs, parameters, reshapes). */
    Kernel emit(Node n, String name, String javadoc) {
        Op op = n.op();
        if (op instanceof Op.Input || op instanceof Op.Target || op instanceof Op.Param || op instanceof Op.Reshape
                || op instanceof Op.StepIn || op instanceof Op.Stack || op instanceof Op.Carry) return null;
        List<String> names = argNames(op, n.inputs().size());
        MethodSpec.Builder m = MethodSpec.methodBuilder(name).addModifiers(Modifier.PRIVATE, Modifier.STATIC)
                .addJavadoc("$L", javadoc);
        List<String> callArgs = new ArrayList<>();
        List<Node> operands = new ArrayList<>(n.inputs());
        operands.add(n);
        for (int i = 0; i < operands.size(); i++) {
            String an = names.get(i);
            m.addParameter(dt.array(), an);
            m.addParameter(int.class, an + "Off");
        }
        boolean batched = operands.stream().anyMatch(x -> x.type().isBatched());
        if (batched) m.addParameter(int.class, "n");
        Integer stream = switch (op) {
            case Op.Dropout d -> d.stream();
            case Op.SpatialDropout d -> d.stream();
            case Op.RandomFlip f -> f.stream();
            case Op.RandomTranslation r -> r.stream();
            default -> null;
        };
        if (stream != null) {
            // The random stream is an argument: the layers' masks differ only in it, and one method serves them all.
            m.addParameter(boolean.class, "training");
            m.addParameter(long.class, "seed");
            m.addParameter(long.class, "step");
            m.addParameter(int.class, "row0");
            m.addParameter(int.class, "stream");
            callArgs.add("dropout");
            callArgs.add("seed");
            callArgs.add("iterations");
            callArgs.add("row0");
            callArgs.add(Integer.toString(stream));
        }
        if (op instanceof Op.GateMatMul || op instanceof Op.GateMatMulAT) {
            // A training step multiplies each gate's dropped input; otherwise one product serves every gate.
            m.addParameter(boolean.class, "training");
            callArgs.add("dropout");
        }
        if (op instanceof Op.BatchMoments) {
            // This part's statistics in training and grad steps (the session merges the parts'), the moving ones otherwise.
            m.addParameter(boolean.class, "training");
            callArgs.add("batchStats");
        }
        if (op instanceof Op.StateIn st) {
            // The session's buffer of this state, one row per sample of the fixed batch.
            m.addParameter(dt.array(), "st");
            m.addParameter(int.class, "row0");
            callArgs.add("states[" + st.slot() + "]");
            callArgs.add("row0");
        }
        if (op instanceof Op.BatchMomentsGrad bg && !bg.masked()) {
            m.addParameter(int.class, "total");
            callArgs.add("total");
        }
        if (op instanceof Op.ActivityPenalty || op instanceof Op.ActivityPenaltyGrad) {
            // Keras divides an activity penalty by the batch size: a part divides its share by the batch's rows.
            m.addParameter(int.class, "total");
            callArgs.add("total");
        }
        if (op instanceof Op.Loss || op instanceof Op.LossGrad) {
            Op.Loss l = op instanceof Op.Loss x ? x : ((Op.LossGrad) op).loss();
            // A masked loss divides by the present steps of the whole batch (counted before the loss runs).
            boolean present = l.masked() && !l.sumOverSteps();
            m.addParameter(int.class, present ? "present" : "total");
            callArgs.add(present ? "present" : "total");
            if (op instanceof Op.Loss && l.classWeighted()) {
                // Keras weighs samples by class in fit's training steps only, not in evaluation.
                m.addParameter(boolean.class, "weighted");
                callArgs.add("backprop");
            }
        }
        m.addCode(body(n, names));
        // A slice reads from its start on: the call passes x's offset plus the start, and slices of equal shapes share a kernel.
        List<Integer> shifts = op instanceof Op.Slice s ? List.of(s.start() * SequenceKernels.inner(n.input(0).type(), s.axis()), 0) : List.of();
        return new Kernel(m.build(), operands, batched, List.copyOf(callArgs), false, shifts);
    }

    private static List<String> argNames(Op op, int inputs) {
        return switch (op) {
            case Op.MatMul x -> List.of("x", "w", "y");
            case Op.MatMulBT x -> List.of("dy", "w", "dx");
            case Op.MatMulAT x -> List.of("x", "dy", "dw");
            case Op.GateMatMul x -> java.util.stream.IntStream.rangeClosed(-1, inputs - 1)
                    .mapToObj(i -> i == -1 ? "x" : i < inputs - 2 ? "x" + i : i == inputs - 2 ? "w" : "y").toList();
            case Op.GateMatMulAT x -> java.util.stream.IntStream.rangeClosed(-1, inputs - 1)
                    .mapToObj(i -> i == -1 ? "x" : i < x.gates() ? "x" + i : i < inputs - 1 ? "dy" + (i - x.gates()) : "dw").toList();
            case Op.Binary x -> List.of("a", "b", "y");
            case Op.UnaryGrad x -> List.of("x", "y", "dy", "dx");
            case Op.LayerNormGrad x -> List.of("x", "y", "dy", "dx");
            case Op.L2NormalizeGrad x -> List.of("x", "y", "dy", "dx");
            case Op.SoftmaxGrad x -> List.of("y", "dy", "dx");
            case Op.Loss x -> x.hasMask() ? List.of("pred", "target", "mask", "loss") : List.of("pred", "target", "loss");
            case Op.LossGrad x -> x.loss().hasMask() ? List.of("pred", "target", "mask", "dpred") : List.of("pred", "target", "dpred");
            case Op.ActivityPenalty x -> List.of("x", "penalty");
            case Op.ActivityPenaltyGrad x -> List.of("x", "dx");
            case Op.SumTo x -> List.of("x", "y");
            case Op.Gather x -> List.of("ids", "w", "y");
            case Op.ScatterAdd x -> List.of("ids", "dy", "dw");
            case Op.MaskedMean x -> List.of("x", "mask", "y");
            case Op.MaskedMeanGrad x -> List.of("mask", "dy", "dx");
            case Op.PoolGrad x -> List.of("x", "dy", "dx");
            case Op.DepthwiseConv x -> List.of("x", "w", "y");
            case Op.DepthwiseConvInputGrad x -> List.of("dy", "w", "dx");
            case Op.DepthwiseConvKernelGrad x -> List.of("x", "dy", "dw");
            case Op.BatchMoments x when x.renorm() != null -> x.masked() ? List.of("x", "mm", "mv", "w", "ms", "rm", "rs", "y")
                    : List.of("x", "mm", "mv", "ms", "rm", "rs", "y");
            case Op.BatchMoments x -> x.masked() ? List.of("x", "mm", "mv", "w", "y") : List.of("x", "mm", "mv", "y");
            case Op.BatchMomentsGrad x -> x.masked() ? List.of("x", "m", "dm", "w", "dx") : List.of("x", "m", "dm", "dx");
            case Op.MaxMinGrad x -> List.of("a", "b", "dy", "dx");
            case Op.Select x -> List.of("m", "a", "b", "y");
            case Op.MaskRows x -> List.of("m", "dy", "dx");
            case Op.Zeros x -> List.of("y");
            case Op.StateIn x -> List.of("y");
            case Op.SliceGrad x when inputs > 1 -> java.util.stream.IntStream.rangeClosed(0, inputs)
                    .mapToObj(i -> i < inputs ? "x" + i : "y").toList();
            case Op.Concat x -> java.util.stream.IntStream.rangeClosed(0, inputs)
                    .mapToObj(i -> i < inputs ? "x" + i : "y").toList();
            default -> inputs == 1 ? List.of("x", "y") : List.of("a", "b", "y");
        };
    }

    /** The element count of a value in code: {@code n * 784} for per-sample values, a literal otherwise. */
    private static String count(TensorType type) {
        return type.isBatched() ? "n * " + type.sampleSize() : Integer.toString(type.sampleSize());
    }

    /** Rows when the last axis is the row: {@code n * 3} for float[batch, 3, 10]. */
    private static String rows(TensorType type) {
        int inner = type.sampleSize() / type.dim(-1).size();
        if (!type.isBatched()) return Integer.toString(inner);
        return inner == 1 ? "n" : "n * " + inner;
    }

    private CodeBlock body(Node n, List<String> a) {
        return switch (n.op()) {
            case Op.MatMul m -> {
                TensorType x = n.input(0).type();
                int k = x.dim(-1).size(), nn = n.input(1).type().dim(1).size();
                yield new Body().stmt(String.format("Gemm.%s(false, false, %s, %d, %d, x, xOff, %d, w, wOff, %d, y, yOff, %d, false)",
                        simd.gemm(), rows(x), nn, k, k, nn, nn)).build();
            }
            case Op.MatMulBT m -> {
                TensorType dy = n.input(0).type();
                int k = n.input(1).type().dim(0).size(), nn = dy.dim(-1).size();
                yield new Body().stmt(String.format("Gemm.%s(false, true, %s, %d, %d, dy, dyOff, %d, w, wOff, %d, dx, dxOff, %d, false)",
                        simd.gemm(), rows(dy), k, nn, nn, nn, k)).build();
            }
            case Op.MatMulAT m -> {
                TensorType x = n.input(0).type();
                int k = x.dim(-1).size(), nn = n.input(1).type().dim(-1).size();
                yield new Body().stmt(String.format("Gemm.%s(true, false, %d, %d, %s, x, xOff, %d, dy, dyOff, %d, dw, dwOff, %d, false)",
                        simd.gemm(), k, nn, rows(x), k, nn, nn)).build();
            }
            case Op.GateMatMul gm -> {
                TensorType x = n.input(0).type();
                int k = x.dim(-1).size(), all = n.type().dim(-1).size(), nn = all / gm.gates();
                Body b = new Body();
                b.comment("without dropout no mask applies: one product over all gates");
                b.open("if (!training)");
                b.stmt(String.format("Gemm.%s(false, false, %s, %d, %d, x, xOff, %d, w, wOff, %d, y, yOff, %d, false)",
                        simd.gemm(), rows(x), all, k, k, all, all));
                b.stmt("return");
                b.close();
                // gate g's columns [g·N, (g + 1)·N) of w and y, from gate g's dropped x
                b.comment("a training step: each gate's dropped input by its columns, into its columns");
                for (int g = 0; g < gm.gates(); g++) {
                    b.stmt(String.format("Gemm.%s(false, false, %s, %d, %d, x%d, x%dOff, %d, w, wOff + %d, %d, y, yOff + %d, %d, false)",
                            simd.gemm(), rows(x), nn, k, g, g, k, g * nn, all, g * nn, all));
                }
                yield b.build();
            }
            case Op.GateMatMulAT gm -> {
                TensorType x = n.input(0).type();
                int k = x.dim(-1).size(), all = n.type().dim(-1).size(), nn = all / gm.gates();
                Body b = new Body();
                // gate g's columns of dw: its dropped x (a training step) or x itself, by its output gradient
                b.comment("each gate's columns: its dropped input (with dropout) or the input, by its gradient");
                for (int g = 0; g < gm.gates(); g++) {
                    b.stmt(String.format("Gemm.%s(true, false, %d, %d, %s, training ? x%d : x, training ? x%dOff : xOff, %d, dy%d, dy%dOff, %d, dw, dwOff + %d, %d, false)",
                            simd.gemm(), k, nn, rows(x), g, g, k, g, g, nn, g * nn, all));
                }
                yield b.build();
            }
            case Op.BatchMatMul x -> dot.batchMatMul(n, x);
            case Op.L2Normalize x -> dot.l2Normalize(n, x);
            case Op.L2NormalizeGrad x -> dot.l2NormalizeGrad(n, x);
            case Op.Binary b -> binary(n, b.kind());
            case Op.SumTo s -> sumTo(n);
            case Op.Unary u -> unary(n, u.fn(), u.param());
            case Op.UnaryGrad u -> unaryGrad(n, u.fn(), u.param());
            case Op.Affine f -> affine(n, f.scale(), f.offset());
            case Op.Softmax s -> softmax(n, false);
            case Op.LogSoftmax s -> softmax(n, true);
            case Op.SoftmaxGrad s -> softmaxGrad(n, s.log());
            case Op.Dropout d -> dropout(n, d);
            case Op.Loss l -> loss(n, l);
            case Op.LossGrad l -> lossGrad(n, l.loss());
            case Op.ActivityPenalty p -> activityPenalty(n, p.l1(), p.l2());
            case Op.ActivityPenaltyGrad p -> activityPenaltyGrad(n, p.l1(), p.l2());
            case Op.Gather x -> seq.gather(n);
            case Op.ScatterAdd x -> seq.scatterAdd(n);
            case Op.NonZero x -> seq.nonZero(n);
            case Op.AnyNotEqual x -> seq.anyNotEqual(n, x.value());
            case Op.MaskedMean x -> seq.maskedMean(n);
            case Op.MaskedMeanGrad x -> seq.maskedMeanGrad(n);
            case Op.Im2Col x -> seq.im2col(n, x);
            case Op.Col2Im x -> seq.col2im(n, x);
            case Op.DepthwiseConv x -> seq.depthwiseConv(n, x);
            case Op.DepthwiseConvInputGrad x -> seq.depthwiseConvInputGrad(n, x);
            case Op.DepthwiseConvKernelGrad x -> seq.depthwiseConvKernelGrad(n, x);
            case Op.Pool x -> seq.pool(n, x);
            case Op.PoolGrad x -> seq.poolGrad(n, x.pool());
            case Op.Upsample x -> seq.upsample(n, x);
            case Op.BatchMoments x when x.masked() -> seq.maskedBatchMoments(n);
            case Op.BatchMoments x -> seq.batchMoments(n);
            case Op.RandomFlip x -> augment.flip(n, x);
            case Op.RandomTranslation x -> augment.translate(n, x);
            case Op.BatchMomentsGrad x when x.masked() -> seq.maskedBatchMomentsGrad(n);
            case Op.BatchMomentsGrad x -> seq.batchMomentsGrad(n);
            case Op.Concat x -> seq.concat(n, x.axis());
            case Op.Slice x -> seq.slice(n, x);
            case Op.SliceGrad x -> seq.sliceGrad(n, x);
            case Op.MaxMin x -> seq.maxMin(n, x.max());
            case Op.MaxMinGrad x -> seq.maxMinGrad(n, x);
            case Op.Repeat x -> seq.repeat(n, x.times());
            case Op.SumRepeats x -> seq.sumRepeats(n, x.times());
            case Op.Transpose x -> seq.transpose(n, x.perm());
            case Op.SpatialDropout x -> seq.spatialDropout(n, x);
            case Op.SwapBatchTime x -> seq.swapBatchTime(n, x.reverse());
            case Op.TimeStep x -> seq.timeStep(n, x.t());
            case Op.TimeStepGrad x -> seq.timeStepGrad(n, x.t());
            case Op.Zeros x -> seq.zeros(n);
            case Op.StateIn x -> new Body().stmt("System.arraycopy(st, row0 * " + n.type().sampleSize() + ", y, yOff, n * "
                    + n.type().sampleSize() + ")").build();
            case Op.LayerNorm x -> seq.layerNorm(n, x.epsilon());
            case Op.LayerNormGrad x -> seq.layerNormGrad(n, x.epsilon());
            case Op.TransposeMatrix x -> seq.transposeMatrix(n);
            case Op.Select x -> seq.select(n);
            case Op.MaskRows x -> seq.maskRows(n, x.whenSet());
            default -> throw new IllegalStateException("no kernel for " + n.op());
        };
    }

    // ------------------------------------------------------------------ elementwise

    /** A vectorised loop over {@code len} elements with a scalar tail; bodies produce the value for index i. */
    private void loop(Body b, String len, String vectorBody, String store, String scalarStore) {
        b.stmt("int len = " + len);
        b.stmt("int i = 0");
        simd.loop(b, "i", "len", vectorBody == null ? null : () -> {
            for (String s : vectorBody.split("\n")) b.stmt(s);
            b.stmt(store);
        }, () -> b.stmt(scalarStore));
    }

    private CodeBlock binary(Node n, Op.BinOp kind) {
        TensorType ta = n.input(0).type(), tb = n.input(1).type(), to = n.type();
        String vop = switch (kind) { case ADD -> "add"; case SUB -> "sub"; case MUL -> "mul"; case DIV -> "div"; };
        String sop = switch (kind) { case ADD -> "+"; case SUB -> "-"; case MUL -> "*"; case DIV -> "/"; };
        Body b = new Body();
        if (ta.dims().equals(to.dims()) && tb.dims().equals(to.dims())) {
            loop(b, count(to), v + " va = " + v + ".fromArray(S, a, aOff + i);\n" + v + " vb = " + v + ".fromArray(S, b, bOff + i)",
                    "va." + vop + "(vb).intoArray(y, yOff + i)", "y[yOff + i] = a[aOff + i] " + sop + " b[bOff + i]");
            return b.build();
        }
        // One operand repeats along the leading axes (a bias): loop over rows, vectorise within a row.
        boolean bInner = suffix(tb, to) && ta.dims().equals(to.dims());
        boolean aInner = suffix(ta, to) && tb.dims().equals(to.dims());
        if (bInner || aInner) {
            int inner = (bInner ? tb : ta).sampleSize();
            String outer = to.isBatched() ? "n * " + (to.sampleSize() / inner) : Integer.toString(to.sampleSize() / inner);
            String full = bInner ? "a" : "b", rep = bInner ? "b" : "a";
            b.stmt("int rows = " + outer);
            b.open("for (int r = 0; r < rows; r++)");
            b.stmt("int base = r * " + inner);
            b.stmt("int j = 0");
            simd.loop(b, "j", Integer.toString(inner), () -> {
                b.stmt(v + " vf = " + v + ".fromArray(S, " + full + ", " + full + "Off + base + j)");
                b.stmt(v + " vr = " + v + ".fromArray(S, " + rep + ", " + rep + "Off + j)");
                b.stmt((bInner ? "vf." + vop + "(vr)" : "vr." + vop + "(vf)") + ".intoArray(y, yOff + base + j)");
            }, () -> {
                String fe = full + "[" + full + "Off + base + j]", re = rep + "[" + rep + "Off + j]";
                b.stmt("y[yOff + base + j] = " + (bInner ? fe + " " + sop + " " + re : re + " " + sop + " " + fe));
            });
            b.close();
            return b.build();
        }
        // General broadcasting: decompose the output index.
        b.stmt("int len = " + count(to));
        b.open("for (int i = 0; i < len; i++)");
        b.stmt("y[yOff + i] = a[aOff + " + indexExpr(ta, to) + "] " + sop + " b[bOff + " + indexExpr(tb, to) + "]");
        b.close();
        return b.build();
    }

    /** True if {@code small}'s dims are the trailing dims of {@code full} (a repeated block). */
    private static boolean suffix(TensorType small, TensorType full) {
        List<Dim> s = small.dims(), f = full.dims();
        return s.size() < f.size() && f.subList(f.size() - s.size(), f.size()).equals(s) && !s.isEmpty();
    }

    /** The index into a broadcast operand for flat output index {@code i}. */
    private static String indexExpr(TensorType operand, TensorType out) {
        int r = out.rank(), off = r - operand.rank();
        List<String> terms = new ArrayList<>();
        int outStride = 1, opStride = 1;
        // Walk axes from the last; the batch axis (if any) is axis 0 with unknown extent.
        for (int ax = r - 1; ax >= 0; ax--) {
            Dim od = out.dims().get(ax);
            int oax = ax - off;
            boolean present = oax >= 0 && !(operand.dims().get(oax).equals(Dim.of(1)) && !od.equals(Dim.of(1)));
            String coord = ax == 0 && od.isBatch() ? "(i / " + outStride + ")" : "(i / " + outStride + " % " + od.size() + ")";
            if (present) terms.add(coord + " * " + opStride);
            if (oax >= 0 && !operand.dims().get(oax).isBatch()) opStride *= operand.dims().get(oax).size();
            if (!od.isBatch()) outStride *= od.size();
        }
        return terms.isEmpty() ? "0" : String.join(" + ", terms);
    }

    private CodeBlock sumTo(Node n) {
        TensorType in = n.input(0).type(), out = n.type();
        Body b = new Body();
        if (suffix(out, in)) {
            int inner = out.sampleSize();
            String rowsExpr = in.isBatched() ? "n * " + (in.sampleSize() / inner) : Integer.toString(in.sampleSize() / inner);
            b.stmt("int rows = " + rowsExpr);
            b.stmt("int j = 0");
            simd.loop(b, "j", Integer.toString(inner), () -> {
                b.stmt(v + " acc = " + v + ".zero(S)");
                b.open("for (int r = 0; r < rows; r++)");
                b.stmt("acc = acc.add(" + v + ".fromArray(S, x, xOff + r * " + inner + " + j))");
                b.close();
                b.stmt("acc.intoArray(y, yOff + j)");
            }, () -> {
                b.stmt(t + " s = 0");
                b.open("for (int r = 0; r < rows; r++)");
                b.stmt("s += x[xOff + r * " + inner + " + j]");
                b.close();
                b.stmt("y[yOff + j] = s");
            });
            return b.build();
        }
        b.stmt("java.util.Arrays.fill(y, yOff, yOff + " + count(out) + ", " + dt.lit(0) + ")");
        b.stmt("int len = " + count(in));
        b.open("for (int i = 0; i < len; i++)");
        b.stmt("y[yOff + " + indexExpr(out, in) + "] += x[xOff + i]");
        b.close();
        return b.build();
    }

    private String scalarCall(UnaryFn fn, String args, double param) {
        return dt.cast("Act." + fn.method + "(" + args + ", " + param + ")");
    }

    private String vectorUnary(UnaryFn fn, double p) {
        return switch (fn) {
            case RELU -> "vx.max(" + dt.lit(0) + ")";
            case RELU6 -> "vx.max(" + dt.lit(0) + ").min(" + dt.lit(6) + ")";
            case LEAKY_RELU -> p > 0 && p < 1 ? "vx.max(vx.mul(" + dt.lit(p) + "))" : null;
            case SIGMOID -> v + ".broadcast(S, " + dt.lit(1) + ").div(vx.neg().lanewise(VectorOperators.EXP).add(" + dt.lit(1) + "))";
            case TANH -> "vx.lanewise(VectorOperators.TANH)";
            case EXP -> "vx.lanewise(VectorOperators.EXP)";
            case NEG -> "vx.neg()";
            case SQUARE -> "vx.mul(vx)";
            case ABS -> "vx.abs()";
            default -> null;
        };
    }

    private String vectorGrad(UnaryFn fn) {
        return switch (fn) {
            case RELU -> "vdy.blend(" + dt.lit(0) + ", vx.compare(VectorOperators.LE, " + dt.lit(0) + "))";
            case SIGMOID -> "vdy.mul(vy).mul(vy.neg().add(" + dt.lit(1) + "))";
            case TANH -> "vdy.mul(vy.mul(vy).neg().add(" + dt.lit(1) + "))";
            case EXP -> "vdy.mul(vy)";
            case NEG -> "vdy.neg()";
            case SQUARE -> "vdy.mul(vx).mul(" + dt.lit(2) + ")";
            default -> null;
        };
    }

    private CodeBlock unary(Node n, UnaryFn fn, double p) {
        Body b = new Body();
        String ve = vectorUnary(fn, p);
        loop(b, count(n.type()), ve == null ? null : v + " vx = " + v + ".fromArray(S, x, xOff + i)",
                ve == null ? null : ve + ".intoArray(y, yOff + i)",
                "y[yOff + i] = " + scalarCall(fn, "x[xOff + i]", p));
        return b.build();
    }

    private CodeBlock unaryGrad(Node n, UnaryFn fn, double p) {
        Body b = new Body();
        String ve = vectorGrad(fn);
        // Load only the operands the derivative reads (sigmoid's and tanh's read y, not x).
        List<String> read = new ArrayList<>();
        if (ve != null) {
            for (String o : List.of("x", "y", "dy")) {
                if (ve.matches(".*\\bv" + o + "\\b.*")) read.add(v + " v" + o + " = " + v + ".fromArray(S, " + o + ", " + o + "Off + i)");
            }
        }
        String loads = String.join("\n", read);
        loop(b, count(n.type()), ve == null ? null : loads, ve == null ? null : ve + ".intoArray(dx, dxOff + i)",
                "dx[dxOff + i] = " + dt.cast("Act." + fn.method + "Grad(x[xOff + i], y[yOff + i], dy[dyOff + i], " + p + ")"));
        return b.build();
    }

    private CodeBlock affine(Node n, double scale, double offset) {
        Body b = new Body();
        String s = dt.lit(scale), c = dt.lit(offset);
        loop(b, count(n.type()), v + " vx = " + v + ".fromArray(S, x, xOff + i)",
                (offset == 0 ? "vx.mul(" + s + ")" : "vx.fma(" + s + ", " + c + ")") + ".intoArray(y, yOff + i)",
                "y[yOff + i] = x[xOff + i] * " + s + (offset == 0 ? "" : " + " + c));
        return b.build();
    }

    // ------------------------------------------------------------------ row-wise

    private CodeBlock softmax(Node n, boolean log) {
        int c = n.type().dim(-1).size();
        Body b = new Body();
        b.stmt("int rows = " + rows(n.type()));
        b.open("for (int r = 0; r < rows; r++)");
        b.stmt("int xr = xOff + r * " + c + ", yr = yOff + r * " + c);
        b.stmt("double max = Double.NEGATIVE_INFINITY");
        b.open("for (int j = 0; j < " + c + "; j++)").stmt("max = Math.max(max, x[xr + j])").close();
        b.stmt("double sum = 0");
        if (log) {
            b.open("for (int j = 0; j < " + c + "; j++)").stmt("sum += Math.exp(x[xr + j] - max)").close();
            b.stmt("double lse = max + Math.log(sum)");
            b.open("for (int j = 0; j < " + c + "; j++)").stmt("y[yr + j] = " + dt.cast("x[xr + j] - lse")).close();
        } else {
            b.open("for (int j = 0; j < " + c + "; j++)");
            b.stmt("double e = Math.exp(x[xr + j] - max)");
            b.stmt("y[yr + j] = " + dt.cast("e"));
            b.stmt("sum += e");
            b.close();
            b.stmt("double inv = 1 / sum");
            b.open("for (int j = 0; j < " + c + "; j++)").stmt("y[yr + j] *= inv").close();
        }
        b.close();
        return b.build();
    }

    private CodeBlock softmaxGrad(Node n, boolean log) {
        int c = n.type().dim(-1).size();
        Body b = new Body();
        b.stmt("int rows = " + rows(n.type()));
        b.open("for (int r = 0; r < rows; r++)");
        b.stmt("int yr = yOff + r * " + c + ", dyr = dyOff + r * " + c + ", dxr = dxOff + r * " + c);
        b.stmt("double s = 0");
        if (log) {
            b.open("for (int j = 0; j < " + c + "; j++)").stmt("s += dy[dyr + j]").close();
            b.open("for (int j = 0; j < " + c + "; j++)").stmt("dx[dxr + j] = " + dt.cast("dy[dyr + j] - Math.exp(y[yr + j]) * s")).close();
        } else {
            b.open("for (int j = 0; j < " + c + "; j++)").stmt("s += (double) dy[dyr + j] * y[yr + j]").close();
            b.open("for (int j = 0; j < " + c + "; j++)").stmt("dx[dxr + j] = " + dt.cast("y[yr + j] * (dy[dyr + j] - s)")).close();
        }
        b.close();
        return b.build();
    }

    /**
     * Inverted dropout: element {@code e} of a sample is keyed by its index over the axes not shared by Keras's
     * noise_shape (all of them without one: the key is {@code e}), the sample by 0 if the batch shares one mask.
     */
    private CodeBlock dropout(Node n, Op.Dropout d) {
        TensorType x = n.type();
        int per = x.sampleSize();
        String k = d.shared().contains(true) ? sharedKey(x, d.shared()) : "e";
        Body b = new Body();
        b.open("if (!training)");
        b.stmt("System.arraycopy(x, xOff, y, yOff, " + count(n.type()) + ")");
        b.stmt("return");
        b.close();
        b.stmt(t + " scale = " + dt.lit(1 / (1 - d.rate())));
        b.open("for (int r = 0; r < n; r++)");
        b.open("for (int e = 0; e < " + per + "; e++)");
        b.stmt("int i = r * " + per + " + e");
        b.stmt("y[yOff + i] = Rng.keep(seed, step, " + (d.acrossBatch() ? "0" : "row0 + r") + ", stream, " + k + ", "
                + d.rate() + ") ? x[xOff + i] * scale : " + dt.lit(0));
        b.close();
        b.close();
        return b.build();
    }

    /** Σ over the axes not shared of index_a · (the product of the later axes not shared): e's key under a noise_shape. */
    private static String sharedKey(TensorType x, List<Boolean> shared) {
        List<String> terms = new java.util.ArrayList<>();
        int stride = 1, inner = 1;
        for (int a = x.rank() - 2; a >= 0; a--) {
            int dim = x.dim(a + 1).size();
            if (!shared.get(a)) {
                String idx = inner == 1 ? "e" : "e / " + inner;
                if (a > 0) idx = "(" + idx + ") % " + dim;
                terms.add(0, stride == 1 ? idx : "(" + idx + ") * " + stride);
                stride *= dim;
            }
            inner *= dim;
        }
        return terms.isEmpty() ? "0" : String.join(" + ", terms);
    }

    // ------------------------------------------------------------------ losses

    /**
     * Keras 3's losses (reference/keras-semantics.md §10) as the JAX backend computes them:
     * probabilities are renormalised (categorical) and clipped to [ε, 1−ε] with ε = 1e-7 in the
     * model's dtype; the result is the mean over samples (and over the last axis for BCE/MSE/MAE).
     * A kernel sees one part of the batch: it divides by the rows of the whole batch, {@code total}.
     */
    private CodeBlock loss(Node n, Op.Loss l) {
        TensorType pred = n.input(0).type();
        int c = pred.dim(-1).size();
        Body b = new Body();
        b.stmt("int rows = " + rows(pred));
        b.stmt("double lossSum = 0");
        b.open("for (int r = 0; r < rows; r++)");
        skipMissing(b, l, c);
        b.stmt("int pr = predOff + r * " + c);
        if (l.classWeighted()) {
            b.stmt("double rowLoss = 0");
            lossRow(b, l, c, false, "rowLoss", null);
            b.stmt("lossSum += weighted ? " + classWeight(l, c) + " * rowLoss : rowLoss");
        } else {
            lossRow(b, l, c, false, "lossSum", null);
        }
        b.close();
        b.stmt("loss[lossOff] = " + dt.cast("lossSum / " + divisor(l, pred.sampleSize() / c)));
        return b.build();
    }

    /**
     * Keras's activity regularizer (keras/src/regularizers/regularizers.py, L1L2.__call__, and
     * Layer.__call__): {@code (l1·Σ|x| + l2·Σx²) / batch}, over this part's rows divided by the batch's.
     */
    private CodeBlock activityPenalty(Node n, double l1, double l2) {
        // the weight regularizers' penalty (runtime Penalties), over the part's activations
        Body b = new Body();
        b.stmt("int count = " + count(n.input(0).type()));
        b.stmt("penalty[penaltyOff] = " + dt.cast("Penalties.value(x, xOff, count, " + l1 + ", " + l2 + ") / total"));
        return b.build();
    }

    /** The gradient of {@link #activityPenalty}: {@code (l1·sign(x) + 2·l2·x) / batch}, sign(0) = 0 as JAX's gradient of abs. */
    private CodeBlock activityPenaltyGrad(Node n, double l1, double l2) {
        Body b = new Body();
        b.stmt("int count = " + count(n.input(0).type()));
        b.stmt("double scale = 1.0 / total");
        b.open("for (int i = 0; i < count; i++)");
        b.stmt("double v = x[xOff + i]");
        List<String> terms = new java.util.ArrayList<>();
        if (l1 != 0) terms.add(l1 + " * Math.signum(v)");
        if (l2 != 0) terms.add(2 * l2 + " * v");
        b.stmt("dx[dxOff + i] = " + dt.cast("(" + (terms.isEmpty() ? "0" : String.join(" + ", terms)) + ") * scale"));
        b.close();
        return b.build();
    }

    private CodeBlock lossGrad(Node n, Op.Loss l) {
        TensorType pred = n.input(0).type();
        int c = pred.dim(-1).size();
        Body b = new Body();
        b.stmt("int rows = " + rows(pred));
        b.stmt("double scale = 1.0 / " + divisor(l, pred.sampleSize() / c));
        if (l.masked()) b.stmt("java.util.Arrays.fill(dpred, dpredOff, dpredOff + rows * " + c + ", " + dt.lit(0) + ")");
        b.open("for (int r = 0; r < rows; r++)");
        skipMissing(b, l, c);
        b.stmt("int pr = predOff + r * " + c + ", dr = dpredOff + r * " + c);
        if (l.classWeighted()) {
            b.stmt("double rowScale = scale * " + classWeight(l, c));
            lossRow(b, l, c, true, null, "rowScale");
        } else {
            lossRow(b, l, c, true, null, "scale");
        }
        b.close();
        return b.build();
    }

    /**
     * The class weight of row r, as Keras's class_weight_to_sample_weights finds the class: a
     * sparse target's index, the argmax of a target row (first of equal values), or a single-unit
     * target rounded half to even (np.round); classes not named weigh 1.
     */
    private static String classWeight(Op.Loss l, int c) {
        String cls;
        if (l.kind().sparseTarget() || c == 1) {
            cls = "(int) Math.rint(target[targetOff + r])";
        } else {
            cls = "argmax(target, targetOff + r * " + c + ", " + c + ")";
        }
        StringBuilder sw = new StringBuilder("switch (" + cls + ") { ");
        for (var e : l.classWeights().entrySet()) sw.append("case ").append(e.getKey()).append(" -> ").append(e.getValue()).append("; ");
        return "(" + sw.append("default -> 1.0; })").toString();
    }

    /**
     * What a loss is divided by: all rows of the batch (samples times steps, {@code inner} steps per
     * sample), the present ones (a masked loss; at least 1, so a batch with every target missing has
     * loss 0), or the samples (the course's sum over steps).
     */
    private static String divisor(Op.Loss l, int inner) {
        if (l.sumOverSteps()) return "total";
        if (l.masked()) return "Math.max(1, present)";
        return inner == 1 ? "total" : "(total * " + inner + ")";
    }

    /** Skips row r of a masked loss if its mask is 0 or its target is the ignored class. */
    private static void skipMissing(Body b, Op.Loss l, int c) {
        if (l.hasMask()) b.stmt("if (mask[maskOff + r] == 0) continue");
        if (l.ignoreClass() != null) {
            if (l.kind().sparseTarget()) {
                b.stmt("if (target[targetOff + r] == " + l.ignoreClass() + ") continue");
            } else {
                // A one-hot target row that is all ignore_class is missing (modelc's extension).
                b.stmt("int same = 0");
                b.open("for (int j = 0; j < " + c + "; j++)").stmt("if (target[targetOff + r * " + c + " + j] == " + l.ignoreClass() + ") same++").close();
                b.stmt("if (same == " + c + ") continue");
            }
        }
    }

    /** One row's loss (adds to the variable {@code acc}) or its gradient (writes {@code dpred}, scaled by the variable {@code scale}). */
    private void lossRow(Body b, Op.Loss l, int c, boolean grad, String acc, String scale) {
        String lo = dt == Dtype.F32 ? "(double) 1e-7f" : "1e-7";
        String hi = dt == Dtype.F32 ? "(double) (1f - 1e-7f)" : "(1 - 1e-7)";
        LossKind k = l.kind();
        double s = l.labelSmoothing();
        switch (k) {
            case MEAN_SQUARED_ERROR, MEAN_ABSOLUTE_ERROR -> {
                b.stmt("int tr = targetOff + r * " + c);
                b.open("for (int j = 0; j < " + c + "; j++)");
                b.stmt("double d = (double) pred[pr + j] - target[tr + j]");
                if (!grad) b.stmt(acc + " += " + (k == LossKind.MEAN_SQUARED_ERROR ? "d * d" : "Math.abs(d)") + " / " + c);
                else b.stmt("dpred[dr + j] = " + dt.cast((k == LossKind.MEAN_SQUARED_ERROR ? "2 * d" : "Math.signum(d)") + " * " + scale + " / " + c));
                b.close();
            }
            case BINARY_CROSSENTROPY -> {
                b.stmt("int tr = targetOff + r * " + c);
                b.open("for (int j = 0; j < " + c + "; j++)");
                b.stmt("double y = target[tr + j]" + (s != 0 ? " * " + (1 - s) + " + " + (0.5 * s) : ""));
                b.stmt("double x = pred[pr + j]");
                if (l.fromLogits()) {
                    if (!grad) b.stmt(acc + " += (Math.max(x, 0) - x * y + Math.log1p(Math.exp(-Math.abs(x)))) / " + c);
                    else b.stmt("dpred[dr + j] = " + dt.cast("(1 / (1 + Math.exp(-x)) - y) * " + scale + " / " + c));
                } else {
                    b.stmt("double p = Math.min(Math.max(x, " + lo + "), " + hi + ")");
                    if (!grad) b.stmt(acc + " += -(y * Math.log(p) + (1 - y) * Math.log(1 - p)) / " + c);
                    else b.stmt("dpred[dr + j] = x < " + lo + " || x > " + hi + " ? 0 : " + dt.cast("-(y / p - (1 - y) / (1 - p)) * " + scale + " / " + c));
                }
                b.close();
            }
            case CATEGORICAL_CROSSENTROPY, SPARSE_CATEGORICAL_CROSSENTROPY -> {
                boolean sparse = k == LossKind.SPARSE_CATEGORICAL_CROSSENTROPY;
                String yj = sparse ? "(j == label ? 1.0 : 0.0)" : "(double) target[tr + j]";
                if (sparse) {
                    b.stmt("int label = (int) target[targetOff + r]");
                    b.open("if (label < 0 || label >= " + c + ")");
                    b.stmt("throw new IllegalArgumentException(\"target class \" + label + \" is outside [0, " + c + ")\")");
                    b.close();
                } else {
                    b.stmt("int tr = targetOff + r * " + c);
                }
                if (s != 0) yj = "(" + yj + " * " + (1 - s) + " + " + (s / c) + ")";
                if (l.fromLogits()) {
                    b.stmt("double max = Double.NEGATIVE_INFINITY");
                    b.open("for (int j = 0; j < " + c + "; j++)").stmt("max = Math.max(max, pred[pr + j])").close();
                    b.stmt("double sum = 0, ysum = 0");
                    b.open("for (int j = 0; j < " + c + "; j++)").stmt("sum += Math.exp(pred[pr + j] - max)").stmt("ysum += " + yj).close();
                    b.stmt("double lse = max + Math.log(sum)");
                    b.open("for (int j = 0; j < " + c + "; j++)");
                    if (!grad) b.stmt(acc + " -= " + yj + " * (pred[pr + j] - lse)");
                    else b.stmt("dpred[dr + j] = " + dt.cast("(Math.exp(pred[pr + j] - lse) * ysum - " + yj + ") * " + scale));
                    b.close();
                } else {
                    // q = p / Σp, clipped; L = -Σ y·ln q; dL/dp_j = g_j/S - Σ_k g_k·p_k/S², g_k = -y_k/q_k where unclipped.
                    b.stmt("double sum = 0");
                    b.open("for (int j = 0; j < " + c + "; j++)").stmt("sum += pred[pr + j]").close();
                    if (!grad) {
                        b.open("for (int j = 0; j < " + c + "; j++)");
                        b.stmt("double q = Math.min(Math.max(pred[pr + j] / sum, " + lo + "), " + hi + ")");
                        b.stmt(acc + " -= " + yj + " * Math.log(q)");
                        b.close();
                    } else {
                        b.stmt("double dot = 0");
                        b.open("for (int j = 0; j < " + c + "; j++)");
                        b.stmt("double q = pred[pr + j] / sum");
                        b.stmt("double g = q < " + lo + " || q > " + hi + " ? 0 : -" + yj + " / q");
                        b.stmt("dpred[dr + j] = " + dt.cast("g"));
                        b.stmt("dot += g * pred[pr + j]");
                        b.close();
                        b.open("for (int j = 0; j < " + c + "; j++)");
                        b.stmt("dpred[dr + j] = " + dt.cast("(dpred[dr + j] / sum - dot / (sum * sum)) * " + scale));
                        b.close();
                    }
                }
            }
        }
    }
}
