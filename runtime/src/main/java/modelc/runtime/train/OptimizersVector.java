package modelc.runtime.train;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The Vector API loops of {@link Optimizers}, loaded only when the JVM has the Vector API. Each
 * covers the whole vectors from {@code off} (or {@code from}) and returns the index where the
 * caller's scalar loop, with the same operations, takes over.
 */
final class OptimizersVector {
    private OptimizersVector() {}

    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Double> D = DoubleVector.SPECIES_PREFERRED;

    /** Adam without amsgrad or clipvalue: m += (g·s − m)·b1, v += ((g·s)² − v)·b2, w = w·keep − α·m / (√v + ε). */
    static int adam(float[] w, float[] g, float[] ms, float[] vs, int off, int len, float b1, float b2, float eps, float alpha,
                    float keep, float gradScale) {
        int i = off;
        for (int vend = off + F.loopBound(len); i < vend; i += F.length()) {
            FloatVector gv = FloatVector.fromArray(F, g, i).mul(gradScale);
            FloatVector mv = FloatVector.fromArray(F, ms, i);
            FloatVector vv = FloatVector.fromArray(F, vs, i);
            mv = gv.sub(mv).mul(b1).add(mv);
            vv = gv.mul(gv).sub(vv).mul(b2).add(vv);
            mv.intoArray(ms, i);
            vv.intoArray(vs, i);
            FloatVector step = mv.mul(alpha).div(vv.sqrt().add(eps));
            FloatVector.fromArray(F, w, i).mul(keep).sub(step).intoArray(w, i);
        }
        return i;
    }

    static int adam(double[] w, double[] g, double[] ms, double[] vs, int off, int len, double b1, double b2, double eps, double alpha,
                    double keep, double gradScale) {
        int i = off;
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
        return i;
    }

    /** {@code dst[i] += src[i]} over the whole vectors of [from, to). */
    static int add(float[] dst, float[] src, int from, int to) {
        int i = from;
        for (int end = from + F.loopBound(to - from); i < end; i += F.length()) {
            FloatVector.fromArray(F, dst, i).add(FloatVector.fromArray(F, src, i)).intoArray(dst, i);
        }
        return i;
    }

    static int add(double[] dst, double[] src, int from, int to) {
        int i = from;
        for (int end = from + D.loopBound(to - from); i < end; i += D.length()) {
            DoubleVector.fromArray(D, dst, i).add(DoubleVector.fromArray(D, src, i)).intoArray(dst, i);
        }
        return i;
    }
}
