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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Activity regularizers as Keras 3 applies them (keras/src/layers/layer.py, Layer.__call__; the
 * trainer's compute_loss adds model.losses in training and evaluation alike): a step's loss is the
 * data loss plus, for each regularized layer, (l1·Σ|y| + l2·Σy²) over its whole output divided by
 * the batch size, once per batch however many threads split it; predictions do not change.
 */
class ActivityRegularizerTest {
    private static final String COMPILE = "compile(loss=sparse_categorical_crossentropy, optimizer=SGD(learning_rate=0.1))";
    private static final String PLAIN = Models.sequential("6", "Dense(8, activation=tanh)\nDense(3, activation=softmax)", COMPILE);
    private static final String ACTIVE = Models.sequential("6",
            "Dense(8, activation=tanh, activity_regularizer=l1_l2(l1=0.01, l2=0.02))\n"
                    + "Dense(3, activation=softmax, activity_regularizer=l2(0.05))", COMPILE);
    private static final int N = 64;

    private static double[] inputs() {
        double[] x = new double[N * 6];
        for (int i = 0; i < x.length; i++) x[i] = Rng.normal(1, 2, i, 0, 0);
        return x;
    }

    private static Dataset data() {
        long[] y = new long[N];
        for (int i = 0; i < N; i++) y[i] = i % 3;
        return Dataset.of(Tensor.of(inputs(), N, 6), Tensor.of(y, N));
    }

    /** The penalty of both layers' outputs at weights {@code w}, with the forward pass written out. */
    private static double penalty(Map<String, Tensor> w) {
        double[] x = inputs(), k1 = w.get("dense.kernel").doubles(), b1 = w.get("dense.bias").doubles();
        double[] k2 = w.get("dense_1.kernel").doubles(), b2 = w.get("dense_1.bias").doubles();
        double first = 0, second = 0;
        for (int r = 0; r < N; r++) {
            double[] h = new double[8];
            for (int j = 0; j < 8; j++) {
                double s = b1[j];
                for (int i = 0; i < 6; i++) s += x[r * 6 + i] * k1[i * 8 + j];
                h[j] = Math.tanh(s);
                first += 0.01 * Math.abs(h[j]) + 0.02 * h[j] * h[j];
            }
            double[] z = new double[3];
            double max = Double.NEGATIVE_INFINITY, sum = 0;
            for (int j = 0; j < 3; j++) {
                z[j] = b2[j];
                for (int i = 0; i < 8; i++) z[j] += h[i] * k2[i * 3 + j];
                max = Math.max(max, z[j]);
            }
            for (int j = 0; j < 3; j++) sum += Math.exp(z[j] - max);
            for (int j = 0; j < 3; j++) {
                double y = Math.exp(z[j] - max) / sum;
                second += 0.05 * y * y;
            }
        }
        return first / N + second / N;
    }

    @ParameterizedTest(name = "{0} thread(s)")
    @ValueSource(ints = {1, 2})
    void theLossOfTrainingGradAndEvaluationIncludesThePenalty(int threads) {
        CompiledModel plain = Models.load(PLAIN, Dtype.F64), active = Models.load(ACTIVE, Dtype.F64);
        plain.initialize(5);
        Map<String, Tensor> w = plain.weights();
        active.setWeights(w);
        Dataset d = data();
        double pen = penalty(w);
        try (Session p = plain.newSession(N, threads); Session a = active.newSession(N, threads)) {
            assertEquals(threads, a.threads());
            p.load(d, null, 0, N);
            a.load(d, null, 0, N);
            assertEquals(p.evalStep(N) + pen, a.evalStep(N), 1e-12, "evaluation's loss");
            assertEquals(p.gradStep(N) + pen, a.gradStep(N), 1e-12, "modelc grad's loss");
            double[] op = p.output(N).doubles(), oa = a.output(N).doubles();
            for (int i = 0; i < op.length; i++) assertEquals(op[i], oa[i], 0, "output " + i);
            assertEquals(p.trainStep(N) + pen, a.trainStep(N), 1e-12, "a training step's loss, at the weights before the update");
        }
        // An inference session predicts as without the regularizers.
        plain.setWeights(w);
        active.setWeights(w);
        try (Session p = plain.newInferenceSession(N); Session a = active.newInferenceSession(N)) {
            p.load(d, null, 0, N);
            a.load(d, null, 0, N);
            p.predictStep(N);
            a.predictStep(N);
            double[] op = p.output(N).doubles(), oa = a.output(N).doubles();
            for (int i = 0; i < op.length; i++) assertEquals(op[i], oa[i], 0, "prediction " + i);
        }
    }
}
