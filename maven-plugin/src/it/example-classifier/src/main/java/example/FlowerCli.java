package example;

import java.util.Locale;

/**
 * {@code java --add-modules jdk.incubator.vector -cp example-classifier.jar:modelc-runtime.jar
 * example.FlowerCli 5.1,3.5,1.4,0.2 ...}: prints each flower's kind and the probabilities.
 */
public final class FlowerCli {
    private FlowerCli() {}

    public static void main(String[] args) throws java.io.IOException {
        FlowerClassifier classifier = new FlowerClassifier();
        for (String arg : args) {
            String[] parts = arg.split(",");
            float[] x = new float[4];
            for (int i = 0; i < 4; i++) x[i] = Float.parseFloat(parts[i].trim());
            float[] p = classifier.probabilities(x);
            System.out.printf(Locale.ROOT, "%s -> %s (%.3f %.3f %.3f)%n", arg, classifier.classify(x), p[0], p[1], p[2]);
        }
    }
}
