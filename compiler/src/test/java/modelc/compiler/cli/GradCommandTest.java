package modelc.compiler.cli;

import static modelc.compiler.cli.Cli.assertUserError;
import static modelc.compiler.cli.Cli.run;
import static modelc.compiler.cli.Cli.safetensors;
import static modelc.compiler.cli.Cli.values;
import static modelc.compiler.cli.Cli.write;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import modelc.runtime.DType;
import modelc.runtime.Tensor;
import modelc.runtime.io.SafeTensors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code modelc init} then {@code modelc grad}: the public way to compare modelc with another
 * framework. W holds every weight, B one tensor per input and {@code target}; G gets {@code loss},
 * {@code output} and {@code grad.<key>}. A batch or weights file that does not fit is named, with
 * what is wrong, and G is not written.
 */
class GradCommandTest {
    @TempDir
    Path dir;
    Path model, weights, grads;

    static final String SMALL = """
            sequential Small {
                input x: float[3]
                Dense(4, activation=relu)
                Dense(2, activation=softmax)
                compile(loss=sparse_categorical_crossentropy, optimizer=adam, metrics=[accuracy])
            }
            """;

    @BeforeEach
    void initWeights() {
        model = write(dir.resolve("small.model"), SMALL);
        weights = dir.resolve("w.safetensors");
        grads = dir.resolve("g.safetensors");
        Cli.Run r = run("init", model, "--seed", 3, "--out", weights);
        assertEquals(0, r.exit(), r::toString);
        assertEquals("Wrote 4 weights to " + weights + "\n", r.out());
    }

    @Test
    void initWritesEveryWeightUnderItsKerasKey() throws IOException {
        Map<String, Tensor> w = SafeTensors.read(weights);
        assertEquals(List.of("dense.kernel", "dense.bias", "dense_1.kernel", "dense_1.bias"), List.copyOf(w.keySet()));
        assertArrayEquals(new int[] {3, 4}, w.get("dense.kernel").shape());
        assertArrayEquals(new int[] {4, 2}, w.get("dense_1.kernel").shape());
        assertEquals(0, w.get("dense.bias").getDouble(0), "biases start at zero");
    }

    @Test
    void gradWritesLossOutputAndAGradientPerWeightForOddBatchSizes() throws IOException {
        for (int n : new int[] {5, 7}) {
            long[] classes = new long[n];
            for (int i = 0; i < n; i++) classes[i] = i % 2;
            Path batch = safetensors(dir.resolve("b" + n + ".safetensors"), "x", Tensor.of(values(n, 3), n, 3), "target", Tensor.of(classes, n));
            Cli.Run r = run("grad", model, "--weights", weights, "--batch", batch, "--out", grads);
            assertEquals(0, r.exit(), r::toString);
            assertTrue(r.out().matches("loss [0-9.eE-]+; wrote 6 tensors to " + java.util.regex.Pattern.quote(grads.toString()) + "\n"), r.out());
            Map<String, Tensor> g = SafeTensors.read(grads);
            assertEquals(List.of("loss", "output", "grad.dense.kernel", "grad.dense.bias", "grad.dense_1.kernel", "grad.dense_1.bias"),
                    List.copyOf(g.keySet()));
            assertEquals(DType.F32, g.get("loss").dtype());
            assertEquals(1, g.get("loss").size());
            double loss = g.get("loss").getDouble(0);
            assertTrue(loss > 0 && Double.isFinite(loss), "loss " + loss);
            assertArrayEquals(new int[] {n, 2}, g.get("output").shape());
            for (int i = 0; i < n; i++) {
                assertEquals(1.0, g.get("output").getDouble(2 * i) + g.get("output").getDouble(2 * i + 1), 1e-6, "softmax rows sum to 1");
            }
            assertArrayEquals(new int[] {3, 4}, g.get("grad.dense.kernel").shape());
            assertArrayEquals(new int[] {4}, g.get("grad.dense.bias").shape());
            assertArrayEquals(new int[] {4, 2}, g.get("grad.dense_1.kernel").shape());
            assertArrayEquals(new int[] {2}, g.get("grad.dense_1.bias").shape());
            // softmax + cross-entropy: the output bias gradient is mean(p - onehot), whose entries sum to 0
            assertEquals(0, g.get("grad.dense_1.bias").getDouble(0) + g.get("grad.dense_1.bias").getDouble(1), 1e-6);
        }
    }

    @Test
    void sparseTargetsMayBeI32OrI64() throws IOException {
        int n = 5;
        Path b64 = safetensors(dir.resolve("b64.safetensors"), "x", Tensor.of(values(n, 3), n, 3), "target", Tensor.of(new long[] {1, 0, 1, 1, 0}, n));
        Path b32 = safetensors(dir.resolve("b32.safetensors"), "x", Tensor.of(values(n, 3), n, 3), "target", Tensor.of(new int[] {1, 0, 1, 1, 0}, n));
        assertEquals(0, run("grad", model, "--weights", weights, "--batch", b64, "--out", grads).exit());
        byte[] fromI64 = Files.readAllBytes(grads);
        assertEquals(0, run("grad", model, "--weights", weights, "--batch", b32, "--out", grads).exit());
        assertArrayEquals(fromI64, Files.readAllBytes(grads));
    }

    @Test
    void f64GradWritesDoubles() throws IOException {
        Path batch = safetensors(dir.resolve("b.safetensors"), "x", Tensor.of(values(5, 3), 5, 3), "target", Tensor.of(new long[] {1, 0, 1, 1, 0}, 5));
        Cli.Run r = run("grad", model, "--dtype", "f64", "--weights", weights, "--batch", batch, "--out", grads);
        assertEquals(0, r.exit(), r::toString);
        Map<String, Tensor> g = SafeTensors.read(grads);
        assertEquals(DType.F64, g.get("loss").dtype());
        assertEquals(DType.F64, g.get("grad.dense.kernel").dtype());
    }

    // ------------------------------------------------------------------ a batch that does not fit

    private void assertBatchRefused(Path batch, String message) {
        assertUserError(run("grad", model, "--weights", weights, "--batch", batch, "--out", grads), "modelc: error: " + message + "\n");
        assertFalse(Files.exists(grads), "nothing is written");
    }

    @Test
    void aBatchWithoutTargetIsRefused() throws IOException {
        Path b = safetensors(dir.resolve("b.safetensors"), "x", Tensor.of(values(5, 3), 5, 3));
        assertBatchRefused(b, b + " has no 'target' tensor");
    }

    @Test
    void aBatchWithoutTheInputIsRefused() throws IOException {
        Path b = safetensors(dir.resolve("b.safetensors"), "image", Tensor.of(values(5, 3), 5, 3), "target", Tensor.of(new long[5], 5));
        assertBatchRefused(b, b + " has no tensor 'x' for the model's input of that name");
    }

    @Test
    void anInputOfTheWrongShapeIsRefused() throws IOException {
        Path b = safetensors(dir.resolve("b.safetensors"), "x", Tensor.of(values(5, 4), 5, 4), "target", Tensor.of(new long[5], 5));
        assertBatchRefused(b, b + ": 'x' has shape [5, 4], expected [batch, 3]");
    }

    @Test
    void aTargetOfTheWrongShapeIsRefused() throws IOException {
        Path b = safetensors(dir.resolve("b.safetensors"), "x", Tensor.of(values(5, 3), 5, 3), "target", Tensor.of(new long[10], 5, 2));
        assertBatchRefused(b, b + ": 'target' has shape [5, 2], expected [batch]");
    }

    @Test
    void aFloatSparseTargetIsRefused() throws IOException {
        Path b = safetensors(dir.resolve("b.safetensors"), "x", Tensor.of(values(5, 3), 5, 3), "target", Tensor.of(new float[5], 5));
        assertBatchRefused(b, b + ": a sparse target holds class indices (I32 or I64), got F32");
    }

    @Test
    void tensorsThatDisagreeOnTheBatchSizeAreRefused() throws IOException {
        Path b = safetensors(dir.resolve("b.safetensors"), "x", Tensor.of(values(5, 3), 5, 3), "target", Tensor.of(new long[4], 4));
        assertBatchRefused(b, b + ": 'x' holds 5 samples but 'target' holds 4; every tensor of a batch needs the same first axis");
    }

    @Test
    void aTensorThatIsNeitherInputNorTargetIsRefused() throws IOException {
        Path b = safetensors(dir.resolve("b.safetensors"), "x", Tensor.of(values(5, 3), 5, 3), "target", Tensor.of(new long[5], 5),
                "sample_weight", Tensor.of(new float[5], 5));
        assertBatchRefused(b, b + " has a tensor 'sample_weight' that is neither a model input nor 'target'");
    }

    // ------------------------------------------------------------------ weights that do not fit

    private Path batch() throws IOException {
        return safetensors(dir.resolve("b.safetensors"), "x", Tensor.of(values(5, 3), 5, 3), "target", Tensor.of(new long[5], 5));
    }

    private void assertWeightsRefused(Path w, String message) throws IOException {
        assertUserError(run("grad", model, "--weights", w, "--batch", batch(), "--out", grads), "modelc: error: " + message + "\n");
        assertFalse(Files.exists(grads), "nothing is written");
    }

    @Test
    void missingWeightsAreNamed() throws IOException {
        Path w = dir.resolve("nope.safetensors");
        assertWeightsRefused(w, "no such file: " + w);
    }

    @Test
    void truncatedWeightsAreNamed() throws IOException {
        Path w = dir.resolve("cut.safetensors");
        Files.write(w, java.util.Arrays.copyOf(Files.readAllBytes(weights), 100));
        long header = java.nio.ByteBuffer.wrap(Files.readAllBytes(weights), 0, 8).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong();
        assertWeightsRefused(w, w + ": header length " + header + " does not fit the file size of 100 bytes: truncated, or not a safetensors file");
    }

    @Test
    void aFileThatIsNotSafetensorsIsNamed() throws IOException {
        Path w = write(dir.resolve("notes.safetensors"), "hello\n");
        assertWeightsRefused(w, w + ": not a safetensors file: only 6 bytes long");
    }

    @Test
    void weightsOfAnotherModelAreNamedWithTheMismatch() throws IOException {
        Path other = write(dir.resolve("other.model"), SMALL.replace("Dense(4,", "Dense(5,"));
        Path w = dir.resolve("other.safetensors");
        assertEquals(0, run("init", other, "--out", w).exit());
        assertWeightsRefused(w, w + " does not fit Small: weight 'dense.kernel' has shape [3, 5], the model needs [3, 4]");
    }

    @Test
    void aMissingWeightIsNamed() throws IOException {
        Map<String, Tensor> all = SafeTensors.read(weights);
        Path w = safetensors(dir.resolve("partial.safetensors"), "dense.kernel", all.get("dense.kernel"), "dense_1.kernel", all.get("dense_1.kernel"),
                "dense_1.bias", all.get("dense_1.bias"));
        assertWeightsRefused(w, w + " does not fit Small: weight 'dense.bias' [4] is missing");
    }

    @Test
    void anExtraWeightIsNamed() throws IOException {
        Map<String, Tensor> all = new java.util.LinkedHashMap<>(SafeTensors.read(weights));
        all.put("dense_2.kernel", Tensor.of(new float[4], 2, 2));
        Path w = dir.resolve("extra.safetensors");
        SafeTensors.write(w, all);
        assertWeightsRefused(w, w + " does not fit Small: the model has no weight named dense_2.kernel");
    }

    @Test
    void integerWeightsAreRefused() throws IOException {
        Map<String, Tensor> all = new java.util.LinkedHashMap<>(SafeTensors.read(weights));
        all.put("dense.bias", Tensor.of(new int[4], 4));
        Path w = dir.resolve("int.safetensors");
        SafeTensors.write(w, all);
        assertWeightsRefused(w, w + " does not fit Small: weight 'dense.bias' is I32, expected F32 or F64");
    }
}
