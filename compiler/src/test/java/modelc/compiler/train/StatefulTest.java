package modelc.compiler.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import modelc.compiler.Compiler;
import modelc.compiler.codegen.Dtype;
import modelc.compiler.diag.CompileException;
import modelc.compiler.diag.Diagnostics;
import modelc.compiler.testing.Models;
import modelc.runtime.Rng;
import modelc.runtime.Tensor;
import modelc.runtime.data.Dataset;
import modelc.runtime.train.CompiledModel;
import modelc.runtime.train.ModelSpec;
import modelc.runtime.train.Session;
import modelc.runtime.train.Trainer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Keras's stateful=True: each batch's rows continue the sequences of the previous batch's rows,
 * from the states that batch left; gradients stop at the batch (truncated BPTT); the batch size
 * is fixed on the input; reset_state() zeroes the states.
 */
class StatefulTest {
    /** A model whose recurrent layer runs over 3 steps of 2 features, stateful or not, in batches of {@code b}. */
    private static String model(String layer, int steps, int b, boolean stateful) {
        return "sequential S {\n    input x: float[" + steps + ", 2]" + (stateful ? ", batch_size=" + b : "") + "\n    "
                + layer.replace("STATEFUL", stateful ? ", stateful=true" : "") + "\n    Dense(1)\n    compile(loss=mse, optimizer=sgd)\n}\n";
    }

    private static final List<String> LAYERS = List.of("SimpleRNN(4STATEFUL)", "GRU(4STATEFUL)", "GRU(4, reset_after=false, go_backwards=trueSTATEFUL)",
            "LSTM(3STATEFUL)", "RNN(LSTMCell(3)STATEFUL)", "Bidirectional(GRU(3STATEFUL))");

    private static Map<String, Tensor> weights(ModelSpec spec) {
        Map<String, Tensor> w = new LinkedHashMap<>();
        int k = 0;
        for (ModelSpec.ParamSpec p : spec.params()) {
            double[] v = new double[p.size()];
            for (int i = 0; i < v.length; i++) v[i] = 0.5 * Rng.normal(3, k, i, 0, 0);
            w.put(p.key(), Tensor.of(v, p.shape()));
            k++;
        }
        return w;
    }

    /** {@code n} sequences of {@code steps} steps; batch {@code part} of a split holds steps [part·steps, (part+1)·steps) of each. */
    private static Dataset data(int n, int steps, int from) {
        double[] x = new double[n * steps * 2], y = new double[n];
        for (int r = 0; r < n; r++) {
            for (int t = 0; t < steps; t++) for (int f = 0; f < 2; f++) x[(r * steps + t) * 2 + f] = Rng.normal(7, r, from + t, f, 0);
            y[r] = Rng.normal(8, r, 0, 0, 0);
        }
        return new Dataset(Map.of("x", Tensor.of(x, n, steps, 2)), Tensor.of(y, n, 1));
    }

    /**
     * A forward layer run over two batches of 3 steps ends where the same layer run over the 6 steps
     * at once ends: the second batch starts from the first's final states, row by row. (A Bidirectional's
     * backward half reads each batch from its end, so it has no such identity; the Keras parity test covers it.)
     */
    @ParameterizedTest
    @ValueSource(strings = {"SimpleRNN(4STATEFUL)", "GRU(4STATEFUL)", "LSTM(3STATEFUL)", "RNN(LSTMCell(3)STATEFUL)"})
    void twoBatchesContinueTheSequences(String layer) {
        int b = 5;
        CompiledModel stateful = Models.load(model(layer, 3, b, true), Dtype.F64);
        CompiledModel whole = Models.load(model(layer, 6, b, false), Dtype.F64);
        Map<String, Tensor> w = weights(stateful.spec());
        stateful.setWeights(w);
        whole.setWeights(w);
        Dataset all = data(b, 6, 0);
        Session s = stateful.newSession(b);
        for (int part = 0; part < 2; part++) {
            double[] x = new double[b * 3 * 2];
            double[] src = all.features().get("x").doubles();
            for (int r = 0; r < b; r++) System.arraycopy(src, (r * 6 + part * 3) * 2, x, r * 3 * 2, 3 * 2);
            s.load(new Dataset(Map.of("x", Tensor.of(x, b, 3, 2)), all.target()), null, 0, b);
            s.predictStep(b);
        }
        Session t = whole.newSession(b);
        t.load(all, null, 0, b);
        t.predictStep(b);
        assertArrayEquals(t.output(b).doubles(), s.output(b).doubles(), 1e-12);
        // The states are the layer's final states: reset, they start again from zero.
        s.resetStates();
        for (Tensor st : s.states().values()) for (double v : st.doubles()) assertEquals(0, v);
    }

    /** A cell written in the language carries its declared states; a training step keeps them as a prediction step does. */
    @Test
    void aWrittenCellCarriesItsStates() {
        String cell = """
                cell Elman(units) {
                    state h: [units]
                    step(x: [d]) {
                        W = param([units + d, units]);  b = param([units], init=zeros)
                        h = tanh(concat(h, x) @ W + b)
                        return h
                    }
                }
                """;
        int b = 4;
        CompiledModel stateful = Models.load(cell + model("RNN(Elman(3)STATEFUL, name=\"elman\")", 3, b, true), Dtype.F64);
        CompiledModel whole = Models.load(cell + model("RNN(Elman(3)STATEFUL, name=\"elman\")", 6, b, false), Dtype.F64);
        Map<String, Tensor> w = weights(stateful.spec());
        stateful.setWeights(w);
        whole.setWeights(w);
        Dataset all = data(b, 6, 0);
        Session s = stateful.newSession(b);
        assertEquals(List.of("elman.states.0"), List.copyOf(s.states().keySet()));
        for (int part = 0; part < 2; part++) {
            double[] x = new double[b * 3 * 2];
            double[] src = all.features().get("x").doubles();
            for (int r = 0; r < b; r++) System.arraycopy(src, (r * 6 + part * 3) * 2, x, r * 3 * 2, 3 * 2);
            s.load(new Dataset(Map.of("x", Tensor.of(x, b, 3, 2)), all.target()), null, 0, b);
            if (part == 0) {
                s.trainStep(b);  // a training step keeps the final states too
                stateful.setWeights(w);  // and its update is undone: the identity below holds for fixed weights
            } else {
                s.predictStep(b);
            }
        }
        Session t = whole.newSession(b);
        t.load(all, null, 0, b);
        t.predictStep(b);
        assertArrayEquals(t.output(b).doubles(), s.output(b).doubles(), 1e-12);
    }

    /** Rows keep their own states when a batch is split across threads: the same numbers on one thread and on two. */
    @Test
    void threadsSplitTheRowsAndTheirStates() {
        int b = 64;
        CompiledModel m = Models.load(model("Bidirectional(LSTM(3STATEFUL))", 3, b, true), Dtype.F64);
        m.setWeights(weights(m.spec()));
        Session one = m.newSession(b, 1), two = m.newSession(b, 2), inference = m.newInferenceSession(b);
        assertEquals(2, two.threads());
        for (int k = 0; k < 3; k++) {
            Dataset d = data(b, 3, 3 * k);
            one.load(d, null, 0, b);
            two.load(d, null, 0, b);
            inference.load(d, null, 0, b);
            assertEquals(one.evalStep(b), two.evalStep(b), 1e-12);
            inference.predictStep(b);
            assertArrayEquals(one.output(b).doubles(), two.output(b).doubles(), 1e-12);
            assertArrayEquals(one.output(b).doubles(), inference.output(b).doubles(), 1e-12);
        }
        for (String key : one.states().keySet()) {
            assertArrayEquals(one.states().get(key).doubles(), two.states().get(key).doubles(), 1e-12, key);
            assertArrayEquals(one.states().get(key).doubles(), inference.states().get(key).doubles(), 1e-12, key);
        }
        assertEquals(List.of("bidirectional.forward.states.0", "bidirectional.forward.states.1", "bidirectional.backward.states.0",
                "bidirectional.backward.states.1"), List.copyOf(one.states().keySet()));
        assertArrayEquals(new int[] {b, 3}, one.states().get("bidirectional.forward.states.1").shape());
    }

    /**
     * The gradient within a batch that starts from carried states matches finite differences; the
     * states are inputs without gradient (truncated BPTT), and a grad step leaves them as they were.
     */
    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2, 3, 4, 5})
    void gradientsWithinABatchMatchFiniteDifferences(int which) {
        int b = 5;
        CompiledModel m = Models.load(model(LAYERS.get(which), 3, b, true), Dtype.F64);
        Map<String, Tensor> w = weights(m.spec());
        m.setWeights(w);
        Session s = m.newSession(b);
        Map<String, Tensor> carried = new LinkedHashMap<>();
        int k = 0;
        for (Map.Entry<String, Tensor> e : s.states().entrySet()) {
            double[] v = new double[(int) e.getValue().size()];
            for (int i = 0; i < v.length; i++) v[i] = 0.8 * Math.tanh(Rng.normal(9, k, i, 0, 0));
            carried.put(e.getKey(), Tensor.of(v, e.getValue().shape()));
            k++;
        }
        s.setStates(carried);
        s.load(data(b, 3, 0), null, 0, b);
        s.gradStep(b);
        Map<String, Tensor> grads = s.gradients();
        double h = 1e-4, worst = 0;
        for (ModelSpec.ParamSpec p : m.spec().params()) {
            double[] values = w.get(p.key()).doubles(), analytic = grads.get("grad." + p.key()).doubles();
            double scale = 0;
            for (double a : analytic) scale = Math.max(scale, Math.abs(a));
            for (int i = 0; i < values.length; i++) {
                double orig = values[i];
                double[] at = new double[4], off = {2 * h, h, -h, -2 * h};
                for (int j = 0; j < 4; j++) {
                    values[i] = orig + off[j];
                    m.setWeights(w);
                    at[j] = s.gradStep(b);
                }
                values[i] = orig;
                double numeric = (-at[0] + 8 * at[1] - 8 * at[2] + at[3]) / (12 * h);
                worst = Math.max(worst, Math.abs(numeric - analytic[i]) / Math.max(Math.max(1e-9, 1e-3 * scale), Math.abs(numeric)));
            }
        }
        assertTrue(worst < 1e-6, LAYERS.get(which) + ": relative error " + worst);
        for (String key : carried.keySet()) assertArrayEquals(carried.get(key).doubles(), s.states().get(key).doubles(), 0, key);
    }

    @Test
    void aStepOfAnotherBatchSizeFails() {
        CompiledModel m = Models.load(model("GRU(4STATEFUL)", 3, 4, true), Dtype.F32);
        Session s = m.newSession(8);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> s.load(data(3, 3, 0), null, 0, 3));
        assertEquals("a stateful model runs batches of exactly 4 rows (its inputs' batch_size), as Keras does; got 3", e.getMessage());
        assertEquals(4, m.fixedBatchSize());
        assertEquals(4, m.spec().fit().batchSize());
        assertTrue(!m.spec().fit().shuffle());
        // Keras fails at the last partial batch; fit, evaluate and predict fail before the first.
        e = assertThrows(IllegalArgumentException.class, () -> Trainer.evaluate(m, data(6, 3, 0), 4, 1));
        assertEquals("the model runs batches of exactly 4 rows (its inputs' batch_size), as Keras does: the 6 evaluation samples are not a"
                + " whole number of batches (use a multiple of 4)", e.getMessage());
    }

    private static String errors(String source) {
        CompileException e = assertThrows(CompileException.class, () -> Compiler.compile("bad.model", source, Compiler.Options.DEFAULT));
        return Diagnostics.render(e.diagnostics(), source);
    }

    @Test
    void statefulNeedsAFixedBatchSize() {
        assertEquals("""
                bad.model:3:21: error: GRU: stateful=true needs a fixed batch size, as in Keras
                        GRU(4, stateful=true)
                                        ^~~~
                  hint: declare it on the input: input x: float[steps, features], batch_size=32 (Keras: Input(shape, batch_size=32))
                """, errors(model("GRU(4STATEFUL)", 3, 4, true).replace(", batch_size=4", "")));
    }

    @Test
    void fitMustKeepTheBatchSizeAndTheOrder() {
        String m = model("LSTM(4STATEFUL)", 3, 4, true);
        assertTrue(errors(m.replace("compile(", "fit(batch_size=8)\n    compile(")).contains(
                "error: fit(batch_size=8) differs from the inputs' batch_size 4"));
        assertTrue(errors(m.replace("compile(", "fit(shuffle=true)\n    compile(")).contains(
                "error: a model with stateful layers needs its batches in order: shuffle=True would mix the sequences that the rows of"
                        + " consecutive batches continue"));
    }

    @Test
    void otherMisuses() {
        assertTrue(errors(model("RNN(GRUCell(4, stateful=true))", 3, 4, true)).contains("stateful belongs to the RNN layer, not to its cell"));
        assertTrue(errors(model("TimeDistributed(GRU(4STATEFUL))", 3, 4, true).replace("float[3, 2]", "float[3, 5, 2]"))
                .contains("GRU: stateful=true is not supported under TimeDistributed"));
        assertTrue(errors("""
                model M {
                    input x: float[3, 2], batch_size=4
                    g = GRU(4, stateful=true, return_sequences=true)
                    output g(g(Dense(4)(x)))
                    compile(loss=mse)
                }
                """).contains("the stateful layer 'gru' is called a second time"));
        assertTrue(errors("""
                model M {
                    input x: float[3, 2], batch_size=4
                    input y: float[3, 2], batch_size=8
                    output GRU(4)(x + y)
                    compile(loss=mse)
                }
                """).contains("input 'y' has batch_size 8, but another input has 4"));
        assertTrue(errors(model("GRU(4STATEFUL)", 3, 4, true).replace("batch_size=4", "batch=4")).contains("unknown input argument 'batch'"));
    }
}
