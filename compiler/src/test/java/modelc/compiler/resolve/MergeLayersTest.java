package modelc.compiler.resolve;

import static modelc.compiler.resolve.LayerChecks.error;
import static modelc.compiler.resolve.LayerChecks.layers;
import static modelc.compiler.resolve.LayerChecks.resolve;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import modelc.compiler.cli.Summary;
import modelc.compiler.codegen.Dtype;
import modelc.compiler.ir.Node;
import modelc.compiler.ir.Op;
import modelc.compiler.testing.Models;
import modelc.runtime.Tensor;
import modelc.runtime.data.Dataset;
import modelc.runtime.train.CompiledModel;
import modelc.runtime.train.Session;
import org.junit.jupiter.api.Test;

/**
 * The merging layers' shapes, errors and masks. Dot's output shapes are what Keras 3.15.1 reports
 * for the same inputs and axes; the masks follow keras/src/layers/merging/ (base_merge.py,
 * concatenate.py, dot.py), checked against Keras's outputs by the parity fixtures.
 */
class MergeLayersTest {

    /** A functional model of inputs {@code a: float[sa]} and {@code b: float[sb]} whose output is {@code Flatten()(expr)}. */
    private static String twoInputs(String sa, String sb, String expr) {
        return """
                model M {
                    input a: float[%s]
                    input b: float[%s]
                    output Dense(1)(Flatten()(%s))
                    compile(loss=mse, optimizer=adam)
                }
                """.formatted(sa, sb, expr);
    }

    private static String dotShape(String sa, String sb, String axes) {
        return layers(resolve(twoInputs(sa, sb, "Dot(axes=" + axes + ")([a, b])"))).get("dot");
    }

    @Test
    void dotShapesAreKeras() {
        assertEquals("(None, 1) 0", dotShape("4", "4", "1"));
        assertEquals("(None, 1) 0", dotShape("4", "4", "-1"));
        assertEquals("(None, 5, 5) 0", dotShape("3, 5", "3, 5", "1"));
        assertEquals("(None, 3, 4) 0", dotShape("3, 5", "4, 5", "2"));
        assertEquals("(None, 3, 4) 0", dotShape("3, 5", "4, 5", "(2, 2)"));
        assertEquals("(None, 3) 0", dotShape("5", "3, 5", "(1, 2)"));
        assertEquals("(None, 3) 0", dotShape("3, 5", "5", "(2, 1)"));
        assertEquals("(None, 2, 4, 6) 0", dotShape("2, 3, 4", "3, 6", "(2, 1)"));
        assertEquals("(None, 2, 4, 4, 2) 0", dotShape("2, 3, 4", "4, 3, 2", "[-2, 2]"));
        assertEquals("(None, 5, 2) 0", dotShape("3, 5", "3, 2", "(1, -2)"));
    }

    @Test
    void dotHasASummaryRowWithoutParameters() {
        String summary = Summary.render(resolve(twoInputs("3, 5", "4, 5", "Dot(axes=2, normalize=true)([a, b])")));
        assertTrue(summary.contains("│ dot (Dot)"), summary);
        assertTrue(summary.matches("(?s).*│ dot \\(Dot\\) +│ \\(None, 3, 4\\) +│ +0 │ a\\[0\\]\\[0\\], b\\[0\\]\\[0\\] +│.*"), summary);
    }

    @Test
    void dotNamesBothShapesOnAMismatch() {
        String src = twoInputs("3, 5", "4, 5", "Dot(axes=1)([a, b])");
        assertEquals("""
                t.model:4:31: error: cannot take the dot product of shapes (None, 3, 5) and (None, 4, 5) over axes (1, 1): 3 vs 4
                        output Dense(1)(Flatten()(Dot(axes=1)([a, b])))
                                                  ^~~~~~~~~~~~~~~~~~~
                """, error(src));
        String vectors = error(twoInputs("4", "5", "Dot(axes=-1)([a, b])"));
        assertTrue(vectors.contains("cannot take the dot product of shapes (None, 4) and (None, 5) over axes (1, 1): 4 vs 5"), vectors);
    }

    @Test
    void dotRefusesTheBatchAxisAndAxesThatDoNotExist() {
        String batch = error(twoInputs("4", "4", "Dot(axes=0)([a, b])"));
        assertTrue(batch.contains("Dot: axes 0 do not fit inputs of shapes (None, 4) and (None, 4)"), batch);
        assertTrue(batch.contains("hint: axis 0 is the batch axis, which Dot cannot sum over"), batch);
        assertTrue(error(twoInputs("4", "4, 3", "Dot(axes=(1, 3))([a, b])")).contains("Dot: axes [1, 3] do not fit inputs of shapes (None, 4) and (None, 4, 3)"));
        assertTrue(error(twoInputs("4", "4", "Dot(axes=(1, 1, 1))([a, b])")).contains("Dot's axes must be an integer or a pair of integers, got [1, 1, 1]"));
        assertTrue(error(twoInputs("4", "4", "Dot(axes=1)([a, b, a])")).contains("Dot needs a list of exactly 2 inputs, got 3"));
        assertTrue(error(twoInputs("4", "4", "Dot()([a, b])")).contains("Dot needs the argument 'axes'"));
    }

    @Test
    void normalizedDotIsTheCosineAndAVectorOfZerosGivesZero() {
        CompiledModel m = Models.load("""
                model C {
                    input a: float[3]
                    input b: float[3]
                    output Dense(1)(Dot(axes=1, normalize=true)([Dense(3)(a), b]))
                    compile(loss=mse, optimizer=sgd)
                }
                """, Dtype.F64);
        // dense_1 (the inner one) passes a through; dense passes the cosine through.
        m.setWeights(Map.of("dense_1.kernel", Tensor.of(new double[] {1, 0, 0, 0, 1, 0, 0, 0, 1}, 3, 3), "dense_1.bias", Tensor.of(new double[3], 3),
                "dense.kernel", Tensor.of(new double[] {1}, 1, 1), "dense.bias", Tensor.of(new double[1], 1)));
        double[] a = {1, 2, 2, 0, 0, 0, 3, 4, 0, 1e-9, 0, 0};
        double[] b = {2, 0, 0, 1, 1, 1, -4, 3, 5, 1, 0, 0};
        Dataset d = new Dataset(Map.of("a", Tensor.of(a, 4, 3), "b", Tensor.of(b, 4, 3)), Tensor.of(new double[4], 4, 1));
        Session s = m.newSession(4);
        s.load(d, null, 0, 4);
        s.gradStep(4);
        double[] cos = s.output(4).toDoubleArray();
        // The norm's lower bound (Keras's epsilon, 1e-7) keeps the zero vector at 0 and the tiny one at 1e-9 · 1e7.
        double[] want = {1.0 / 3, 0, 0, 1e-2};
        for (int i = 0; i < 4; i++) assertEquals(want[i], cos[i], 1e-12, "row " + i);
        for (double g : s.gradients().get("grad.dense_1.kernel").toDoubleArray()) assertTrue(Double.isFinite(g), "a finite gradient at the zero vector");
    }

    // ------------------------------------------------------------------ masks

    /** Two masked token inputs {@code ea}, {@code eb}, an unmasked {@code ec}, and {@code h = expr}, pooled (eb also flattened, so b is used). */
    private static ModelIR masked(String expr) {
        return resolve("""
                model M {
                    input a: int[6]
                    input b: int[6]
                    ea = Embedding(7, 4, mask_zero=true)(a)
                    eb = Embedding(7, 4, mask_zero=true)(b)
                    ec = Embedding(7, 4)(a)
                    h = %s
                    output Dense(1)(Concatenate()([GlobalAveragePooling1D()(h), Flatten()(eb)]))
                    compile(loss=mse, optimizer=adam)
                }
                """.formatted(expr));
    }

    /** The mask GlobalAveragePooling1D averages with: null if it takes the plain mean. */
    private static Node pooledMask(ModelIR m) {
        return m.graph().nodes().stream().filter(n -> n.op() instanceof Op.MaskedMean).map(n -> n.input(1)).findFirst().orElse(null);
    }

    @Test
    void mergesOfMaskedValuesOrTheirMasksWhenEveryInputIsMasked() {
        for (String cls : new String[] {"Add", "Subtract", "Multiply", "Average", "Maximum", "Minimum", "Concatenate"}) {
            Node mask = pooledMask(masked(cls + "()([ea, eb])"));
            assertTrue(mask != null && mask.op() instanceof Op.MaxMin max && max.max(), cls + ": " + mask);
            assertEquals("(None, 6)", mask.type().kerasShape());
        }
        // One unmasked input: no mask (Keras's compute_mask), or an all-valid one along Concatenate's features.
        for (String cls : new String[] {"Add", "Subtract", "Multiply", "Average", "Maximum", "Minimum", "Concatenate"}) {
            assertNull(pooledMask(masked(cls + "()([ea, ec])")), cls);
        }
        // The same mask twice is that mask.
        ModelIR same = masked("Add()([ea, ea])");
        assertTrue(pooledMask(same).op() instanceof Op.NonZero);
    }

    @Test
    void concatenatingAlongTheStepsJoinsTheMasks() {
        Node mask = pooledMask(masked("Concatenate(axis=1)([ea, ec])"));
        assertTrue(mask.op() instanceof Op.Concat c && c.axis() == 1, String.valueOf(mask));
        assertEquals("(None, 12)", mask.type().kerasShape());
        assertTrue(mask.input(0).op() instanceof Op.NonZero, "the masked input's own mask comes first");
        assertTrue(mask.input(1).op() instanceof Op.Affine, "an unmasked input counts as all valid");
    }

    @Test
    void multiplyAndMaximumUseTheMasksInTheValues() {
        // Multiply: masked entries count as 1, and the product is 0 outside the combined mask.
        ModelIR mul = masked("Multiply()([ea, eb])");
        assertEquals(2, mul.graph().nodes().stream().filter(n -> n.op() instanceof Op.Select).count());
        assertTrue(mul.graph().nodes().stream().anyMatch(n -> n.op() instanceof Op.MaskRows));
        // Maximum: where one side is masked, the other side's value is taken.
        ModelIR max = masked("Maximum()([ea, eb])");
        assertEquals(2, max.graph().nodes().stream().filter(n -> n.op() instanceof Op.Select).count());
        // Add ignores the masks in its values.
        assertTrue(masked("Add()([ea, eb])").graph().nodes().stream().noneMatch(n -> n.op() instanceof Op.Select));
    }

    @Test
    void dotDropsTheMasksAsKerasDoes() {
        // Dot(axes=2) of two (None, 6, 4) sequences is (None, 6, 6), and its mean over the steps is unmasked.
        ModelIR m = masked("Dot(axes=2)([ea, eb])");
        assertNull(pooledMask(m));
        assertEquals("(None, 6, 6) 0", layers(m).get("dot"));
    }

    @Test
    void aMaskedMergeReachesRecurrentLayersAndTheLoss() {
        ModelIR m = resolve("""
                model M {
                    input a: int[6]
                    input b: int[6]
                    h = Add()([Embedding(7, 4, mask_zero=true)(a), Embedding(7, 4, mask_zero=true)(b)])
                    output TimeDistributed(Dense(2))(LSTM(3, return_sequences=true)(h))
                    compile(loss=mse, optimizer=adam)
                }
                """);
        Op.Loss loss = (Op.Loss) m.graph().loss().op();
        assertTrue(loss.hasMask());
        assertTrue(m.graph().loss().input(2).op() instanceof Op.MaxMin, "the loss is masked by the OR of the two masks");
    }

    @Test
    void masksOverDifferentStepsAreRefused() {
        String src = """
                model M {
                    input a: int[6]
                    input b: int[1]
                    output Dense(1)(Flatten()(Add()([Embedding(7, 4, mask_zero=true)(a), Embedding(7, 4, mask_zero=true)(b)])))
                    compile(loss=mse, optimizer=adam)
                }
                """;
        assertTrue(error(src).contains("Add of values masked over different steps (None, 6) and (None, 1) is not supported yet"), error(src));
    }
}
