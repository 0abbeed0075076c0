package modelc.samples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import modelc.runtime.data.DataOptions;
import modelc.runtime.data.TextData;
import modelc.runtime.train.Trainer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A model that reads raw text, inside an application: the trainer fits its CountVectorizer on the bundled Brown
 * passages (data/brown-text) and trains; the predictor takes a String and gives a class name, the same from a
 * trained model, from files and from streams.
 */
class TextPredictorTest {
    @TempDir
    Path dir;

    @Test
    void trainsOnTextsAndPredictsLabelsOfRawText() throws Exception {
        TextData.Loaded data = TextData.load(Path.of("..", "data", "brown-text"), List.of("passage"), DataOptions.defaults(), null);
        List<String> texts = data.train().texts().get("passage");
        BrownBowTrainer t = BrownBowTrainer.create();
        Trainer.History h = t.epochs(3).validationSplit(0).threads(2).fitTexts(texts, (int[]) data.train().target().data(), data.classNames());
        assertTrue(h.epochs().get(2).get("loss") < h.epochs().get(0).get("loss"), "loss falls: " + h.epochs());
        BrownBowPredictor p = t.predictor();
        List<String> test = data.test().texts().get("passage");
        int[] truth = (int[]) data.test().target().data();
        int right = 0;
        for (int i = 0; i < test.size(); i++) if (p.predictLabel(test.get(i)).equals(data.classNames().get(truth[i]))) right++;
        assertTrue(right > 0.8 * test.size(), right + " of " + test.size() + " held-out passages right");

        Path weights = dir.resolve("BrownBow.safetensors");
        t.save(weights);
        assertTrue(Files.isRegularFile(dir.resolve("BrownBow.text.json")), "the vectorizer is saved beside the weights");
        BrownBowPredictor fromFiles = BrownBowPredictor.load(weights);
        BrownBowPredictor fromStreams;
        try (InputStream w = Files.newInputStream(weights); InputStream x = Files.newInputStream(dir.resolve("BrownBow.text.json"))) {
            fromStreams = BrownBowPredictor.load(w, x);
        }
        for (int i = 0; i < 5; i++) {
            assertArrayEquals(p.predict(test.get(i)), fromFiles.predict(test.get(i)), 1e-6f);
            assertArrayEquals(p.predict(test.get(i)), fromStreams.predict(test.get(i)), 1e-6f);
        }
        assertEquals(List.of("press", "prose"), fromFiles.text().classNames());
    }
}
