package modelc.compiler.resolve;

import static modelc.compiler.resolve.LayerChecks.error;
import static modelc.compiler.resolve.LayerChecks.layers;
import static modelc.compiler.resolve.LayerChecks.resolve;
import static modelc.compiler.resolve.LayerChecks.sequential;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import modelc.compiler.cli.Summary;
import modelc.compiler.codegen.Dtype;
import modelc.compiler.testing.Models;
import modelc.runtime.Tensor;
import modelc.runtime.data.Dataset;
import modelc.runtime.train.CompiledModel;
import modelc.runtime.train.Session;
import org.junit.jupiter.api.Test;

/**
 * BatchNormalization's {@code axis} and masked inputs, against numbers from Keras 3.15.1 (JAX,
 * float64 with its float32 demotion lifted): {@code keras.Model(x, BatchNormalization(...)(
 * Masking()(x)))} called once with {@code training=True} on the batch below.
 */
class BatchNormalizationTest {
    /** Four sequences of 3 steps of 2 features; an all-zero step is masked by Masking(): 8 steps of 12 count. */
    private static final double[] X = {
            1, 2, 0, 0, 3, -1,
            2, 5, 4, 1, 0, 0,
            0, 0, 0, 0, -2, 3,
            6, 1, 1, 0, 2, 2};

    /**
     * Keras's masked moments over the features: mean = Σ x / (8 + 1e-7), e.g. 17 / (8 + 1e-7) for
     * the first feature, var likewise; with momentum 0.5 from the initial 0 and 1.
     */
    @Test
    void maskedStatisticsCountOnlyTheUnmaskedStepsAsKeras() {
        for (int threads : new int[] {1, 2}) {
            CompiledModel m = masked("BatchNormalization(momentum=0.5)");
            Session s = m.newSession(4, threads);
            s.load(batch(), null, 0, 4);
            s.gradStep(4);
            // Every position is normalised, masked ones too; these are Keras's y at (0, 0) and at a masked step (0, 1).
            assertEquals(-0.5102906674594223, s.output(4).toDoubleArray()[0], 1e-12, threads + " threads");
            assertEquals(-0.9638823825776017, s.output(4).toDoubleArray()[2], 1e-12, threads + " threads");
            assertEquals(1.7576679081314752, s.output(4).toDoubleArray()[18], 1e-12, threads + " threads");
            s.trainStep(4);
            assertArrayEquals(new double[] {1.0624999867187503, 0.8124999898437502},
                    m.weights().get("batch_normalization.moving_mean").toDoubleArray(), 1e-13, threads + " threads");
            assertArrayEquals(new double[] {2.929687469628907, 1.9921874813476568},
                    m.weights().get("batch_normalization.moving_variance").toDoubleArray(), 1e-13, threads + " threads");
        }
    }

    /** axis=1 of a masked sequence: a statistic per step over the batch and the features, the mask broadcast over the features. */
    @Test
    void maskedStatisticsPerStepAsKeras() {
        for (int threads : new int[] {1, 2}) {
            CompiledModel m = masked("BatchNormalization(axis=1, momentum=0.5)");
            Session s = m.newSession(4, threads);
            s.load(batch(), null, 0, 4);
            s.gradStep(4);
            assertEquals(-0.9396699549346057, s.output(4).toDoubleArray()[0], 1e-12, threads + " threads");
            assertEquals(1.666296465521277, s.output(4).toDoubleArray()[8], 1e-12, threads + " threads");
            s.trainStep(4);
            assertArrayEquals(new double[] {1.416666643055556, 0.7499999812500004, 0.5833333236111112},
                    m.weights().get("batch_normalization.moving_mean").toDoubleArray(), 1e-13, threads + " threads");
            assertArrayEquals(new double[] {2.4027777460648165, 1.6249999718750012, 2.4027777460648156},
                    m.weights().get("batch_normalization.moving_variance").toDoubleArray(), 1e-13, threads + " threads");
        }
    }

    /**
     * Under TimeDistributed Keras 3.15.1 calls the layer once per step with that step's mask,
     * {@code mask[:, t]} of shape (batch,): each step's statistics over its unmasked rows, and the
     * moving statistics moved once per step (momentum 0.5, three times, in step order).
     */
    @Test
    void maskedStatisticsUnderTimeDistributedPerStepAsKeras() {
        for (int threads : new int[] {1, 2}) {
            CompiledModel m = masked("TimeDistributed(BatchNormalization(momentum=0.5))");
            Session s = m.newSession(4, threads);
            s.load(batch(), null, 0, 4);
            s.gradStep(4);
            double[] y = s.output(4).toDoubleArray();
            assertEquals(-0.9257208898404009, y[0], 1e-12, threads + " threads");
            assertEquals(-1.6662963780314588, y[2], 1e-12, threads + " threads");
            assertEquals(0.9997779601225851, y[8], 1e-12, threads + " threads");
            assertEquals(1.3885814504757144, y[18], 1e-12, threads + " threads");
            s.trainStep(4);
            assertArrayEquals(new double[] {1.499999939583336, 1.1249999604166683},
                    m.weights().get("time_distributed.moving_mean").toDoubleArray(), 1e-13, threads + " threads");
            assertArrayEquals(new double[] {3.6041665413194552, 1.9930554922453745},
                    m.weights().get("time_distributed.moving_variance").toDoubleArray(), 1e-13, threads + " threads");
        }
    }

    /**
     * A mask with axes of its own under TimeDistributed: (sentences, words) ids, Embedding(mask_zero)
     * with the embeddings below; each sentence position's statistics over the batch's unmasked words.
     */
    @Test
    void maskedWordsUnderTimeDistributedPerStepAsKeras() {
        CompiledModel m = Models.load("""
                sequential B {
                    input t: int[2, 3]
                    Embedding(5, 2, mask_zero=true)
                    TimeDistributed(BatchNormalization(momentum=0.5))
                    compile(loss=mse, optimizer=sgd)
                }
                """, Dtype.F64);
        for (int threads : new int[] {1, 2}) {
            m.initialize(1);
            Map<String, Tensor> w = new java.util.HashMap<>(m.weights());
            w.put("embedding.embeddings", Tensor.of(new double[] {0.5, -1, 1, 2, -1, 0.5, 2, 1, 0.25, -2}, 5, 2));
            m.setWeights(w);
            Session s = m.newSession(2, threads);
            double[] ids = {1, 2, 0, 3, 0, 0, 0, 0, 0, 4, 1, 2};
            s.load(new Dataset(Map.of("t", Tensor.of(ids, 2, 2, 3)), Tensor.of(new double[24], 2, 2, 3, 2)), null, 0, 2);
            s.gradStep(2);
            double[] y = s.output(2).toDoubleArray();
            double[] keras = {0.9995003996503196, -0.9995003996503196, 1.3121323999649663, -0.0570492213869177, 0.4997501998251598, -1.4262308427388017};
            int[] at = {0, 2, 6, 10, 16, 22};
            for (int i = 0; i < at.length; i++) assertEquals(keras[i], y[at[i]], 1e-12, threads + " threads, output " + at[i]);
            s.trainStep(2);
            assertArrayEquals(new double[] {0.28124999296875014, 0.49999997968750093},
                    m.weights().get("time_distributed.moving_mean").toDoubleArray(), 1e-13, threads + " threads");
            assertArrayEquals(new double[] {1.0996093475097668, 1.4765624658203145},
                    m.weights().get("time_distributed.moving_variance").toDoubleArray(), 1e-13, threads + " threads");
        }
    }

    /**
     * renorm over axis=1 (moved last and back) from the initial statistics (renorm_mean 0,
     * renorm_stddev 1: r = std, d = mean, clipped by rmax 1.5 and dmax 0.5), with Keras's five
     * non-trainable weights after the step.
     */
    @Test
    void renormOverAnAxisAsKeras() {
        CompiledModel m = Models.load("""
                sequential B {
                    input x: float[3, 2]
                    BatchNormalization(axis=1, momentum=0.5, renorm=true, renorm_momentum=0.8, renorm_clipping={rmax: 1.5, dmax: 0.5})
                    compile(loss=mse, optimizer=sgd)
                }
                """, Dtype.F64);
        for (int threads : new int[] {1, 2}) {
            m.initialize(1);
            Session s = m.newSession(4, threads);
            s.load(batch(), null, 0, 4);
            s.gradStep(4);
            double[] y = s.output(4).toDoubleArray();
            assertEquals(-0.30813117555501834, y[0], 1e-12, threads + " threads");
            assertEquals(-0.25, y[3], 1e-12, threads + " threads");
            assertEquals(3.75, y[8], 1e-12, threads + " threads");
            assertEquals(3.2835629380228415, y[18], 1e-12, threads + " threads");
            s.trainStep(4);
            Map<String, Tensor> w = m.weights();
            assertArrayEquals(new double[] {1.0625, 0.375, 0.4375}, w.get("batch_normalization.moving_mean").toDoubleArray(), 1e-13);
            assertArrayEquals(new double[] {2.3831692980328043, 1.3208364744253789, 1.9084065135728576},
                    w.get("batch_normalization.moving_variance").toDoubleArray(), 1e-13);
            assertArrayEquals(new double[] {1.5440755480328041, 1.149711474425379, 1.3818127635728574},
                    w.get("batch_normalization.moving_stddev").toDoubleArray(), 1e-13);
            assertArrayEquals(new double[] {0.42499999999999993, 0.14999999999999997, 0.17499999999999996},
                    w.get("batch_normalization.renorm_mean").toDoubleArray(), 1e-13);
            assertArrayEquals(new double[] {1.2176302192131216, 1.0598845897701517, 1.152725105429143},
                    w.get("batch_normalization.renorm_stddev").toDoubleArray(), 1e-13);
        }
    }

    @Test
    void weightsHaveTheSizeOfTheAxisAndKerasCounts() {
        ModelIR m = resolve(sequential("float[5, 3]", "BatchNormalization(axis=1)\nBatchNormalization(axis=-1, center=false)"));
        assertEquals(Map.of("batch_normalization", "(None, 5, 3) 20", "batch_normalization_1", "(None, 5, 3) 9"), layers(m));
        String summary = Summary.render(m);
        assertTrue(summary.contains(" Trainable params: 13 "), summary);
        assertTrue(summary.contains(" Non-trainable params: 16 "), summary);
        ModelIR img = resolve(sequential("float[4, 3, 2]", "BatchNormalization(axis=-3)\nBatchNormalization(axis=2)"));
        assertEquals(Map.of("batch_normalization", "(None, 4, 3, 2) 16", "batch_normalization_1", "(None, 4, 3, 2) 12"), layers(img));
    }

    @Test
    void axesKerasRejectsAndWhatIsNotSupportedAreRejected() {
        assertTrue(error(sequential("float[5, 3]", "BatchNormalization(axis=3)"))
                .contains("BatchNormalization: axis 3 is out of bounds for an input of shape (None, 5, 3)"));
        assertTrue(error(sequential("float[5, 3]", "BatchNormalization(axis=-4)")).contains("axis -4 is out of bounds"));
        assertTrue(error(sequential("float[5, 3]", "BatchNormalization(axis=-3)")).contains("axis -3 is the batch axis, which has no fixed size"));
        // Keras: a step's mask (batch,) must have one dimension less than the step (batch, 4, 2).
        String perStep = error(sequential("int[3]", "Embedding(7, 4, mask_zero=true)\nTimeDistributed(Reshape((2, 2)))\nTimeDistributed(BatchNormalization())"));
        assertTrue(perStep.contains("BatchNormalization: the mask (None,) must have one dimension less than the input (None, 2, 2) (under TimeDistributed: of each step)"), perStep);
    }

    /**
     * renorm=True adds Keras's moving_stddev, renorm_mean and renorm_stddev (not trainable): 7 per
     * channel, as Keras 3.15.1's summary counts ((5, 3) input: 35 for axis=1, 18 for center=False
     * on the features; 13 trainable, 40 not).
     */
    @Test
    void renormWeightsAreKerasAndCountAsKeras() {
        ModelIR m = resolve(sequential("float[5, 3]", "BatchNormalization(axis=1, renorm=true)\nBatchNormalization(renorm=true, center=false)"));
        assertEquals(Map.of("batch_normalization", "(None, 5, 3) 35", "batch_normalization_1", "(None, 5, 3) 18"), layers(m));
        String summary = Summary.render(m);
        assertTrue(summary.contains(" Total params: 53 "), summary);
        assertTrue(summary.contains(" Trainable params: 13 "), summary);
        assertTrue(summary.contains(" Non-trainable params: 40 "), summary);
        // Keras starts moving_stddev and renorm_stddev at the square root of the moving variance's initializer.
        CompiledModel c = Models.load(sequential("float[3]", "BatchNormalization(renorm=true, moving_variance_initializer=constant(4.0))"), Dtype.F64);
        c.initialize(1);
        Map<String, Tensor> w = c.weights();
        assertEquals(java.util.Set.of("batch_normalization.gamma", "batch_normalization.beta", "batch_normalization.moving_mean",
                "batch_normalization.moving_variance", "batch_normalization.moving_stddev", "batch_normalization.renorm_mean",
                "batch_normalization.renorm_stddev"), w.keySet());
        assertArrayEquals(new double[] {4, 4, 4}, w.get("batch_normalization.moving_variance").toDoubleArray());
        assertArrayEquals(new double[] {2, 2, 2}, w.get("batch_normalization.moving_stddev").toDoubleArray());
        assertArrayEquals(new double[] {2, 2, 2}, w.get("batch_normalization.renorm_stddev").toDoubleArray());
        assertArrayEquals(new double[] {0, 0, 0}, w.get("batch_normalization.renorm_mean").toDoubleArray());
    }

    /** What Keras refuses in renorm_clipping is refused at its place in the file; and what modelc cannot start. */
    @Test
    void badRenormSettingsAreRejectedWhereTheyAre() {
        String unknown = error(sequential("float[3]", "BatchNormalization(renorm=true, renorm_clipping={rmax: 3, rmn: 0.5})"));
        assertTrue(unknown.contains("t.model:3:63") && unknown.contains("BatchNormalization: renorm_clipping has the keys rmax, rmin and dmax, got rmn"), unknown);
        String order = error(sequential("float[3]", "BatchNormalization(renorm=true, renorm_clipping={rmax: 0.5, rmin: 2})"));
        assertTrue(order.contains("t.model:3:53") && order.contains("renorm_clipping's rmax (0.5) must not be less than rmin (2.0)"), order);
        String dmax = error(sequential("float[3]", "BatchNormalization(renorm=true, renorm_clipping={dmax: -1})"));
        assertTrue(dmax.contains("t.model:3:60") && dmax.contains("renorm_clipping's dmax must be non-negative, got -1"), dmax);
        String value = error(sequential("float[3]", "BatchNormalization(renorm=true, renorm_clipping={rmax: \"big\"})"));
        assertTrue(value.contains("t.model:3:60") && value.contains("renorm_clipping's rmax must be a number, got a string"), value);
        String twice = error(sequential("float[3]", "BatchNormalization(renorm=true, renorm_clipping={rmax: 3, rmax: 4})"));
        assertTrue(twice.contains("renorm_clipping gives rmax twice"), twice);
        String notDict = error(sequential("float[3]", "BatchNormalization(renorm=true, renorm_clipping=3)"));
        assertTrue(notDict.contains("t.model:3:") && notDict.contains("renorm_clipping"), notDict);
        String momentum = error(sequential("float[3]", "BatchNormalization(renorm=true, renorm_momentum=1.5)"));
        assertTrue(momentum.contains("t.model:3:") && momentum.contains("BatchNormalization's renorm_momentum must be in [0, 1], got 1.5"), momentum);
        String init = error(sequential("float[3]", "BatchNormalization(renorm=true, moving_variance_initializer=random_uniform)"));
        assertTrue(init.contains("with renorm, moving_variance_initializer must be zeros, ones or constant(v)"), init);
        // As Keras: without renorm=True the renorm settings are not used, so not checked either.
        resolve(sequential("float[3]", "BatchNormalization(renorm_clipping={rmn: 1}, renorm_momentum=0.5)"));
    }

    /** input x: float[3, 2] → Masking() → {@code bn}, MSE; weights at their initial values (gamma 1, beta 0, moving 0 and 1). */
    private static CompiledModel masked(String bn) {
        CompiledModel m = Models.load("""
                sequential B {
                    input x: float[3, 2]
                    Masking()
                    %s
                    compile(loss=mse, optimizer=sgd)
                }
                """.formatted(bn), Dtype.F64);
        m.initialize(1);
        return m;
    }

    private static Dataset batch() {
        return new Dataset(Map.of("x", Tensor.of(X.clone(), 4, 3, 2)), Tensor.of(new double[24], 4, 3, 2));
    }
}
