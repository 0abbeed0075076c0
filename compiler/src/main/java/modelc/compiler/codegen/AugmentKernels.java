package modelc.compiler.codegen;

import com.palantir.javapoet.CodeBlock;
import modelc.compiler.ir.Node;
import modelc.compiler.ir.Op;
import modelc.compiler.ir.TensorType;

/**
 * Kernel bodies of the image augmentation layers (RandomFlip, RandomTranslation). Like dropout,
 * they act only in training steps ({@code training}), with one random draw per sample keyed by
 * (seed, step, row, stream, draw), so the backward pass makes the same draws again.
 */
final class AugmentKernels {
    private final Dtype dt;

    AugmentKernels(Dtype dt) {
        this.dt = dt;
    }

    /** Outside training: copy. */
    private static void identityOutsideTraining(Body b, TensorType x) {
        b.open("if (!training)");
        b.stmt("System.arraycopy(x, xOff, y, yOff, n * " + x.sampleSize() + ")");
        b.stmt("return");
        b.close();
    }

    /** Each row of pixels copied from its mirror position: columns reversed (horizontal), rows reversed (vertical). */
    CodeBlock flip(Node n, Op.RandomFlip op) {
        TensorType x = n.input(0).type();
        int h = x.dim(1).size(), w = x.dim(2).size(), c = x.dim(3).size();
        Body b = new Body();
        identityOutsideTraining(b, x);
        b.open("for (int r = 0; r < n; r++)");
        b.stmt("boolean columns = " + (op.horizontal() ? "Rng.uniform(seed, step, row0 + r, stream, 0) < 0.5" : "false"));
        b.stmt("boolean rows = " + (op.vertical() ? "Rng.uniform(seed, step, row0 + r, stream, 1) < 0.5" : "false"));
        b.open("for (int i = 0; i < " + h + "; i++)");
        b.stmt("int si = rows ? " + (h - 1) + " - i : i");
        b.open("for (int j = 0; j < " + w + "; j++)");
        b.stmt("int sj = columns ? " + (w - 1) + " - j : j");
        b.stmt("System.arraycopy(x, xOff + ((r * " + h + " + si) * " + w + " + sj) * " + c + ", y, yOff + ((r * " + h + " + i) * " + w
                + " + j) * " + c + ", " + c + ")");
        b.close();
        b.close();
        b.close();
        return b.build();
    }

    /**
     * Output pixel (i, j) is the interpolation of the input at (i − dy, j − dx): one tap (nearest)
     * or four (bilinear), each mapped into the image by the fill mode ({@code Augment.index}), or
     * the fill value where the constant mode leaves it outside. The adjoint adds each output
     * pixel's gradient back to the taps it read, with the same weights.
     */
    CodeBlock translate(Node n, Op.RandomTranslation op) {
        TensorType x = n.input(0).type();
        int h = x.dim(1).size(), w = x.dim(2).size(), c = x.dim(3).size(), per = x.sampleSize();
        int mode = switch (op.fill()) {
            case "reflect" -> 0;
            case "wrap" -> 1;
            case "mirror" -> 2;
            case "nearest" -> 3;
            default -> 4;
        };
        boolean adjoint = op.adjoint();
        Body b = new Body();
        identityOutsideTraining(b, x);
        b.stmt("java.util.Arrays.fill(y, yOff, yOff + n * " + per + ", " + dt.lit(0) + ")");
        b.open("for (int r = 0; r < n; r++)");
        b.stmt("double dy = (" + op.heightLo() + " + " + (op.heightHi() - op.heightLo()) + " * Rng.uniform(seed, step, row0 + r, stream, 0)) * " + h);
        b.stmt("double dx = (" + op.widthLo() + " + " + (op.widthHi() - op.widthLo()) + " * Rng.uniform(seed, step, row0 + r, stream, 1)) * " + w);
        b.open("for (int i = 0; i < " + h + "; i++)");
        b.open("for (int j = 0; j < " + w + "; j++)");
        b.stmt("int out = " + (adjoint ? "xOff" : "yOff") + " + ((r * " + h + " + i) * " + w + " + j) * " + c);
        b.stmt("double sy = i - dy, sx = j - dx");
        if (op.bilinear()) {
            b.stmt("int y0 = (int) Math.floor(sy), x0 = (int) Math.floor(sx)");
            b.stmt("double fy = sy - y0, fx = sx - x0");
            b.open("for (int t = 0; t < 4; t++)");
            b.stmt("int ty = y0 + (t >> 1), tx = x0 + (t & 1)");
            b.stmt("double weight = ((t >> 1) == 0 ? 1 - fy : fy) * ((t & 1) == 0 ? 1 - fx : fx)");
        } else {
            // JAX's nearest interpolation rounds half to even, as Math.rint.
            b.stmt("int ty = (int) Math.rint(sy), tx = (int) Math.rint(sx)");
            b.stmt("double weight = 1");
        }
        b.stmt("int my = Augment.index(ty, " + h + ", " + mode + "), mx = Augment.index(tx, " + w + ", " + mode + ")");
        b.open("if (my >= 0 && mx >= 0)");
        b.stmt("int at = " + (adjoint ? "yOff" : "xOff") + " + ((r * " + h + " + my) * " + w + " + mx) * " + c);
        String update = adjoint ? "y[at + k] += " + dt.cast("weight * x[out + k]") : "y[out + k] += " + dt.cast("weight * x[at + k]");
        b.open("for (int k = 0; k < " + c + "; k++)").stmt(update).close();
        if (!adjoint && op.fillValue() != 0) {
            b.mid("else");
            b.open("for (int k = 0; k < " + c + "; k++)").stmt("y[out + k] += " + dt.cast("weight * " + op.fillValue())).close();
        }
        b.close();
        if (op.bilinear()) b.close();
        b.close();
        b.close();
        b.close();
        return b.build();
    }
}
