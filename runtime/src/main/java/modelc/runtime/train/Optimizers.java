package modelc.runtime.train;

import java.util.Map;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import modelc.runtime.Tensor;

/**
 * One fused pass per parameter: gradient scaling (clipnorm/global_clipnorm, computed by the caller),
 * clipvalue, decoupled weight decay, then the optimizer's update, exactly as Keras 3 orders them
 * (reference/keras-semantics.md §9.1). {@code iteration} is Keras's {@code iterations} before the step;
 * {@code lr} is the learning rate of this step (the schedule's value).
 * Two copies, float and double, with identical arithmetic (done in double).
 */
public final class Optimizers {
    private Optimizers() {}

    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Double> D = DoubleVector.SPECIES_PREFERRED;

    public static void step(OptimizerConfig c, double lr, float[] w, float[] g, float[][] slots, int off, int len,
                            long iteration, double gradScale) {
        double keep = 1 - c.weightDecay() * lr;
        double cv = c.clipvalue() > 0 ? c.clipvalue() : Double.POSITIVE_INFINITY;
        int end = off + len;
        switch (c.kind()) {
            case "sgd" -> {
                double mu = c.momentum();
                for (int i = off; i < end; i++) {
                    double gi = Math.min(Math.max(g[i] * gradScale, -cv), cv);
                    double wi = w[i] * keep;
                    if (mu > 0) {
                        double m = mu * slots[0][i] - lr * gi;
                        slots[0][i] = (float) m;
                        wi += c.nesterov() ? mu * m - lr * gi : m;
                    } else {
                        wi -= lr * gi;
                    }
                    w[i] = (float) wi;
                }
            }
            case "rmsprop" -> {
                double rho = c.rho(), eps = c.epsilon(), mu = c.momentum();
                float[] vel = slots[0];
                float[] avg = c.centered() ? slots[1] : null;
                float[] mom = mu > 0 ? slots[c.centered() ? 2 : 1] : null;
                for (int i = off; i < end; i++) {
                    double gi = Math.min(Math.max(g[i] * gradScale, -cv), cv);
                    double v = rho * vel[i] + (1 - rho) * gi * gi;
                    vel[i] = (float) v;
                    double denom = v + eps;
                    if (avg != null) {
                        double mg = rho * avg[i] + (1 - rho) * gi;
                        avg[i] = (float) mg;
                        denom = v - mg * mg + eps;
                    }
                    double delta = lr * gi / Math.sqrt(denom);
                    if (mom != null) {
                        delta = mu * mom[i] + delta;
                        mom[i] = (float) delta;
                    }
                    w[i] = (float) (w[i] * keep - delta);
                }
            }
            default -> { // adam, adamw: Keras's form, bias correction folded into the step size
                long t = iteration + 1;
                double alpha = lr * Math.sqrt(1 - Math.pow(c.beta2(), t)) / (1 - Math.pow(c.beta1(), t));
                double b1 = 1 - c.beta1(), b2 = 1 - c.beta2(), eps = c.epsilon();
                float[] ms = slots[0], vs = slots[1];
                float[] vhat = c.amsgrad() ? slots[2] : null;
                int i = off;
                if (vhat == null && cv == Double.POSITIVE_INFINITY) {
                    // The common case, vectorised in float32 (the precision Keras computes in).
                    float fb1 = (float) b1, fb2 = (float) b2, fe = (float) eps, fa = (float) alpha, fk = (float) keep, fs = (float) gradScale;
                    for (int vend = off + F.loopBound(len); i < vend; i += F.length()) {
                        FloatVector gv = FloatVector.fromArray(F, g, i).mul(fs);
                        FloatVector mv = FloatVector.fromArray(F, ms, i);
                        FloatVector vv = FloatVector.fromArray(F, vs, i);
                        mv = gv.sub(mv).mul(fb1).add(mv);
                        vv = gv.mul(gv).sub(vv).mul(fb2).add(vv);
                        mv.intoArray(ms, i);
                        vv.intoArray(vs, i);
                        FloatVector step = mv.mul(fa).div(vv.sqrt().add(fe));
                        FloatVector.fromArray(F, w, i).mul(fk).sub(step).intoArray(w, i);
                    }
                }
                for (; i < end; i++) {
                    double gi = Math.min(Math.max(g[i] * gradScale, -cv), cv);
                    double m = ms[i] + (gi - ms[i]) * b1;
                    double v = vs[i] + (gi * gi - vs[i]) * b2;
                    ms[i] = (float) m;
                    vs[i] = (float) v;
                    if (vhat != null) {
                        v = Math.max(vhat[i], v);
                        vhat[i] = (float) v;
                    }
                    w[i] = (float) (w[i] * keep - alpha * m / (Math.sqrt(v) + eps));
                }
            }
        }
    }

    public static void step(OptimizerConfig c, double lr, double[] w, double[] g, double[][] slots, int off, int len,
                            long iteration, double gradScale) {
        double keep = 1 - c.weightDecay() * lr;
        double cv = c.clipvalue() > 0 ? c.clipvalue() : Double.POSITIVE_INFINITY;
        int end = off + len;
        switch (c.kind()) {
            case "sgd" -> {
                double mu = c.momentum();
                for (int i = off; i < end; i++) {
                    double gi = Math.min(Math.max(g[i] * gradScale, -cv), cv);
                    double wi = w[i] * keep;
                    if (mu > 0) {
                        double m = mu * slots[0][i] - lr * gi;
                        slots[0][i] = m;
                        wi += c.nesterov() ? mu * m - lr * gi : m;
                    } else {
                        wi -= lr * gi;
                    }
                    w[i] = wi;
                }
            }
            case "rmsprop" -> {
                double rho = c.rho(), eps = c.epsilon(), mu = c.momentum();
                double[] vel = slots[0];
                double[] avg = c.centered() ? slots[1] : null;
                double[] mom = mu > 0 ? slots[c.centered() ? 2 : 1] : null;
                for (int i = off; i < end; i++) {
                    double gi = Math.min(Math.max(g[i] * gradScale, -cv), cv);
                    double v = rho * vel[i] + (1 - rho) * gi * gi;
                    vel[i] = v;
                    double denom = v + eps;
                    if (avg != null) {
                        double mg = rho * avg[i] + (1 - rho) * gi;
                        avg[i] = mg;
                        denom = v - mg * mg + eps;
                    }
                    double delta = lr * gi / Math.sqrt(denom);
                    if (mom != null) {
                        delta = mu * mom[i] + delta;
                        mom[i] = delta;
                    }
                    w[i] = (w[i] * keep - delta);
                }
            }
            default -> { // adam, adamw: Keras's form, bias correction folded into the step size
                long t = iteration + 1;
                double alpha = lr * Math.sqrt(1 - Math.pow(c.beta2(), t)) / (1 - Math.pow(c.beta1(), t));
                double b1 = 1 - c.beta1(), b2 = 1 - c.beta2(), eps = c.epsilon();
                double[] ms = slots[0], vs = slots[1];
                double[] vhat = c.amsgrad() ? slots[2] : null;
                int i = off;
                if (vhat == null && cv == Double.POSITIVE_INFINITY) {
                    for (int vend = off + D.loopBound(len); i < vend; i += D.length()) {
                        DoubleVector gv = DoubleVector.fromArray(D, g, i).mul(gradScale);
                        DoubleVector mv = DoubleVector.fromArray(D, ms, i);
                        DoubleVector vv = DoubleVector.fromArray(D, vs, i);
                        mv = gv.sub(mv).mul(b1).add(mv);
                        vv = gv.mul(gv).sub(vv).mul(b2).add(vv);
                        mv.intoArray(ms, i);
                        vv.intoArray(vs, i);
                        DoubleVector step = mv.mul(alpha).div(vv.sqrt().add(eps));
                        DoubleVector.fromArray(D, w, i).mul(keep).sub(step).intoArray(w, i);
                    }
                }
                for (; i < end; i++) {
                    double gi = Math.min(Math.max(g[i] * gradScale, -cv), cv);
                    double m = ms[i] + (gi - ms[i]) * b1;
                    double v = vs[i] + (gi * gi - vs[i]) * b2;
                    ms[i] = m;
                    vs[i] = v;
                    if (vhat != null) {
                        v = Math.max(vhat[i], v);
                        vhat[i] = v;
                    }
                    w[i] = (w[i] * keep - alpha * m / (Math.sqrt(v) + eps));
                }
            }
        }
    }

    /** Σ g² over {@code [off, off + len)}, for clipnorm and global_clipnorm. */
    public static double sumSquares(float[] g, int off, int len) {
        double s = 0;
        for (int i = off; i < off + len; i++) s += (double) g[i] * g[i];
        return s;
    }

    public static double sumSquares(double[] g, int off, int len) {
        double s = 0;
        for (int i = off; i < off + len; i++) s += g[i] * g[i];
        return s;
    }

    /** {@code dst[i] += src[i]} for i in [from, to): how parts' gradients are summed, always in part order. */
    public static void add(float[] dst, float[] src, int from, int to) {
        int i = from;
        for (int end = from + F.loopBound(to - from); i < end; i += F.length()) {
            FloatVector.fromArray(F, dst, i).add(FloatVector.fromArray(F, src, i)).intoArray(dst, i);
        }
        for (; i < to; i++) dst[i] += src[i];
    }

    public static void add(double[] dst, double[] src, int from, int to) {
        int i = from;
        for (int end = from + D.loopBound(to - from); i < end; i += D.length()) {
            DoubleVector.fromArray(D, dst, i).add(DoubleVector.fromArray(D, src, i)).intoArray(dst, i);
        }
        for (; i < to; i++) dst[i] += src[i];
    }

    /** The tensor under {@code key}, checked to hold {@code size} elements: for restoring checkpoints. */
    public static Tensor require(Map<String, Tensor> state, String key, int size) {
        Tensor t = state.get(key);
        if (t == null) throw new Weights.MismatchException("the checkpoint has no '" + key + "'");
        if (t.size() != size) throw new Weights.MismatchException("'" + key + "' has " + t.size() + " elements, expected " + size);
        return t;
    }

    /** Keras's clip factor c / max(norm, c) (1 when unset). */
    public static double clipScale(double norm, double c) {
        return c > 0 ? c / Math.max(norm, c) : 1;
    }
}
