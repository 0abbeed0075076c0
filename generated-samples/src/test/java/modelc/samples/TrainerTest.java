package modelc.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import modelc.runtime.data.DataLoader;
import modelc.runtime.data.DataOptions;
import modelc.runtime.data.Dataset;
import modelc.runtime.train.Trainer;
import org.junit.jupiter.api.Test;

/** The generated trainer: an application trains on arrays, hears about each epoch, then predicts. */
class TrainerTest {
    @Test
    void trainsOnArraysAndHandsOverToAPredictor() throws Exception {
        Dataset d = DataLoader.load(Path.of("..", "data", "fashion-mnist"), DataOptions.defaults().withLimit(512)).train();
        float[][] x = new float[d.size()][784];
        int[] y = new int[d.size()];
        float[] pixels = d.features().get("x").floats();
        for (int i = 0; i < x.length; i++) {
            System.arraycopy(pixels, i * 784, x[i], 0, 784);
            y[i] = d.target().getInt(i);
        }
        List<Map<String, Double>> seen = new ArrayList<>();
        FashionMlpTrainer t = FashionMlpTrainer.create();
        t.epochs(3).validationSplit(0).threads(2).onEpoch((epoch, logs) -> seen.add(logs));
        Trainer.History h = t.fit(x, y);
        assertEquals(3, seen.size());
        assertEquals(h.epochs(), seen);
        assertTrue(seen.get(2).get("loss") < seen.get(0).get("loss"), "loss falls: " + seen);
        FashionMlpPredictor p = t.predictor();
        int right = 0;
        for (int i = 0; i < x.length; i++) if (p.predictClass(x[i]) == y[i]) right++;
        assertTrue(right > x.length * 0.6, right + " of " + x.length + " training images right");
    }

    @Test
    void aListenerCanStopTraining() throws Exception {
        Dataset d = DataLoader.load(Path.of("..", "data", "fashion-mnist"), DataOptions.defaults().withLimit(64)).train();
        Trainer.History h = FashionMlpTrainer.create().epochs(5).validationSplit(0).onEpoch((epoch, logs) -> epoch < 2).fit(d);
        assertEquals(2, h.epochs().size());
    }
}
