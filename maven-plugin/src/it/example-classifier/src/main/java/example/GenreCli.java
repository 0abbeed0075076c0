package example;

import example.model.GenreNetPredictor;
import java.util.Locale;

/**
 * {@code java --add-modules jdk.incubator.vector -cp example-classifier.jar:modelc-runtime.jar
 * example.GenreCli "a passage of text" ...}: prints each text's genre (press or prose) and the probability of
 * prose. The weights and the word counts' vocabulary come from the jar, where the build put them.
 */
public final class GenreCli {
    private GenreCli() {}

    public static void main(String[] args) throws java.io.IOException {
        GenreNetPredictor predictor = GenreNetPredictor.load();
        for (String text : args) {
            System.out.printf(Locale.ROOT, "%s (%.3f) <- %s%n", predictor.predictLabel(text), predictor.predict(text)[0],
                    text.length() > 40 ? text.substring(0, 40) + "..." : text);
        }
    }
}
