package modelc.compiler.resolve;

import static modelc.compiler.resolve.LayerChecks.error;
import static modelc.compiler.resolve.LayerChecks.layers;
import static modelc.compiler.resolve.LayerChecks.resolve;
import static modelc.compiler.resolve.LayerChecks.sequential;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Keras's names, weight keys and argument checks for the recurrent layers and cells; errors point at the text. */
class RecurrentLayersTest {

    @Test
    void weightKeysFollowKerassNamesAndWrappers() {
        ModelIR m = resolve(sequential("float[5, 3]", """
                Bidirectional(GRU(4, return_sequences=true))
                GRU(2, return_sequences=true)
                TimeDistributed(Dense(3))"""));
        List<String> keys = m.graph().paramInfos().stream().map(p -> p.key()).toList();
        assertEquals(List.of("bidirectional.forward.kernel", "bidirectional.forward.recurrent_kernel", "bidirectional.forward.bias",
                "bidirectional.backward.kernel", "bidirectional.backward.recurrent_kernel", "bidirectional.backward.bias",
                "gru_1.kernel", "gru_1.recurrent_kernel", "gru_1.bias", "time_distributed.kernel", "time_distributed.bias"), keys);
    }

    @Test
    void badRecurrentModelsGetClearErrors() {
        assertTrue(error(sequential("float[5]", "LSTM(4)")).contains("LSTM needs an input of shape (batch, steps, features), got (None, 5)"));
        assertTrue(error(sequential("float[5, 3]", "LSTM(4, return_state=true)")).contains("use the functional form: out, h = ...(x)"));
        assertTrue(error("model M {\n    input x: float[5, 3]\n    a, b = LSTM(4)(x)\n    output a\n    compile(loss=mse, optimizer=adam)\n}\n")
                .contains("2 names are assigned, but the value is 1 tensor"));
        assertTrue(error(sequential("float[5, 3]", "GRU(4, dropout=1.5)")).contains("dropout must be in [0, 1), got 1.5"));
        String init = "model M {\n    input x: float[5, 3]\n    h = Dense(4)(Flatten()(x))\n    output %s\n    compile(loss=mse, optimizer=adam)\n}\n";
        assertTrue(error(init.formatted("LSTM(4)(x, initial_state=[h])")).contains("LSTM has 2 states, but initial_state gives 1"));
        assertTrue(error(init.formatted("GRU(5)(x, initial_state=[h])")).contains("GRU's state 0 has shape (None, 5), but initial_state gives (None, 4)"));
        assertTrue(error(init.formatted("Dense(2)(h, initial_state=[h])")).contains("Dense does not take initial_state"));
        assertTrue(error(sequential("float[5, 3]", "Bidirectional(Dense(4))")).contains("Bidirectional wraps a recurrent layer"));
        assertTrue(error(sequential("float[5, 3]", "TimeDistributed(Conv1D(4, 3))")).contains("Conv1D needs an input of shape (batch, steps, channels), got (None, 3)"));
        assertTrue(error(sequential("float[5, 3]", "RNN(Elman(4))")).contains("unknown cell 'Elman'"));
        String badState = """
                cell Bad(units) {
                    state h: [units]
                    step(x: [d]) {
                        W = param([d, 3])
                        h = x @ W
                        return h
                    }
                }
                """ + sequential("float[5, 2]", "RNN(Bad(4))");
        String e = error(badState);
        assertTrue(e.contains("state h is declared (None, 4) but its next value has shape (None, 3)"), e);
        assertTrue(e.contains("t.model:2:5"), e);
        String noReturn = """
                cell NoReturn(units) {
                    state h: [units]
                    step(x) {
                        h = x
                    }
                }
                """ + sequential("float[5, 4]", "RNN(NoReturn(4))");
        assertTrue(error(noReturn).contains("NoReturn.step(...) has no return"), error(noReturn));
    }
}
