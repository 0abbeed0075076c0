package modelc.compiler.cli;

import static modelc.compiler.cli.Cli.run;
import static modelc.compiler.cli.Cli.write;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import modelc.compiler.Compiler;
import modelc.runtime.Rng;
import modelc.runtime.StatefulPredictor;
import modelc.runtime.Tensor;
import modelc.runtime.io.Npy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code modelc predict} on a model with stateful layers runs the rows in order, in batches of its batch_size,
 * each batch continuing the sequences of the batch before, as Keras's {@code predict} does.
 */
class StatefulPredictTest {
    @TempDir
    Path dir;

    private static final String MODEL = """
            sequential Stream {
                input x: float[STEPS, 2]BATCH
                LSTM(3STATEFUL)
                Dense(2)
                compile(loss=mse, optimizer=adam)
            }
            """;

    /** {@code n} rows of {@code steps} steps: row r holds steps [from + (r / 4) * steps, ...) of sequence r % 4. */
    private Path data(String name, int n, int steps) throws IOException {
        Path d = Files.createDirectories(dir.resolve(name));
        float[] x = new float[n * steps * 2];
        for (int r = 0; r < n; r++) {
            for (int t = 0; t < steps; t++) {
                for (int f = 0; f < 2; f++) x[(r * steps + t) * 2 + f] = (float) Rng.normal(7, r % 4, (r / 4) * steps + t, f, 0);
            }
        }
        Npy.write(d.resolve("x.npy"), Tensor.of(x, n, steps, 2));
        return d;
    }

    @Test
    void batchesContinueTheSequencesInOrder() throws IOException {
        Path stateful = write(dir.resolve("stream.model"), MODEL.replace("STEPS", "3").replace("BATCH", ", batch_size=4").replace("STATEFUL", ", stateful=true"));
        Path whole = write(dir.resolve("whole.model"), MODEL.replace("STEPS", "6").replace("BATCH", "").replace("STATEFUL", ""));
        Path weights = dir.resolve("w.safetensors");
        Cli.Run r = run("init", stateful, "--out", weights);
        assertEquals(0, r.exit(), r::toString);
        // 8 rows: two batches of 4, the second continuing the 4 sequences of the first
        Path halves = dir.resolve("halves.npy"), atOnce = dir.resolve("whole.npy");
        r = run("predict", stateful, "--weights", weights, "--data", data("halves", 8, 3), "--out", halves);
        assertEquals(0, r.exit(), r::toString);
        r = run("predict", whole, "--weights", weights, "--data", data("whole", 4, 6), "--out", atOnce);
        assertEquals(0, r.exit(), r::toString);
        float[] h = Npy.read(halves).toFloatArray(), w = Npy.read(atOnce).toFloatArray();
        assertArrayEquals(w, Arrays.copyOfRange(h, 8, 16), 1e-5f, "the second batch ends where the 6 steps at once end");

        // printing the first --limit rows predicts the whole batches that hold them
        r = run("predict", stateful, "--weights", weights, "--data", dir.resolve("halves"), "--limit", 6);
        assertEquals(0, r.exit(), r::toString);
        assertEquals(6, r.out().lines().count(), r::toString);

        Path six = data("six", 6, 3);
        Cli.assertUserError(run("predict", stateful, "--weights", weights, "--data", six, "--out", dir.resolve("six.npy")),
                "modelc: error: Stream has stateful layers: it predicts the rows in order, in batches of exactly 4 (its inputs' batch_size),"
                        + " each row continuing the sequence of the same row of the batch before, as Keras does; " + six + " has 6 rows, not a"
                        + " multiple of 4\n");
    }

    /** A text input: the CLI's --text rows and the generated predictor's {@code predictBatch(String[])} give the same first batch. */
    @Test
    void textRowsGoThroughTheFittedPipeline() throws Exception {
        Path model = write(dir.resolve("reviews.model"), """
                sequential Reviews {
                    input review: text, batch_size=4 -> Tokenizer(num_words=30) -> pad_sequences(maxlen=6)
                    Embedding(30, 4)
                    GRU(3, stateful=true)
                    Dense(1, activation=sigmoid)
                    compile(loss=binary_crossentropy, optimizer=adam)
                    fit(epochs=1)
                }
                """);
        String[] words = {"good", "bad", "movie", "plot", "fine", "dull", "great", "sad"};
        for (int c = 0; c < 2; c++) {
            Path d = Files.createDirectories(dir.resolve("texts/train").resolve(c == 0 ? "neg" : "pos"));
            for (int i = 0; i < 8; i++) Files.writeString(d.resolve(i + ".txt"), words[(i + c) % 8] + " " + words[(3 * i + c) % 8]);
        }
        Path weights = dir.resolve("reviews.safetensors");
        Cli.Run r = run("train", model, "--data", dir.resolve("texts"), "--save", weights, "--threads", 1);
        assertEquals(0, r.exit(), r::toString);
        String[] texts = {"a good movie", "a dull plot", "sad", "great and fine"};
        r = run("predict", model, "--weights", weights, "--text", texts[0], "--text", texts[1], "--text", texts[2], "--text", texts[3]);
        assertEquals(0, r.exit(), r::toString);
        List<String> lines = r.out().lines().toList();
        Loaded l = Loaded.load(model, Compiler.Options.DEFAULT);
        Class<?> cls = l.model().getClass().getClassLoader().loadClass("modelc.generated.ReviewsPredictor");
        StatefulPredictor p = (StatefulPredictor) cls.getMethod("load", Path.class).invoke(null, weights);
        float[][] out = p.predictBatch(texts);
        for (int i = 0; i < 4; i++) assertEquals(out[i][0], Double.parseDouble(lines.get(i).split(" ")[0]), 1e-4, r::toString);
        assertFalse(Arrays.equals(out[0], p.predictBatch(texts)[0]), "the second batch continues the first");

        Cli.assertUserError(run("predict", model, "--weights", weights, "--text", "good", "--text", "bad"),
                "modelc: error: Reviews has stateful layers: it predicts the rows in order, in batches of exactly 4 (its inputs' batch_size),"
                        + " each row continuing the sequence of the same row of the batch before, as Keras does; --text gives 2 rows, not a"
                        + " multiple of 4\n");
    }
}
