package modelc.compiler.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import modelc.compiler.codegen.Dtype;
import modelc.compiler.testing.Models;
import modelc.runtime.Tensor;
import modelc.runtime.data.Dataset;
import modelc.runtime.train.CompiledModel;
import modelc.runtime.train.Session;
import org.junit.jupiter.api.Test;

/**
 * A recurrent layer's input dropout is variational, as in Keras: one mask per sequence and feature, the
 * same at every step, scaled by 1/(1 - rate), and a new one each training step.
 */
class RecurrentDropoutTest {
    @Test
    void inputDropoutKeepsOneMaskPerSequenceForEveryStep() {
        int steps = 6, f = 4, rows = 16;
        // A linear SimpleRNN with the identity as kernel and no recurrence: output step t is the dropped x_t.
        CompiledModel m = Models.load(Models.sequential(steps + ", " + f,
                "SimpleRNN(" + f + ", activation=linear, use_bias=false, dropout=0.5, return_sequences=true)",
                "compile(loss=mse, optimizer=SGD(learning_rate=1e-30))"), Dtype.F64);
        m.initialize(1);
        double[] eye = new double[f * f];
        for (int i = 0; i < f; i++) eye[i * f + i] = 1;
        m.setWeights(Map.of("simple_rnn.kernel", Tensor.of(eye, f, f), "simple_rnn.recurrent_kernel", Tensor.of(new double[f * f], f, f)));
        double[] x = new double[rows * steps * f];
        for (int i = 0; i < x.length; i++) x[i] = 1 + i % 3;
        Dataset data = new Dataset(Map.of("x", Tensor.of(x, rows, steps, f)), Tensor.of(new double[x.length], rows, steps, f));
        try (Session s = m.newSession(rows, 1)) {
            s.load(data, null, 0, rows);
            s.gradStep(rows, true);
            double[] first = s.output(rows).toDoubleArray();
            int kept = 0;
            for (int r = 0; r < rows; r++) {
                for (int j = 0; j < f; j++) {
                    boolean keep = first[(r * steps) * f + j] != 0;
                    if (keep) kept++;
                    for (int t = 0; t < steps; t++) {
                        int i = (r * steps + t) * f + j;
                        assertEquals(keep ? 2 * x[i] : 0, first[i], 1e-12, "row " + r + ", step " + t + ", feature " + j);
                    }
                }
            }
            assertTrue(kept > rows * f / 4 && kept < rows * f * 3 / 4, kept + " of " + rows * f + " kept");
            s.trainStep(rows);  // the next step draws new masks (the weights barely move: the learning rate is 1e-30)
            s.gradStep(rows, true);
            double[] second = s.output(rows).toDoubleArray();
            int differ = 0;
            for (int i = 0; i < x.length; i++) {
                boolean dropped = Math.abs(second[i]) < 1e-12;
                assertTrue(dropped || Math.abs(second[i] - 2 * x[i]) < 1e-12, "element " + i + ": " + second[i]);
                if ((first[i] == 0) != dropped) differ++;
            }
            assertTrue(differ > 0, "the masks of two steps are the same");
        }
    }
}
