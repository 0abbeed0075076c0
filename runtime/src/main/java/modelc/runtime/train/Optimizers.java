package modelc.runtime.train;

import java.util.Map;
import modelc.runtime.Tensor;
import modelc.runtime.kernels.VectorApi;

/**
 * One fused pass per parameter: gradient scaling (clipnorm/global_clipnorm, computed by the caller),
 * clipvalue, decoupled weight decay, then the optimizer's update, exactly as Keras 3 orders them
 * (reference/keras-semantics.md §9.1). {@code iteration} is Keras's {@code iterations} before the step;
 * {@code lr} is the learning rate of this step (the schedule's value).
 * Two copies, float and double, with identical arithmetic (done in double), except Adam's common
 * case in float32, done in float as Keras does. The loops that use the Vector API are in
 * {@code OptimizersVector}, reached only when the JVM has it ({@link VectorApi#AVAILABLE}); the
 * scalar loops that take over without it compute the same bits.
 */
public final class Optimizers {
    private Optimizers() {}

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
                    // The common case, in float32 (the precision Keras computes in): whole vectors when
                    // the JVM has the Vector API, then the same operations one element at a time, so
                    // every element gets the same bits with or without it, at any vector width.
                    float fb1 = (float) b1, fb2 = (float) b2, fe = (float) eps, fa = (float) alpha, fk = (float) keep, fs = (float) gradScale;
                    if (VectorApi.AVAILABLE) i = OptimizersVector.adam(w, g, ms, vs, off, len, fb1, fb2, fe, fa, fk, fs);
                    for (; i < end; i++) {
                        float gi = g[i] * fs;
                        float m = (gi - ms[i]) * fb1 + ms[i];
                        float v = (gi * gi - vs[i]) * fb2 + vs[i];
                        ms[i] = m;
                        vs[i] = v;
                        w[i] = w[i] * fk - m * fa / ((float) Math.sqrt(v) + fe);
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
                if (vhat == null && cv == Double.POSITIVE_INFINITY && VectorApi.AVAILABLE) {
                    // Whole vectors; the loop below does the rest with the same operations.
                    i = OptimizersVector.adam(w, g, ms, vs, off, len, b1, b2, eps, alpha, keep, gradScale);
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
        int i = VectorApi.AVAILABLE ? OptimizersVector.add(dst, src, from, to) : from;
        for (; i < to; i++) dst[i] += src[i];
    }

    public static void add(double[] dst, double[] src, int from, int to) {
        int i = VectorApi.AVAILABLE ? OptimizersVector.add(dst, src, from, to) : from;
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
