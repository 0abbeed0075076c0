package modelc.compiler.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import modelc.compiler.codegen.Dtype;
import modelc.compiler.testing.Models;
import modelc.runtime.Rng;
import modelc.runtime.Tensor;
import modelc.runtime.data.Dataset;
import modelc.runtime.train.CompiledModel;
import modelc.runtime.train.Session;
import org.junit.jupiter.api.Test;

/**
 * A GRU or LSTM with recurrent_dropout runs Keras's implementation 1 (a mask per gate) in training, but a step
 * without dropout (prediction, evaluation, a gradient without dropout) multiplies by all gates' columns at once and
 * skips the gates' dropped copies: it must compute what the same layers without dropout (implementation 2) compute.
 */
class PerGateInferenceTest {
    private static final String MASKED = """
            GRU(4, dropout=0.3, recurrent_dropout=0.4, return_sequences=true)
            GRU(3, reset_after=false, dropout=0.2, recurrent_dropout=0.5, return_sequences=true)
            LSTM(3, dropout=0.2, recurrent_dropout=0.3)
            Dense(2)""";
    private static final String PLAIN = """
            GRU(4, return_sequences=true)
            GRU(3, reset_after=false, return_sequences=true)
            LSTM(3)
            Dense(2)""";

    @Test
    void aStepWithoutDropoutComputesWhatTheLayersWithoutDropoutCompute() {
        String compile = "compile(loss=mse, optimizer=sgd)";
        CompiledModel masked = Models.load(Models.sequential("6, 3", MASKED, compile), Dtype.F64);
        CompiledModel plain = Models.load(Models.sequential("6, 3", PLAIN, compile), Dtype.F64);
        masked.initialize(3);
        plain.setWeights(masked.weights());
        int n = 5;
        double[] x = new double[n * 6 * 3], y = new double[n * 2];
        for (int i = 0; i < x.length; i++) x[i] = Rng.normal(4, i, 0, 0, 0);
        for (int i = 0; i < y.length; i++) y[i] = Rng.normal(5, i, 0, 0, 0);
        Dataset data = new Dataset(Map.of("x", Tensor.of(x, n, 6, 3)), Tensor.of(y, n, 2));
        try (Session m = masked.newSession(n); Session p = plain.newSession(n); Session mi = masked.newInferenceSession(n)) {
            m.load(data, null, 0, n);
            p.load(data, null, 0, n);
            mi.load(data, null, 0, n);
            p.predictStep(n);
            double[] expected = p.output(n).toDoubleArray();
            m.predictStep(n);
            assertArrayEquals(expected, m.output(n).toDoubleArray(), 1e-12, "predictStep, training session");
            mi.predictStep(n);
            assertArrayEquals(expected, mi.output(n).toDoubleArray(), 1e-12, "predictStep, inference session");
            assertEquals(p.evalStep(n), m.evalStep(n), 1e-12, "evalStep");
            // A gradient without dropout: the weight gradients of the gate products read the undropped values.
            assertEquals(p.gradStep(n, false), m.gradStep(n, false), 1e-12, "gradStep without dropout: loss");
            Map<String, Tensor> gp = p.gradients(), gm = m.gradients();
            assertEquals(gp.keySet(), gm.keySet());
            for (String k : gp.keySet()) assertArrayEquals(gp.get(k).toDoubleArray(), gm.get(k).toDoubleArray(), 1e-12, "gradient of " + k);
            // With dropout the masks apply (and the prediction after it is again the undropped one).
            assertTrue(Math.abs(m.gradStep(n, true) - p.gradStep(n, false)) > 1e-6, "dropout changes the loss of a training step");
            m.predictStep(n);
            assertArrayEquals(expected, m.output(n).toDoubleArray(), 1e-12, "predictStep after a training step's forward pass");
        }
    }
}
