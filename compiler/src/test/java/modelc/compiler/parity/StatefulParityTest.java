package modelc.compiler.parity;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import modelc.compiler.codegen.Dtype;
import modelc.compiler.testing.Models;
import modelc.runtime.Tensor;
import modelc.runtime.data.Dataset;
import modelc.runtime.io.SafeTensors;
import modelc.runtime.train.CompiledModel;
import modelc.runtime.train.Session;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Stateful recurrent layers over three consecutive batches against Keras 3 (JAX backend; fixtures
 * from tools/keras_parity/make_stateful_fixtures.py): for each batch, starting from the states the
 * batch before left, the loss, output and gradients of one grad step (which keeps the states as
 * they were), then, after a prediction step, the layers' states (Keras's {@code layer.states}).
 * float32 within 2e-4 relative, float64 within 1e-9.
 */
class StatefulParityTest {
    static Stream<Arguments> cases() throws IOException, URISyntaxException {
        return KerasParityTest.fixtureCases("/stateful_parity");
    }

    @ParameterizedTest(name = "{0} {2}")
    @MethodSource("cases")
    void consecutiveBatchesMatchKeras(String name, Path dir, Dtype dtype) throws IOException {
        String suffix = dtype == Dtype.F64 ? "_f64" : "";
        double tol = dtype == Dtype.F64 ? 1e-9 : 2e-4;
        CompiledModel m = Models.load(Files.readString(dir.resolve("model.model")), dtype);
        m.setWeights(SafeTensors.read(dir.resolve("weights" + suffix + ".safetensors")));
        Session s = m.newSession(m.fixedBatchSize());
        for (int k = 0; k < 3; k++) {
            String what = name + " batch " + k;
            Map<String, Tensor> batch = SafeTensors.read(dir.resolve("batch_" + k + suffix + ".safetensors"));
            Map<String, Tensor> expected = SafeTensors.read(dir.resolve("expected_" + k + suffix + ".safetensors"));
            Tensor target = batch.remove("target");
            Dataset data = new Dataset(batch, target);
            int n = data.size();
            s.load(data, null, 0, n);
            compare(what + " loss", expected.get("loss"), new double[] {s.gradStep(n)}, tol);
            compare(what + " output", expected.get("output"), s.output(n).toDoubleArray(), tol);
            for (Map.Entry<String, Tensor> g : s.gradients().entrySet()) {
                Tensor e = expected.get(g.getKey());
                assertTrue(e != null, what + ": Keras has no " + g.getKey());
                compare(what + " " + g.getKey(), e, g.getValue().toDoubleArray(), tol);
            }
            s.predictStep(n);
            compare(what + " predicted output", expected.get("output"), s.output(n).toDoubleArray(), tol);
            Map<String, Tensor> states = s.states();
            long keras = expected.keySet().stream().filter(key -> key.startsWith("state.")).count();
            assertEquals(keras, states.size(), what + ": states " + states.keySet());
            for (Map.Entry<String, Tensor> st : states.entrySet()) {
                Tensor e = expected.get("state." + st.getKey());
                assertTrue(e != null, what + ": Keras has no state " + st.getKey());
                assertArrayEquals(e.shape(), st.getValue().shape(), what + " " + st.getKey() + " shape");
                compare(what + " state " + st.getKey(), e, st.getValue().toDoubleArray(), tol);
            }
        }
    }

    private static void compare(String what, Tensor expected, double[] actual, double tol) {
        double[] e = expected.toDoubleArray();
        assertEquals(e.length, actual.length, what + " size");
        double scale = 1e-12;
        for (double v : e) scale = Math.max(scale, Math.abs(v));
        for (int i = 0; i < e.length; i++) {
            double err = Math.abs(e[i] - actual[i]) / scale;
            assertTrue(err <= tol, what + "[" + i + "]: Keras " + e[i] + ", modelc " + actual[i] + " (relative error " + err + ")");
        }
    }
}
