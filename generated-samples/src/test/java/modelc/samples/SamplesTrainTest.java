package modelc.samples;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import modelc.runtime.data.DataLoader;
import modelc.runtime.data.DataOptions;
import modelc.runtime.data.Dataset;
import modelc.runtime.train.CompiledModel;
import modelc.runtime.train.Session;
import org.junit.jupiter.api.Test;

/** The checked-in samples compile (Maven builds them) and train: the loss falls over a few steps. */
class SamplesTrainTest {
    @Test
    void fashionMlpLearnsOnTheBundledData() throws Exception {
        CompiledModel m = new FashionMlp();
        m.initialize(1);
        Dataset d = DataLoader.load(Path.of("..", "data", "fashion-mnist"), DataOptions.defaults().withLimit(256)).train();
        Session s = m.newSession(32);
        s.setSeed(1);
        s.load(d, null, 0, 32);
        double first = s.evalStep(32);
        for (int i = 0; i < 30; i++) s.trainStep(32);
        double after = s.evalStep(32);
        assertTrue(after < first * 0.5, "loss on a fixed batch went from " + first + " to " + after);
    }

    /** The text models learn press vs imaginative prose on the bundled Brown passages (data/brown). */
    @Test
    void textModelsLearnOnTheBrownPassages() throws Exception {
        learns(new TextPooled(), "len500", 100);
        learns(new TextInception(), "len500", 30);
        learns(new ImdbFlatten(), "len20", 30);
    }

    private static void learns(CompiledModel m, String data, int steps) throws Exception {
        m.initialize(1);
        Dataset d = DataLoader.load(Path.of("..", "data", "brown", data), DataOptions.defaults().withLimit(64)).train();
        Session s = m.newSession(32);
        s.setSeed(1);
        s.load(d, null, 0, 32);
        double first = s.evalStep(32);
        for (int i = 0; i < steps; i++) s.trainStep(32);
        double after = s.evalStep(32);
        assertTrue(after < first * 0.7, m.spec().name() + ": loss on a fixed batch went from " + first + " to " + after);
    }
}
