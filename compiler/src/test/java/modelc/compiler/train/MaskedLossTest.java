package modelc.compiler.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import modelc.compiler.codegen.Dtype;
import modelc.compiler.testing.Models;
import modelc.runtime.Tensor;
import modelc.runtime.data.Dataset;
import modelc.runtime.train.CompiledModel;
import modelc.runtime.train.Session;
import org.junit.jupiter.api.Test;

/**
 * A masked loss is the mean over the present time steps of the whole batch, and the metrics are
 * means over the same steps, whether read after a training step or an evaluation step.
 */
class MaskedLossTest {
    private static final String MODEL = """
            sequential M {
                input t: int[4]
                Embedding(5, 3, mask_zero=true)
                SimpleRNN(3, return_sequences=true)
                TimeDistributed(Dense(2, activation=softmax))
                compile(loss=SparseCategoricalCrossentropy(ignore_class=-1), optimizer=SGD(learning_rate=1e-300), metrics=[accuracy])
            }
            """;

    /** Rows: 2 present steps; 2 present (one padded, one ignored); 4 present: 8 in all. */
    private static Dataset batch() {
        Tensor ids = Tensor.of(new int[] {1, 2, 0, 0, 3, 4, 2, 0, 1, 1, 2, 3}, 3, 4);
        Tensor target = Tensor.of(new int[] {0, 1, 1, 1, 1, -1, 0, 0, 1, 0, 1, 0}, 3, 4);
        return new Dataset(Map.of("t", ids), target);
    }

    @Test
    void lossAndMetricsCountOnlyPresentSteps() {
        CompiledModel m = Models.load(MODEL, Dtype.F64);
        m.initialize(1);
        Dataset data = batch();
        try (Session s = m.newSession(3)) {
            s.load(data, null, 0, 3);
            double evalLoss = s.evalStep(3);
            double[] evalSums = new double[1];
            s.addMetricSums(3, evalSums);
            assertEquals(8, s.metricWeight(3));
            Tensor out = s.output(3);
            // The loss by hand: -log p(target) averaged over the 8 present steps.
            int[][] present = {{0, 1}, {0, 2}, {0, 1, 2, 3}};
            int[] targets = {0, 1, 1, 1, 1, -1, 0, 0, 1, 0, 1, 0};
            double sum = 0, correct = 0;
            for (int r = 0; r < 3; r++) {
                for (int t : present[r]) {
                    int y = targets[r * 4 + t];
                    double p0 = out.getDouble(r * 8 + t * 2), p1 = out.getDouble(r * 8 + t * 2 + 1);
                    sum -= Math.log(y == 0 ? p0 : p1);
                    if ((p1 > p0 ? 1 : 0) == y) correct++;
                }
            }
            assertEquals(sum / 8, evalLoss, 1e-12);
            assertEquals(correct, evalSums[0], 1e-12);
            // After a training step (a learning rate of 1e-300) the metrics read the same present steps.
            s.load(data, null, 0, 3);
            assertEquals(evalLoss, s.trainStep(3), 1e-12);
            double[] trainSums = new double[1];
            s.addMetricSums(3, trainSums);
            assertEquals(8, s.metricWeight(3));
            assertEquals(evalSums[0], trainSums[0], 1e-12);
        }
    }

    /** Masking: steps whose features all equal mask_value keep the recurrent state and leave the loss. */
    @Test
    void maskingKeepsStatesAndLeavesStepsOutOfTheLoss() {
        CompiledModel m = Models.load("""
                sequential K {
                    input x: float[4, 2]
                    Masking(mask_value=0.0)
                    SimpleRNN(3, return_sequences=true)
                    Dense(1)
                    compile(loss=mse, optimizer=sgd, metrics=[mae])
                }
                """, Dtype.F64);
        m.initialize(2);
        // Row 0: steps 1 and 3 are padding; row 1: none.
        double[] x = {0.5, -1, 0, 0, 1, 2, 0, 0, 0.3, 0.1, -0.2, 0.7, 1, 1, -1, 0.5};
        Dataset data = new Dataset(Map.of("x", Tensor.of(x, 2, 4, 2)), Tensor.of(new double[8], 2, 4, 1));
        try (Session s = m.newSession(2)) {
            s.load(data, null, 0, 2);
            double loss = s.evalStep(2);
            assertEquals(6, s.metricWeight(2));
            Tensor y = s.output(2);
            // A masked step repeats the previous output.
            assertEquals(y.getDouble(0), y.getDouble(1), 0);
            assertEquals(y.getDouble(2), y.getDouble(3), 0);
            double sum = 0;
            for (int i : new int[] {0, 2, 4, 5, 6, 7}) sum += y.getDouble(i) * y.getDouble(i);
            assertEquals(sum / 6, loss, 1e-12);
        }
    }
}
