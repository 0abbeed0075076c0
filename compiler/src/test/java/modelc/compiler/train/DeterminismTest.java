package modelc.compiler.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
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

/** Same seed, same data, same thread count: bit-identical weights; other thread counts agree closely. */
class DeterminismTest {
    private static final String MODEL = Models.sequential("12",
            "Dense(16, activation=relu)\nDropout(0.3)\nDense(8, activation=tanh)\nDense(3, activation=softmax)",
            "compile(loss=sparse_categorical_crossentropy, optimizer=adam)");

    /** A recurrent model with variational dropout: the masks depend on the sample, not on the thread. */
    private static final String RECURRENT = Models.sequential("12",
            "Reshape((4, 3))\nGRU(5, dropout=0.2, recurrent_dropout=0.3, return_sequences=true)\nLSTM(4)\nDense(3, activation=softmax)",
            "compile(loss=sparse_categorical_crossentropy, optimizer=adam)");

    /** Weight penalties: added once per step after the parts' gradients are summed, slice by slice across the threads. */
    private static final String REGULARIZED = Models.sequential("12",
            "Dense(16, activation=relu, kernel_regularizer=l1_l2(l1=0.01, l2=0.01), bias_regularizer=l2(0.1))\nDropout(0.3)\n"
                    + "Dense(8, activation=tanh, kernel_regularizer=l1(0.02))\nDense(3, activation=softmax)",
            "compile(loss=sparse_categorical_crossentropy, optimizer=adam)");

    private static float[] train(CompiledModel m, int threads) {
        return train(m, threads, "dense.kernel");
    }

    private static float[] train(CompiledModel m, int threads, String key) {
        m.initialize(7);
        int n = 64;
        float[] x = new float[n * 12];
        int[] y = new int[n];
        for (int i = 0; i < x.length; i++) x[i] = (float) Rng.normal(1, 2, i, 0, 0);
        for (int i = 0; i < n; i++) y[i] = i % 3;
        Dataset d = Dataset.of(Tensor.of(x, n, 12), Tensor.of(y, n));
        try (Session s = m.newSession(n, threads)) {
            s.setSeed(3);
            for (int step = 0; step < 20; step++) {
                s.load(d, null, 0, n);
                s.trainStep(n);
            }
        }
        Map<String, Tensor> w = m.weights();
        return w.get(key).floats();
    }

    @Test
    void sameSeedAndThreadsGiveBitIdenticalWeights() {
        CompiledModel m = Models.load(MODEL, Dtype.F32);
        assertArrayEquals(train(m, 1), train(m, 1));
        assertArrayEquals(train(m, 2), train(m, 2));
    }

    @Test
    void twoThreadsAgreeWithOneUpToRounding() {
        CompiledModel m = Models.load(MODEL, Dtype.F32);
        float[] one = train(m, 1), two = train(m, 2);
        double worst = 0;
        for (int i = 0; i < one.length; i++) worst = Math.max(worst, Math.abs(one[i] - two[i]));
        assertTrue(worst < 1e-4, "max difference " + worst);
    }

    @Test
    void recurrentModelsAreDeterministicAndAgreeAcrossThreads() {
        CompiledModel m = Models.load(RECURRENT, Dtype.F32);
        assertArrayEquals(train(m, 2, "gru.recurrent_kernel"), train(m, 2, "gru.recurrent_kernel"));
        float[] one = train(m, 1, "gru.recurrent_kernel"), two = train(m, 2, "gru.recurrent_kernel");
        double worst = 0;
        for (int i = 0; i < one.length; i++) worst = Math.max(worst, Math.abs(one[i] - two[i]));
        assertTrue(worst < 1e-4, "max difference " + worst);
    }

    @Test
    void regularizedModelsAreDeterministicAndAgreeAcrossThreads() {
        CompiledModel m = Models.load(REGULARIZED, Dtype.F32);
        for (String key : new String[] {"dense.kernel", "dense.bias", "dense_1.kernel"}) {
            assertArrayEquals(train(m, 2, key), train(m, 2, key), key);
            float[] one = train(m, 1, key), two = train(m, 2, key);
            double worst = 0;
            for (int i = 0; i < one.length; i++) worst = Math.max(worst, Math.abs(one[i] - two[i]));
            assertTrue(worst < 1e-4, key + ": max difference " + worst);
        }
    }

    @Test
    void twoThreadsSplitTheBatch() {
        CompiledModel m = Models.load(MODEL, Dtype.F32);
        try (Session s = m.newSession(64, 2)) {
            assertTrue(s.threads() == 2);
        }
        try (Session s = m.newSession(32, 2)) {
            assertTrue(s.threads() == 1, "a batch of 32 stays on one thread");
        }
    }
}
