package modelc.compiler.cli;

import static modelc.compiler.cli.Cli.run;
import static modelc.compiler.cli.Cli.write;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import modelc.compiler.Compiler;
import modelc.compiler.diag.CompileException;
import modelc.compiler.diag.Diagnostics;
import modelc.runtime.Predictor;
import modelc.runtime.Tensor;
import modelc.runtime.io.Npy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code int[None]}: the code is generated for one length (from the data, or --max-length), the same code as
 * for that fixed length; the weights may not depend on the length, and the summary prints None as Keras does.
 */
class VariableLengthTest {
    @TempDir
    Path dir;

    private static final String TAGGER = """
            sequential Tagger {
                input words: int[LEN]
                Embedding(50, 8, mask_zero=true)
                LSTM(6, return_sequences=true)
                TimeDistributed(Dense(3, activation=softmax))
                compile(loss=sparse_categorical_crossentropy, optimizer=adam, metrics=[accuracy])
                fit(epochs=2, batch_size=8)
            }
            """;

    private static String errors(String source, Map<String, Integer> lengths) {
        CompileException e = assertThrows(CompileException.class,
                () -> Compiler.compile("v.model", source, Compiler.Options.DEFAULT.withLengths(lengths)));
        return Diagnostics.render(e.diagnostics(), source);
    }

    @Test
    void aNoneLengthGivesTheCodeOfThatFixedLength() {
        Compiler.Result none = Compiler.compile("t.model", TAGGER.replace("LEN", "None"), Compiler.Options.DEFAULT.withLengths(Map.of("words", 12)));
        Compiler.Result fixed = Compiler.compile("t.model", TAGGER.replace("LEN", "12"), Compiler.Options.DEFAULT);
        assertTrue(none.javaFile().toString().contains("new ModelSpec.InputSpec(\"words\", true, new int[] {12}).withNoneAxis(0)"));
        assertEquals(fixed.javaFile().toString(), none.javaFile().toString().replace(".withNoneAxis(0)", ""),
                "the same code as int[12], but for the spec saying which axis was None");
        Compiler.Result grouped = Compiler.compile("t.model", TAGGER.replace("LEN", "None").replace("batch_size=8", "batch_size=8, group_by_length=True"),
                Compiler.Options.DEFAULT.withLengths(Map.of("words", 12)));
        assertEquals(none.javaFile().toString().replace("List.of()));", "List.of(), true));"), grouped.javaFile().toString(),
                "fit(group_by_length=True): the spec says fit groups rows by length");
        assertEquals(Map.of("words", 0), Compiler.variableLengthInputs("t.model", TAGGER.replace("LEN", "None")));
        assertEquals(Map.of(), Compiler.variableLengthInputs("t.model", TAGGER.replace("LEN", "12")));
    }

    @Test
    void groupingByLengthNeedsANoneLength() {
        assertEquals("""
                v.model:7:49: error: group_by_length groups rows by the length of an input declared None, and the model has none
                        fit(epochs=2, batch_size=8, group_by_length=true)
                                                                    ^~~~
                  hint: declare the sequence input's length None, as in int[None]
                """, errors(TAGGER.replace("LEN", "12").replace("batch_size=8", "batch_size=8, group_by_length=true"), Map.of()));
        assertTrue(errors(TAGGER.replace("LEN", "None").replace("batch_size=8", "batch_size=8, shuffle=false, group_by_length=true"),
                Map.of("words", 5)).contains("error: group_by_length regroups the shuffled rows of each epoch, and shuffle is off"));
    }

    @Test
    void predictAndEvaluateRunRowsByLengthAndAnswerInTheRowsOrder() throws Exception {
        Path model = write(dir.resolve("tagger.model"), TAGGER.replace("LEN", "None"));
        Loaded l = Loaded.load(model, Compiler.Options.DEFAULT.withLengths(Map.of("words", 9)));
        modelc.runtime.train.CompiledModel m = l.model();
        m.initialize(3);
        int n = 23, len = 9;
        int[] words = new int[n * len], tags = new int[n * len];
        for (int r = 0; r < n; r++) {
            int pad = (r * 5) % len;  // rows of every length, in no order
            for (int t = pad; t < len; t++) {
                words[r * len + t] = 1 + (r * 7 + t * 3) % 49;
                tags[r * len + t] = words[r * len + t] % 3;
            }
        }
        modelc.runtime.data.Dataset data = modelc.runtime.data.Dataset.of(Tensor.of(words, n, len), Tensor.of(tags, n, len));
        float[] byLength = modelc.runtime.train.Trainer.predict(m, data, 4).toFloatArray();
        float[] inOrder = new float[byLength.length];
        try (modelc.runtime.train.Session s = m.newSession(4)) {
            for (int from = 0; from < n; from += 4) {
                int b = Math.min(4, n - from);
                s.load(data, null, from, b);
                s.predictStep(b);
                float[] part = s.output(b).toFloatArray();
                System.arraycopy(part, 0, inOrder, from * len * 3, part.length);
            }
            // evaluation keeps the rows' order (a masked loss is a mean per batch, as in Keras)
            double loss = 0, acc = 0, weight = 0;
            double[] sums = new double[1];
            for (int from = 0; from < n; from += 4) {
                int b = Math.min(4, n - from);
                s.load(data, null, from, b);
                loss += s.evalStep(b) * b;
                s.addMetricSums(b, sums);
                weight += s.metricWeight(b);
            }
            acc = sums[0] / weight;
            Map<String, Double> r = modelc.runtime.train.Trainer.evaluate(m, data, 4, 1);
            assertEquals(loss / n, r.get("loss"), 1e-12);
            assertEquals(acc, r.get("accuracy"), 1e-12);
        }
        assertArrayEquals(inOrder, byLength, 1e-6f, "each row's prediction does not depend on the rows it runs with");
    }

    @Test
    void withoutALengthTheErrorSaysWhereToGiveIt() {
        assertEquals("""
                v.model:2:22: error: input 'words' has a dimension of length None: give the length to generate the code for
                        input words: int[None]
                                         ^~~~
                  hint: --max-length N (train, evaluate and predict take it from the data; the Maven plugin's <maxLength>)
                """, errors(TAGGER.replace("LEN", "None"), Map.of()));
        assertTrue(errors(TAGGER.replace("int[LEN]", "float[None, None]"), Map.of("words", 4))
                .contains("an input may have one dimension of length None (its sequence length), 'words' has 2"));
    }

    @Test
    void weightsThatDependOnTheLengthAreRefusedAsInKeras() {
        String flat = """
                sequential Flat {
                    input words: int[None]
                    Embedding(100, 8)
                    MaxPooling1D(2)
                    Flatten()
                    Dense(1, activation=sigmoid)
                    compile(loss=binary_crossentropy, optimizer=adam)
                }
                """;
        assertEquals("""
                v.model:6:5: error: the weights of dense (Dense) depend on the length of the None dimension: dense.kernel is [40, 1] at length 10 and [80, 1] at length 20
                        Dense(1, activation=sigmoid)
                        ^~~~~~~~~~~~~~~~~~~~~~~~~~~~
                  hint: a layer that maps the whole sequence to fixed weights (Flatten, then Dense) needs a fixed length: write it instead of None
                """, errors(flat, Map.of("words", 10)));
    }

    @Test
    void summaryPrintsNoneAndTrainTakesTheLengthFromTheData() throws Exception {
        Path model = write(dir.resolve("tagger.model"), TAGGER.replace("LEN", "None"));
        Cli.Run r = run("summary", model);
        assertEquals(0, r.exit(), r::toString);
        assertTrue(r.out().contains("│ lstm (LSTM)                     │ (None, None, 6)        │"), r.out());

        Path data = Files.createDirectories(dir.resolve("data"));
        int n = 32, len = 7;
        int[] words = new int[n * len], tags = new int[n * len];
        for (int i = 0; i < words.length; i++) {
            words[i] = i % len < 2 ? 0 : 1 + (i * 7) % 49;
            tags[i] = words[i] % 3;
        }
        Npy.write(data.resolve("words.npy"), Tensor.of(words, n, len));
        Npy.write(data.resolve("target.npy"), Tensor.of(tags, n, len));
        Path weights = dir.resolve("w.safetensors");
        r = run("train", model, "--data", data, "--save", weights, "--threads", 1);
        assertEquals(0, r.exit(), r::toString);
        r = run("evaluate", model, "--data", data, "--weights", weights);
        assertEquals(0, r.exit(), r::toString);
        Cli.Run fixed = run("evaluate", write(dir.resolve("fixed.model"), TAGGER.replace("LEN", "7")), "--data", data, "--weights", weights);
        assertEquals(fixed.out(), r.out(), "the same numbers as the model written for length 7");
        Cli.assertUserError(run("evaluate", model, "--data", data, "--weights", weights, "--max-length", 9),
                "modelc: error: " + data + ": input 'words' gets samples of shape [7], the model needs [9]\n");

        // the generated predictor pads a shorter sequence in front, as pad_sequences does
        Loaded l = Loaded.load(model, Compiler.Options.DEFAULT.withLengths(Map.of("words", 7)));
        Class<?> cls = l.model().getClass().getClassLoader().loadClass("modelc.generated.TaggerPredictor");
        Predictor p = (Predictor) cls.getMethod("load", Path.class).invoke(null, weights);
        assertArrayEquals(p.predict(new int[] {0, 0, 0, 5, 9, 12, 3}), p.predict(new int[] {5, 9, 12, 3}), 0f);
        var e = assertThrows(IllegalArgumentException.class, () -> p.predict(new int[8]));
        assertEquals("a sample has whole steps of 1 values, at most 7 (the length the model was generated for), got 8 values", e.getMessage());
    }
}
