package modelc.compiler.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import modelc.compiler.codegen.Dtype;
import modelc.compiler.testing.Models;
import modelc.runtime.Rng;
import modelc.runtime.Tensor;
import modelc.runtime.data.Dataset;
import modelc.runtime.train.CompiledModel;
import modelc.runtime.train.Session;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Weight regularizers as Keras 3 applies them: a step's loss (training, {@code modelc grad} and
 * evaluation alike) is the data loss plus l1·Σ|w| + l2·Σw² over the regularized weights, and the
 * gradient gains l1·sign(w) + 2·l2·w, exactly once per step however many threads split the batch.
 */
class RegularizerTest {
    private static final String COMPILE = "compile(loss=sparse_categorical_crossentropy, optimizer=SGD(learning_rate=0.1))";
    private static final String PLAIN = Models.sequential("6", "Dense(8, activation=tanh)\nDense(3, activation=softmax)", COMPILE);
    private static final String REGULARIZED = Models.sequential("6",
            "Dense(8, activation=tanh, kernel_regularizer=l1_l2(l1=0.01, l2=0.02), bias_regularizer=l2(0.1))\n"
                    + "Dense(3, activation=softmax, kernel_regularizer=l1(0.05))", COMPILE);
    private static final int N = 64;

    private static Dataset data() {
        double[] x = new double[N * 6];
        long[] y = new long[N];
        for (int i = 0; i < x.length; i++) x[i] = Rng.normal(1, 2, i, 0, 0);
        for (int i = 0; i < N; i++) y[i] = i % 3;
        return Dataset.of(Tensor.of(x, N, 6), Tensor.of(y, N));
    }

    /** The penalty of the weights {@code w}, written out. */
    private static double penalty(Map<String, Tensor> w) {
        double p = 0;
        for (double v : w.get("dense.kernel").doubles()) p += 0.01 * Math.abs(v) + 0.02 * v * v;
        for (double v : w.get("dense.bias").doubles()) p += 0.1 * v * v;
        for (double v : w.get("dense_1.kernel").doubles()) p += 0.05 * Math.abs(v);
        return p;
    }

    /** The penalty's gradient for weight {@code key}'s entry of value {@code v}. */
    private static double penaltyGradient(String key, double v) {
        return switch (key) {
            case "dense.kernel" -> 0.01 * Math.signum(v) + 2 * 0.02 * v;
            case "dense.bias" -> 2 * 0.1 * v;
            case "dense_1.kernel" -> 0.05 * Math.signum(v);
            default -> 0;
        };
    }

    /** Weights with non-zero biases (zeros would hide a bias penalty). */
    private static Map<String, Tensor> weights(CompiledModel m) {
        m.initialize(5);
        Map<String, Tensor> w = m.weights();
        double[] b = w.get("dense.bias").doubles();
        for (int i = 0; i < b.length; i++) b[i] = 0.1 * (i - 3.5);
        w.put("dense.bias", Tensor.of(b, b.length));
        return w;
    }

    @ParameterizedTest(name = "{0} thread(s)")
    @ValueSource(ints = {1, 2})
    void thePenaltyCountsOnceInTheLossAndTheGradient(int threads) {
        CompiledModel plain = Models.load(PLAIN, Dtype.F64), reg = Models.load(REGULARIZED, Dtype.F64);
        Map<String, Tensor> w = weights(plain);
        plain.setWeights(w);
        reg.setWeights(w);
        Dataset d = data();
        try (Session p = plain.newSession(N, threads); Session r = reg.newSession(N, threads)) {
            assertEquals(threads, r.threads());
            p.load(d, null, 0, N);
            r.load(d, null, 0, N);
            double lp = p.gradStep(N), lr = r.gradStep(N);
            assertEquals(lp + penalty(w), lr, 1e-12, "modelc grad's loss");
            Map<String, Tensor> gp = p.gradients(), gr = r.gradients();
            for (String key : w.keySet()) {
                double[] v = w.get(key).doubles(), a = gp.get("grad." + key).doubles(), b = gr.get("grad." + key).doubles();
                for (int i = 0; i < v.length; i++) {
                    assertEquals(a[i] + penaltyGradient(key, v[i]), b[i], 1e-12, key + "[" + i + "]");
                }
            }
            assertEquals(p.evalStep(N) + penalty(w), r.evalStep(N), 1e-12, "evaluation's loss");
        }
    }

    @Test
    void anSgdStepFollowsTheGradientOfTheTotalLoss() {
        CompiledModel plain = Models.load(PLAIN, Dtype.F64), reg = Models.load(REGULARIZED, Dtype.F64);
        Map<String, Tensor> w = weights(plain);
        plain.setWeights(w);
        reg.setWeights(w);
        Dataset d = data();
        try (Session p = plain.newSession(N, 2); Session r = reg.newSession(N, 2)) {
            p.load(d, null, 0, N);
            double dataLoss = p.gradStep(N);
            Map<String, Tensor> g = p.gradients();
            r.load(d, null, 0, N);
            assertEquals(dataLoss + penalty(w), r.trainStep(N), 1e-12, "the step's loss, at the weights before the update");
            // w' = w - 0.1 · (data gradient + penalty gradient), entry by entry
            Map<String, Tensor> after = reg.weights();
            for (String key : w.keySet()) {
                double[] v = w.get(key).doubles(), a = after.get(key).doubles(), gd = g.get("grad." + key).doubles();
                for (int i = 0; i < v.length; i++) {
                    assertEquals(v[i] - 0.1 * (gd[i] + penaltyGradient(key, v[i])), a[i], 1e-12, key + "[" + i + "]");
                }
            }
        }
    }
}
