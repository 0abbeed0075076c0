package modelc.compiler.cli;

import static modelc.compiler.cli.Cli.assertNoStackTrace;
import static modelc.compiler.cli.Cli.assertUserError;
import static modelc.compiler.cli.Cli.run;
import static modelc.compiler.cli.Cli.values;
import static modelc.compiler.cli.Cli.write;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import modelc.runtime.Tensor;
import modelc.runtime.io.Npy;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code train}, {@code evaluate} and {@code predict} with data that is missing, corrupt, or
 * does not fit the model: one line that names the file and what is wrong, exit code 1, and
 * nothing already saved is overwritten.
 */
class DataFilesTest {
    @TempDir
    Path dir;
    Path model, data, weights;

    @BeforeEach
    void smallModelAndData() throws IOException {
        model = write(dir.resolve("small.model"), GradCommandTest.SMALL);
        data = Files.createDirectories(dir.resolve("npy"));
        int n = 40;
        float[] x = values(n, 3);
        int[] t = new int[n];
        for (int i = 0; i < n; i++) t[i] = x[3 * i] + x[3 * i + 1] > 0 ? 1 : 0;
        Npy.write(data.resolve("x.npy"), Tensor.of(x, n, 3));
        Npy.write(data.resolve("target.npy"), Tensor.of(t, n));
        weights = dir.resolve("w.safetensors");
        assertEquals(0, run("init", model, "--out", weights).exit());
    }

    @Test
    void trainEvaluateAndPredictOnNpyArrays() throws IOException {
        Path saved = dir.resolve("trained.safetensors");
        Cli.Run t = run("train", model, "--data", data, "--epochs", 2, "--batch-size", 8, "--save", saved);
        assertEquals(0, t.exit(), t::toString);
        assertTrue(t.out().startsWith("Training Small on 40 samples, 2 epochs, batch 8, seed 1"), t.out());
        assertTrue(t.out().contains("\nEpoch 1/2\n5/5 - "), t.out());
        assertTrue(t.out().contains("\nEpoch 2/2\n5/5 - "), t.out());
        assertTrue(t.out().contains("Weights: " + saved + "\n"), t.out());
        assertTrue(Files.isRegularFile(saved));

        Cli.Run e = run("evaluate", model, "--weights", saved, "--data", data);
        assertEquals(0, e.exit(), e::toString);
        assertTrue(e.out().matches("40 samples - loss: \\d\\.\\d{4} - accuracy: \\d\\.\\d{4}\n"), e.out());

        Path out = dir.resolve("p.npy");
        Cli.Run p = run("predict", model, "--weights", saved, "--data", data, "--out", out);
        assertEquals(0, p.exit(), p::toString);
        assertArrayEquals(new int[] {40, 2}, Npy.read(out).shape());

        Cli.Run printed = run("predict", model, "--weights", saved, "--data", data, "--limit", 3);
        assertEquals(0, printed.exit(), printed::toString);
        assertEquals(3, printed.out().lines().count(), printed.out());
        assertTrue(printed.out().lines().allMatch(l -> l.matches("\\d\\.\\d{4} \\d\\.\\d{4}  -> [01]  \\(target [01]\\.0\\)")), printed.out());
    }

    @Test
    void aMissingDataDirectoryIsNamed() {
        Path missing = dir.resolve("nodata");
        Path save = dir.resolve("new").resolve("w.safetensors");
        assertUserError(run("train", model, "--data", missing, "--save", save), "modelc: error: no such data file or directory: " + missing + "\n");
        assertFalse(Files.exists(save.getParent()), "no directory is made for a run that cannot start");
        assertUserError(run("evaluate", model, "--weights", weights, "--data", missing), "modelc: error: " + missing + ": no such file or directory\n");
        assertUserError(run("predict", model, "--weights", weights, "--data", missing), "modelc: error: " + missing + ": no such file or directory\n");
    }

    @Test
    void aDirectoryWithoutDataSaysWhatWasExpected() throws IOException {
        Path empty = Files.createDirectories(dir.resolve("empty"));
        Cli.Run r = run("evaluate", model, "--weights", weights, "--data", empty);
        assertEquals(1, r.exit());
        assertTrue(r.err().startsWith("modelc: error: " + empty + ": no data found: expected MNIST-style IDX files"), r::toString);
        assertNoStackTrace(r);
    }

    @Test
    void corruptDataDoesNotOverwriteSavedWeights() throws IOException {
        Path corrupt = Files.createDirectories(dir.resolve("corrupt"));
        Path fashion = Cli.repo().resolve("data/fashion-mnist");
        byte[] images = Files.readAllBytes(fashion.resolve("train-images-idx3-ubyte.gz"));
        Files.write(corrupt.resolve("train-images-idx3-ubyte.gz"), java.util.Arrays.copyOf(images, 1000));
        Files.copy(fashion.resolve("train-labels-idx1-ubyte.gz"), corrupt.resolve("train-labels-idx1-ubyte.gz"));
        Path fm = Files.copy(Cli.repo().resolve("examples/fashion_mlp.model"), dir.resolve("fashion_mlp.model"));
        Path saved = dir.resolve("keep.safetensors");
        assertEquals(0, run("init", fm, "--out", saved).exit());
        byte[] before = Files.readAllBytes(saved);

        Cli.Run r = run("train", fm, "--data", corrupt, "--epochs", 1, "--save", saved);
        assertEquals(1, r.exit(), r::toString);
        assertTrue(r.err().startsWith("modelc: error: " + corrupt.resolve("train-images-idx3-ubyte.gz") + ": truncated: "), r::toString);
        assertNoStackTrace(r);
        assertArrayEquals(before, Files.readAllBytes(saved), "the saved weights are untouched");
    }

    @Test
    void aCorruptCheckpointDoesNotOverwriteSavedWeights() throws IOException {
        Path saved = dir.resolve("keep.safetensors");
        Files.copy(weights, saved);
        byte[] before = Files.readAllBytes(saved);
        Path ckpt = write(dir.resolve("keep.ckpt.safetensors"), "not a checkpoint");
        Cli.Run r = run("train", model, "--data", data, "--epochs", 1, "--save", saved, "--resume");
        assertEquals(1, r.exit(), r::toString);
        assertTrue(r.err().startsWith("modelc: error: " + ckpt + ": "), r::toString);
        assertNoStackTrace(r);
        assertArrayEquals(before, Files.readAllBytes(saved));
    }

    @Test
    void dataOfAnotherShapeIsRefusedWithBothShapes() {
        Path fashion = Cli.repo().resolve("data/fashion-mnist");
        assertUserError(run("evaluate", model, "--weights", weights, "--data", fashion),
                "modelc: error: " + fashion + ": input 'x' gets samples of shape [28, 28], the model needs [3]\n");
        assertUserError(run("predict", model, "--weights", weights, "--data", fashion),
                "modelc: error: " + fashion + ": input 'x' gets samples of shape [28, 28], the model needs [3]\n");
    }

    @Test
    void classIndicesForAOneHotLossAreRefused() {
        Path onehot = write(dir.resolve("onehot.model"), GradCommandTest.SMALL.replace("sparse_categorical_crossentropy", "categorical_crossentropy"));
        Path w = dir.resolve("onehot.safetensors");
        assertEquals(0, run("init", onehot, "--out", w).exit());
        assertUserError(run("evaluate", onehot, "--weights", w, "--data", data),
                "modelc: error: " + data + ": the target has samples of shape [], the model's loss (categorical_crossentropy) needs [2]\n");
    }

    @Test
    void badCountsAreRefused() {
        assertUserError(run("evaluate", model, "--weights", weights, "--data", data, "--batch-size", 0),
                "modelc: error: --batch-size must be at least 1, got 0\n");
        assertUserError(run("train", model, "--data", data, "--batch-size", -3, "--save", dir.resolve("t.safetensors")),
                "modelc: error: --batch-size must be at least 1, got -3\n");
        assertUserError(run("train", model, "--data", data, "--epochs", -1, "--save", dir.resolve("t.safetensors")),
                "modelc: error: --epochs must be at least 1, got -1\n");
    }
}
