package modelc.compiler.codegen;

import com.palantir.javapoet.CodeBlock;
import modelc.compiler.ir.Node;
import modelc.compiler.ir.Op;
import modelc.compiler.ir.TensorType;

/**
 * Kernel bodies of Keras's Dot layer: the per-sample matrix product (a dot product per sample when
 * both sides are vectors, else one GEMM per sample) and the L2 normalisation along an axis, with
 * its gradient. As in {@link KernelEmitter}, every size is a literal and only the part's rows
 * {@code n} vary.
 */
final class DotKernels {
    private final Dtype dt;
    private final Simd simd;

    DotKernels(Dtype dt, Simd simd) {
        this.dt = dt;
        this.simd = simd;
    }

    /** {@code y[r] = op(a[r]) · op(b[r])} for each sample r; inputs (a, b). */
    CodeBlock batchMatMul(Node n, Op.BatchMatMul op) {
        TensorType a = n.input(0).type(), b = n.input(1).type();
        int m = n.type().dim(1).size(), nn = n.type().dim(2).size(), k = a.dim(op.transA() ? 1 : 2).size();
        int sa = a.sampleSize(), sb = b.sampleSize();
        Body body = new Body();
        body.open("for (int r = 0; r < n; r++)");
        if (m == 1 && nn == 1) {
            // Two vectors per sample (either layout is contiguous): one dot product.
            body.stmt("int ar = aOff + r * " + sa + ", br = bOff + r * " + sb);
            body.stmt("double s = 0");
            body.open("for (int j = 0; j < " + k + "; j++)").stmt("s += (double) a[ar + j] * b[br + j]").close();
            body.stmt("y[yOff + r] = " + dt.cast("s"));
        } else {
            body.stmt(String.format("Gemm.%s(%b, %b, %d, %d, %d, a, aOff + r * %d, %d, b, bOff + r * %d, %d, y, yOff + r * %d, %d, false)",
                    simd.gemm(), op.transA(), op.transB(), m, nn, k, sa, a.dim(2).size(), sb, b.dim(2).size(), m * nn, nn));
        }
        body.close();
        return body.build();
    }

    /**
     * Opens the loops over every line along {@code axis} (one loop when the axis is the last): the
     * variable {@code base} is a line's first element; returns how many loops to close.
     */
    private static int lines(Body b, TensorType t, int axis) {
        int before = 1, after = stride(t, axis), len = t.dim(axis).size();
        for (int i = 1; i < axis; i++) before *= t.dim(i).size();
        b.open("for (int o = 0; o < " + (before == 1 ? "n" : "n * " + before) + "; o++)");
        if (after == 1) {
            b.stmt("int base = o * " + len);
            return 1;
        }
        b.open("for (int i = 0; i < " + after + "; i++)");
        b.stmt("int base = o * " + (len * after) + " + i");
        return 2;
    }

    /** Element j of the line at {@code base}. */
    private static String at(int stride) {
        return stride == 1 ? "base + j" : "base + j * " + stride;
    }

    /** {@code x · min(1/sqrt(Σ x²), 1/epsilon)} along the axis, as keras.ops.normalize; the sums in double. */
    CodeBlock l2Normalize(Node n, Op.L2Normalize op) {
        TensorType t = n.type();
        int len = t.dim(op.axis()).size();
        String e = at(stride(t, op.axis()));
        Body b = new Body();
        int loops = lines(b, t, op.axis());
        b.stmt("double s = 0");
        b.open("for (int j = 0; j < " + len + "; j++)").stmt("double v = x[xOff + " + e + "]").stmt("s += v * v").close();
        b.stmt("double inv = Math.min(1 / Math.sqrt(s), " + 1 / op.epsilon() + ")");
        b.open("for (int j = 0; j < " + len + "; j++)").stmt("y[yOff + " + e + "] = " + dt.cast("x[xOff + " + e + "] * inv")).close();
        for (int i = 0; i < loops; i++) b.close();
        return b.build();
    }

    /** {@code dx = r·(dy − y·Σ dy·y)} along the axis, or {@code dy/epsilon} where the bound holds; inputs (x, y, dy). */
    CodeBlock l2NormalizeGrad(Node n, Op.L2NormalizeGrad op) {
        TensorType t = n.type();
        int len = t.dim(op.axis()).size();
        String e = at(stride(t, op.axis()));
        Body b = new Body();
        int loops = lines(b, t, op.axis());
        b.stmt("double s = 0, dot = 0");
        b.open("for (int j = 0; j < " + len + "; j++)").stmt("double v = x[xOff + " + e + "]").stmt("s += v * v")
                .stmt("dot += (double) dy[dyOff + " + e + "] * y[yOff + " + e + "]").close();
        b.stmt("double inv = 1 / Math.sqrt(s), bound = " + 1 / op.epsilon());
        b.open("for (int j = 0; j < " + len + "; j++)").stmt("int k = " + e)
                .stmt("dx[dxOff + k] = " + dt.cast("inv < bound ? inv * (dy[dyOff + k] - y[yOff + k] * dot) : dy[dyOff + k] * bound")).close();
        for (int i = 0; i < loops; i++) b.close();
        return b.build();
    }

    /** The distance between neighbours along {@code axis}: the product of the axes after it. */
    private static int stride(TensorType t, int axis) {
        int s = 1;
        for (int i = axis + 1; i < t.rank(); i++) s *= t.dim(i).size();
        return s;
    }
}
