package modelc.runtime.kernels;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/** The Vector API loops of {@link Subnormals}: loaded only when {@link VectorApi#AVAILABLE}. */
final class SubnormalsVector {
    private static final VectorSpecies<Float> FS = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Double> DS = DoubleVector.SPECIES_PREFERRED;

    private SubnormalsVector() {}

    /** Flushes the whole vectors of {@code a[off, off + len)}; returns how many elements that covered. */
    static int flush(float[] a, int off, int len) {
        int i = 0;
        for (int end = FS.loopBound(len); i < end; i += FS.length()) {
            FloatVector v = FloatVector.fromArray(FS, a, off + i);
            var tiny = v.abs().compare(VectorOperators.LT, Float.MIN_NORMAL);
            if (tiny.anyTrue()) v.blend(0f, tiny).intoArray(a, off + i);
        }
        return i;
    }

    static int flush(double[] a, int off, int len) {
        int i = 0;
        for (int end = DS.loopBound(len); i < end; i += DS.length()) {
            DoubleVector v = DoubleVector.fromArray(DS, a, off + i);
            var tiny = v.abs().compare(VectorOperators.LT, Double.MIN_NORMAL);
            if (tiny.anyTrue()) v.blend(0d, tiny).intoArray(a, off + i);
        }
        return i;
    }
}
