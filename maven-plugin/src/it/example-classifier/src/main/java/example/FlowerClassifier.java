package example;

import example.model.FlowerNetPredictor;
import java.io.IOException;

/** The trained FlowerNet, through the predictor generated beside it and the weights the build put in the jar. */
public final class FlowerClassifier {
    public static final String[] KINDS = {"setosa", "versicolor", "virginica"};

    private final FlowerNetPredictor predictor;

    public FlowerClassifier() throws IOException {
        predictor = FlowerNetPredictor.load();
    }

    /** Probabilities of each kind for one flower's four measurements. */
    public float[] probabilities(float[] measurements) {
        return predictor.predict(measurements);
    }

    public String classify(float[] measurements) {
        return KINDS[predictor.predictClass(measurements)];
    }
}
