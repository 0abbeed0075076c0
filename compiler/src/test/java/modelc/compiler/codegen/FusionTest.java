package modelc.compiler.codegen;

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
}
