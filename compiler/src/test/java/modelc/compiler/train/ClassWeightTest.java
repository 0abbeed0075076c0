package modelc.compiler.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
 * {@code fit(class_weight=...)} as Keras 3 applies it: in a training step (and {@code modelc grad})
 * each sample's loss is multiplied by the weight of its target's class and the sum divided by the
 * batch size (not by the sum of the weights); evaluation (validation) and the compiled metrics are
 * unweighted.
 */
class ClassWeightTest {
    private static final int N = 70;
    private static final double[] WEIGHT = {0.5, 1.0, 4.0};  // class 1 is not named: it weighs 1

    private static final String MODEL = Models.sequential("5", "Dense(6, activation=tanh)\nDense(3, activation=softmax)",
            "compile(loss=sparse_categorical_crossentropy, optimizer=adam, metrics=[accuracy])\nfit(class_weight={0: 0.5, 2: 4.0})");
    private static final String IGNORING = Models.sequential("5", "Dense(6, activation=tanh)\nDense(3, activation=softmax)",
            "compile(loss=SparseCategoricalCrossentropy(ignore_class=1), optimizer=adam)\nfit(class_weight={0: 0.5, 2: 4.0})");

    private static Dataset data() {
        double[] x = new double[N * 5];
        long[] y = new long[N];
        for (int i = 0; i < x.length; i++) x[i] = Rng.normal(2, 7, i, 0, 0);
        for (int i = 0; i < N; i++) y[i] = Math.floorMod(Rng.bits(2, 8, i, 0, 0), 3L);
        return Dataset.of(Tensor.of(x, N, 5), Tensor.of(y, N));
    }

    /** Each sample's own (unweighted) loss: the evaluation loss of a batch of that sample alone. */
    private static double[] sampleLosses(CompiledModel m, Dataset d) {
        double[] l = new double[N];
        try (Session s = m.newSession(1, 1)) {
            for (int i = 0; i < N; i++) {
                s.load(d, new int[] {i}, 0, 1);
                l[i] = s.evalStep(1);
            }
        }
        return l;
    }

    @ParameterizedTest(name = "{0} thread(s)")
    @ValueSource(ints = {1, 2})
    void eachSampleWeighsByItsClassAndTheBatchMeanDividesByItsSize(int threads) {
        CompiledModel m = Models.load(MODEL, Dtype.F64);
        m.initialize(3);
        Dataset d = data();
        double[] l = sampleLosses(m, d);
        int[] y = d.target().toIntArray();
        double weighted = 0, plain = 0;
        for (int i = 0; i < N; i++) {
            weighted += WEIGHT[y[i]] * l[i];
            plain += l[i];
        }
        try (Session s = m.newSession(N, threads)) {
            assertEquals(threads, s.threads());
            s.load(d, null, 0, N);
            assertEquals(weighted / N, s.gradStep(N), 1e-12, "a training step's loss");
            double[] sums = new double[1];
            s.addMetricSums(N, sums);
            assertEquals(plain / N, s.evalStep(N), 1e-12, "evaluation is unweighted");
            double[] evalSums = new double[1];
            s.addMetricSums(N, evalSums);
            assertEquals(evalSums[0], sums[0], 0, "the compiled metrics are unweighted");
        }
    }

    @ParameterizedTest(name = "{0} thread(s)")
    @ValueSource(ints = {1, 2})
    void withIgnoreClassTheWeightedSumDividesByThePresentSamples(int threads) {
        CompiledModel m = Models.load(IGNORING, Dtype.F64);
        m.initialize(3);
        Dataset d = data();
        int[] y = d.target().toIntArray();
        // an ignored sample's own loss is 0; the present ones' are what a batch of one gives
        double[] l = sampleLosses(m, d);
        double weighted = 0;
        int present = 0;
        for (int i = 0; i < N; i++) {
            if (y[i] == 1) continue;
            weighted += WEIGHT[y[i]] * l[i];
            present++;
        }
        try (Session s = m.newSession(N, threads)) {
            s.load(d, null, 0, N);
            assertEquals(weighted / present, s.gradStep(N), 1e-12);
        }
    }
}
