package modelc.compiler.parity;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
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
 * One training step's loss, output and gradients against Keras 3 (JAX backend), from fixtures
 * that tools/keras_parity/make_fixtures.py wrote with the real Keras: float32 within 2e-4 relative,
 * float64 within 1e-9. This is what {@code modelc grad} computes. Models with batch statistics
 * also check the inference-mode output and the moving statistics after one training step.
 */
class KerasParityTest {
    static Stream<Arguments> cases() throws IOException, URISyntaxException {
        return fixtureCases("/parity");
    }

    /** Each fixture directory under the test resource {@code root}, as (name, directory, dtype) for f32 and f64. */
    static Stream<Arguments> fixtureCases(String root) throws IOException, URISyntaxException {
        try (Stream<Path> dirs = Files.list(Path.of(KerasParityTest.class.getResource(root).toURI()))) {
            return dirs.filter(Files::isDirectory).sorted()
                    .flatMap(d -> Stream.of(Arguments.of(d.getFileName().toString(), d, Dtype.F32), Arguments.of(d.getFileName().toString(), d, Dtype.F64)))
                    .toList().stream();
        }
    }

    @ParameterizedTest(name = "{0} {2}")
    @MethodSource("cases")
    void gradMatchesKeras(String name, Path dir, Dtype dtype) throws IOException {
        String suffix = dtype == Dtype.F64 ? "_f64" : "";
        double tol = dtype == Dtype.F64 ? 1e-9 : 2e-4;
        CompiledModel m = Models.load(Files.readString(dir.resolve("model.model")), dtype);
        m.setWeights(SafeTensors.read(dir.resolve("weights" + suffix + ".safetensors")));
        Map<String, Tensor> batch = SafeTensors.read(dir.resolve("batch" + suffix + ".safetensors"));
        Map<String, Tensor> expected = SafeTensors.read(dir.resolve("expected" + suffix + ".safetensors"));
        Tensor target = batch.remove("target");
        Dataset data = new Dataset(batch, target);
        Session s = m.newSession(data.size());
        s.load(data, null, 0, data.size());
        double loss = s.gradStep(data.size());
        compare(name + " loss", expected.get("loss"), new double[] {loss}, tol);
        Tensor out = s.output(data.size());
        assertArrayEquals(expected.get("output").shape(), out.shape(), name + " output shape");
        compare(name + " output", expected.get("output"), out.toDoubleArray(), tol);
        for (Map.Entry<String, Tensor> g : s.gradients().entrySet()) {
            Tensor e = expected.get(g.getKey());
            assertTrue(e != null, name + ": Keras has no " + g.getKey());
            assertArrayEquals(e.shape(), g.getValue().shape(), name + " " + g.getKey() + " shape");
            compare(name + " " + g.getKey(), e, g.getValue().toDoubleArray(), tol);
        }
        if (expected.containsKey("inference_output")) {
            // Batch statistics: inference uses the moving ones; a training step moves them as Keras does.
            s.evalStep(data.size());
            compare(name + " inference output", expected.get("inference_output"), s.output(data.size()).toDoubleArray(), tol);
            s.trainStep(data.size());
            Map<String, Tensor> after = m.weights();
            for (Map.Entry<String, Tensor> e : expected.entrySet()) {
                if (!e.getKey().startsWith("moving.")) continue;
                String key = e.getKey().substring("moving.".length());
                compare(name + " " + key + " after a training step", e.getValue(), after.get(key).toDoubleArray(), tol);
            }
        }
    }

    /** Relative to the tensor's largest magnitude, so near-zero entries are judged on the tensor's scale. */
    private static void compare(String what, Tensor expected, double[] actual, double tol) {
        double[] e = expected.toDoubleArray();
        double scale = 1e-12;
        for (double v : e) scale = Math.max(scale, Math.abs(v));
        for (int i = 0; i < e.length; i++) {
            double err = Math.abs(e[i] - actual[i]) / Math.max(scale, 1e-30);
            assertTrue(err <= tol, what + "[" + i + "]: Keras " + e[i] + ", modelc " + actual[i] + " (relative error " + err + ")");
        }
    }
}
