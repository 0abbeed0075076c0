package modelc.compiler.codegen;

import com.palantir.javapoet.CodeBlock;
import java.util.List;
import modelc.compiler.ir.Dim;
import modelc.compiler.ir.Node;
import modelc.compiler.ir.Op;
import modelc.compiler.ir.TensorType;

/**
 * Kernel bodies of the sequence ops: embedding lookup and its scatter-add, im2col for 1-D
 * convolutions (the product itself is a GEMM), pooling over time, masked means, concatenation
 * and slicing, elementwise maximum, repeats, permutations and spatial dropout. As in
 * {@link KernelEmitter}, every size is a literal and only the part's rows {@code n} vary; loops
 * along a row of channels use the Vector API with a scalar tail (through {@link Simd}: for the
 * scalar target, the scalar loop alone).
 */
final class SequenceKernels {
    private final Dtype dt;
    private final Simd simd;
    private final String t;
    private final String v;

    SequenceKernels(Dtype dt, Simd simd) {
        this.dt = dt;
        this.simd = simd;
        this.t = dt.java;
        this.v = dt.vector().simpleName();
    }

    /** Element count of a value: {@code n * 20} per sample, a literal otherwise. */
    private static String count(TensorType type) {
        return type.isBatched() ? "n * " + type.sampleSize() : Integer.toString(type.sampleSize());
    }

    /** The product of the dims before {@code axis}, the batch as {@code n}. */
    private static String outer(TensorType type, int axis) {
        int k = 1;
        for (int a = type.isBatched() ? 1 : 0; a < axis; a++) k *= type.dim(a).size();
        return type.isBatched() ? (k == 1 ? "n" : "n * " + k) : Integer.toString(k);
    }

    /** The product of the dims after {@code axis}. */
    static int inner(TensorType type, int axis) {
        int k = 1;
        for (int a = axis + 1; a < type.rank(); a++) k *= type.dim(a).size();
        return k;
    }

    /**
     * {@code len} elements of a row, vector then scalar: {@code vec} and {@code scalar} are
     * statements over index {@code j} ({@code vec} with the species {@code S}; left out for the
     * scalar target).
     */
    private void row(Body b, int len, String vec, String scalar) {
        simd.row(b, len, vec, scalar);
    }

    /** {@code dst[d + j] += src[s + j]} for a row of {@code len}; {@code d} and {@code s} are expressions. */
    private void addRow(Body b, int len, String dst, String d, String src, String s) {
        row(b, len, v + ".fromArray(S, " + dst + ", " + d + " + j).add(" + v + ".fromArray(S, " + src + ", " + s + " + j)).intoArray("
                        + dst + ", " + d + " + j)",
                dst + "[" + d + " + j] += " + src + "[" + s + " + j]");
    }

    /** {@code var * k + c} without the no-op parts: {@code t}, {@code t * 2 - 1}, {@code k * 2}. */
    private static String lin(String var, int k, int c) {
        String e = k == 0 ? "" : k == 1 ? var : var + " * " + k;
        if (c == 0) return e.isEmpty() ? "0" : e;
        if (e.isEmpty()) return Integer.toString(c);
        return e + (c > 0 ? " + " + c : " - " + (-c));
    }

    /** {@code " + c"}, or nothing for 0. */
    private static String plus(int c) {
        return c == 0 ? "" : " + " + c;
    }

    private String zero() {
        return dt.lit(0);
    }

    // ------------------------------------------------------------------ embeddings

    /** {@code y[i, :] = w[ids[i], :]}; inputs (ids, w). */
    CodeBlock gather(Node n) {
        TensorType ids = n.input(0).type();
        int rows = n.input(1).type().dim(0).size(), d = n.type().dim(-1).size();
        Body b = new Body();
        b.stmt("int len = " + count(ids));
        b.open("for (int i = 0; i < len; i++)");
        b.stmt("int id = (int) ids[idsOff + i]");
        b.open("if (id < 0 || id >= " + rows + ")");
        b.stmt("throw new IllegalArgumentException(\"embedding input \" + ids[idsOff + i] + \" is outside [0, " + rows + ")\")");
        b.close();
        b.stmt("System.arraycopy(w, wOff + id * " + d + ", y, yOff + i * " + d + ", " + d + ")");
        b.close();
        return b.build();
    }

    /** {@code dw = 0; dw[ids[i], :] += dy[i, :]}: the whole table gradient is written (zeroed first). */
    CodeBlock scatterAdd(Node n) {
        TensorType ids = n.input(0).type();
        int rows = n.type().dim(0).size(), d = n.type().dim(1).size();
        Body b = new Body();
        b.stmt("java.util.Arrays.fill(dw, dwOff, dwOff + " + (rows * d) + ", " + zero() + ")");
        b.stmt("int len = " + count(ids));
        b.open("for (int i = 0; i < len; i++)");
        b.stmt("int dst = dwOff + (int) ids[idsOff + i] * " + d + ", src = dyOff + i * " + d);
        addRow(b, d, "dw", "dst", "dy", "src");
        b.close();
        return b.build();
    }

    CodeBlock nonZero(Node n) {
        Body b = new Body();
        b.stmt("int len = " + count(n.type()));
        b.open("for (int i = 0; i < len; i++)").stmt("y[yOff + i] = x[xOff + i] != 0 ? " + dt.lit(1) + " : " + zero()).close();
        return b.build();
    }

    /** Per step: 1 if any feature differs from {@code value}. */
    CodeBlock anyNotEqual(Node n, double value) {
        int f = n.input(0).type().dim(2).size();
        Body b = new Body();
        b.stmt("int rows = " + count(n.type()));
        b.open("for (int r = 0; r < rows; r++)");
        b.stmt(t + " m = " + zero());
        b.open("for (int j = 0; j < " + f + "; j++)").open("if (x[xOff + r * " + f + " + j] != " + dt.lit(value) + ")").stmt("m = " + dt.lit(1)).stmt("break").close().close();
        b.stmt("y[yOff + r] = m");
        b.close();
        return b.build();
    }

    /** Per row: the sum of the steps with mask 1, divided by their count (0/0 = NaN when none, as Keras). */
    CodeBlock maskedMean(Node n) {
        TensorType x = n.input(0).type();
        int steps = x.dim(1).size(), c = x.dim(2).size();
        Body b = new Body();
        b.open("for (int r = 0; r < n; r++)");
        b.stmt("int yr = yOff + r * " + c);
        b.stmt("java.util.Arrays.fill(y, yr, yr + " + c + ", " + zero() + ")");
        b.stmt(t + " count = 0");
        b.open("for (int s = 0; s < " + steps + "; s++)");
        b.stmt(t + " m = mask[maskOff + r * " + steps + " + s]");
        b.stmt("count += m");
        b.open("if (m != 0)");
        b.stmt("int xr = xOff + (r * " + steps + " + s) * " + c);
        addRow(b, c, "y", "yr", "x", "xr");
        b.close();
        b.close();
        b.open("for (int j = 0; j < " + c + "; j++)").stmt("y[yr + j] /= count").close();
        b.close();
        return b.build();
    }

    /** {@code dx[t] = m[t] * dy / count}; inputs (mask, dy). */
    CodeBlock maskedMeanGrad(Node n) {
        int steps = n.type().dim(1).size(), c = n.type().dim(2).size();
        Body b = new Body();
        b.open("for (int r = 0; r < n; r++)");
        b.stmt(t + " count = 0");
        b.open("for (int s = 0; s < " + steps + "; s++)").stmt("count += mask[maskOff + r * " + steps + " + s]").close();
        b.open("for (int s = 0; s < " + steps + "; s++)");
        b.stmt(t + " m = mask[maskOff + r * " + steps + " + s]");
        b.stmt("int dr = dxOff + (r * " + steps + " + s) * " + c + ", gr = dyOff + r * " + c);
        b.open("for (int j = 0; j < " + c + "; j++)").stmt("dx[dr + j] = m == 0 ? " + zero() + " : dy[gr + j] / count").close();
        b.close();
        b.close();
        return b.build();
    }

    // ------------------------------------------------------------------ windows: convolution, pooling, upsampling

    /** The spatial sizes of a [batch, s..., channels] value. */
    private static int[] spatial(TensorType x) {
        int[] s = new int[x.rank() - 2];
        for (int i = 0; i < s.length; i++) s[i] = x.dim(i + 1).size();
        return s;
    }

    /** The row-major index {@code ((first * sizes[0] + v0) * sizes[1] + v1)...} of variables {@code v0, v1, ...}. */
    private static String flat(String first, String var, int[] sizes) {
        String e = first;
        for (int i = 0; i < sizes.length; i++) e = e == null ? var + i : "(" + e + " * " + sizes[i] + " + " + var + i + ")";
        return e;
    }

    private static int[] outLens(List<Op.Window> axes) {
        return axes.stream().mapToInt(Op.Window::outLen).toArray();
    }

    private static int[] kernels(List<Op.Window> axes) {
        return axes.stream().mapToInt(Op.Window::kernel).toArray();
    }

    /** Opens {@code for (int v0 ...) for (int v1 ...)} over {@code sizes}; close with {@code sizes.length} closes. */
    private static void nest(Body b, String var, int[] sizes) {
        for (int i = 0; i < sizes.length; i++) b.open("for (int " + var + i + " = 0; " + var + i + " < " + sizes[i] + "; " + var + i + "++)");
    }

    private static void close(Body b, int times) {
        for (int i = 0; i < times; i++) b.close();
    }

    /**
     * The input position {@code s0, s1, ...} of output position {@code o} and tap {@code k} on each
     * axis, and the condition that all lie inside the input.
     */
    private static String taps(Body b, List<Op.Window> axes, int[] in) {
        StringBuilder inside = new StringBuilder();
        for (int i = 0; i < axes.size(); i++) {
            Op.Window w = axes.get(i);
            b.stmt("int s" + i + " = " + lin("o" + i, w.stride(), 0) + " + " + lin("k" + i, w.dilation(), -w.padLeft()));
            if (!inside.isEmpty()) inside.append(" && ");
            inside.append("s").append(i).append(" >= 0 && s").append(i).append(" < ").append(in[i]);
        }
        return inside.toString();
    }

    /** Copies each window's taps (or zeros for padding) into one row per output position. */
    CodeBlock im2col(Node n, Op.Im2Col op) {
        TensorType x = n.input(0).type();
        int[] in = spatial(x), out = outLens(op.axes()), k = kernels(op.axes());
        int c = x.dim(-1).size(), cg = op.channels(), width = op.taps() * cg, d = in.length;
        Body b = new Body();
        b.open("for (int r = 0; r < n; r++)");
        nest(b, "o", out);
        b.stmt("int dst = yOff + " + flat("r", "o", out) + " * " + width);
        nest(b, "k", k);
        String inside = taps(b, op.axes(), in);
        b.stmt("int at = dst + " + flat(null, "k", k) + (cg == 1 ? "" : " * " + cg));
        String src = "xOff + " + flat("r", "s", in) + (c == 1 ? "" : " * " + c) + plus(op.channelStart());
        if (cg == 1) {
            b.stmt("y[at] = " + inside + " ? x[" + src + "] : " + zero());
        } else {
            b.open("if (" + inside + ")");
            b.stmt("System.arraycopy(x, " + src + ", y, at, " + cg + ")");
            b.mid("else");
            b.stmt("java.util.Arrays.fill(y, at, at + " + cg + ", " + zero() + ")");
            b.close();
        }
        close(b, 2 * d + 1);
        return b.build();
    }

    /** The adjoint of im2col: zero dx, then add every window row's entries back to their positions. */
    CodeBlock col2im(Node n, Op.Col2Im op) {
        Op.Im2Col im = op.of();
        TensorType y = n.type();
        int[] in = spatial(y), out = outLens(im.axes()), k = kernels(im.axes());
        int c = y.dim(-1).size(), cg = im.channels(), width = im.taps() * cg, d = in.length;
        Body b = new Body();
        b.stmt("java.util.Arrays.fill(y, yOff, yOff + n * " + y.sampleSize() + ", " + zero() + ")");
        b.open("for (int r = 0; r < n; r++)");
        nest(b, "o", out);
        b.stmt("int src = xOff + " + flat("r", "o", out) + " * " + width);
        nest(b, "k", k);
        String inside = taps(b, im.axes(), in);
        b.open("if (" + inside + ")");
        b.stmt("int at = yOff + " + flat("r", "s", in) + (c == 1 ? "" : " * " + c) + plus(im.channelStart())
                + ", from = src + " + flat(null, "k", k) + (cg == 1 ? "" : " * " + cg));
        if (cg == 1) b.stmt("y[at] += x[from]");
        else addRow(b, cg, "y", "at", "x", "from");
        b.close();
        close(b, 2 * d + 1);
        return b.build();
    }

    // ------------------------------------------------------------------ depthwise convolution

    /**
     * Opens, per axis, the loop over taps {@code k} and the input position {@code s} that tap reads
     * for output position {@code o}, skipping taps on padding; close with {@code axes.size()} closes.
     */
    private static void tapsInside(Body b, List<Op.Window> axes, int[] in) {
        for (int i = 0; i < axes.size(); i++) {
            Op.Window w = axes.get(i);
            b.open("for (int k" + i + " = 0; k" + i + " < " + w.kernel() + "; k" + i + "++)");
            b.stmt("int s" + i + " = " + lin("o" + i, w.stride(), 0) + " + " + lin("k" + i, w.dilation(), -w.padLeft()));
            b.stmt("if (s" + i + " < 0 || s" + i + " >= " + in[i] + ") continue");
        }
    }

    /**
     * Opens, per axis, the loop over taps {@code k} and the output position {@code o} whose window
     * reads input position {@code s} with that tap ({@code o·stride = s + padLeft - k·dilation}),
     * skipping taps no window places there; close with {@code axes.size()} closes.
     */
    private static void windowsReading(Body b, List<Op.Window> axes) {
        for (int i = 0; i < axes.size(); i++) {
            Op.Window w = axes.get(i);
            String t = "t" + i, o = "o" + i;
            b.open("for (int k" + i + " = 0; k" + i + " < " + w.kernel() + "; k" + i + "++)");
            b.stmt("int " + t + " = " + lin("s" + i, 1, w.padLeft()) + " - " + lin("k" + i, w.dilation(), 0));
            if (w.stride() == 1) {
                b.stmt("if (" + t + " < 0 || " + t + " >= " + w.outLen() + ") continue");
                b.stmt("int " + o + " = " + t);
            } else {
                b.stmt("if (" + t + " < 0 || " + t + " % " + w.stride() + " != 0) continue");
                b.stmt("int " + o + " = " + t + " / " + w.stride());
                b.stmt("if (" + o + " >= " + w.outLen() + ") continue");
            }
        }
    }

    /**
     * {@code y[o, c·m + j] = Σ_k x[s, c] · w[k, c·m + j]}: per output position and run of output
     * channels, the taps accumulate in a register (vector lanes along the channels when m = 1).
     */
    CodeBlock depthwiseConv(Node n, Op.DepthwiseConv op) {
        TensorType x = n.input(0).type();
        int[] in = spatial(x), out = outLens(op.axes()), k = kernels(op.axes());
        int c = x.dim(-1).size(), q = n.type().dim(-1).size(), m = q / c, d = in.length;
        String xs = "xOff + " + flat("r", "s", in) + " * " + c, ws = "wOff + " + flat(null, "k", k) + " * " + q;
        Body b = new Body();
        b.open("for (int r = 0; r < n; r++)");
        nest(b, "o", out);
        b.stmt("int dst = yOff + " + flat("r", "o", out) + " * " + q);
        boolean lanes = simd.vectorized() && m == 1 && q >= 4;
        if (lanes) {
            b.open("for (int j = 0; j < S.loopBound(" + q + "); j += S.length())");
            b.stmt(v + " acc = " + v + ".zero(S)");
            tapsInside(b, op.axes(), in);
            b.stmt("acc = " + v + ".fromArray(S, x, " + xs + " + j).fma(" + v + ".fromArray(S, w, " + ws + " + j), acc)");
            close(b, d);
            b.stmt("acc.intoArray(y, dst + j)");
            b.close();
        }
        b.open("for (int j = " + (lanes ? "S.loopBound(" + q + ")" : "0") + "; j < " + q + "; j++)");
        b.stmt(t + " acc = " + zero());
        tapsInside(b, op.axes(), in);
        b.stmt("acc += x[" + xs + " + " + (m == 1 ? "j" : "j / " + m) + "] * w[" + ws + " + j]");
        close(b, d);
        b.stmt("y[dst + j] = acc");
        b.close();
        close(b, d + 1);
        return b.build();
    }

    /**
     * {@code dx[s, c] = Σ_k Σ_j dy[o, c·m + j] · w[k, c·m + j]} over the windows that read {@code s}:
     * the same loop as the forward pass, gathering from the output positions, so dx is written once.
     */
    CodeBlock depthwiseConvInputGrad(Node n, Op.DepthwiseConvInputGrad op) {
        List<Op.Window> axes = op.of().axes();
        TensorType x = n.type();
        int[] in = spatial(x), out = outLens(axes), k = kernels(axes);
        int c = x.dim(-1).size(), q = n.input(0).type().dim(-1).size(), m = q / c, d = in.length;
        String g = "dyOff + " + flat("r", "o", out) + " * " + q, ws = "wOff + " + flat(null, "k", k) + " * " + q;
        Body b = new Body();
        b.open("for (int r = 0; r < n; r++)");
        nest(b, "s", in);
        b.stmt("int dst = dxOff + " + flat("r", "s", in) + " * " + c);
        boolean lanes = simd.vectorized() && m == 1 && c >= 4;
        if (lanes) {
            b.open("for (int j = 0; j < S.loopBound(" + c + "); j += S.length())");
            b.stmt(v + " acc = " + v + ".zero(S)");
            windowsReading(b, axes);
            b.stmt("acc = " + v + ".fromArray(S, dy, " + g + " + j).fma(" + v + ".fromArray(S, w, " + ws + " + j), acc)");
            close(b, d);
            b.stmt("acc.intoArray(dx, dst + j)");
            b.close();
        }
        b.open("for (int j = " + (lanes ? "S.loopBound(" + c + ")" : "0") + "; j < " + c + "; j++)");
        b.stmt(t + " acc = " + zero());
        windowsReading(b, axes);
        if (m == 1) {
            b.stmt("acc += dy[" + g + " + j] * w[" + ws + " + j]");
        } else {
            b.open("for (int i = j * " + m + "; i < (j + 1) * " + m + "; i++)").stmt("acc += dy[" + g + " + i] * w[" + ws + " + i]").close();
        }
        close(b, d);
        b.stmt("dx[dst + j] = acc");
        b.close();
        close(b, d + 1);
        return b.build();
    }

    /** {@code dw[k, c·m + j] = Σ_{r,o} x[s, c] · dy[o, c·m + j]} over this part's rows: one row of dw per tap, added to in place. */
    CodeBlock depthwiseConvKernelGrad(Node n, Op.DepthwiseConvKernelGrad op) {
        List<Op.Window> axes = op.of().axes();
        TensorType x = n.input(0).type();
        int[] in = spatial(x), out = outLens(axes), k = kernels(axes);
        int c = x.dim(-1).size(), q = n.input(1).type().dim(-1).size(), m = q / c, d = in.length;
        Body b = new Body();
        b.stmt("java.util.Arrays.fill(dw, dwOff, dwOff + " + n.type().sampleSize() + ", " + zero() + ")");
        b.open("for (int r = 0; r < n; r++)");
        nest(b, "o", out);
        b.stmt("int g = dyOff + " + flat("r", "o", out) + " * " + q);
        tapsInside(b, axes, in);
        b.stmt("int xs = xOff + " + flat("r", "s", in) + " * " + c + ", ws = dwOff + " + flat(null, "k", k) + " * " + q);
        if (m == 1) {
            row(b, q, v + ".fromArray(S, x, xs + j).fma(" + v + ".fromArray(S, dy, g + j), " + v + ".fromArray(S, dw, ws + j)).intoArray(dw, ws + j)",
                    "dw[ws + j] += x[xs + j] * dy[g + j]");
        } else {
            b.open("for (int j = 0; j < " + q + "; j++)").stmt("dw[ws + j] += x[xs + j / " + m + "] * dy[g + j]").close();
        }
        close(b, 2 * d + 1);
        return b.build();
    }

    /** The window of output position {@code o} on each axis: {@code lo0, hi0, ...} clipped to the input. */
    private static void window(Body b, List<Op.Window> axes, int[] in) {
        for (int i = 0; i < axes.size(); i++) {
            Op.Window w = axes.get(i);
            b.stmt("int start" + i + " = " + lin("o" + i, w.stride(), -w.padLeft()));
            b.stmt("int lo" + i + " = Math.max(start" + i + ", 0), hi" + i + " = Math.min(start" + i + " + " + w.kernel() + ", " + in[i] + ")");
        }
    }

    /** Opens loops over the window's positions {@code s0, s1, ...}. */
    private static void overWindow(Body b, int axes) {
        for (int i = 0; i < axes; i++) b.open("for (int s" + i + " = lo" + i + "; s" + i + " < hi" + i + "; s" + i + "++)");
    }

    /** The window's size: {@code (hi0 - lo0) * (hi1 - lo1)}. */
    private static String windowCount(int axes) {
        StringBuilder e = new StringBuilder();
        for (int i = 0; i < axes; i++) e.append(i == 0 ? "" : " * ").append("(hi").append(i).append(" - lo").append(i).append(")");
        return e.toString();
    }

    CodeBlock pool(Node n, Op.Pool p) {
        TensorType x = n.input(0).type();
        int[] in = spatial(x), out = outLens(p.axes());
        int c = x.dim(-1).size(), d = in.length;
        Body b = new Body();
        b.open("for (int r = 0; r < n; r++)");
        nest(b, "o", out);
        window(b, p.axes(), in);
        b.stmt("int dst = yOff + " + flat("r", "o", out) + " * " + c);
        b.stmt("java.util.Arrays.fill(y, dst, dst + " + c + ", " + (p.max() ? (dt == Dtype.F32 ? "Float" : "Double") + ".NEGATIVE_INFINITY" : zero()) + ")");
        overWindow(b, d);
        b.stmt("int xs = xOff + " + flat("r", "s", in) + " * " + c);
        if (p.max()) {
            row(b, c, v + ".fromArray(S, y, dst + j).max(" + v + ".fromArray(S, x, xs + j)).intoArray(y, dst + j)",
                    "y[dst + j] = Math.max(y[dst + j], x[xs + j])");
        } else {
            addRow(b, c, "y", "dst", "x", "xs");
        }
        close(b, d);
        if (!p.max()) {
            b.stmt(t + " count = " + windowCount(d));
            b.open("for (int j = 0; j < " + c + "; j++)").stmt("y[dst + j] /= count").close();
        }
        close(b, d + 1);
        return b.build();
    }

    /** Average: each position gets dy / count of every window it is in. Max: dy goes to the first largest position of the window. */
    CodeBlock poolGrad(Node n, Op.Pool p) {
        TensorType x = n.input(0).type();
        int[] in = spatial(x), out = outLens(p.axes());
        int c = x.dim(-1).size(), d = in.length;
        Body b = new Body();
        b.stmt("java.util.Arrays.fill(dx, dxOff, dxOff + n * " + x.sampleSize() + ", " + zero() + ")");
        b.open("for (int r = 0; r < n; r++)");
        nest(b, "o", out);
        window(b, p.axes(), in);
        b.stmt("int g = dyOff + " + flat("r", "o", out) + " * " + c);
        if (p.max()) {
            String lo = flat("r", "lo", in);
            b.open("for (int j = 0; j < " + c + "; j++)");
            b.stmt("int best = " + lo + " * " + c + " + j");
            overWindow(b, d);
            b.stmt("int at = " + flat("r", "s", in) + " * " + c + " + j");
            b.stmt("if (x[xOff + at] > x[xOff + best]) best = at");
            close(b, d);
            b.stmt("dx[dxOff + best] += dy[g + j]");
            b.close();
        } else {
            b.stmt(t + " count = " + windowCount(d));
            overWindow(b, d);
            b.stmt("int at = dxOff + " + flat("r", "s", in) + " * " + c);
            row(b, c, v + ".fromArray(S, dx, at + j).add(" + v + ".fromArray(S, dy, g + j).div(count)).intoArray(dx, at + j)",
                    "dx[at + j] += dy[g + j] / count");
            close(b, d);
        }
        close(b, d + 1);
        return b.build();
    }

    /** Each output position copies the channels of input position {@code o / factor} on every axis. */
    CodeBlock upsample(Node n, Op.Upsample op) {
        TensorType x = n.input(0).type();
        int[] in = spatial(x), out = spatial(n.type());
        int c = x.dim(-1).size(), d = in.length;
        Body b = new Body();
        b.open("for (int r = 0; r < n; r++)");
        nest(b, "o", out);
        for (int i = 0; i < d; i++) b.stmt("int s" + i + " = o" + i + " / " + op.factors().get(i));
        b.stmt("System.arraycopy(x, xOff + " + flat("r", "s", in) + " * " + c + ", y, yOff + " + flat("r", "o", out) + " * " + c + ", " + c + ")");
        close(b, d + 1);
        return b.build();
    }

    // ------------------------------------------------------------------ batch statistics

    /**
     * Training: this part's mean and biased variance per channel (two passes; the session merges
     * the parts'). Inference: the moving statistics.
     */
    CodeBlock batchMoments(Node n) {
        TensorType x = n.input(0).type();
        int c = x.dim(-1).size();
        String rows = outer(x, x.rank() - 1);
        Body b = new Body();
        b.open("if (!training)");
        movingMoments(b, c, (Op.BatchMoments) n.op());
        b.stmt("return");
        b.close();
        b.stmt("int rows = " + rows);
        b.stmt("java.util.Arrays.fill(y, yOff, yOff + " + 2 * c + ", " + zero() + ")");
        b.open("for (int i = 0; i < rows; i++)");
        b.stmt("int xs = xOff + i * " + c);
        addRow(b, c, "y", "yOff", "x", "xs");
        b.close();
        b.open("for (int j = 0; j < " + c + "; j++)").stmt("y[yOff + j] /= rows").close();
        b.open("for (int i = 0; i < rows; i++)");
        b.stmt("int xs = xOff + i * " + c);
        row(b, c, v + " dv = " + v + ".fromArray(S, x, xs + j).sub(" + v + ".fromArray(S, y, yOff + j));\n"
                        + "dv.fma(dv, " + v + ".fromArray(S, y, yOff + " + c + " + j)).intoArray(y, yOff + " + c + " + j)",
                t + " dv = x[xs + j] - y[yOff + j]; y[yOff + " + c + " + j] += dv * dv");
        b.close();
        b.open("for (int j = 0; j < " + c + "; j++)").stmt("y[yOff + " + c + " + j] /= rows").close();
        return b.build();
    }

    /**
     * Inference: the moving statistics as the moments, for every group (time step) if there are
     * groups; with renorm, r = 1 and d = 0 (Keras normalises with the moving statistics alone).
     */
    private void movingMoments(Body b, int c, Op.BatchMoments op) {
        int groups = op.groups(), g = c / groups;
        if (op.renorm() != null) {
            b.stmt("java.util.Arrays.fill(y, yOff + " + op.renormRow() * c + ", yOff + " + (op.renormRow() + 1) * c + ", " + dt.lit(1) + ")");
            b.stmt("java.util.Arrays.fill(y, yOff + " + (op.renormRow() + 1) * c + ", yOff + " + (op.renormRow() + 2) * c + ", " + zero() + ")");
        }
        if (groups == 1) {
            b.stmt("System.arraycopy(mm, mmOff, y, yOff, " + c + ")");
            b.stmt("System.arraycopy(mv, mvOff, y, yOff + " + c + ", " + c + ")");
        } else {
            // Every group (time step) normalises with the moving statistics.
            b.open("for (int k = 0; k < " + groups + "; k++)");
            b.stmt("System.arraycopy(mm, mmOff, y, yOff + k * " + g + ", " + g + ")");
            b.stmt("System.arraycopy(mv, mvOff, y, yOff + " + c + " + k * " + g + ", " + g + ")");
            b.close();
        }
    }

    /**
     * Training with a mask: this part's weighted mean and biased variance per channel and its
     * weight Σ w (0 and 0 for a channel with no weight), w 1 where a value counts; the session
     * merges the parts' into Keras's moments. Inference: the moving statistics.
     */
    CodeBlock maskedBatchMoments(Node n) {
        TensorType x = n.input(0).type();
        int c = x.dim(-1).size();
        Body b = new Body();
        b.open("if (!training)");
        movingMoments(b, c, (Op.BatchMoments) n.op());
        b.stmt("return");
        b.close();
        b.stmt("int rows = " + outer(x, x.rank() - 1));
        b.stmt("java.util.Arrays.fill(y, yOff, yOff + " + 3 * c + ", " + zero() + ")");
        b.open("for (int i = 0; i < rows; i++)");
        b.stmt("int xs = xOff + i * " + c + ", ws = wOff + i * " + c);
        row(b, c, v + ".fromArray(S, x, xs + j).fma(" + v + ".fromArray(S, w, ws + j), " + v + ".fromArray(S, y, yOff + j)).intoArray(y, yOff + j)",
                "y[yOff + j] += w[ws + j] * x[xs + j]");
        addRow(b, c, "y", "yOff + " + 2 * c, "w", "ws");
        b.close();
        b.open("for (int j = 0; j < " + c + "; j++)");
        b.stmt("y[yOff + j] = y[yOff + " + 2 * c + " + j] > 0 ? y[yOff + j] / y[yOff + " + 2 * c + " + j] : " + zero());
        b.close();
        b.open("for (int i = 0; i < rows; i++)");
        b.stmt("int xs = xOff + i * " + c + ", ws = wOff + i * " + c);
        row(b, c, v + " dv = " + v + ".fromArray(S, x, xs + j).sub(" + v + ".fromArray(S, y, yOff + j));\n"
                        + v + ".fromArray(S, w, ws + j).mul(dv).fma(dv, " + v + ".fromArray(S, y, yOff + " + c + " + j)).intoArray(y, yOff + " + c + " + j)",
                t + " dv = x[xs + j] - y[yOff + j]; y[yOff + " + c + " + j] += w[ws + j] * dv * dv");
        b.close();
        b.open("for (int j = 0; j < " + c + "; j++)");
        b.stmt("y[yOff + " + c + " + j] = y[yOff + " + 2 * c + " + j] > 0 ? y[yOff + " + c + " + j] / y[yOff + " + 2 * c + " + j] : " + zero());
        b.close();
        return b.build();
    }

    /**
     * {@code dx = w/D · (dmean + 2·dvar·(x − mean − mean·ε/D))} per channel, D = Σ w + ε the
     * merged moments' third row (see {@link Op.BatchMomentsGrad}); inputs (x, moments, dmoments, w).
     */
    CodeBlock maskedBatchMomentsGrad(Node n) {
        TensorType x = n.input(0).type();
        int c = x.dim(-1).size();
        String eps = dt.lit(Op.BatchMoments.MASK_EPSILON);
        Body b = new Body();
        b.stmt("int rows = " + outer(x, x.rank() - 1));
        b.open("for (int i = 0; i < rows; i++)");
        b.stmt("int xs = xOff + i * " + c + ", ws = wOff + i * " + c + ", ds = dxOff + i * " + c);
        row(b, c, v + " d = " + v + ".fromArray(S, m, mOff + " + 2 * c + " + j), mean = " + v + ".fromArray(S, m, mOff + j);\n"
                        + v + ".fromArray(S, x, xs + j).sub(mean.add(mean.mul(" + eps + ").div(d))).mul(" + v + ".fromArray(S, dm, dmOff + " + c + " + j)).mul(" + dt.lit(2) + ")"
                        + ".add(" + v + ".fromArray(S, dm, dmOff + j)).mul(" + v + ".fromArray(S, w, ws + j)).div(d).intoArray(dx, ds + j)",
                t + " d = m[mOff + " + 2 * c + " + j], mean = m[mOff + j];\n"
                        + "dx[ds + j] = w[ws + j] / d * (dm[dmOff + j] + " + dt.lit(2) + " * dm[dmOff + " + c + " + j] * (x[xs + j] - mean - mean * " + eps + " / d))");
        b.close();
        return b.build();
    }

    /**
     * {@code dx = dmean/N + dvar·2(x − mean)/N} per channel, N the whole batch's positions
     * ({@code total} rows); inputs (x, moments, dmoments).
     */
    CodeBlock batchMomentsGrad(Node n) {
        TensorType x = n.input(0).type();
        int c = x.dim(-1).size(), inner = x.sampleSize() / c;
        Body b = new Body();
        b.stmt("int rows = " + outer(x, x.rank() - 1) + ", all = total" + (inner == 1 ? "" : " * " + inner));
        b.stmt(t + " inv = " + dt.lit(1) + " / all, two = " + dt.lit(2) + " / all");
        b.open("for (int i = 0; i < rows; i++)");
        b.stmt("int xs = xOff + i * " + c + ", ds = dxOff + i * " + c);
        row(b, c, v + ".fromArray(S, x, xs + j).sub(" + v + ".fromArray(S, m, mOff + j)).mul(" + v + ".fromArray(S, dm, dmOff + " + c + " + j)).mul(two)"
                        + ".add(" + v + ".fromArray(S, dm, dmOff + j).mul(inv)).intoArray(dx, ds + j)",
                "dx[ds + j] = (x[xs + j] - m[mOff + j]) * dm[dmOff + " + c + " + j] * two + dm[dmOff + j] * inv");
        b.close();
        return b.build();
    }

    // ------------------------------------------------------------------ concatenation and slices

    /** For each outer index, each input's block in turn; inputs x0, x1, .... */
    CodeBlock concat(Node n, int axis) {
        TensorType out = n.type();
        int inner = inner(out, axis), total = out.dim(axis).size() * inner;
        Body b = new Body();
        b.stmt("int outer = " + outer(out, axis));
        b.open("for (int o = 0; o < outer; o++)");
        int off = 0;
        for (int i = 0; i < n.inputs().size(); i++) {
            int block = n.input(i).type().dim(axis).size() * inner;
            b.stmt("System.arraycopy(x" + i + ", x" + i + "Off + o * " + block + ", y, yOff + o * " + total + " + " + off + ", " + block + ")");
            off += block;
        }
        b.close();
        return b.build();
    }

    CodeBlock slice(Node n, Op.Slice s) {
        TensorType x = n.input(0).type();
        int inner = inner(x, s.axis()), total = x.dim(s.axis()).size() * inner, block = s.length() * inner;
        Body b = new Body();
        b.stmt("int outer = " + outer(x, s.axis()));
        b.open("for (int o = 0; o < outer; o++)");
        // x's offset is the slice's start (the call adds it, see Kernel.shifts).
        b.stmt("System.arraycopy(x, xOff + o * " + total + ", y, yOff + o * " + block + ", " + block + ")");
        b.close();
        return b.build();
    }

    /** Each input's block placed in its range of the axis; the rest, if any, zero. */
    CodeBlock sliceGrad(Node n, Op.SliceGrad s) {
        TensorType out = n.type();
        int inner = inner(out, s.axis()), total = s.total() * inner;
        Body b = new Body();
        int covered = 0;
        for (Node in : n.inputs()) covered += in.type().dim(s.axis()).size();
        if (covered < s.total()) b.stmt("java.util.Arrays.fill(y, yOff, yOff + " + count(out) + ", " + zero() + ")");
        b.stmt("int outer = " + outer(out, s.axis()));
        b.open("for (int o = 0; o < outer; o++)");
        for (int i = 0; i < n.inputs().size(); i++) {
            String x = n.inputs().size() == 1 ? "x" : "x" + i;
            int block = n.input(i).type().dim(s.axis()).size() * inner, at = s.starts().get(i) * inner;
            b.stmt("System.arraycopy(" + x + ", " + x + "Off + o * " + block + ", y, yOff + o * " + total + " + " + at + ", " + block + ")");
        }
        b.close();
        return b.build();
    }

    // ------------------------------------------------------------------ elementwise maximum

    CodeBlock maxMin(Node n, boolean max) {
        String fn = max ? "max" : "min";
        Body b = new Body();
        b.stmt("int len = " + count(n.type()));
        b.stmt("int i = 0");
        simd.loop(b, "i", "len", () -> b.stmt(v + ".fromArray(S, a, aOff + i)." + fn + "(" + v + ".fromArray(S, b, bOff + i)).intoArray(y, yOff + i)"),
                () -> b.stmt("y[yOff + i] = Math." + fn + "(a[aOff + i], b[bOff + i])"));
        return b.build();
    }

    /** dy where input {@code which} is chosen, half on ties (JAX's rule), else 0; inputs (a, b, dy). */
    CodeBlock maxMinGrad(Node n, Op.MaxMinGrad g) {
        String self = g.which() == 0 ? "a[aOff + i]" : "b[bOff + i]", other = g.which() == 0 ? "b[bOff + i]" : "a[aOff + i]";
        String wins = self + (g.max() ? " > " : " < ") + other;
        Body b = new Body();
        b.stmt("int len = " + count(n.type()));
        b.open("for (int i = 0; i < len; i++)");
        b.stmt("dx[dxOff + i] = " + wins + " ? dy[dyOff + i] : " + self + " == " + other + " ? dy[dyOff + i] * " + dt.lit(0.5) + " : " + zero());
        b.close();
        return b.build();
    }

    // ------------------------------------------------------------------ repeats and permutations

    CodeBlock repeat(Node n, int times) {
        int f = n.input(0).type().sampleSize();
        Body b = new Body();
        b.open("for (int r = 0; r < n; r++)");
        b.open("for (int k = 0; k < " + times + "; k++)");
        b.stmt("System.arraycopy(x, xOff + r * " + f + ", y, yOff + (r * " + times + " + k) * " + f + ", " + f + ")");
        b.close();
        b.close();
        return b.build();
    }

    CodeBlock sumRepeats(Node n, int times) {
        int f = n.type().sampleSize();
        Body b = new Body();
        b.open("for (int r = 0; r < n; r++)");
        b.stmt("int dst = yOff + r * " + f);
        b.stmt("System.arraycopy(x, xOff + r * " + (times * f) + ", y, dst, " + f + ")");
        b.open("for (int k = 1; k < " + times + "; k++)");
        b.stmt("int src = xOff + (r * " + times + " + k) * " + f);
        addRow(b, f, "y", "dst", "x", "src");
        b.close();
        b.close();
        return b.build();
    }

    /** Nested loops over the output's sample axes, reading the input at the permuted strides. */
    CodeBlock transpose(Node n, List<Integer> perm) {
        TensorType x = n.input(0).type();
        List<Dim> in = x.sampleDims();
        int rank = in.size(), size = x.sampleSize();
        int[] stride = new int[rank];
        for (int a = rank - 1, s = 1; a >= 0; a--) {
            stride[a] = s;
            s *= in.get(a).size();
        }
        Body b = new Body();
        b.open("for (int r = 0; r < n; r++)");
        b.stmt("int src = xOff + r * " + size + ", k = yOff + r * " + size);
        StringBuilder index = new StringBuilder("src");
        for (int i = 0; i < rank; i++) {
            int p = perm.get(i);
            b.open("for (int i" + i + " = 0; i" + i + " < " + in.get(p).size() + "; i" + i + "++)");
            index.append(" + i").append(i).append(" * ").append(stride[p]);
        }
        b.stmt("y[k++] = x[" + index + "]");
        for (int i = 0; i < rank; i++) b.close();
        b.close();
        return b.build();
    }

    // ------------------------------------------------------------------ spatial dropout

    /** One keep decision per (row, channel), applied to every step. */
    CodeBlock spatialDropout(Node n, Op.SpatialDropout d) {
        TensorType x = n.type();
        int steps = x.dim(1).size(), c = x.dim(2).size();
        Body b = new Body();
        b.open("if (!training)");
        b.stmt("System.arraycopy(x, xOff, y, yOff, " + count(x) + ")");
        b.stmt("return");
        b.close();
        b.stmt(t + " scale = " + dt.lit(1 / (1 - d.rate())));
        b.open("for (int r = 0; r < n; r++)");
        b.open("for (int j = 0; j < " + c + "; j++)");
        b.stmt(t + " f = Rng.keep(seed, step, row0 + r, stream, j, " + d.rate() + ") ? scale : " + zero());
        b.open("for (int s = 0; s < " + steps + "; s++)");
        b.stmt("int i = (r * " + steps + " + s) * " + c + " + j");
        b.stmt("y[yOff + i] = x[xOff + i] * f");
        b.close();
        b.close();
        b.close();
        return b.build();
    }

    // ------------------------------------------------------------------ recurrences

    /**
     * {@code [batch, steps, f] <-> [steps, batch, f]} within a part of {@code n} rows; with
     * {@code reverse}, step {@code t} of one is step {@code steps - 1 - t} of the other.
     */
    CodeBlock swapBatchTime(Node n, boolean reverse) {
        TensorType x = n.input(0).type();
        boolean toTime = !x.isTimeMajor();
        int steps = (toTime ? x.dim(1) : x.dim(0)).size();
        int f = x.sampleSize() / steps;
        String tt = reverse ? "(" + (steps - 1) + " - t)" : "t";
        String bm = "(b * " + steps + " + " + (toTime ? "t" : tt) + ") * " + f, tm = "(" + (toTime ? tt : "t") + " * n + b) * " + f;
        Body b = new Body();
        b.open("for (int b = 0; b < n; b++)");
        b.open("for (int t = 0; t < " + steps + "; t++)");
        if (toTime) b.stmt("System.arraycopy(x, xOff + " + bm + ", y, yOff + " + tm + ", " + f + ")");
        else b.stmt("System.arraycopy(x, xOff + " + tm + ", y, yOff + " + bm + ", " + f + ")");
        b.close();
        b.close();
        return b.build();
    }

    /** Step {@code t} of a time-major sequence. */
    CodeBlock timeStep(Node n, int step) {
        int f = n.type().sampleSize();
        return new Body().stmt("System.arraycopy(x, xOff + " + step + " * n * " + f + ", y, yOff, n * " + f + ")").build();
    }

    /** {@code dy} at step {@code t} of an otherwise zero time-major sequence. */
    CodeBlock timeStepGrad(Node n, int step) {
        int f = n.input(0).type().sampleSize();
        return new Body().stmt("java.util.Arrays.fill(y, yOff, yOff + " + count(n.type()) + ", " + zero() + ")")
                .stmt("System.arraycopy(x, xOff, y, yOff + " + step + " * n * " + f + ", n * " + f + ")").build();
    }

    /** {@code y[j, i] = x[i, j]}. */
    CodeBlock transposeMatrix(Node n) {
        int rows = n.input(0).type().dim(0).size(), cols = n.input(0).type().dim(1).size();
        Body b = new Body();
        b.open("for (int i = 0; i < " + rows + "; i++)");
        b.open("for (int j = 0; j < " + cols + "; j++)").stmt("y[yOff + j * " + rows + " + i] = x[xOff + i * " + cols + " + j]").close();
        b.close();
        return b.build();
    }

    /** Per row of the last axis: mean and biased variance in double, then {@code (x - mean) / sqrt(var + eps)}. */
    CodeBlock layerNorm(Node n, double eps) {
        TensorType t = n.type();
        int c = t.dim(-1).size();
        Body b = new Body();
        b.stmt("int rows = " + rowsOf(t));
        b.open("for (int r = 0; r < rows; r++)");
        b.stmt("int xr = xOff + r * " + c + ", yr = yOff + r * " + c);
        meanVar(b, c);
        b.stmt("double inv = 1 / Math.sqrt(var + " + eps + ")");
        b.open("for (int j = 0; j < " + c + "; j++)").stmt("y[yr + j] = " + dt.cast("(x[xr + j] - mean) * inv")).close();
        b.close();
        return b.build();
    }

    /** {@code dx = (dy - mean(dy) - y·mean(dy·y)) / sqrt(var + eps)} per row, the variance recomputed from x. */
    CodeBlock layerNormGrad(Node n, double eps) {
        TensorType t = n.type();
        int c = t.dim(-1).size();
        Body b = new Body();
        b.stmt("int rows = " + rowsOf(t));
        b.open("for (int r = 0; r < rows; r++)");
        b.stmt("int xr = xOff + r * " + c + ", yr = yOff + r * " + c + ", dyr = dyOff + r * " + c + ", dxr = dxOff + r * " + c);
        meanVar(b, c);
        b.stmt("double inv = 1 / Math.sqrt(var + " + eps + ")");
        b.stmt("double sdy = 0, sdyy = 0");
        b.open("for (int j = 0; j < " + c + "; j++)").stmt("sdy += dy[dyr + j]").stmt("sdyy += (double) dy[dyr + j] * y[yr + j]").close();
        b.stmt("double mdy = sdy / " + c + ", mdyy = sdyy / " + c);
        b.open("for (int j = 0; j < " + c + "; j++)").stmt("dx[dxr + j] = " + dt.cast("(dy[dyr + j] - mdy - y[yr + j] * mdyy) * inv")).close();
        b.close();
        return b.build();
    }

    /** Rows when the last axis is the row: {@code n * 4} for float[batch, 4, 10]. */
    private static String rowsOf(TensorType t) {
        int inner = t.sampleSize() / t.dim(-1).size();
        return t.isBatched() ? "n * " + inner : Integer.toString(inner);
    }

    /** {@code mean} and biased {@code var} of the row at {@code xr} (two passes, in double). */
    private static void meanVar(Body b, int c) {
        b.stmt("double mean = 0");
        b.open("for (int j = 0; j < " + c + "; j++)").stmt("mean += x[xr + j]").close();
        b.stmt("mean /= " + c);
        b.stmt("double var = 0");
        b.open("for (int j = 0; j < " + c + "; j++)").stmt("double d = x[xr + j] - mean").stmt("var += d * d").close();
        b.stmt("var /= " + c);
    }

    CodeBlock zeros(Node n) {
        return new Body().stmt("java.util.Arrays.fill(y, yOff, yOff + " + count(n.type()) + ", " + zero() + ")").build();
    }

    /** The rows of a mask {@code m} (one per sample, or per sample and step): {@code n} or {@code n * steps}. */
    private static String maskRows(Node m) {
        int per = m.type().sampleSize();
        return per == 1 ? "n" : "n * " + per;
    }

    /** Row {@code r} of y is row r of a where {@code m[r] != 0}, else row r of b (a masked step keeps the state). */
    CodeBlock select(Node n) {
        int f = n.type().sampleSize() / n.input(0).type().sampleSize();
        Body b = new Body();
        b.open("for (int r = 0; r < " + maskRows(n.input(0)) + "; r++)");
        b.stmt("System.arraycopy(m[mOff + r] != 0 ? a : b, (m[mOff + r] != 0 ? aOff : bOff) + r * " + f + ", y, yOff + r * " + f + ", " + f + ")");
        b.close();
        return b.build();
    }

    /** Row r of dx is row r of dy where {@code (m[r] != 0) == whenSet}, else zeros. */
    CodeBlock maskRows(Node n, boolean whenSet) {
        int f = n.type().sampleSize() / n.input(0).type().sampleSize();
        Body b = new Body();
        b.open("for (int r = 0; r < " + maskRows(n.input(0)) + "; r++)");
        b.open("if ((m[mOff + r] != 0) == " + whenSet + ")");
        b.stmt("System.arraycopy(dy, dyOff + r * " + f + ", dx, dxOff + r * " + f + ", " + f + ")");
        b.close();
        b.open("else");
        b.stmt("java.util.Arrays.fill(dx, dxOff + r * " + f + ", dxOff + (r + 1) * " + f + ", " + zero() + ")");
        b.close();
        b.close();
        return b.build();
    }
}
