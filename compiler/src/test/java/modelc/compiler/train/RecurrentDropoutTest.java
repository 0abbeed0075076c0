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

    /**
     * Keras 3 runs a GRU as "implementation 1" when recurrent_dropout is set: each gate then draws its own input mask;
     * otherwise one mask serves all gates. A GRU with one unit sees it: with the update and candidate gates reading
     * the sum of the same inputs, h = (1 - σ(a·k_z))·tanh(a·k_h) where k_z and k_h count the inputs each gate keeps.
     */
    @Test
    void gatesDrawTheirOwnInputMasksWhenRecurrentDropoutIsSet() {
        assertEquals(32, rowsWithOneMaskForBothGates("dropout=0.5"));
        assertEquals(32, rowsWithOneMaskForBothGates("dropout=0.5, implementation=2"));
        assertTrue(rowsWithOneMaskForBothGates("dropout=0.5, recurrent_dropout=0.3") < 8);
        assertTrue(rowsWithOneMaskForBothGates("dropout=0.5, implementation=1") < 8);
    }

    /** Of 32 rows, those whose output is (1 - σ(a·k))·tanh(a·k) for one count k (one mask for both gates). */
    private static int rowsWithOneMaskForBothGates(String args) {
        int f = 64, rows = 32;
        double a = 0.02;  // each kept input adds 2 · 0.01: nothing saturates
        CompiledModel m = Models.load(Models.sequential("1, " + f, "GRU(1, use_bias=false, " + args + ")",
                "compile(loss=mse, optimizer=sgd)"), Dtype.F64);
        m.initialize(1);
        double[] kernel = new double[f * 3];
        for (int i = 0; i < f; i++) {
            kernel[i * 3] = 1;      // update gate z
            kernel[i * 3 + 2] = 1;  // candidate h (the reset gate's column stays 0)
        }
        m.setWeights(Map.of("gru.kernel", Tensor.of(kernel, f, 3), "gru.recurrent_kernel", Tensor.of(new double[3], 1, 3)));
        double[] x = new double[rows * f];
        java.util.Arrays.fill(x, 0.01);
        Dataset data = new Dataset(Map.of("x", Tensor.of(x, rows, 1, f)), Tensor.of(new double[rows], rows, 1));
        try (Session s = m.newSession(rows, 1)) {
            s.load(data, null, 0, rows);
            s.gradStep(rows, true);
            double[] out = s.output(rows).toDoubleArray();
            int same = 0;
            for (double h : out) {
                for (int k = 0; k <= f; k++) {
                    if (Math.abs(h - (1 - 1 / (1 + Math.exp(-a * k))) * Math.tanh(a * k)) < 1e-12) {
                        same++;
                        break;
                    }
                }
            }
            return same;
        }
    }

    /**
     * Keras's Bidirectional runs a copy of the layer over the reversed sequence, and each copy draws its own masks: the
     * two directions of a linear SimpleRNN with the identity as kernel give the dropped inputs, with different masks.
     */
    @Test
    void theDirectionsOfABidirectionalDrawTheirOwnMasks() {
        int steps = 3, f = 8, rows = 16;
        CompiledModel m = Models.load(Models.sequential(steps + ", " + f,
                "Bidirectional(SimpleRNN(" + f + ", activation=linear, use_bias=false, dropout=0.5, recurrent_dropout=0.5, return_sequences=true))",
                "compile(loss=mse, optimizer=sgd)"), Dtype.F64);
        m.initialize(1);
        double[] eye = new double[f * f];
        for (int i = 0; i < f; i++) eye[i * f + i] = 1;
        Tensor zero = Tensor.of(new double[f * f], f, f);
        m.setWeights(Map.of("bidirectional.forward.kernel", Tensor.of(eye, f, f), "bidirectional.forward.recurrent_kernel", zero,
                "bidirectional.backward.kernel", Tensor.of(eye, f, f), "bidirectional.backward.recurrent_kernel", zero));
        double[] x = new double[rows * steps * f];
        java.util.Arrays.fill(x, 1);
        Dataset data = new Dataset(Map.of("x", Tensor.of(x, rows, steps, f)), Tensor.of(new double[rows * steps * 2 * f], rows, steps, 2 * f));
        try (Session s = m.newSession(rows, 1)) {
            s.load(data, null, 0, rows);
            s.gradStep(rows, true);
            double[] out = s.output(rows).toDoubleArray();
            int differ = 0;
            for (int r = 0; r < rows; r++) {
                for (int j = 0; j < f; j++) {
                    double fw = out[(r * steps) * 2 * f + j], bw = out[(r * steps) * 2 * f + f + j];
                    assertTrue((fw == 0 || fw == 2) && (bw == 0 || bw == 2), "row " + r + ": " + fw + ", " + bw);
                    if (fw != bw) differ++;
                }
            }
            // with independent masks about half of the 128 pairs differ; with one mask for both none would
            assertTrue(differ > 32, differ + " of " + rows * f + " (row, feature) pairs differ between the directions");
        }
    }
}
