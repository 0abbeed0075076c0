package modelc.compiler.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import modelc.compiler.codegen.Dtype;
import modelc.compiler.testing.Models;
import modelc.runtime.Rng;
import modelc.runtime.Tensor;
import modelc.runtime.data.Dataset;
import modelc.runtime.train.CompiledModel;
import modelc.runtime.train.ModelSpec;
import modelc.runtime.train.Session;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Inference sessions (what the generated predictors use) are laid out by the forward pass alone:
 * they predict exactly what a training session predicts, with a smaller arena, and refuse to train.
 */
class InferenceSessionTest {
    static Stream<Arguments> models() {
        return Stream.of(
                Arguments.of("dense with dropout", Models.sequential("6", "Dense(16, activation=relu)\nDropout(0.3)\nDense(8, activation=tanh)\nDense(3, activation=softmax)",
                        "compile(loss=sparse_categorical_crossentropy, optimizer=adam)")),
                Arguments.of("conv, pooling, batch normalization", Models.sequential("8, 8, 2", """
                        Conv2D(4, 3, padding=same, use_bias=false)
                        BatchNormalization()
                        Activation(relu)
                        MaxPooling2D()
                        Conv2D(6, 3, activation=relu)
                        GlobalAveragePooling2D()
                        Dense(3, activation=softmax)""", "compile(loss=sparse_categorical_crossentropy, optimizer=adam)")),
                Arguments.of("masked GRU over tokens", """
                        sequential R {
                            input t: int[12]
                            Embedding(20, 5, mask_zero=true)
                            GRU(6, return_sequences=true)
                            LSTM(4)
                            Dense(2, activation=softmax)
                            compile(loss=sparse_categorical_crossentropy, optimizer=adam)
                        }
                        """));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void anInferenceSessionPredictsWhatATrainingSessionPredictsInLessMemory(String name, String source) {
        CompiledModel m = Models.load(source, Dtype.F64);
        m.initialize(2);
        int n = 9;
        Map<String, Tensor> features = new LinkedHashMap<>();
        for (ModelSpec.InputSpec in : m.spec().inputs()) {
            double[] x = new double[n * in.size()];
            for (int i = 0; i < x.length; i++) x[i] = in.integer() ? (i % 12 < 9 ? 1 + Math.floorMod(Rng.bits(1, i, 0, 0, 0), 19L) : 0) : Rng.normal(1, i, 0, 0, 0);
            int[] shape = new int[in.shape().length + 1];
            shape[0] = n;
            System.arraycopy(in.shape(), 0, shape, 1, in.shape().length);
            features.put(in.name(), Tensor.of(x, shape));
        }
        Dataset data = new Dataset(features, null);
        Session training = m.newSession(n), inference = m.newInferenceSession(n);
        training.load(data, null, 0, n);
        inference.load(data, null, 0, n);
        training.predictStep(n);
        inference.predictStep(n);
        assertArrayEquals(training.output(n).toDoubleArray(), inference.output(n).toDoubleArray(), 0, name);
        assertTrue(m.inferenceValuesPerSample() > 0);
        assertThrows(IllegalStateException.class, () -> inference.evalStep(n));
    }
}
