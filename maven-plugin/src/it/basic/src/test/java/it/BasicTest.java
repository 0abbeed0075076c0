package it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import com.acme.IrisNet;
import java.nio.file.Path;
import java.util.Map;
import modelc.generated.Tiny;
import modelc.generated.TinyPredictor;
import modelc.runtime.Tensor;
import modelc.runtime.data.Dataset;
import modelc.runtime.io.SafeTensors;
import modelc.runtime.train.Session;
import org.junit.jupiter.api.Test;

class BasicTest {
    @Test
    void theGeneratedPredictorLoadsTheBundledWeights() throws Exception {
        TinyPredictor predictor = TinyPredictor.load();
        float[] p = predictor.predict(new float[] {0.1f, 0.5f, 0.9f, 0.3f});
        assertEquals(3, p.length);
        assertEquals(1.0, p[0] + p[1] + p[2], 1e-5, "softmax");
        Map<String, Tensor> bundled = SafeTensors.read(Path.of(Tiny.class.getResource("Tiny.safetensors").toURI()));
        assertArrayEquals(bundled.get("dense.kernel").toFloatArray(),
                predictor.model().weights().get("dense.kernel").toFloatArray(), "tiny.safetensors, copied as Tiny.safetensors");
    }

    @Test
    void theModelClassRunsASession() {
        Tiny model = new Tiny();
        model.initialize(3);
        int n = 5;
        float[] x = new float[n * 4];
        for (int i = 0; i < x.length; i++) x[i] = (i % 7) / 7f;
        Session session = model.newSession(n);
        session.load(Dataset.of(Tensor.of(x, n, 4), null), null, 0, n);
        session.predictStep(n);
        assertEquals(n * 3, session.output(n).toFloatArray().length);
    }

    @Test
    void aTestModelIsGeneratedIntoTheTestSources() {
        modelc.generated.Probe probe = new modelc.generated.Probe();
        probe.initialize(1);
        assertEquals(2 + 1, probe.weights().values().stream().mapToLong(Tensor::size).sum());
    }

    @Test
    void aModelInASubdirectoryIsInThatPackage() {
        IrisNet model = new IrisNet();
        model.initialize(1);
        assertEquals(4 * 3 + 3, model.weights().values().stream().mapToLong(Tensor::size).sum());
    }
}
