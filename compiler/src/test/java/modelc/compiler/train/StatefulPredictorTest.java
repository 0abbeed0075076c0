package modelc.compiler.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import modelc.compiler.codegen.Dtype;
import modelc.compiler.testing.Models;
import modelc.runtime.Predictor;
import modelc.runtime.Rng;
import modelc.runtime.StatefulPredictor;
import modelc.runtime.Tensor;
import modelc.runtime.train.CompiledModel;
import modelc.runtime.train.ModelSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Predicting with a stateful model as Keras's {@code predict_on_batch} does: the generated predictor is a
 * {@link StatefulPredictor} whose batches continue the sequences of the batches before, row by row, until
 * {@code resetStates}; the thread-shared {@link Predictor} refuses such a model.
 */
class StatefulPredictorTest {
    private static final int B = 4;

    /** A model over batches of {@code B} sequences of {@code steps} steps of 2 features, with its recurrent layer stateful or not. */
    private static CompiledModel load(String layer, int steps, boolean stateful) {
        String source = "sequential S {\n    input x: float[" + steps + ", 2]" + (stateful ? ", batch_size=" + B : "") + "\n    "
                + (stateful ? layer.replace(")", ", stateful=true)") : layer) + "\n    Dense(3)\n    compile(loss=mse, optimizer=sgd)\n}\n";
        CompiledModel m = Models.load(source, Dtype.F32);
        Map<String, Tensor> w = new LinkedHashMap<>();
        int k = 0;
        for (ModelSpec.ParamSpec p : m.spec().params()) {
            float[] v = new float[p.size()];
            for (int i = 0; i < v.length; i++) v[i] = (float) (0.5 * Rng.normal(3, k, i, 0, 0));
            w.put(p.key(), Tensor.of(v, p.shape()));
            k++;
        }
        m.setWeights(w);
        return m;
    }

    /** The generated {@code SPredictor.of(model)}. */
    private static Object generated(CompiledModel m) throws ReflectiveOperationException {
        Class<?> cls = m.getClass().getClassLoader().loadClass("modelc.test.SPredictor");
        return cls.getMethod("of", m.getClass()).invoke(null, m);
    }

    private static StatefulPredictor stateful(String layer) throws ReflectiveOperationException {
        return (StatefulPredictor) generated(load(layer, 3, true));
    }

    /** {@code B} sequences: row r holds steps [from, from + steps) of sequence r. */
    private static float[][] rows(int from, int steps) {
        float[][] x = new float[B][steps * 2];
        for (int r = 0; r < B; r++) {
            for (int t = 0; t < steps; t++) for (int f = 0; f < 2; f++) x[r][t * 2 + f] = (float) Rng.normal(7, r, from + t, f, 0);
        }
        return x;
    }

    private static void assertRowsEqual(float[][] expected, float[][] actual, float tol) {
        for (int r = 0; r < expected.length; r++) assertArrayEquals(expected[r], actual[r], tol, "row " + r);
    }

    /** Two consecutive batches of 3 steps give what the same weights give on the 6 steps at once: the states carry. */
    @ParameterizedTest
    @ValueSource(strings = {"SimpleRNN(4)", "GRU(4)", "LSTM(3)"})
    void consecutiveBatchesContinueTheSequences(String layer) throws ReflectiveOperationException {
        StatefulPredictor p = stateful(layer);
        Predictor whole = (Predictor) generated(load(layer, 6, false));
        assertEquals(B, p.batchSize());
        float[][] first = p.predictBatch(rows(0, 3));
        float[][] second = p.predictBatch(rows(3, 3));
        float[][] expected = new float[B][3];
        whole.predictBatch(rows(0, 6), expected);
        assertRowsEqual(expected, second, 1e-5f);
        // resetStates starts new sequences: the first batch's answer again; the second batch alone differs
        p.resetStates();
        assertRowsEqual(first, p.predictBatch(rows(0, 3)), 0f);
        p.resetStates();
        assertFalse(Arrays.equals(second[0], p.predictBatch(rows(3, 3))[0]), "the carried states change the answer");
    }

    /** states()/setStates() save and restore a stream; newStream() starts another from zero, sharing the weights. */
    @Test
    void aStreamIsSavedAndRestored() throws ReflectiveOperationException {
        StatefulPredictor p = stateful("LSTM(3)");
        float[][] first = p.predictBatch(rows(0, 3));
        Map<String, Tensor> saved = p.states();
        assertEquals(List.of("lstm.states.0", "lstm.states.1"), List.copyOf(saved.keySet()));
        assertArrayEquals(new int[] {B, 3}, saved.get("lstm.states.0").shape());
        float[][] second = p.predictBatch(rows(3, 3));
        StatefulPredictor other = p.newStream();
        assertRowsEqual(first, other.predictBatch(rows(0, 3)), 0f);
        p.setStates(saved);
        assertRowsEqual(second, p.predictBatch(rows(3, 3)), 0f);
        var e = assertThrows(IllegalArgumentException.class, () -> p.setStates(Map.of()));
        assertTrue(e.getMessage().startsWith("setStates needs lstm.states.0 of shape [4, 3]"), e.getMessage());
    }

    /** A batch of another size fails, names the batch size, and leaves the states as they were. */
    @Test
    void aBatchOfAnotherSizeFails() throws ReflectiveOperationException {
        StatefulPredictor p = stateful("GRU(4)");
        float[][] first = p.predictBatch(rows(0, 3));
        float[][] second = p.predictBatch(rows(3, 3));
        p.resetStates();
        p.predictBatch(rows(0, 3));
        var e = assertThrows(IllegalArgumentException.class, () -> p.predictBatch(Arrays.copyOf(rows(3, 3), 3)));
        assertEquals("S predicts batches of exactly 4 rows (its inputs' batch_size), whose row i continues row i of the batch before,"
                + " as Keras's stateful layers do; got 3 rows", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> p.predictBatch(rows(3, 3), new float[8][3]));
        assertEquals("out has 8 rows for a batch of 4", e.getMessage());
        float[][] bad = rows(3, 3);
        bad[3] = new float[5];
        e = assertThrows(IllegalArgumentException.class, () -> p.predictBatch(bad));
        assertEquals("a sample has 6 values, got 5", e.getMessage());
        assertRowsEqual(second, p.predictBatch(rows(3, 3)), 0f);
        assertFalse(Arrays.equals(first[0], second[0]));
    }

    /** Token inputs: an Embedding before the stateful layer. */
    @Test
    void tokenRowsCarryTheirStates() throws ReflectiveOperationException {
        CompiledModel m = Models.load("""
                sequential S {
                    input x: int[3], batch_size=4
                    Embedding(10, 3)
                    GRU(4, stateful=true)
                    Dense(2)
                    compile(loss=mse, optimizer=sgd)
                }
                """, Dtype.F32);
        m.initialize(5);
        StatefulPredictor p = (StatefulPredictor) generated(m);
        int[][] ids = {{1, 2, 3}, {4, 5, 6}, {7, 8, 9}, {0, 1, 2}};
        float[][] first = p.predictBatch(ids);
        assertFalse(Arrays.equals(first[0], p.predictBatch(ids)[0]), "the second batch starts from the first's states");
        p.resetStates();
        assertRowsEqual(first, p.predictBatch(ids), 0f);
        assertThrows(IllegalArgumentException.class, () -> p.predictBatch(new int[][] {{1, 2, 3}}));
    }

    /** The thread-shared predictor would mix the states of threads and chunks: it refuses, pointing to the stateful one. */
    @Test
    void thePlainPredictorRefusesAStatefulModel() {
        CompiledModel m = load("GRU(4)", 3, true);
        var e = assertThrows(IllegalArgumentException.class, () -> new Predictor(m) {});
        assertEquals("S has stateful recurrent layers: their states carry from each batch of exactly 4 rows to the next, which a predictor"
                + " shared by threads cannot keep; predict through a StatefulPredictor (one per stream of batches), as the generated"
                + " SPredictor does", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new StatefulPredictor(load("GRU(4)", 3, false)) {});
        assertEquals("S has no stateful layers: predict through a Predictor", e.getMessage());
    }
}
