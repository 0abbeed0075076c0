package modelc.compiler.codegen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import modelc.compiler.Compiler;
import org.junit.jupiter.api.Test;

/** Elementwise chains become one kernel, and their intermediate values take no memory. */
class FusionTest {
    @Test
    void biasAndActivationRunAsOnePass() throws IOException {
        Compiler.Result r = Compiler.compile(Path.of("..", "examples", "fashion_mlp.model"), Compiler.Options.DEFAULT);
        String src = r.javaFile().toString();
        assertTrue(src.contains("private static void dense_add_relu("), "bias + relu fused");
        assertFalse(src.contains("private static void dense_relu("), "no separate relu pass");
        long unstored = r.schedule().training().stream().filter(n -> !r.plan().has(n)).count();
        assertTrue(unstored >= 2, "the bias sums before relu are never stored");
    }

    @Test
    void formulasFuseIntoOneLoop() {
        Compiler.Result r = Compiler.compile("f.model", """
                model F {
                    input x: float[8]
                    a = Dense(8, activation=tanh)(x)
                    b = Dense(8, activation=sigmoid)(x)
                    output Dense(1)(a * b + x * (1 - b))
                    compile(loss=mse, optimizer=sgd)
                }
                """, Compiler.Options.DEFAULT);
        String src = r.javaFile().toString();
        assertTrue(src.contains("Fused: mul, then affine, then mul, then add -> float[batch, 8]"), "forward formula in one loop");
        assertTrue(src.contains("Fused: mul, then dense tanh_grad -> float[batch, 8]"), "a gradient product and tanh's derivative in one loop");
    }

    /**
     * An LSTM step is one GEMM for all gates and one elementwise pass (the gates' sums x·W + b + h·U,
     * four gate activations, the cell update, the output) that also writes the values
     * backpropagation through time reads; its backward step's gate derivatives are one kernel too,
     * which keeps them out of the subnormal range itself.
     */
    @Test
    void aRecurrentStepIsOneElementwisePass() {
        Compiler.Result r = Compiler.compile("l.model", """
                sequential L {
                    input x: float[12, 3]
                    LSTM(5)
                    Dense(1)
                    compile(loss=mse, optimizer=adam)
                }
                """, Compiler.Options.DEFAULT);
        String src = r.javaFile().toString();
        String forward = loopBody(src, "private void loop1(");
        String backward = loopBody(src, "private void loop2(");
        assertEquals(1, count(forward, "lstm_slice_to_mul("), forward);
        assertEquals(4, count(forward, "\n"), "two state copies, the step's one GEMM h·U for all gates, one fused pass (which adds x·W + b):\n" + forward);
        assertTrue(src.contains("sigmoid (stored: z0)"), "the gate values are stored for the backward pass by the same pass");
        assertEquals(1, count(backward, "_to_sigmoid_grad("), backward);
        assertFalse(backward.contains("Subnormals.flush(a, oLstmSigmoidGrad"), "the fused pass flushes what it stores itself");
    }

    /** The statements inside the time loop of the method that starts at {@code header}. */
    private static String loopBody(String src, String header) {
        int m = src.indexOf(header);
        int from = src.indexOf("int t = ", m);
        from = src.indexOf('\n', from) + 1;
        int to = src.indexOf("            }\n", from);
        return src.substring(from, to).lines().map(String::strip).reduce("", (a, b) -> a + b + "\n");
    }

    private static int count(String s, String part) {
        int n = 0;
        for (int i = s.indexOf(part); i >= 0; i = s.indexOf(part, i + part.length())) n++;
        return n;
    }
}
