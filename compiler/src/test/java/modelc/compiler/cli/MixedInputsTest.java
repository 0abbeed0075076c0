package modelc.compiler.cli;

import static modelc.compiler.cli.Cli.assertUserError;
import static modelc.compiler.cli.Cli.run;
import static modelc.compiler.cli.Cli.write;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import modelc.compiler.Compiler;
import modelc.runtime.Predictor;
import modelc.runtime.StatefulPredictor;
import modelc.runtime.Tensor;
import modelc.runtime.data.Dataset;
import modelc.runtime.io.Json;
import modelc.runtime.io.Npy;
import modelc.runtime.train.ModelTrainer;
import modelc.runtime.train.Progress;
import modelc.runtime.train.TextInputs;
import modelc.runtime.train.Trainer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A functional model that mixes a text input with a tensor input (a review and two numbers, concatenated for a
 * dense head): it trains from a CSV with a text column and numeric columns {@code stars_0, stars_1}; evaluate,
 * predict and the generated Predictor give what the same tensors fed by hand give.
 */
class MixedInputsTest {
    @TempDir
    Path dir;

    private static final String MODEL = """
            model Mixed {
                input review: text -> Tokenizer(num_words=30) -> pad_sequences(maxlen=8)
                input stars: float[2]
                words = GlobalAveragePooling1D()(Embedding(30, 8)(review))
                output Dense(1, activation=sigmoid)(Concatenate()([words, stars]))
                compile(loss=binary_crossentropy, optimizer=Adam(learning_rate=0.05), metrics=[accuracy])
                fit(epochs=15, batch_size=16)
            }
            """;

    private static final String[] POS = {"good", "great", "lovely", "fine", "happy"};
    private static final String[] NEG = {"bad", "awful", "dull", "poor", "sad"};
    private static final String[] FILLER = {"the", "movie", "was", "and", "plot", "it", "a", "film"};

    private final List<String> texts = new ArrayList<>();
    private final List<float[]> stars = new ArrayList<>();
    private final List<Integer> labels = new ArrayList<>();
    private Path model, csv, weights;

    /** 48 rows: a text with a word of its class among filler, a star rating that leans the same way, and a constant. */
    @BeforeEach
    void data() throws IOException {
        StringBuilder sb = new StringBuilder("review,stars_0,stars_1,label\n");
        for (int i = 0; i < 48; i++) {
            int c = i % 2;
            String text = FILLER[i % FILLER.length] + " " + (c == 1 ? POS : NEG)[i / 2 % 5] + ", " + FILLER[(i + 3) % FILLER.length];
            float[] s = {c == 1 ? 3 + (i % 3) : 1 + (i % 3), 0.5f};
            texts.add(text);
            stars.add(s);
            labels.add(c);
            sb.append('"').append(text).append("\",").append(s[0]).append(',').append(s[1]).append(',').append(c).append('\n');
        }
        model = write(dir.resolve("mixed.model"), MODEL);
        csv = write(dir.resolve("mixed.csv"), sb.toString());
        weights = dir.resolve("out/mixed.safetensors");
    }

    private static List<Double> losses(String out) {
        List<Double> l = new ArrayList<>();
        Matcher m = Pattern.compile("- loss: ([0-9.e+-]+)").matcher(out);
        while (m.find()) l.add(Double.parseDouble(m.group(1)));
        return l;
    }

    @Test
    void trainsFromACsvAndEvaluatesAndPredictsAsTheSameTensorsByHand() throws Exception {
        Cli.Run r = run("train", model, "--data", csv, "--save", weights, "--threads", 1);
        assertEquals(0, r.exit(), r::toString);
        List<Double> losses = losses(r.out());
        assertEquals(15, losses.size(), r.out());
        assertTrue(losses.getLast() < losses.getFirst() / 2, () -> "the loss falls: " + losses);
        Path textFile = TextInputs.beside(weights);
        assertEquals(List.of("review"), List.copyOf(((Map<?, ?>) ((Map<?, ?>) Json.read(textFile)).get("inputs")).keySet()),
                "the text file holds the text input's pipeline only");

        // the same samples by hand: token ids from the fitted tokenizer, the numbers as written
        Loaded l = Loaded.load(model, Compiler.Options.DEFAULT);
        l.loadWeights(weights);
        TextInputs text = TextInputs.read(textFile, l.model().spec());
        float[] s = new float[2 * stars.size()];
        for (int i = 0; i < stars.size(); i++) System.arraycopy(stars.get(i), 0, s, 2 * i, 2);
        Dataset byHand = new Dataset(Map.of("review", text.input("review").encode(texts), "stars", Tensor.of(s, stars.size(), 2)),
                Tensor.of(labels.stream().mapToInt(Integer::intValue).toArray(), labels.size()));

        r = run("evaluate", model, "--weights", weights, "--data", csv);
        assertEquals(0, r.exit(), r::toString);
        Map<String, Double> expected = Trainer.evaluate(l.model(), byHand, 32, 1);
        assertEquals("48 samples - loss: " + Progress.format(expected.get("loss")) + " - accuracy: "
                + Progress.format(expected.get("accuracy")) + "\n", r.out());
        assertTrue(expected.get("accuracy") >= 0.9, r.out());

        Path out = dir.resolve("p.npy");
        r = run("predict", model, "--weights", weights, "--data", csv, "--out", out);
        assertEquals(0, r.exit(), r::toString);
        float[] predicted = (float[]) Npy.read(out).data();
        float[] y = (float[]) Trainer.predict(l.model(), byHand, 32).data();
        assertEquals(48, predicted.length);
        for (int i = 0; i < y.length; i++) assertEquals(y[i], predicted[i], 1e-6, "sample " + i);

        // the generated Predictor: a sample by input name
        Class<?> cls = l.model().getClass().getClassLoader().loadClass("modelc.generated.MixedPredictor");
        Predictor p = (Predictor) cls.getMethod("load", Path.class).invoke(null, weights);
        List<Map<String, Object>> samples = new ArrayList<>();
        for (int i = 0; i < texts.size(); i++) samples.add(Map.of("review", texts.get(i), "stars", stars.get(i)));
        float[][] batch = new float[samples.size()][1];
        p.predictBatch(samples, batch);
        for (int i = 0; i < samples.size(); i++) {
            assertEquals(y[i], p.predict(samples.get(i))[0], 1e-5, "sample " + i);
            assertEquals(y[i], batch[i][0], 1e-5, "sample " + i);
            assertEquals(Integer.toString(labels.get(i)), p.predictLabel(samples.get(i)));
        }
    }

    @Test
    void wrongDataAndWrongSamplesAreNamed() throws Exception {
        assertUserError(run("train", model, "--data", write(dir.resolve("few.csv"), "review,stars_0,label\nfine,1,1\n"), "--epochs", 1),
                "modelc: error: " + dir.resolve("few.csv") + ": no column 'stars_1' for the tensor input 'stars' (float[2]: columns"
                        + " stars_0, stars_1); columns: review, stars_0, label\n");
        assertUserError(run("train", model, "--data", write(dir.resolve("nan.csv"), "review,stars_0,stars_1,label\nfine,1,2,1\nsad,,2,0\n"),
                "--epochs", 1), "modelc: error: " + dir.resolve("nan.csv") + ": line 3, column 2 ('stars_0'): empty cell\n");
        Path folders = Files.createDirectories(dir.resolve("reviews/pos"));
        Files.writeString(folders.resolve("0.txt"), "good");
        assertUserError(run("train", model, "--data", dir.resolve("reviews"), "--epochs", 1), "modelc: error: " + dir.resolve("reviews")
                + ": class folders of .txt files hold only texts, but the model also reads the tensor input 'stars' (float[2]):"
                + " give a CSV with the columns review, stars_0, stars_1, label\n");

        Path none = write(dir.resolve("none.model"), MODEL.replace("input stars: float[2]", "input stars: float[None, 1]")
                .replace("[words, stars]", "[words, GlobalAveragePooling1D()(stars)]"));
        assertUserError(run("train", none, "--data", csv, "--epochs", 1), "modelc: error: input 'stars' has a None length, and the model"
                + " also reads text, so its values come from CSV columns, a fixed number: give --max-length N\n");
        assertEquals(0, run("train", none, "--data", csv, "--max-length", 2, "--epochs", 1, "--save", dir.resolve("none.safetensors")).exit());

        assertEquals(0, run("train", model, "--data", csv, "--save", weights, "--epochs", 1).exit());
        assertUserError(run("predict", model, "--weights", weights, "--text", "good"), "modelc: error: --text feeds a model with one"
                + " text input; Mixed has 2 inputs (give --data, a CSV with a column for each)\n");
        Loaded l = Loaded.load(model, Compiler.Options.DEFAULT);
        Class<?> cls = l.model().getClass().getClassLoader().loadClass("modelc.generated.MixedPredictor");
        Predictor p = (Predictor) cls.getMethod("load", Path.class).invoke(null, weights);
        String inputs = "review (String), stars (float[2])";
        assertEquals("the sample has no value for input 'stars' (float[2]); Mixed's inputs: " + inputs,
                assertThrows(IllegalArgumentException.class, () -> p.predict(Map.of("review", "good"))).getMessage());
        assertEquals("Mixed has no input 'star'; its inputs: " + inputs, assertThrows(IllegalArgumentException.class,
                () -> p.predict(Map.of("review", "good", "star", new float[2]))).getMessage());
        assertEquals("input 'stars' takes a float[2], got an int[]", assertThrows(IllegalArgumentException.class,
                () -> p.predict(Map.of("review", "good", "stars", new int[2]))).getMessage());
        assertEquals("input 'stars' takes a float[2], got 3 values", assertThrows(IllegalArgumentException.class,
                () -> p.predict(Map.of("review", "good", "stars", new float[3]))).getMessage());
        assertEquals("input 'review' takes a String, got a float[]", assertThrows(IllegalArgumentException.class,
                () -> p.predict(Map.of("review", new float[8], "stars", new float[2]))).getMessage());
        assertEquals("Mixed has 2 inputs: give a sample as a map of input name to value (" + inputs + ")",
                assertThrows(IllegalStateException.class, () -> p.predict("good")).getMessage());
    }

    @Test
    void theGeneratedTrainerFitsTextsAndTensorsByInputName() throws Exception {
        Loaded l = Loaded.load(model, Compiler.Options.DEFAULT);
        Class<?> cls = l.model().getClass().getClassLoader().loadClass("modelc.generated.MixedTrainer");
        ModelTrainer t = (ModelTrainer) cls.getMethod("create").invoke(null);
        float[] s = new float[2 * stars.size()];
        for (int i = 0; i < stars.size(); i++) System.arraycopy(stars.get(i), 0, s, 2 * i, 2);
        int[] y = labels.stream().mapToInt(Integer::intValue).toArray();
        Map<String, List<String>> text = Map.of("review", texts);
        assertEquals("input 'stars' (float[2]) takes 2 values per sample, got a tensor of shape [24, 4]", assertThrows(
                IllegalArgumentException.class, () -> t.fitTexts(text, Map.of("stars", Tensor.of(s, 24, 4)), y, List.of())).getMessage());
        assertEquals("the model's tensor inputs are stars; got values for none", assertThrows(IllegalArgumentException.class,
                () -> t.fitTexts(text, Map.of(), y, List.of())).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> t.fitTexts(texts, y, List.of())).getMessage()
                .startsWith("fitTexts(texts, labels, classNames) needs a model whose one input is text; it has 1 text input of 2"));
        Trainer.History h = t.fitTexts(text, Map.of("stars", Tensor.of(s, 48, 2)), y, List.of("neg", "pos"));
        assertTrue(h.epochs().getLast().get("loss") < h.epochs().getFirst().get("loss") / 2, h.epochs()::toString);
        Predictor p = (Predictor) cls.getMethod("predictor").invoke(t);
        assertEquals("pos", p.predictLabel(Map.of("review", "great, GREAT movie", "stars", new float[] {4, 0.5f})));
    }

    @Test
    void aStatefulMixedModelPredictsBatchesOfSamplesByInputName() throws Exception {
        Path stateful = write(dir.resolve("stream.model"), """
                model Stream {
                    input review: text, batch_size=4 -> Tokenizer(num_words=30) -> pad_sequences(maxlen=8)
                    input stars: float[2], batch_size=4
                    words = LSTM(4, stateful=true)(Embedding(30, 8)(review))
                    output Dense(1, activation=sigmoid)(Concatenate()([words, stars]))
                    compile(loss=binary_crossentropy, optimizer=adam, metrics=[accuracy])
                    fit(epochs=2, batch_size=4)
                }
                """);
        Cli.Run r = run("train", stateful, "--data", csv, "--save", weights, "--threads", 1);
        assertEquals(0, r.exit(), r::toString);
        Path out = dir.resolve("p.npy");
        r = run("predict", stateful, "--weights", weights, "--data", csv, "--out", out);
        assertEquals(0, r.exit(), r::toString);
        float[] predicted = (float[]) Npy.read(out).data();

        // the same rows, batch after batch, each row continuing the same row of the batch before
        Loaded l = Loaded.load(stateful, Compiler.Options.DEFAULT);
        Class<?> cls = l.model().getClass().getClassLoader().loadClass("modelc.generated.StreamPredictor");
        StatefulPredictor p = (StatefulPredictor) cls.getMethod("load", Path.class).invoke(null, weights);
        for (int from = 0; from < texts.size(); from += 4) {
            List<Map<String, Object>> rows = new ArrayList<>();
            for (int i = from; i < from + 4; i++) rows.add(Map.of("review", texts.get(i), "stars", stars.get(i)));
            float[][] y = p.predictBatch(rows);
            for (int i = 0; i < 4; i++) assertEquals(predicted[from + i], y[i][0], 1e-5, "row " + (from + i));
        }
        Map<String, Tensor> states = p.states();
        assertThrows(IllegalArgumentException.class, () -> p.predictBatch(List.of(Map.of("review", "good", "stars", new float[2]),
                Map.of("review", "good", "stars", new float[2]), Map.of("review", "good"), Map.of("review", "good", "stars", new float[2]))));
        assertArrayEquals((float[]) states.values().iterator().next().data(), (float[]) p.states().values().iterator().next().data(),
                "a batch that fails leaves the states as they were");
    }
}
