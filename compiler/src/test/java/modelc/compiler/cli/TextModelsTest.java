package modelc.compiler.cli;

import static modelc.compiler.cli.Cli.assertUserError;
import static modelc.compiler.cli.Cli.run;
import static modelc.compiler.cli.Cli.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import modelc.compiler.Compiler;
import modelc.runtime.Predictor;
import modelc.runtime.train.TextInputs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Models with {@code text} inputs from raw text to labels: {@code train} fits the pipeline on the training texts
 * (a folder per class, or a CSV) and saves it beside the weights; evaluate, predict and the generated
 * Predictor use it again. The texts are a tiny made-up corpus whose classes differ in their words.
 */
class TextModelsTest {
    @TempDir
    Path dir;

    private static final String[] POS = {"good", "great", "lovely", "fine", "happy"};
    private static final String[] NEG = {"bad", "awful", "dull", "poor", "sad"};
    private static final String[] FILLER = {"the", "movie", "was", "and", "plot", "it", "a", "film"};

    private static final String TOKENS = """
            sequential Reviews {
                input review: text -> Tokenizer(num_words=30) -> pad_sequences(maxlen=8)
                Embedding(30, 8)
                GlobalAveragePooling1D()
                Dense(1, activation=sigmoid)
                compile(loss=binary_crossentropy, optimizer=Adam(learning_rate=0.05), metrics=[accuracy])
                fit(epochs=30, batch_size=16)
            }
            """;

    private static final String COUNTS = """
            sequential Bow {
                input review: text -> CountVectorizer(max_features=40, min_df=2)
                Dense(3, activation=softmax)
                compile(loss=sparse_categorical_crossentropy, optimizer=Adam(learning_rate=0.1), metrics=[accuracy])
                fit(epochs=30, batch_size=16)
            }
            """;

    /** Text i of a class: three of its words among filler, "the movie was good and great" and so on. */
    private static String text(String[] words, int i) {
        return FILLER[i % FILLER.length] + " " + words[i % words.length] + ", " + FILLER[(i + 3) % FILLER.length] + " "
                + words[(i + 2) % words.length].toUpperCase() + "! " + words[(i * 7 + 1) % words.length] + ".";
    }

    private Path folders() throws IOException {
        Path root = dir.resolve("reviews");
        for (String split : List.of("train", "test")) {
            int n = split.equals("train") ? 40 : 10;
            for (int c = 0; c < 2; c++) {
                Path d = Files.createDirectories(root.resolve(split).resolve(c == 0 ? "neg" : "pos"));
                for (int i = 0; i < n; i++) Files.writeString(d.resolve(i + ".txt"), text(c == 0 ? NEG : POS, i + (split.equals("test") ? 100 : 0)));
            }
        }
        return root;
    }

    private static double metric(String out, String name) {
        Matcher m = Pattern.compile(name + ": ([0-9.]+)").matcher(out);
        assertTrue(m.find(), () -> "no " + name + " in\n" + out);
        return Double.parseDouble(m.group(1));
    }

    @Test
    void tokenizerModelTrainsOnClassFoldersAndPredictsLabelsOfRawText() throws Exception {
        Path model = write(dir.resolve("reviews.model"), TOKENS);
        Path weights = dir.resolve("out/reviews.safetensors");
        Path data = folders();
        Cli.Run r = run("train", model, "--data", data, "--save", weights, "--threads", 1);
        assertEquals(0, r.exit(), r::toString);
        assertTrue(r.out().contains("Text input 'review': 18 words in the fitted vocabulary, 8 token ids per text (0 to 18)"), r.out());
        assertTrue(r.out().contains("Classes: neg, pos"), r.out());
        Path text = dir.resolve("out/reviews.text.json");
        assertTrue(Files.isRegularFile(text), "the fitted tokenizer is saved beside the weights");

        r = run("evaluate", model, "--weights", weights, "--data", data);
        assertEquals(0, r.exit(), r::toString);
        assertTrue(r.out().startsWith("20 samples"), r.out());
        assertTrue(metric(r.out(), "accuracy") >= 0.9, r.out());

        r = run("predict", model, "--weights", weights, "--text", "What a lovely, happy film", "--text", "Dull and sad.");
        assertEquals(0, r.exit(), r::toString);
        List<String> lines = r.out().lines().toList();
        assertTrue(lines.get(0).endsWith("-> pos") && lines.get(1).endsWith("-> neg"), r.out());

        // the generated Predictor: weights and tokenizer from beside each other, raw text in, a class name out
        Loaded l = Loaded.load(model, Compiler.Options.DEFAULT);
        Class<?> cls = l.model().getClass().getClassLoader().loadClass("modelc.generated.ReviewsPredictor");
        Predictor p = (Predictor) cls.getMethod("load", Path.class).invoke(null, weights);
        assertEquals("pos", p.predictLabel("great, GREAT movie"));
        assertEquals("neg", p.predictLabel("an awful plot"));
        assertEquals(List.of("neg", "pos"), p.text().classNames());

        Files.delete(text);
        assertUserError(run("evaluate", model, "--weights", weights, "--data", data), "modelc: error: " + text
                + ": not found: a model with text inputs needs the fitted tokenizer that modelc train writes beside the weights\n");
    }

    @Test
    void countVectorizerModelTrainsOnACsvWithClassNames() throws IOException {
        StringBuilder csv = new StringBuilder("label,text\n");
        String[] mid = {"okay", "average", "fair", "middling", "so-so"};
        for (int i = 0; i < 45; i++) {
            String[][] classes = {NEG, mid, POS};
            String[] names = {"bad", "meh", "good"};
            csv.append(names[i % 3]).append(",\"").append(text(classes[i % 3], i / 3)).append("\"\n");
        }
        Path data = write(dir.resolve("reviews.csv"), csv.toString());
        Path model = write(dir.resolve("bow.model"), COUNTS);
        Path weights = dir.resolve("bow.safetensors");
        Cli.Run r = run("train", model, "--data", data, "--save", weights, "--threads", 1);
        assertEquals(0, r.exit(), r::toString);
        assertTrue(r.out().contains("Classes: bad, good, meh"), r.out());
        r = run("evaluate", model, "--weights", weights, "--data", data);
        assertEquals(0, r.exit(), r::toString);
        assertTrue(metric(r.out(), "accuracy") >= 0.9, r.out());
        r = run("predict", model, "--weights", weights, "--text", "fair and average, okay");
        assertTrue(r.out().strip().endsWith("-> meh"), r::toString);
    }

    @Test
    void padSequencesWithoutMaxlenPadsToTheLongestTrainingText() throws IOException {
        Path model = write(dir.resolve("reviews.model"), TOKENS.replace("pad_sequences(maxlen=8)", "pad_sequences()"));
        Path weights = dir.resolve("longest.safetensors");
        Path data = folders();
        // aclImdb's unlabelled folder, left out by --classes: its longer texts do not set the length
        Files.createDirectories(data.resolve("train/unsup"));
        Files.writeString(data.resolve("train/unsup/0.txt"), "good ".repeat(20));
        Cli.Run r = run("train", model, "--data", data, "--save", weights, "--epochs", 3, "--threads", 1, "--classes", "neg,pos");
        assertEquals(0, r.exit(), r::toString);
        assertTrue(r.out().contains("18 words in the fitted vocabulary, 5 token ids per text (0 to 18)"), r.out());
        r = run("evaluate", model, "--weights", weights, "--data", data);
        assertEquals(0, r.exit(), r::toString);
        r = run("predict", model, "--weights", weights, "--text", "a lovely lovely happy good great film");
        assertEquals(0, r.exit(), r::toString);
        assertTrue(run("summary", model).out().contains("(None, None, 8)"));
        assertTrue(run("compile", model, "-o", dir.resolve("src"), "--source-only").err()
                .contains("input 'review' is padded to its longest sequence (no maxlen): give the length to generate the code for"));
    }

    @Test
    void textPipelineSavedByOneModelDoesNotFitAnother() throws IOException {
        Path model = write(dir.resolve("reviews.model"), TOKENS);
        Path weights = dir.resolve("reviews.safetensors");
        Path data = folders();
        assertEquals(0, run("train", model, "--data", data, "--save", weights, "--epochs", 1).exit());
        Path other = write(dir.resolve("reviews.model"), TOKENS.replace("maxlen=8", "maxlen=9"));
        Cli.Run r = run("evaluate", other, "--weights", weights, "--data", data);
        assertUserError(r, "modelc: error: " + dir.resolve("reviews.text.json")
                + ": input 'review': it has pad_sequences {\"maxlen\":8}, the model says {\"maxlen\":9}\n");
        assertEquals(TextInputs.beside(weights), dir.resolve("reviews.text.json"));
    }
}
