package modelc.compiler.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Field;
import java.util.LinkedHashMap;
import java.util.Map;
import modelc.compiler.codegen.Dtype;
import modelc.compiler.testing.Models;
import modelc.runtime.Rng;
import modelc.runtime.Tensor;
import modelc.runtime.data.Dataset;
import modelc.runtime.train.CompiledModel;
import modelc.runtime.train.ModelSpec;
import modelc.runtime.train.Session;
import org.junit.jupiter.api.Test;

/**
 * Backpropagation through 200 steps of a GRU whose update gate stays near 1/2 halves the state's
 * gradient at every step, down through the subnormal range (2^-126 after 126 steps). The generated
 * backward loop flushes such values to zero, so none is left in the step's arena or gradients.
 */
class SubnormalTest {
    private static final String MODEL = """
            sequential LongGru {
                input x: float[200, 4]
                GRU(8)
                Dense(1)
                compile(loss=mse, optimizer=sgd)
            }
            """;

    @Test
    void noSubnormalValueSurvivesALongGruBackwardPass() throws ReflectiveOperationException {
        CompiledModel m = Models.load(MODEL, Dtype.F32);
        Map<String, Tensor> w = new LinkedHashMap<>();
        int k = 0;
        for (ModelSpec.ParamSpec p : m.spec().params()) {
            float[] v = new float[p.size()];
            // Small weights: every gate near sigmoid(0) = 1/2, the candidate near 0.
            for (int i = 0; i < v.length; i++) v[i] = (float) (0.05 * Rng.normal(7, k, i, 0, 0));
            w.put(p.key(), Tensor.of(v, p.shape()));
            k++;
        }
        m.setWeights(w);
        int n = 4;
        float[] x = new float[n * 200 * 4];
        for (int i = 0; i < x.length; i++) x[i] = (float) Rng.normal(8, 1, i, 0, 0);
        Dataset data = new Dataset(Map.of("x", Tensor.of(x, n, 200, 4)), Tensor.of(new float[] {1, -1, 1, -1}, n, 1));
        try (Session s = m.newSession(n, 1)) {
            s.load(data, null, 0, n);
            s.gradStep(n, false);
            float[] arena = arenaOf(s);
            int subnormal = 0, zeros = 0;
            for (float v : arena) {
                if (v != 0 && Math.abs(v) < Float.MIN_NORMAL) subnormal++;
                if (v == 0) zeros++;
            }
            assertEquals(0, subnormal, "subnormal values in the arena");
            // The gradient did decay: the earliest steps' state gradients were flushed to exactly zero.
            assertTrue(zeros > 1000, "expected flushed zeros, found " + zeros);
            for (Tensor g : s.gradients().values()) {
                for (long i = 0; i < g.size(); i++) {
                    double v = g.getDouble(i);
                    assertTrue(v == 0 || Math.abs(v) >= Float.MIN_NORMAL, "subnormal gradient " + v);
                }
            }
        }
    }

    /** The generated session's first part's arena (Run.parts[0].a). */
    private static float[] arenaOf(Session s) throws ReflectiveOperationException {
        Field parts = s.getClass().getDeclaredField("parts");
        parts.setAccessible(true);
        Object part = ((Object[]) parts.get(s))[0];
        Field a = part.getClass().getDeclaredField("a");
        a.setAccessible(true);
        return (float[]) a.get(part);
    }
}
