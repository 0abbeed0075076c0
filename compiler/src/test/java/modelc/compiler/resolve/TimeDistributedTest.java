package modelc.compiler.resolve;

import static modelc.compiler.resolve.LayerChecks.error;
import static modelc.compiler.resolve.LayerChecks.layers;
import static modelc.compiler.resolve.LayerChecks.resolve;
import static modelc.compiler.resolve.LayerChecks.sequential;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import modelc.compiler.codegen.Dtype;
import modelc.compiler.ir.Op;
import modelc.compiler.testing.Models;
import modelc.runtime.Tensor;
import modelc.runtime.data.Dataset;
import modelc.runtime.train.CompiledModel;
import modelc.runtime.train.Session;
import org.junit.jupiter.api.Test;

/**
 * TimeDistributed of layers that act across a step's own axes (issue 5): shapes, parameter counts
 * and weight keys as Keras 3 gives them, Keras's masks, per-step batch statistics, and the batch
 * split across threads.
 */
class TimeDistributedTest {

    /** The numbers are Keras 3.15's model.summary() of the same models. */
    @Test
    void wrapsConvolutionsPoolingFlattenAndRecurrentLayers() {
        ModelIR video = resolve(sequential("float[4, 8, 8, 1]", """
                TimeDistributed(Conv2D(4, 3, activation=relu))
                TimeDistributed(MaxPooling2D())
                TimeDistributed(Flatten())
                LSTM(8)
                Dense(3, activation=softmax)"""));
        assertEquals(Map.of("time_distributed", "(None, 4, 6, 6, 4) 40", "time_distributed_1", "(None, 4, 3, 3, 4) 0",
                "time_distributed_2", "(None, 4, 36) 0", "lstm", "(None, 8) 1440", "dense", "(None, 3) 27"), layers(video));

        ModelIR sentences = resolve("""
                model S {
                    input words: int[3, 6]
                    e = Embedding(20, 5)(words)
                    c = TimeDistributed(Conv1D(4, 3, activation=relu))(e)
                    p = TimeDistributed(GlobalMaxPooling1D())(c)
                    output Dense(1, activation=sigmoid)(GRU(4)(p))
                    compile(loss=binary_crossentropy, optimizer=adam)
                }
                """);
        assertEquals(Map.of("embedding", "(None, 3, 6, 5) 100", "time_distributed", "(None, 3, 4, 4) 64", "time_distributed_1", "(None, 3, 4) 0",
                "gru", "(None, 4) 120", "dense", "(None, 1) 5"), layers(sentences));

        ModelIR documents = resolve("""
                model D {
                    input words: int[3, 6]
                    s = TimeDistributed(LSTM(4))(Embedding(20, 5, mask_zero=true)(words))
                    output Dense(1, activation=sigmoid)(LSTM(3)(s))
                    compile(loss=binary_crossentropy, optimizer=adam)
                }
                """);
        assertEquals(Map.of("embedding", "(None, 3, 6, 5) 100", "time_distributed", "(None, 3, 4) 160", "lstm_1", "(None, 3) 96",
                "dense", "(None, 1) 4"), layers(documents));

        ModelIR wrapped = resolve(sequential("float[3, 5, 2]", "TimeDistributed(Bidirectional(GRU(3)))\nTimeDistributed(BatchNormalization())"));
        assertEquals(Map.of("time_distributed", "(None, 3, 6) 126", "time_distributed_1", "(None, 3, 6) 24"), layers(wrapped));
    }

    @Test
    void weightsAreKeyedUnderTheOutermostWrapper() {
        ModelIR m = resolve("""
                layer Gated(filters) {
                    call(x: [t, d]) {
                        g = param([d, filters])
                        return tanh(Conv1D(filters, 2, padding=same)(x)) * sigmoid(x @ g)
                    }
                }
                sequential T {
                    input x: float[3, 4, 2]
                    TimeDistributed(Bidirectional(LSTM(2, return_sequences=true)))
                    TimeDistributed(TimeDistributed(Dense(2, use_bias=false)))
                    TimeDistributed(Gated(3))
                    TimeDistributed(Conv1D(2, 2))
                    Flatten()
                    Reshape((-1, 1))
                    Conv1D(1, 1)
                    compile(loss=mse, optimizer=adam)
                }
                """);
        List<String> keys = m.graph().paramInfos().stream().map(p -> p.key()).toList();
        assertEquals(List.of("time_distributed.forward.kernel", "time_distributed.forward.recurrent_kernel", "time_distributed.forward.bias",
                "time_distributed.backward.kernel", "time_distributed.backward.recurrent_kernel", "time_distributed.backward.bias",
                "time_distributed_2.kernel", "time_distributed_3.g", "time_distributed_3.conv1d.kernel", "time_distributed_3.conv1d.bias",
                "time_distributed_4.kernel", "time_distributed_4.bias", "conv1d_2.kernel", "conv1d_2.bias"), keys);
    }

    /** Keras passes the input's mask on unchanged and drops what the wrapped layer would make. */
    @Test
    void masksFollowKeras() {
        ModelIR ownMask = resolve("""
                model M {
                    input t: int[3, 4]
                    output TimeDistributed(Dense(2))(TimeDistributed(Embedding(7, 3, mask_zero=true))(t))
                    compile(loss=mse, optimizer=adam)
                }
                """);
        assertFalse(((Op.Loss) ownMask.graph().loss().op()).hasMask(), "TimeDistributed(Embedding(mask_zero=true)) gives no mask");
        ModelIR passed = resolve("""
                model M {
                    input t: int[4]
                    output TimeDistributed(Dense(2))(Embedding(7, 3, mask_zero=true)(t))
                    compile(loss=mse, optimizer=adam)
                }
                """);
        assertTrue(((Op.Loss) passed.graph().loss().op()).hasMask(), "the input's mask passes through");
        // The mask of the words of each sentence reaches a per-sentence output unchanged, which no loss can use (Keras fails too).
        assertTrue(error("""
                model M {
                    input t: int[3, 4]
                    s = TimeDistributed(LSTM(2))(Embedding(7, 3, mask_zero=true)(t))
                    output TimeDistributed(Dense(2))(s)
                    compile(loss=mse, optimizer=adam)
                }
                """).contains("a mask of shape (None, 3, 4) does not fit a prediction of shape (None, 3, 2)"));
    }

    @Test
    void layersItCannotWrapGetClearErrors() {
        assertTrue(error(sequential("float[5, 3]", "TimeDistributed(Concatenate())")).contains("TimeDistributed wraps a layer of one input; Concatenate merges several"));
        assertTrue(error(sequential("float[5, 4, 3]", "TimeDistributed(LSTM(2, return_state=true))")).contains("TimeDistributed(LSTM(return_state=true)) is not supported"));
        assertTrue(error(sequential("float[5]", "TimeDistributed(Dense(2))")).contains("TimeDistributed needs an input of shape (batch, steps, ...), got (None, 5)"));
        assertTrue(error(sequential("float[5, 4, 3]", "TimeDistributed(Conv2D(2, 2))"))
                .contains("Conv2D needs an input of shape (batch, rows, columns, channels), got (None, 4, 3)"));
        assertTrue(error("layer W(n) {\n    call(x) {\n        w = param([n, 2])\n        return w\n    }\n}\n" + sequential("float[3, 4]", "TimeDistributed(W(3))"))
                .contains("TimeDistributed(W): the wrapped layer returns (3, 2), which has no batch axis, for each step"));
    }

    /**
     * Keras 3 calls the wrapped layer once per step, so BatchNormalization normalises each step with
     * its own batch statistics and a training step moves the moving statistics once per step, in order.
     */
    @Test
    void batchNormalizationKeepsStatisticsPerStep() {
        CompiledModel m = Models.load(Models.sequential("2, 1", "TimeDistributed(BatchNormalization(momentum=0.5, epsilon=0.01))",
                "compile(loss=mse, optimizer=sgd)"), Dtype.F64);
        m.initialize(1);
        // Step 0 holds 1 and 3, step 1 holds 10 and 30.
        Dataset data = new Dataset(Map.of("x", Tensor.of(new double[] {1, 10, 3, 30}, 2, 2, 1)), Tensor.of(new double[4], 2, 2, 1));
        try (Session s = m.newSession(2, 1)) {
            s.load(data, null, 0, 2);
            s.trainStep(2);
            double[] y = s.output(2).toDoubleArray();
            assertArrayEquals(new double[] {-1 / Math.sqrt(1.01), -10 / Math.sqrt(100.01), 1 / Math.sqrt(1.01), 10 / Math.sqrt(100.01)}, y, 1e-12);
            // moving ← moving·0.5 + step·0.5, for step 0 and then step 1: mean (0·0.5 + 2·0.5)·0.5 + 20·0.5, variance (1·0.5 + 1·0.5)·0.5 + 100·0.5.
            assertArrayEquals(new double[] {10.5}, m.weights().get("time_distributed.moving_mean").toDoubleArray(), 1e-12);
            assertArrayEquals(new double[] {50.5}, m.weights().get("time_distributed.moving_variance").toDoubleArray(), 1e-12);
            Map<String, Tensor> w = new LinkedHashMap<>(m.weights());
            w.put("time_distributed.gamma", Tensor.of(new double[] {1}, 1));
            w.put("time_distributed.beta", Tensor.of(new double[] {0}, 1));
            m.setWeights(w);
            s.evalStep(2);
            double[] inference = s.output(2).toDoubleArray();
            assertEquals((1 - 10.5) / Math.sqrt(50.5 + 0.01), inference[0], 1e-12, "inference uses the moving statistics at every step");
            assertEquals((30 - 10.5) / Math.sqrt(50.5 + 0.01), inference[3], 1e-12);
        }
    }

    /** Each thread runs its own samples, all their steps folded: one or two threads compute the same step. */
    @Test
    void theBatchSplitsAcrossThreadsBySamples() {
        CompiledModel m = Models.load("""
                sequential V {
                    input x: float[3, 4, 4, 2]
                    TimeDistributed(Conv2D(3, 2, use_bias=false))
                    TimeDistributed(BatchNormalization(momentum=0.8))
                    TimeDistributed(SpatialDropout2D(0.3))
                    TimeDistributed(MaxPooling2D())
                    TimeDistributed(Flatten())
                    TimeDistributed(Dropout(0.2))
                    LSTM(3, return_sequences=true)
                    TimeDistributed(Dense(2))
                    compile(loss=mse, optimizer=adam)
                }
                """, Dtype.F64);
        m.initialize(3);
        int n = 75;
        double[] x = new double[n * 96], y = new double[n * 6];
        for (int i = 0; i < x.length; i++) x[i] = Math.sin(i * 0.37) + 0.1 * (i % 5);
        for (int i = 0; i < y.length; i++) y[i] = Math.cos(i * 0.3);
        Dataset data = new Dataset(Map.of("x", Tensor.of(x, n, 3, 4, 4, 2)), Tensor.of(y, n, 3, 2));
        Map<String, Tensor> start = m.weights();
        Map<String, Map<String, Tensor>> after = new LinkedHashMap<>();
        double[] losses = new double[3];
        for (int threads = 1; threads <= 2; threads++) {
            m.setWeights(start);
            try (Session s = m.newSession(n, threads)) {
                assertEquals(threads, s.threads());
                s.setSeed(7);
                s.load(data, null, 0, n);
                losses[threads] = s.gradStep(n, true);
                after.put("grad" + threads, s.gradients());
                s.trainStep(n);
                after.put("weights" + threads, m.weights());
            }
        }
        assertEquals(losses[1], losses[2], 1e-12);
        for (String what : List.of("grad", "weights")) {
            for (String key : after.get(what + 1).keySet()) {
                assertArrayEquals(after.get(what + 1).get(key).toDoubleArray(), after.get(what + 2).get(key).toDoubleArray(), 1e-12, what + " " + key);
            }
        }
    }
}
