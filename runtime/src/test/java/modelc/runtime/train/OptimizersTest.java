package modelc.runtime.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Keras 3's update rules (reference/keras-semantics.md §9), three steps on a weight vector. */
class OptimizersTest {
    private static final double[] G1 = {0.5, -1.0, 2.0}, G2 = {0.1, 0.3, -0.2}, G3 = {-0.4, 0.0, 1.5};

    private static double[] run(OptimizerConfig c) {
        double[] w = {1.0, -2.0, 0.5};
        double[][] slots = new double[c.slots()][3];
        long it = 0;
        for (double[] g : new double[][] {G1, G2, G3}) Optimizers.step(c, c.learningRate(), w, g.clone(), slots, 0, 3, it++, 1.0);
        return w;
    }

    @Test
    void adamMatchesTheKerasFormula() {
        OptimizerConfig c = OptimizerConfig.defaults("adam");
        double[] w = {1.0, -2.0, 0.5}, m = new double[3], v = new double[3];
        int t = 0;
        for (double[] g : new double[][] {G1, G2, G3}) {
            t++;
            double alpha = 0.001 * Math.sqrt(1 - Math.pow(0.999, t)) / (1 - Math.pow(0.9, t));
            for (int i = 0; i < 3; i++) {
                m[i] += (g[i] - m[i]) * 0.1;
                v[i] += (g[i] * g[i] - v[i]) * 0.001;
                w[i] -= alpha * m[i] / (Math.sqrt(v[i]) + 1e-7);
            }
        }
        double[] got = run(c);
        for (int i = 0; i < 3; i++) assertEquals(w[i], got[i], 1e-12);
    }

    @Test
    void rmspropPutsEpsilonInsideTheRoot() {
        OptimizerConfig c = OptimizerConfig.defaults("rmsprop");
        double[] w = {1.0, -2.0, 0.5}, v = new double[3];
        for (double[] g : new double[][] {G1, G2, G3}) {
            for (int i = 0; i < 3; i++) {
                v[i] = 0.9 * v[i] + 0.1 * g[i] * g[i];
                w[i] -= 0.001 * g[i] / Math.sqrt(v[i] + 1e-7);
            }
        }
        double[] got = run(c);
        for (int i = 0; i < 3; i++) assertEquals(w[i], got[i], 1e-12);
    }

    @Test
    void sgdNesterovMomentum() {
        OptimizerConfig c = new OptimizerConfig("sgd", 0.1, 0.9, 0.999, 1e-7, false, 0.9, true, 0.9, false, 0, 0, 0, 0);
        double[] w = {1.0, -2.0, 0.5}, m = new double[3];
        for (double[] g : new double[][] {G1, G2, G3}) {
            for (int i = 0; i < 3; i++) {
                m[i] = 0.9 * m[i] - 0.1 * g[i];
                w[i] += 0.9 * m[i] - 0.1 * g[i];
            }
        }
        double[] got = run(c);
        for (int i = 0; i < 3; i++) assertEquals(w[i], got[i], 1e-12);
    }

    @Test
    void adamwDecaysBeforeTheStep() {
        OptimizerConfig c = OptimizerConfig.defaults("adamw");
        OptimizerConfig plain = OptimizerConfig.defaults("adam");
        double[] w = {1.0, -2.0, 0.5};
        double[][] s1 = new double[2][3], s2 = new double[2][3];
        double[] a = w.clone(), b = w.clone();
        Optimizers.step(c, c.learningRate(), a, G1.clone(), s1, 0, 3, 0, 1.0);
        for (int i = 0; i < 3; i++) b[i] *= 1 - 0.004 * 0.001;
        Optimizers.step(plain, plain.learningRate(), b, G1.clone(), s2, 0, 3, 0, 1.0);
        for (int i = 0; i < 3; i++) assertEquals(b[i], a[i], 1e-15);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 7, 16, 33, 100})
    void vectorisedFloatAdamAgreesWithDouble(int n) {
        OptimizerConfig c = OptimizerConfig.defaults("adam");
        float[] wf = new float[n], gf = new float[n];
        double[] wd = new double[n], gd = new double[n];
        for (int i = 0; i < n; i++) {
            wf[i] = (float) Math.sin(i);
            wd[i] = wf[i];
            gf[i] = (float) Math.cos(3 * i);
            gd[i] = gf[i];
        }
        float[][] sf = new float[2][n];
        double[][] sd = new double[2][n];
        for (int step = 0; step < 5; step++) {
            Optimizers.step(c, c.learningRate(), wf, gf, sf, 0, n, step, 0.5);
            Optimizers.step(c, c.learningRate(), wd, gd, sd, 0, n, step, 0.5);
        }
        for (int i = 0; i < n; i++) assertEquals(wd[i], wf[i], 1e-6);
    }

    @Test
    void clipScaleIsKeras() {
        assertEquals(1.0, Optimizers.clipScale(0.5, 1.0));
        assertEquals(0.25, Optimizers.clipScale(4.0, 1.0));
        assertEquals(1.0, Optimizers.clipScale(4.0, 0));
    }
}
