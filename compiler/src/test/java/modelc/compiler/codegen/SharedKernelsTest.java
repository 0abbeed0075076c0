package modelc.compiler.codegen;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.TypeSpec;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.lang.model.element.Modifier;
import modelc.compiler.Compiler;
import modelc.compiler.testing.Models;
import modelc.runtime.Tensor;
import modelc.runtime.data.Dataset;
import modelc.runtime.train.CompiledModel;
import modelc.runtime.train.Session;
import org.junit.jupiter.api.Test;

/**
 * Nodes whose kernels are the same code call one method: two equal branches, both directions of a
 * Bidirectional, the dropouts of a recurrence that differ only in their random stream.
 */
class SharedKernelsTest {
    /** Two equal Dense branches on one input. */
    static final String TWINS = """
            model Twins {
                input x: float[4]
                a = Dense(8, activation=tanh)(x)
                b = Dense(8, activation=tanh)(x)
                output Dense(2)(Concatenate()([a, b]))
                compile(loss=mse, optimizer=sgd)
            }
            """;

    static final String BIDIRECTIONAL = """
            sequential Both {
                input x: float[6, 3]
                Bidirectional(GRU(4, dropout=0.2, recurrent_dropout=0.3))
                Dense(2)
                compile(loss=mse, optimizer=sgd)
            }
            """;

    @Test
    void noTwoKernelsAreTheSameCode() {
        for (String source : List.of(TWINS, BIDIRECTIONAL)) {
            for (Dtype dt : Dtype.values()) {
                TypeSpec cls = Compiler.compile("m.model", source, new Compiler.Options(dt, "modelc.test")).javaFile().typeSpec();
                Map<String, String> seen = new HashMap<>();
                for (MethodSpec m : kernels(cls)) {
                    String before = seen.put(SameCode.key(m), m.name());
                    assertTrue(before == null, m.name() + " is the same code as " + before);
                }
                for (TypeSpec inner : cls.typeSpecs()) {
                    Map<String, String> loops = new HashMap<>();
                    for (MethodSpec m : inner.methodSpecs()) {
                        if (!m.name().startsWith("loop")) continue;
                        String before = loops.put(SameCode.key(m), m.name());
                        assertTrue(before == null, m.name() + " is the same code as " + before);
                    }
                }
            }
        }
    }

    @Test
    void equalBranchesCallOneKernel() {
        String src = Compiler.compile("twins.model", TWINS, Compiler.Options.DEFAULT).javaFile().toString();
        // The branches' layers differ (dense, dense_1): the shared kernels are named after the op and the result's shape.
        assertEquals(1, count(src, "private static void matmul_8("), src);
        assertEquals(1, count(src, "private static void add_tanh_8("), src);
        String forward = method(src, "private void forward(");
        assertEquals(2, count(forward, "matmul_8("), forward);
        assertEquals(1, count(forward, "matmul_8(a, oX, p, P_DENSE_KERNEL, "), forward);
        assertEquals(1, count(forward, "matmul_8(a, oX, p, P_DENSE_1_KERNEL, "), forward);
        assertEquals(2, count(forward, "add_tanh_8("), forward);
        // Its javadoc names both nodes, with their places in the .model file.
        assertTrue(src.contains("<li>dense: matmul(float[batch, 4], float[4, 8]) -> float[batch, 8] (twins.model:3:9)"), src);
        assertTrue(src.contains("<li>dense_1: matmul(float[batch, 4], float[4, 8]) -> float[batch, 8] (twins.model:4:9)"), src);
        // The backward pass shares the gradient kernels too.
        String backward = method(src, "private void backward(");
        assertEquals(1, count(src, "private static void matmul_at_4x8("), src);
        assertEquals(2, count(backward, "matmul_at_4x8("), backward);
    }

    @Test
    void bothDirectionsOfABidirectionalCallTheSameKernels() {
        String src = Compiler.compile("both.model", BIDIRECTIONAL, Compiler.Options.DEFAULT).javaFile().toString();
        // One kernel per dropout shape, the stream an argument: each direction's masks stay its own.
        assertEquals(1, count(src, "private static void bidirectional_dropout("), src);
        Matcher streams = Pattern.compile("bidirectional_dropout\\([^;]*, row0, (\\d+)\\);").matcher(src);
        java.util.Set<String> distinct = new java.util.TreeSet<>();
        int calls = 0;
        while (streams.find()) {
            distinct.add(streams.group(1));
            calls++;
        }
        // Three recurrent masks per direction, each applied in the forward loop and again in backpropagation through time.
        assertEquals(12, calls, src);
        assertEquals(6, distinct.size(), "a stream per gate's recurrent mask and direction: " + distinct);
        // The recurrent step (one fused pass) is one method that both directions' loops call.
        for (String loop : List.of("private void loop1(", "private void loop2(")) {
            assertEquals(1, count(method(src, loop), "bidirectional_slice_to_add("), method(src, loop));
        }
        assertEquals(1, count(src, "private static void bidirectional_slice_to_add("), src);
    }

    /**
     * The shared kernels compute what each node's own would: with equal weights in both branches, the
     * branches' outputs and gradients are equal, and with the branches' weights swapped, so are the
     * model's outputs (the concatenation's halves swap, so the head's kernel swaps with them).
     */
    @Test
    void sharedKernelsWriteEachCallersOwnValues() {
        CompiledModel m = Models.load(TWINS, Dtype.F64);
        m.initialize(7);
        Map<String, Tensor> w = new HashMap<>(m.weights());
        w.put("dense_1.kernel", w.get("dense.kernel"));
        w.put("dense_1.bias", w.get("dense.bias"));
        double[] head = w.get("dense_2.kernel").doubles().clone();
        for (int i = 8; i < 16; i++) for (int j = 0; j < 2; j++) head[i * 2 + j] = head[(i - 8) * 2 + j];
        w.put("dense_2.kernel", Tensor.of(head, 16, 2));
        m.setWeights(w);
        int n = 3;
        double[] x = new double[n * 4], y = new double[n * 2];
        for (int i = 0; i < x.length; i++) x[i] = Math.sin(i + 1);
        for (int i = 0; i < y.length; i++) y[i] = Math.cos(i);
        Dataset d = new Dataset(Map.of("x", Tensor.of(x, n, 4)), Tensor.of(y, n, 2));
        try (Session s = m.newSession(n)) {
            s.load(d, null, 0, n);
            s.gradStep(n, false);
            Map<String, Tensor> g = s.gradients();
            assertArrayEquals(g.get("grad.dense.kernel").doubles(), g.get("grad.dense_1.kernel").doubles(), 0);
            assertArrayEquals(g.get("grad.dense.bias").doubles(), g.get("grad.dense_1.bias").doubles(), 0);
            double[] hg = g.get("grad.dense_2.kernel").doubles();
            for (int i = 0; i < 16; i++) {
                for (int j = 0; j < 2; j++) assertEquals(hg[(i % 8) * 2 + j], hg[i * 2 + j], 0, "head row " + i);
            }
        }
    }

    private static List<MethodSpec> kernels(TypeSpec cls) {
        return cls.methodSpecs().stream().filter(m -> m.modifiers().contains(Modifier.STATIC) && !m.name().equals("argmax")).toList();
    }

    /** The text of the method that starts at {@code header}, up to the next method. */
    private static String method(String src, String header) {
        int from = src.indexOf(header);
        assertTrue(from >= 0, header);
        int to = src.indexOf("\n\n", from);
        return src.substring(from, to < 0 ? src.length() : to);
    }

    private static int count(String s, String part) {
        int n = 0;
        for (int i = s.indexOf(part); i >= 0; i = s.indexOf(part, i + part.length())) n++;
        return n;
    }
}
