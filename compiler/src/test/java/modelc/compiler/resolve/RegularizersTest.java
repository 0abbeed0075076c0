package modelc.compiler.resolve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import java.util.TreeMap;
import modelc.compiler.diag.CompileException;
import modelc.compiler.diag.Diagnostics;
import modelc.compiler.ir.ParamInfo;
import modelc.compiler.syntax.Parser;
import org.junit.jupiter.api.Test;

/**
 * Weight regularizers as layer arguments, with Keras 3's spellings and defaults
 * (keras/src/regularizers/regularizers.py, checked against Keras 3.15.1): which weight each
 * argument penalises with which l1 and l2, and the errors for what Keras would reject.
 */
class RegularizersTest {

    private static ModelIR resolve(String source) {
        return Resolver.resolve(Parser.parse("t.model", source));
    }

    private static String sequential(String input, String layers) {
        return "sequential T {\n    input x: " + input + "\n" + layers.indent(4) + "    compile(loss=mse, optimizer=adam)\n}\n";
    }

    /** Every regularized weight as {@code key -> "l1 l2"}. */
    private static Map<String, String> penalties(String input, String layers) {
        Map<String, String> out = new TreeMap<>();
        for (ParamInfo p : resolve(sequential(input, layers)).graph().paramInfos()) {
            if (p.regularizer() != null) out.put(p.key(), p.regularizer().l1() + " " + p.regularizer().l2());
        }
        return out;
    }

    private static String error(String layer) {
        String source = sequential("float[4]", layer);
        CompileException e = assertThrows(CompileException.class, () -> resolve(source));
        return Diagnostics.render(e.diagnostics(), source);
    }

    @Test
    void kerasSpellingsAndDefaults() {
        assertEquals(Map.of("dense.kernel", "0.0 0.01", "dense.bias", "0.01 0.0"),
                penalties("float[4]", "Dense(2, kernel_regularizer=l2(0.01), bias_regularizer=l1(0.01))"));
        // the strings "l1" and "l2", and l1()/l2()/L1()/L2() without an argument: 0.01
        assertEquals(Map.of("dense.kernel", "0.01 0.0", "dense.bias", "0.0 0.01", "dense_1.kernel", "0.01 0.0", "dense_1.bias", "0.0 0.01"),
                penalties("float[4]", "Dense(2, kernel_regularizer=\"l1\", bias_regularizer=l2)\nDense(2, kernel_regularizer=L1(), bias_regularizer=l2())"));
        // keyword forms, qualified names, Keras 2's l=
        assertEquals(Map.of("dense.kernel", "0.0 0.3", "dense.bias", "0.2 0.0", "dense_1.kernel", "0.0 0.5"),
                penalties("float[4]", "Dense(2, kernel_regularizer=L2(l2=0.3), bias_regularizer=keras.regularizers.L1(l1=0.2))\n"
                        + "Dense(2, kernel_regularizer=regularizers.l2(l=0.5))"));
        // l1_l2 / L1L2: Keras 3's factors default to 0 (Keras 2's l1_l2 function defaulted to 0.01);
        // the string "l1_l2" is 0.01 each, as Keras 3 documents it
        assertEquals(Map.of("dense.kernel", "0.01 0.02", "dense.bias", "0.03 0.0", "dense_1.kernel", "0.01 0.01"),
                penalties("float[4]", "Dense(2, kernel_regularizer=l1_l2(l1=0.01, l2=0.02), bias_regularizer=L1L2(0.03))\n"
                        + "Dense(2, kernel_regularizer=\"l1_l2\", bias_regularizer=L1L2(l1=0, l2=0))"));
        assertEquals(Map.of(), penalties("float[4]", "Dense(2, kernel_regularizer=None)"));
    }

    @Test
    void everyLayerWithWeightsTakesItsRegularizers() {
        assertEquals(Map.of("embedding.embeddings", "0.0 0.1", "conv1d.kernel", "0.1 0.0", "conv1d.bias", "0.0 0.2",
                        "layer_normalization.gamma", "0.0 0.3", "layer_normalization.beta", "0.3 0.0"),
                penalties("int[6]", "Embedding(9, 4, embeddings_regularizer=l2(0.1))\nConv1D(3, 2, kernel_regularizer=l1(0.1), bias_regularizer=l2(0.2))\n"
                        + "LayerNormalization(gamma_regularizer=l2(0.3), beta_regularizer=l1(0.3))\nFlatten()\nDense(1)"));
        assertEquals(Map.of("lstm.kernel", "0.0 0.1", "lstm.recurrent_kernel", "0.2 0.0", "lstm.bias", "0.0 0.3"),
                penalties("float[5, 3]", "LSTM(2, kernel_regularizer=l2(0.1), recurrent_regularizer=l1(0.2), bias_regularizer=l2(0.3))"));
        assertEquals(Map.of("gru.recurrent_kernel", "0.0 0.1", "simple_rnn.kernel", "0.2 0.0"),
                penalties("float[5, 3]", "GRU(2, return_sequences=true, recurrent_regularizer=l2(0.1))\nSimpleRNN(2, kernel_regularizer=l1(0.2))"));
        // wrappers pass them through: both directions, and TimeDistributed's key
        assertEquals(Map.of("bidirectional.forward.kernel", "0.0 0.1", "bidirectional.backward.kernel", "0.0 0.1",
                        "time_distributed.bias", "0.2 0.0", "rnn.recurrent_kernel", "0.0 0.3"),
                penalties("float[5, 3]", "Bidirectional(LSTM(2, return_sequences=true, kernel_regularizer=l2(0.1)))\n"
                        + "TimeDistributed(Dense(2, bias_regularizer=l1(0.2)))\nRNN(GRUCell(2, recurrent_regularizer=l2(0.3)))"));
    }

    @Test
    void aWeightOfALayerWrittenInTheLanguageTakesARegularizer() {
        String source = """
                layer Scale(units) {
                    call(x: [d]) {
                        W = param([d, units], regularizer=l2(0.05))
                        b = param([units], init=zeros)
                        return x @ W + b
                    }
                }
                sequential T {
                    input x: float[3]
                    Scale(2)
                    compile(loss=mse, optimizer=adam)
                }
                """;
        Map<String, String> out = new TreeMap<>();
        for (ParamInfo p : resolve(source).graph().paramInfos()) out.put(p.key(), String.valueOf(p.regularizer()));
        assertEquals(Map.of("scale.W", "l2(0.05)", "scale.b", "null"), out);
    }

    /** A built-in layer (such as one being written) that binds kernel_regularizer but does not take it refuses it. */
    @Test
    void aLayerThatDoesNotTakeItsRegularizersRefusesThem() {
        modelc.compiler.diag.Span at = modelc.compiler.diag.Span.at("t.model", 3, 5);
        Args a = new Args(at, "Conv9D", java.util.List.of(), Map.of("kernel_regularizer", new Val.Str(at, "l2", true)),
                Map.of("kernel_regularizer", at)).bind(java.util.List.of("filters", "kernel_regularizer", "name"), Map.of(), java.util.Set.of());
        Layer notTaking = new Layer("Conv9D", "conv9d", a.span()) {
            protected modelc.compiler.ir.Node lower(modelc.compiler.ir.Graph g, java.util.List<modelc.compiler.ir.Node> in,
                                                    modelc.compiler.diag.Span s) {
                return in.get(0);
            }
        };
        CompileException e = assertThrows(CompileException.class, () -> Regularizers.requireTaken(notTaking, a));
        assertEquals("Conv9D: kernel_regularizer is not supported yet", e.getMessage());
        Regularizers.requireTaken(notTaking.regularized(a), a);
    }

    @Test
    void aNegativeFactorIsRejectedAsKerasDoes() {
        assertEquals("""
                t.model:3:36: error: the regularization factor l2 must be a non-negative number, got -0.01
                        Dense(3, kernel_regularizer=l2(-0.01))
                                                       ^~~~~
                """, error("Dense(3, kernel_regularizer=l2(-0.01))"));
        assertEquals("""
                t.model:3:48: error: the regularization factor l1 must be a non-negative number, got -1
                        Dense(3, bias_regularizer=l1_l2(l2=0.1, l1=-1))
                                                                   ^~
                """, error("Dense(3, bias_regularizer=l1_l2(l2=0.1, l1=-1))"));
    }

    @Test
    void anUnknownRegularizerGetsTheNearestName() {
        assertEquals("""
                t.model:3:33: error: unknown regularizer 'l22'
                        Dense(3, kernel_regularizer="l22")
                                                    ^~~~~
                  hint: did you mean 'l2'?
                """, error("Dense(3, kernel_regularizer=\"l22\")"));
        assertEquals("""
                t.model:3:33: error: unknown regularizer 'L1_L2'
                        Dense(3, kernel_regularizer=L1_L2(0.01))
                                                    ^~~~~~~~~~~
                  hint: did you mean 'l1_l2'?
                """, error("Dense(3, kernel_regularizer=L1_L2(0.01))"));
        assertEquals("""
                t.model:3:46: error: L1L2 has no argument 'l3'
                        Dense(3, kernel_regularizer=L1L2(l1=0.1, l3=0.1))
                                                                 ^~~~~~
                  hint: did you mean 'l1'?
                """, error("Dense(3, kernel_regularizer=L1L2(l1=0.1, l3=0.1))"));
    }

    @Test
    void whatKerasWouldTurnIntoNoPenaltyOrDoesNotHaveIsAnError() {
        assertEquals("""
                t.model:3:33: error: the string 'L1L2' is Keras 3's L1L2() with l1=0 and l2=0, which adds no penalty
                        Dense(3, kernel_regularizer="L1L2")
                                                    ^~~~~~
                  hint: write l1_l2 for 0.01 each, or L1L2(l1=0.01, l2=0.01)
                """, error("Dense(3, kernel_regularizer=\"L1L2\")"));
        assertEquals("""
                t.model:3:33: error: Dense: argument 'kernel_regularizer' must be a regularizer such as l2(0.01), got a number
                        Dense(3, kernel_regularizer=0.01)
                                                    ^~~~
                """, error("Dense(3, kernel_regularizer=0.01)"));
    }

    /** The activity penalties of a model: {@code "layer l1 l2"} per penalised output tensor, in order. */
    private static java.util.List<String> activity(String input, String layers) {
        return resolve(sequential(input, layers)).graph().penalties().stream().map(n -> {
            var op = (modelc.compiler.ir.Op.ActivityPenalty) n.op();
            return n.layer() + " " + op.l1() + " " + op.l2();
        }).toList();
    }

    @Test
    void activityRegularizersPenaliseEveryOutputOfTheLayer() {
        assertEquals(java.util.List.of("dense 0.01 0.02", "dense_1 0.0 0.01"),
                activity("float[4]", "Dense(3, activity_regularizer=l1_l2(l1=0.01, l2=0.02))\nDense(2, activity_regularizer=\"l2\")"));
        assertEquals(java.util.List.of("conv1d 0.0 0.3", "simple_rnn 0.05 0.0"),
                activity("float[5, 3]", "Conv1D(2, 2, activity_regularizer=L2(l2=0.3))\nSimpleRNN(2, activity_regularizer=regularizers.l1(0.05))"));
        // zero and None add nothing
        assertEquals(java.util.List.of(), activity("float[4]", "Dense(3, activity_regularizer=None)\nDense(2, activity_regularizer=L1L2())"));
        // a layer called with return_state: its output and each state, as Keras flattens the outputs
        String source = """
                model T {
                    input x: float[5, 3]
                    out, h, c = LSTM(2, return_state=true, activity_regularizer=l2(0.1))(x)
                    output Concatenate()([out, h, c])
                    compile(loss=mse, optimizer=adam)
                }
                """;
        assertEquals(3, resolve(source).graph().penalties().size());
        // Bidirectional: each direction's output before the merge (and each direction's states), as Keras's two copies of the layer
        for (String mode : new String[] {"concat", "sum", "mul", "ave"}) {
            assertEquals(java.util.List.of("bidirectional 0.0 0.01", "bidirectional 0.0 0.01"), activity("float[5, 3]",
                    "Bidirectional(GRU(2, return_sequences=true, activity_regularizer=l2(0.01)), merge_mode=\"" + mode + "\")"));
        }
        String states = """
                model T {
                    input x: float[5, 3]
                    out, fh, fc, bh, bc = Bidirectional(LSTM(2, return_state=true, activity_regularizer=l2(0.1)), merge_mode="sum")(x)
                    output Concatenate()([out, fh, fc, bh, bc])
                    compile(loss=mse, optimizer=adam)
                }
                """;
        assertEquals(6, resolve(states).graph().penalties().size());
        // a layer applied twice is penalised at each call, as Keras's __call__ adds a loss per call
        String shared = """
                model T {
                    input x: float[3]
                    d = Dense(3, activation=tanh, activity_regularizer=l1(0.2))
                    output Dense(1)(d(d(x)))
                    compile(loss=mse, optimizer=adam)
                }
                """;
        assertEquals(2, resolve(shared).graph().penalties().size());
    }

    @Test
    void aBadActivityRegularizerIsAnError() {
        assertEquals("""
                t.model:3:35: error: unknown regularizer 'l3'
                        Dense(3, activity_regularizer=l3(0.01))
                                                      ^~~~~~~~
                  hint: did you mean 'l1'?
                """, error("Dense(3, activity_regularizer=l3(0.01))"));
        assertEquals("""
                t.model:3:35: error: Dense: argument 'activity_regularizer' must be a regularizer such as l2(0.01), got a number
                        Dense(3, activity_regularizer=0.01)
                                                      ^~~~
                """, error("Dense(3, activity_regularizer=0.01)"));
        assertEquals("""
                t.model:3:38: error: the regularization factor l2 must be a non-negative number, got -0.5
                        Dense(3, activity_regularizer=l2(-0.5))
                                                         ^~~~
                """, error("Dense(3, activity_regularizer=l2(-0.5))"));
    }

    @Test
    void activityRegularizersKerasWouldTraceDifferentlyAreRefused() {
        String td = sequential("float[5, 3]", "TimeDistributed(Dense(2, activity_regularizer=l2(0.01)))");
        assertEquals("""
                t.model:3:51: error: TimeDistributed(Dense): Keras 3 ignores activity_regularizer on the wrapped layer (TimeDistributed runs the layer's call(), which adds no penalty)
                        TimeDistributed(Dense(2, activity_regularizer=l2(0.01)))
                                                                      ^~~~~~~~
                  hint: leave it out, or put activity_regularizer on a layer outside TimeDistributed
                """, Diagnostics.render(assertThrows(CompileException.class, () -> resolve(td)).diagnostics(), td));
        String cell = """
                cell C(units) {
                    state h: [units]
                    step(x: [d]) {
                        h = Dense(units, activation=tanh, activity_regularizer=l2(0.1))(concat(h, x))
                        return h
                    }
                }
                """ + sequential("float[5, 3]", "RNN(C(2))");
        // Keras's RNN would trace the cell's losses inside its loop; modelc refuses a penalty on a value of one step.
        assertEquals("""
                t.model:4:64: error: Dense: activity_regularizer on a layer run inside a recurrent cell is not supported yet
                            h = Dense(units, activation=tanh, activity_regularizer=l2(0.1))(concat(h, x))
                                                                                   ^~~~~~~
                """, Diagnostics.render(assertThrows(CompileException.class, () -> resolve(cell)).diagnostics(), cell));
    }
}
