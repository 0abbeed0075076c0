package modelc.compiler.resolve;

import static modelc.compiler.resolve.LayerChecks.error;
import static modelc.compiler.resolve.LayerChecks.layers;
import static modelc.compiler.resolve.LayerChecks.resolve;
import static modelc.compiler.resolve.LayerChecks.sequential;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import modelc.compiler.cli.Summary;
import modelc.compiler.codegen.Dtype;
import modelc.compiler.ir.Op;
import modelc.compiler.testing.Models;
import modelc.runtime.Tensor;
import modelc.runtime.data.Dataset;
import modelc.runtime.train.CompiledModel;
import modelc.runtime.train.Session;
import org.junit.jupiter.api.Test;

/**
 * Keras's shape rules, parameter counts and argument checks for the sequence layers. The
 * expected shapes and counts are what Keras 3.15.1 reports for the same layers
 * ({@code reference/keras-semantics.md} §3, §4, §7).
 */
class SequenceLayersTest {

    @Test
    void parameterCountsAndShapesAreKeras() {
        ModelIR m = resolve(sequential("int[20]", "Embedding(10000, 8)\nConv1D(32, 5)\nGlobalMaxPooling1D()\nDense(1, activation=sigmoid)"));
        assertEquals(Map.of("embedding", "(None, 20, 8) 80000", "conv1d", "(None, 16, 32) 1312",
                "global_max_pooling1d", "(None, 32) 0", "dense", "(None, 1) 33"), layers(m));
        String summary = Summary.render(m);
        assertTrue(summary.contains(" Total params: 81,345 (317.75 KB)"), summary);
        assertTrue(summary.contains("│ conv1d (Conv1D)                 │ (None, 16, 32)         │         1,312 │"), summary);
    }

    @Test
    void theFlattenedEmbeddingClassifierHas80161Parameters() {
        ModelIR m = resolve(sequential("int[20]", "Embedding(input_dim=10000, output_dim=8, input_length=20)\nFlatten()\nDense(1, activation=sigmoid)"));
        assertEquals("(None, 160) 0", layers(m).get("flatten"));
        assertTrue(Summary.render(m).contains(" Total params: 80,161 "));
    }

    @Test
    void convolutionAndPoolingLengthsFollowKerasPadding() {
        ModelIR m = resolve(sequential("float[9, 4]", """
                Conv1D(6, 3, groups=2, padding=causal, dilation_rate=2)
                MaxPooling1D(3, strides=2, padding=same)
                Conv1D(4, 4, strides=3, padding=same)
                AveragePooling1D(1)
                """));
        assertEquals(Map.of("conv1d", "(None, 9, 6) 42", "max_pooling1d", "(None, 5, 6) 0", "conv1d_1", "(None, 2, 4) 100",
                "average_pooling1d", "(None, 2, 4) 0"), layers(m));
        ModelIR v = resolve(sequential("float[9, 4]", "Conv1D(4, 3, strides=2)\nAveragePooling1D(2)\nSpatialDropout1D(0.3)\nPermute((2, 1))"));
        assertEquals(Map.of("conv1d", "(None, 4, 4) 52", "average_pooling1d", "(None, 2, 4) 0", "spatial_dropout1d", "(None, 2, 4) 0",
                "permute", "(None, 4, 2) 0"), layers(v));
        ModelIR r = resolve(sequential("float[9, 4]", "Flatten()\nRepeatVector(3)"));
        assertEquals("(None, 3, 36) 0", layers(r).get("repeat_vector"));
    }

    @Test
    void mergingLayersNameBothShapesOnAMismatch() {
        String src = """
                model M {
                    input a: float[4]
                    input b: float[5]
                    output Maximum()([a, b])
                    compile(loss=mse, optimizer=adam)
                }
                """;
        assertTrue(error(src).contains("cannot take the maximum of shapes (None, 4) and (None, 5)"), error(src));
        String cat = src.replace("Maximum()", "Concatenate(axis=1)").replace("float[5]", "float[5, 2]");
        assertTrue(error(cat).contains("cannot concatenate (None, 4) and (None, 5, 2)"), error(cat));
    }

    @Test
    void argumentsKerasRejectsAreRejected() {
        assertTrue(error(sequential("float[9, 4]", "Conv1D(4, 3, strides=2, dilation_rate=2)"))
                .contains("strides > 1 is not supported together with dilation_rate > 1"));
        assertTrue(error(sequential("float[4, 4]", "Conv1D(4, 5)"))
                .contains("a window of 5 does not fit an input of 4 steps with padding=valid"));
        assertTrue(error(sequential("float[4, 4]", "Conv1D(4, 3, padding=full)")).contains("'full' is not a valid padding"));
        assertTrue(error(sequential("float[4, 3]", "Conv1D(4, 3, groups=2)")).contains("the input's 3 channels must be divisible by groups (2)"));
        assertTrue(error(sequential("float[4, 4]", "Conv1D(5, 3, groups=2)")).contains("filters (5) must be divisible by groups (2)"));
        assertTrue(error(sequential("float[4, 4]", "Permute((2, 3))")).contains("Permute's dims must be a permutation of 1..2"));
        assertTrue(error(sequential("float[4]", "Conv1D(4, 3)")).contains("Conv1D needs an input of shape (batch, steps, channels), got (None, 4)"));
    }

    @Test
    void masksFromMaskZeroReachOnlyWhatKerasPassesThemTo() {
        // Dense and Dropout pass the mask on; GlobalAveragePooling1D consumes it.
        ModelIR m = resolve(sequential("int[6]", "Embedding(7, 4, mask_zero=true)\nDense(3)\nDropout(0.5)\nGlobalAveragePooling1D()"));
        assertTrue(m.graph().nodes().stream().anyMatch(n -> n.op() instanceof Op.MaskedMean));
        // Flatten drops it, as in Keras.
        resolve(sequential("int[6]", "Embedding(7, 4, mask_zero=true)\nFlatten()\nDense(1)"));
        // A mask that reaches the output masks the loss, as in Keras 3.
        ModelIR masked = resolve(sequential("int[6]", "Embedding(7, 4, mask_zero=true)\nDense(1)"));
        assertTrue(((Op.Loss) masked.graph().loss().op()).hasMask() && masked.graph().loss().inputs().size() == 3);
        String merge = """
                model M {
                    input t: int[6]
                    e = Embedding(7, 4, mask_zero=true)(t)
                    output Dense(1)(GlobalAveragePooling1D()(Concatenate()([e, e])))
                    compile(loss=mse, optimizer=adam)
                }
                """;
        // A merge combines its inputs' masks (MergeLayersTest has the rules).
        assertTrue(resolve(merge).graph().nodes().stream().anyMatch(n -> n.op() instanceof Op.MaskedMean));
    }

    @Test
    void anEmbeddingInputOutsideTheVocabularyStopsTheStep() {
        CompiledModel m = Models.load(sequential("int[3]", "Embedding(5, 2)\nFlatten()\nDense(1)"), Dtype.F32);
        m.initialize(1);
        Session s = m.newSession(2);
        Map<String, Tensor> f = Map.of("x", Tensor.of(new int[] {0, 1, 4, 2, 5, 3}, 2, 3));
        s.load(new Dataset(f, Tensor.of(new float[] {0, 1}, 2, 1)), null, 0, 2);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> s.gradStep(2));
        assertEquals("embedding input 5.0 is outside [0, 5)", e.getMessage());
    }

    /** A batch split across threads gives the gradients of one thread (f64, up to summation order), dropout included. */
    @Test
    void partsOfABatchAgreeWithOneThread() {
        String src = """
                model P {
                    input t: int[12]
                    e = Embedding(9, 6, mask_zero=true)(t)
                    c = Conv1D(4, 3, padding=same, strides=2, activation=tanh)(SpatialDropout1D(0.3)(e))
                    p = MaxPooling1D(2, padding=same)(Conv1D(4, 3, padding=causal, dilation_rate=2)(e))
                    h = Concatenate()([GlobalAveragePooling1D()(Dense(4)(e)), GlobalMaxPooling1D()(c), Flatten()(AveragePooling1D(3)(p))])
                    output Dense(1, activation=sigmoid)(Dropout(0.2)(h))
                    compile(loss=binary_crossentropy, optimizer=adam)
                }
                """;
        CompiledModel m = Models.load(src, Dtype.F64);
        m.initialize(3);
        int n = 130;
        int[] ids = new int[n * 12];
        for (int i = 0; i < ids.length; i++) ids[i] = (i * 7 + i / 12) % 9;
        double[] y = new double[n];
        for (int i = 0; i < n; i++) y[i] = i % 3 == 0 ? 1 : 0;
        Dataset d = new Dataset(Map.of("t", Tensor.of(ids, n, 12)), Tensor.of(y, n, 1));
        Map<String, Tensor> one = null;
        for (int threads : new int[] {1, 4}) {
            try (Session s = m.newSession(n, threads)) {
                s.setSeed(5);
                s.load(d, null, 0, n);
                s.gradStep(n, true);
                Map<String, Tensor> g = s.gradients();
                if (one == null) {
                    one = g;
                    continue;
                }
                assertEquals(4, s.threads());
                for (Map.Entry<String, Tensor> e : one.entrySet()) {
                    double[] a = e.getValue().toDoubleArray(), b = g.get(e.getKey()).toDoubleArray();
                    double scale = 1e-30;
                    for (double v : a) scale = Math.max(scale, Math.abs(v));
                    for (int i = 0; i < a.length; i++) {
                        assertTrue(Math.abs(a[i] - b[i]) <= 1e-12 * scale, e.getKey() + "[" + i + "]: " + a[i] + " vs " + b[i]);
                    }
                }
            }
        }
    }
}
