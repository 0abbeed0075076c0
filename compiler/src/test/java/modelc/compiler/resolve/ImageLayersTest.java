package modelc.compiler.resolve;

import static modelc.compiler.resolve.LayerChecks.error;
import static modelc.compiler.resolve.LayerChecks.layers;
import static modelc.compiler.resolve.LayerChecks.resolve;
import static modelc.compiler.resolve.LayerChecks.sequential;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
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
 * Keras's shape rules, parameter counts, argument checks and BatchNormalization's two modes for
 * the layers over rows and columns. Expected shapes and counts are what Keras 3.15.1 reports for
 * the same layers ({@code reference/keras-semantics.md} §3, §5.1, §7).
 */
class ImageLayersTest {

    @Test
    void shapesAndParameterCountsAreKeras() {
        ModelIR m = resolve(sequential("float[9, 8, 3]", """
                Conv2D(6, (3, 2), strides=(2, 1), padding=same, groups=3)
                MaxPooling2D((3, 3), strides=2, padding=same)
                ZeroPadding2D(((1, 2), (0, 1)))
                Conv2D(4, 2, dilation_rate=2)
                BatchNormalization()
                UpSampling2D((2, 3))
                Cropping2D(((1, 0), (2, 2)))
                AveragePooling2D(2)
                GlobalAveragePooling2D(keepdims=true)
                """));
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("conv2d", "(None, 5, 8, 6) 42");
        expected.put("max_pooling2d", "(None, 3, 4, 6) 0");
        expected.put("zero_padding2d", "(None, 6, 5, 6) 0");
        expected.put("conv2d_1", "(None, 4, 3, 4) 100");
        expected.put("batch_normalization", "(None, 4, 3, 4) 16");
        expected.put("up_sampling2d", "(None, 8, 9, 4) 0");
        expected.put("cropping2d", "(None, 7, 5, 4) 0");
        expected.put("average_pooling2d", "(None, 3, 2, 4) 0");
        expected.put("global_average_pooling2d", "(None, 1, 1, 4) 0");
        assertEquals(expected, layers(m));
        String summary = Summary.render(m);
        assertTrue(summary.contains(" Total params: 158 (632.00 B)"), summary);
        assertTrue(summary.contains(" Trainable params: 150 (600.00 B)"), summary);
        assertTrue(summary.contains(" Non-trainable params: 8 (32.00 B)"), summary);
    }

    @Test
    void theCoursesVggStackHasKerasParameterCount() {
        ModelIR m = resolve(sequential("float[28, 28, 1]", """
                Conv2D(32, 3, activation=relu, padding=same)
                Conv2D(32, 3, activation=relu, padding=same)
                MaxPooling2D()
                Conv2D(64, 3, activation=relu, padding=same)
                Conv2D(64, 3, activation=relu, padding=same)
                MaxPooling2D()
                Flatten()
                Dense(128, activation=relu)
                Dropout(0.5)
                Dense(10, activation=softmax)
                """));
        // 320 + 9,248 + 18,496 + 36,928 + 401,536 + 1,290 (Keras 3.15.1).
        assertTrue(Summary.render(m).contains(" Total params: 467,818 "), Summary.render(m));
    }

    @Test
    void layersBuiltInALayerDefinitionAreItsSublayersKeyedUnderItAndSharedByItsCalls() {
        ModelIR m = resolve("""
                layer Residual(filters) {
                    call(x) {
                        h = relu(BatchNormalization()(Conv2D(filters, 3, padding=same, use_bias=false)(x)))
                        return relu(Conv2D(filters, 3, padding=same)(h) + x)
                    }
                }
                model R {
                    input x: float[5, 5, 2]
                    r = Residual(2)
                    output Dense(1)(Flatten()(r(r(x))))
                    compile(loss=mse, optimizer=adam)
                }
                """);
        assertEquals(java.util.List.of("residual.conv2d.kernel", "residual.batch_normalization.gamma", "residual.batch_normalization.beta",
                        "residual.batch_normalization.moving_mean", "residual.batch_normalization.moving_variance", "residual.conv2d_1.kernel",
                        "residual.conv2d_1.bias", "dense.kernel", "dense.bias"),
                m.graph().paramInfos().stream().map(modelc.compiler.ir.ParamInfo::key).toList());
        // 36 + 8 + 36 + 2 (Keras counts a custom layer's sublayers as its own).
        assertTrue(Summary.render(m).contains("│ residual (Residual)        │ (None, 5, 5, 2)        │         82 │"), Summary.render(m));
    }

    @Test
    void argumentsKerasRejectsAreRejected() {
        assertTrue(error(sequential("float[9, 9, 2]", "Conv2D(4, 3, strides=2, dilation_rate=2)"))
                .contains("strides > 1 is not supported together with dilation_rate > 1"));
        assertTrue(error(sequential("float[4, 4, 2]", "Conv2D(4, (5, 2))")).contains("a window of 5 does not fit an input of 4 rows"));
        assertTrue(error(sequential("float[4, 4, 2]", "Conv2D(4, 3, padding=causal)")).contains("'causal' is not a valid padding"));
        assertTrue(error(sequential("float[4, 4, 2]", "Conv2D(5, 3, groups=2)")).contains("filters (5) must be divisible by groups (2)"));
        assertTrue(error(sequential("float[4, 4, 3]", "Conv2D(4, 3, groups=2)")).contains("the input's 3 channels must be divisible by groups (2)"));
        assertTrue(error(sequential("float[4, 4, 2]", "Conv2D(4, (3, 3, 3))")).contains("kernel_size must be a positive integer or a tuple of 2"));
        assertTrue(error(sequential("float[16]", "Conv2D(4, 3)"))
                .contains("Conv2D needs an input of shape (batch, rows, columns, channels), got (None, 16)"));
        assertTrue(error(sequential("float[4, 4, 2]", "Cropping2D(((2, 2), (0, 0)))")).contains("leaves nothing of an axis of 4"));
        assertTrue(error(sequential("float[4, 4, 2]", "ZeroPadding2D(((1, 2, 3), (0, 0)))"))
                .contains("padding must be an integer, a tuple of 2 integers or a tuple of 2 pairs"));
        String e = error(sequential("float[4, 4, 2]", "MaxPooling2D(padding=full)"));
        assertTrue(e.contains("t.model:3:") && e.contains("'full' is not a valid padding"), e);
    }

    @Test
    void depthwiseSeparableAndTransposedConvolutionsHaveKerasShapesCountsAndWeights() {
        ModelIR m = resolve(sequential("float[9, 8, 3]", """
                DepthwiseConv2D(3)
                DepthwiseConv2D((3, 2), strides=2, padding=same, depth_multiplier=2)
                SeparableConv2D(5, 3, padding=same, depth_multiplier=2)
                Conv2DTranspose(4, 3)
                Conv2DTranspose(4, 3, strides=2, padding=same)
                Conv2DTranspose(4, (3, 4), strides=(2, 3), padding=same, output_padding=(1, 2))
                DepthwiseConv2D(2, strides=2, dilation_rate=2, use_bias=false)
                Convolution2DTranspose(2, (2, 3), strides=(3, 2), output_padding=(2, 0), use_bias=false)
                """));
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("depthwise_conv2d", "(None, 7, 6, 3) 30");
        expected.put("depthwise_conv2d_1", "(None, 4, 3, 6) 42");
        expected.put("separable_conv2d", "(None, 4, 3, 5) 173");
        expected.put("conv2d_transpose", "(None, 6, 5, 4) 184");
        expected.put("conv2d_transpose_1", "(None, 12, 10, 4) 148");
        expected.put("conv2d_transpose_2", "(None, 24, 29, 4) 196");
        expected.put("depthwise_conv2d_2", "(None, 11, 14, 4) 16");
        expected.put("conv2d_transpose_3", "(None, 34, 29, 2) 48");
        assertEquals(expected, layers(m));
        assertTrue(Summary.render(m).contains(" Total params: 837 "), Summary.render(m));
        // Keras 3's weight names and layouts: the depthwise kernel of DepthwiseConv2D is its `kernel`.
        Map<String, String> shapes = new LinkedHashMap<>();
        for (var p : m.graph().paramInfos()) shapes.put(p.key(), p.shape().toString());
        assertEquals("[3, 2, 3, 2]", shapes.get("depthwise_conv2d_1.kernel"));
        assertEquals("[3, 3, 6, 2]", shapes.get("separable_conv2d.depthwise_kernel"));
        assertEquals("[1, 1, 12, 5]", shapes.get("separable_conv2d.pointwise_kernel"));
        assertEquals("[5]", shapes.get("separable_conv2d.bias"));
        assertEquals("[3, 3, 4, 5]", shapes.get("conv2d_transpose.kernel"));

        ModelIR one = resolve(sequential("float[10, 4]", """
                DepthwiseConv1D(3, depth_multiplier=3)
                SeparableConvolution1D(6, 4, strides=2, padding=same)
                Conv1DTranspose(5, 3, strides=3, padding=same, output_padding=1)
                """));
        Map<String, String> expected1 = new LinkedHashMap<>();
        expected1.put("depthwise_conv1d", "(None, 8, 12) 48");
        expected1.put("separable_conv1d", "(None, 4, 6) 126");
        expected1.put("conv1d_transpose", "(None, 11, 5) 95");
        assertEquals(expected1, layers(one));
    }

    @Test
    void depthwiseSeparableAndTransposedConvolutionArgumentsAreCheckedAsKerasChecksThem() {
        assertTrue(error(sequential("float[9, 9, 2]", "Conv2DTranspose(4, 3, strides=2, dilation_rate=2)"))
                .contains("Conv2DTranspose: strides > 1 is not supported together with dilation_rate > 1"));
        assertTrue(error(sequential("float[4, 4, 2]", "Conv2DTranspose(4, 3, strides=2, output_padding=2)"))
                .contains("output_padding must be less than strides on every axis, got 2 with strides 2"));
        assertTrue(error(sequential("float[4, 4, 2]", "Conv2DTranspose(4, 3, output_padding=(1, 0, 0))"))
                .contains("output_padding must be an integer >= 0 or a tuple of 2"));
        assertTrue(error(sequential("float[1, 1, 2]", "Conv2DTranspose(2, 2, padding=same, output_padding=0)"))
                .contains("Conv2DTranspose: the output would have 0 positions on an axis of 1"));
        assertTrue(error(sequential("float[8, 2]", "DepthwiseConv1D(3, padding=causal)")).contains("'causal' is not a valid padding"));
        assertTrue(error(sequential("float[8, 2]", "Conv1DTranspose(3, 3, padding=causal)")).contains("'causal' is not a valid padding"));
        assertTrue(error(sequential("float[4, 4, 2]", "DepthwiseConv2D(3, depth_multiplier=0)"))
                .contains("DepthwiseConv2D needs a positive depth_multiplier, got 0"));
        assertTrue(error(sequential("float[4, 4, 2]", "SeparableConv2D(0, 3)")).contains("SeparableConv2D needs a positive filters, got 0"));
        assertTrue(error(sequential("float[4, 4, 2]", "DepthwiseConv2D(5)")).contains("DepthwiseConv2D: a window of 5 does not fit an input of 4 rows"));
        assertTrue(error(sequential("float[4, 4, 2]", "SeparableConv2D(2, 3, pointwise_constraint=UnitNorm(axis=[0, 4]))"))
                .contains("UnitNorm(axis=[0, 4]): axis 4 is out of range for separable_conv2d.pointwise_kernel of shape (1, 1, 2, 2)"));
        assertTrue(error(sequential("float[16]", "DepthwiseConv2D(3)"))
                .contains("DepthwiseConv2D needs an input of shape (batch, rows, columns, channels), got (None, 16)"));
    }

    /** reference/keras-semantics.md §5.1: x = [1, 2, 3, 6] gives moving_mean 0.03 and moving_variance 1.025 after one step. */
    @Test
    void batchNormalizationMovesItsStatisticsAsKerasAndInfersWithThem() {
        CompiledModel m = Models.load("""
                sequential B {
                    input x: float[1]
                    BatchNormalization()
                    compile(loss=mse, optimizer=sgd)
                }
                """, Dtype.F64);
        m.initialize(1);
        Dataset data = new Dataset(Map.of("x", Tensor.of(new double[] {1, 2, 3, 6}, 4, 1)), Tensor.of(new double[] {0, 0, 0, 0}, 4, 1));
        Session s = m.newSession(4, 2);
        s.load(data, null, 0, 4);
        s.gradStep(4);
        assertArrayEquals(new double[] {0}, m.weights().get("batch_normalization.moving_mean").toDoubleArray(), "grad leaves the statistics alone");
        s.trainStep(4);
        assertArrayEquals(new double[] {0.03}, m.weights().get("batch_normalization.moving_mean").toDoubleArray(), 1e-15);
        assertArrayEquals(new double[] {1.025}, m.weights().get("batch_normalization.moving_variance").toDoubleArray(), 1e-15);
        // Training output: (x - 3) / sqrt(3.5 + 0.001). Inference: (x - 0.03) / sqrt(1.025 + 0.001) (gamma 1 and beta 0 again).
        Map<String, Tensor> w = new LinkedHashMap<>(m.weights());
        w.put("batch_normalization.gamma", Tensor.of(new double[] {1}, 1));
        w.put("batch_normalization.beta", Tensor.of(new double[] {0}, 1));
        m.setWeights(w);
        s.gradStep(4);
        assertEquals((1 - 3) / Math.sqrt(3.5 + 1e-3), s.output(4).toDoubleArray()[0], 1e-12);
        s.evalStep(4);
        assertEquals((1 - 0.03) / Math.sqrt(1.025 + 1e-3), s.output(4).toDoubleArray()[0], 1e-12);
        s.predictStep(4);
        assertEquals((6 - 0.03) / Math.sqrt(1.025 + 1e-3), s.output(4).toDoubleArray()[3], 1e-12);
    }

    /** The augmented images of 64 copies of one 2x3 image, through an identity Dense; training draws when {@code training}. */
    private static double[][] augmented(String layer, boolean training) {
        CompiledModel m = Models.load(sequential("float[2, 3, 1]", layer + "\nFlatten()\nDense(6, use_bias=false)"), Dtype.F64);
        double[] eye = new double[36];
        for (int i = 0; i < 6; i++) eye[i * 7] = 1;
        m.setWeights(Map.of("dense.kernel", Tensor.of(eye, 6, 6)));
        int n = 64;
        double[] x = new double[n * 6];
        for (int i = 0; i < x.length; i++) x[i] = 1 + i % 6;
        Session s = m.newSession(n, 1);
        s.setSeed(7);
        s.load(new Dataset(Map.of("x", Tensor.of(x, n, 2, 3, 1)), Tensor.of(new double[n * 6], n, 6)), null, 0, n);
        if (training) s.gradStep(n, true);
        else s.evalStep(n);
        double[] out = s.output(n).toDoubleArray();
        double[][] rows = new double[n][];
        for (int r = 0; r < n; r++) rows[r] = java.util.Arrays.copyOfRange(out, r * 6, r * 6 + 6);
        return rows;
    }

    @Test
    void augmentationDrawsPerSampleInTrainingAndIsTheIdentityOtherwise() {
        double[] image = {1, 2, 3, 4, 5, 6}, mirrored = {3, 2, 1, 6, 5, 4};
        int flipped = 0;
        for (double[] row : augmented("RandomFlip(horizontal)", true)) {
            if (java.util.Arrays.equals(row, mirrored)) flipped++;
            else assertArrayEquals(image, row);
        }
        assertTrue(flipped > 16 && flipped < 48, flipped + " of 64 flipped");
        for (double[] row : augmented("RandomFlip(horizontal)", false)) assertArrayEquals(image, row);
        int shifted = 0;
        for (double[] row : augmented("RandomTranslation(0.5, 0.5, fill_mode=constant, fill_value=-1, interpolation=nearest)", true)) {
            for (double v : row) assertTrue(v == -1 || (v >= 1 && v <= 6 && v == Math.rint(v)), java.util.Arrays.toString(row));
            if (!java.util.Arrays.equals(row, image)) shifted++;
        }
        assertTrue(shifted > 16, shifted + " of 64 shifted");
        for (double[] row : augmented("RandomTranslation(0.5, 0.5)", false)) assertArrayEquals(image, row);
    }

    @Test
    void aFrozenBatchNormalizationUsesItsMovingStatisticsAndTrainsNothing() {
        ModelIR m = resolve(sequential("float[3]", "Dense(2)\nBatchNormalization(trainable=false)"));
        assertTrue(m.graph().nodes().stream().noneMatch(n -> n.op() instanceof Op.BatchMoments));
        assertTrue(Summary.render(m).contains(" Non-trainable params: 8 "), Summary.render(m));
    }

    @Test
    void batchStatisticsOverThePartsOfABatchAgreeWithOneThread() {
        CompiledModel m = Models.load(sequential("float[4, 3, 2]", """
                Conv2D(4, 2, padding=same, use_bias=false)
                BatchNormalization(momentum=0.8)
                Activation(tanh)
                Flatten()
                Dense(3)
                BatchNormalization()
                Dense(2)
                """), Dtype.F64);
        m.initialize(5);
        int n = 75;
        double[] x = new double[n * 24], y = new double[n * 2];
        for (int i = 0; i < x.length; i++) x[i] = Math.sin(i * 0.61) + 0.3 * (i % 7);
        for (int i = 0; i < y.length; i++) y[i] = Math.cos(i * 0.2);
        Dataset data = new Dataset(Map.of("x", Tensor.of(x, n, 4, 3, 2)), Tensor.of(y, n, 2));
        Map<String, Tensor> start = m.weights();
        Session one = m.newSession(n, 1), two = m.newSession(n, 2);
        assertEquals(2, two.threads());
        one.load(data, null, 0, n);
        two.load(data, null, 0, n);
        assertEquals(one.gradStep(n), two.gradStep(n), 1e-12);
        for (String key : one.gradients().keySet()) {
            assertArrayEquals(one.gradients().get(key).toDoubleArray(), two.gradients().get(key).toDoubleArray(), 1e-12, key);
        }
        one.trainStep(n);
        Map<String, Tensor> afterOne = m.weights();
        m.setWeights(start);
        two.trainStep(n);
        Map<String, Tensor> afterTwo = m.weights();
        for (String key : afterOne.keySet()) {
            assertArrayEquals(afterOne.get(key).toDoubleArray(), afterTwo.get(key).toDoubleArray(), 1e-12, key);
        }
        assertNotEquals(start.get("batch_normalization.moving_mean").toDoubleArray()[0], afterTwo.get("batch_normalization.moving_mean").toDoubleArray()[0]);
    }

    @Test
    void convolutionThroughThePartsOfABatchAgreesWithOneThread() {
        String src = sequential("float[6, 5, 2]", """
                Conv2D(4, 3, padding=same, activation=tanh)
                MaxPooling2D(padding=same)
                Conv2D(3, 2, strides=(1, 2), activation=tanh)
                GlobalAveragePooling2D()
                Dense(2)
                """);
        CompiledModel m = Models.load(src, Dtype.F64);
        m.initialize(3);
        int n = 70;
        double[] x = new double[n * 60];
        for (int i = 0; i < x.length; i++) x[i] = Math.sin(i * 0.37);
        Dataset data = new Dataset(Map.of("x", Tensor.of(x, n, 6, 5, 2)), Tensor.of(new double[n * 2], n, 2));
        Session one = m.newSession(n, 1), two = m.newSession(n, 2);
        assertNotEquals(1, two.threads());
        one.load(data, null, 0, n);
        two.load(data, null, 0, n);
        assertEquals(one.gradStep(n), two.gradStep(n), 1e-12);
        double[] g1 = one.gradients().get("grad.conv2d.kernel").toDoubleArray(), g2 = two.gradients().get("grad.conv2d.kernel").toDoubleArray();
        assertArrayEquals(g1, g2, 1e-12);
    }

    @Test
    void depthwiseSeparableAndTransposedConvolutionsThroughThePartsOfABatchAgreeWithOneThread() {
        // The kernel gradients are sums over each part's rows, added across parts afterwards.
        CompiledModel m = Models.load(sequential("float[6, 5, 2]", """
                DepthwiseConv2D(3, padding=same, depth_multiplier=3, activation=tanh)
                SeparableConv2D(4, 2, strides=2, activation=tanh)
                Conv2DTranspose(3, 3, strides=2, padding=same, activation=tanh)
                GlobalAveragePooling2D()
                Dense(2)
                """), Dtype.F64);
        m.initialize(5);
        int n = 70;
        double[] x = new double[n * 60];
        for (int i = 0; i < x.length; i++) x[i] = Math.cos(i * 0.29);
        Dataset data = new Dataset(Map.of("x", Tensor.of(x, n, 6, 5, 2)), Tensor.of(new double[n * 2], n, 2));
        Session one = m.newSession(n, 1), two = m.newSession(n, 2);
        assertNotEquals(1, two.threads());
        one.load(data, null, 0, n);
        two.load(data, null, 0, n);
        assertEquals(one.gradStep(n), two.gradStep(n), 1e-12);
        for (String key : new String[] {"depthwise_conv2d.kernel", "separable_conv2d.depthwise_kernel", "separable_conv2d.pointwise_kernel",
                "conv2d_transpose.kernel"}) {
            assertArrayEquals(one.gradients().get("grad." + key).toDoubleArray(), two.gradients().get("grad." + key).toDoubleArray(), 1e-12, key);
        }
    }
}
