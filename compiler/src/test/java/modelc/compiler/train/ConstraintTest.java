package modelc.compiler.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.Map;
import modelc.compiler.codegen.Dtype;
import modelc.compiler.testing.Models;
import modelc.runtime.Tensor;
import modelc.runtime.data.Dataset;
import modelc.runtime.train.CompiledModel;
import modelc.runtime.train.Session;
import org.junit.jupiter.api.Test;

/**
 * Weight constraints as Keras 3 applies them: after each optimizer update, on the whole weight. The expected
 * weights are Keras 3.15.1's (JAX backend) after one {@code train_on_batch} of SGD(0.5) from the same weights
 * and batch (the values below are its output, printed as float32).
 */
class ConstraintTest {
    private static final String MODEL = Models.sequential("3, 2", """
            Conv1D(2, 2, kernel_constraint=MinMaxNorm(0.2, 0.6, rate=0.5, axis=[0, 1]), bias_constraint=NonNeg())
            Flatten()
            Dense(3, kernel_constraint=MaxNorm(0.3), bias_constraint=non_neg)
            Dense(2, kernel_constraint=UnitNorm(axis=[0, 1]))""", "compile(loss=mse, optimizer=SGD(learning_rate=0.5))");

    private static final Map<String, float[]> KERAS = new LinkedHashMap<>();
    static {
        KERAS.put("conv1d.kernel", new float[] {-0.5106296539306641f, 0.142909437417984f, -0.2975955605506897f, 0.3615439832210541f,
                -0.05750712379813194f, -0.4510836899280548f, 0.1824425756931305f, -0.23595713078975677f});
        KERAS.put("conv1d.bias", new float[] {0.0f, 0.1795666217803955f});
        KERAS.put("dense.kernel", new float[] {-0.2404211461544037f, 0.13984012603759766f, 0.02540729008615017f, -0.03642205521464348f,
                -0.17568178474903107f, 0.25521183013916016f, 0.057586438953876495f, -0.02011626772582531f, -0.13606739044189453f,
                -0.16599667072296143f, 0.19792917370796204f, 0.07554496079683304f});
        KERAS.put("dense.bias", new float[] {0.0f, 0.5452897548675537f, 0.3734886050224304f});
        KERAS.put("dense_1.kernel", new float[] {-0.4378450810909271f, 0.3549652099609375f, 0.4123115837574005f, 0.4538798928260803f,
                0.3233439028263092f, 0.44914573431015015f});
        KERAS.put("dense_1.bias", new float[] {-0.6063101887702942f, -0.22567811608314514f});
    }

    /** The script's values: ((i·a) mod b − c) / 20. */
    private static float[] values(int n, int a, int b, int c) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (float) (((i * a) % b - c) / 20.0);
        return v;
    }

    @Test
    void constrainedWeightsAfterAStepAreKerass() {
        CompiledModel m = Models.load(MODEL, Dtype.F32);
        m.initialize(1);
        int[][] shapes = {{2, 2, 2}, {2}, {4, 3}, {3}, {3, 2}, {2}};
        Map<String, Tensor> w = new LinkedHashMap<>();
        int k = 0;
        for (String key : KERAS.keySet()) {
            int[] s = shapes[k];
            int n = 1;
            for (int d : s) n *= d;
            w.put(key, Tensor.of(values(n, 37 + 2 * k, 23, 11), s));
            k++;
        }
        m.setWeights(w);
        Dataset batch = new Dataset(Map.of("x", Tensor.of(values(24, 13, 17, 8), 4, 3, 2)), Tensor.of(values(8, 7, 11, 5), 4, 2));
        try (Session s = m.newSession(4, 1)) {
            s.load(batch, null, 0, 4);
            s.trainStep(4);
        }
        Map<String, Tensor> after = m.weights();
        for (Map.Entry<String, float[]> e : KERAS.entrySet()) {
            double[] got = after.get(e.getKey()).toDoubleArray();
            for (int i = 0; i < got.length; i++) assertEquals(e.getValue()[i], got[i], 2e-6, e.getKey() + "[" + i + "]");
        }
    }
}
