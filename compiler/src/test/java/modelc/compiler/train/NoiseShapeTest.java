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

/** Keras's Dropout(noise_shape): one draw shared along every axis whose entry is 1, scaled by 1/(1 - rate). */
class NoiseShapeTest {
    private static final int ROWS = 8, STEPS = 5, F = 6;

    /** The training-mode output of Dropout(0.5, noise_shape=...) of ones: each entry 0 or 2. */
    private static double[] dropped(String noise) {
        CompiledModel m = Models.load(Models.sequential(STEPS + ", " + F, "Dropout(0.5, noise_shape=" + noise + ")",
                "compile(loss=mse, optimizer=sgd)"), Dtype.F64);
        m.initialize(1);
        double[] x = new double[ROWS * STEPS * F];
        java.util.Arrays.fill(x, 1);
        Dataset data = new Dataset(Map.of("x", Tensor.of(x, ROWS, STEPS, F)), Tensor.of(new double[x.length], ROWS, STEPS, F));
        try (Session s = m.newSession(ROWS, 1)) {
            s.load(data, null, 0, ROWS);
            s.gradStep(ROWS, true);
            double[] y = s.output(ROWS).toDoubleArray();
            for (double v : y) assertTrue(v == 0 || v == 2, "not 0 or 2: " + v);
            return y;
        }
    }

    /** Whether the draws are the same along the axes marked true (batch, steps, features) and differ along some other. */
    private static void check(String noise, boolean batch, boolean steps, boolean features) {
        double[] y = dropped(noise);
        int differ = 0;
        for (int r = 0; r < ROWS; r++) {
            for (int t = 0; t < STEPS; t++) {
                for (int f = 0; f < F; f++) {
                    double v = y[(r * STEPS + t) * F + f];
                    int r0 = batch ? 0 : r, t0 = steps ? 0 : t, f0 = features ? 0 : f;
                    assertEquals(y[(r0 * STEPS + t0) * F + f0], v, noise + " at " + r + ", " + t + ", " + f);
                    if (v != y[0]) differ++;
                }
            }
        }
        assertTrue(differ > 0, noise + ": every draw the same");
    }

    @Test
    void drawsAreSharedAlongTheAxesOfSizeOne() {
        check("(None, 1, " + F + ")", false, true, false);
        check("(None, " + STEPS + ", 1)", false, false, true);
        check("(1, None, None)", true, false, false);
        check("(None, 1, 1)", false, true, true);
        check("(None, None, None)", false, false, false);
    }
}
