package modelc.compiler.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import modelc.compiler.codegen.Dtype;
import modelc.compiler.testing.Models;
import modelc.runtime.Tensor;
import modelc.runtime.data.Dataset;
import modelc.runtime.train.CompiledModel;
import modelc.runtime.train.Session;
import org.junit.jupiter.api.Test;

/** A session split into parts takes every batch size up to its capacity, including a short last batch. */
class PartsTest {
    @Test
    void everyBatchSizeFitsTheParts() {
        CompiledModel m = Models.load(Models.sequential("3", "Dense(2)", "compile(loss=mse, optimizer=sgd)"), Dtype.F64);
        m.initialize(1);
        int cap = 64;
        double[] x = new double[cap * 3], y = new double[cap * 2];
        for (int i = 0; i < x.length; i++) x[i] = i % 5 - 2;
        Dataset data = new Dataset(Map.of("x", Tensor.of(x, cap, 3)), Tensor.of(y, cap, 2));
        try (Session two = m.newSession(cap, 2); Session one = m.newSession(cap, 1)) {
            for (int n = 1; n <= cap; n++) {
                two.load(data, null, 0, n);
                one.load(data, null, 0, n);
                assertEquals(one.evalStep(n), two.evalStep(n), 1e-12, "batch of " + n);
            }
        }
    }

    /** Inference runs the parts on their threads; each row's prediction is the same as on one thread. */
    @Test
    void predictionsDoNotDependOnTheParts() {
        CompiledModel m = Models.load(Models.sequential("6", "Dense(8, activation=relu)\nBatchNormalization()\nDropout(0.5)\n"
                + "Dense(3, activation=softmax)", "compile(loss=categorical_crossentropy, optimizer=adam)"), Dtype.F32);
        m.initialize(3);
        int cap = 96;
        float[] x = new float[cap * 6];
        for (int i = 0; i < x.length; i++) x[i] = (i * 7919 % 13) / 6f - 1;
        Dataset data = new Dataset(Map.of("x", Tensor.of(x, cap, 6)), Tensor.of(new float[cap * 3], cap, 3));
        try (Session two = m.newSession(cap, 2); Session one = m.newSession(cap, 1)) {
            for (int n : new int[] {1, 33, 64, 95, 96}) {
                two.load(data, null, 0, n);
                one.load(data, null, 0, n);
                two.predictStep(n);
                one.predictStep(n);
                assertArrayEquals(one.output(n).toDoubleArray(), two.output(n).toDoubleArray(), "batch of " + n);
            }
        }
    }
}
