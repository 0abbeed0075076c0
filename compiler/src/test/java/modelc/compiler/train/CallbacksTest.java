package modelc.compiler.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import modelc.compiler.codegen.Dtype;
import modelc.compiler.testing.Models;
import modelc.runtime.Rng;
import modelc.runtime.Tensor;
import modelc.runtime.data.Dataset;
import modelc.runtime.train.CompiledModel;
import modelc.runtime.train.Session;
import modelc.runtime.train.Trainer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Learning-rate schedules and Keras's callbacks, from the .model file to the training loop. */
class CallbacksTest {
    private static Dataset data() {
        int n = 40;
        float[] x = new float[n * 4];
        float[] y = new float[n];
        for (int i = 0; i < x.length; i++) x[i] = (float) Rng.normal(2, 1, i, 0, 0);
        for (int i = 0; i < n; i++) y[i] = x[4 * i] - x[4 * i + 1];
        return Dataset.of(Tensor.of(x, n, 4), Tensor.of(y, n, 1));
    }

    private static String model(String optimizer, String fit) {
        return Models.sequential("4", "Dense(8, activation=tanh)\nDense(1)", "compile(loss=mse, optimizer=" + optimizer + ")\n    " + fit);
    }

    private static String train(CompiledModel m, int epochs) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        m.initialize(1);
        Trainer.fit(m, data(), new Trainer.Options(epochs, 8, m.spec().fit().validationSplit(), true, 1, 1, null, false, new PrintStream(bytes)));
        return bytes.toString();
    }

    @Test
    void aScheduleSetsEachStepsLearningRate() {
        CompiledModel m = Models.load(model("SGD(learning_rate=ExponentialDecay(0.1, decay_steps=10, decay_rate=0.5))", "fit(epochs=1)"), Dtype.F32);
        m.initialize(1);
        try (Session s = m.newSession(8)) {
            s.load(data(), null, 0, 8);
            assertEquals(0.1, s.learningRate(), 1e-12);
            for (int i = 0; i < 20; i++) s.trainStep(8);
            assertEquals(0.025, s.learningRate(), 1e-12);
        }
    }

    @Test
    void earlyStoppingStopsWhenNothingImprovesBy() throws IOException {
        CompiledModel m = Models.load(model("adam", "fit(epochs=10, callbacks=[EarlyStopping(monitor=loss, min_delta=100, patience=2)])"), Dtype.F32);
        String log = train(m, 10);
        assertTrue(log.contains("Epoch 3: early stopping"), log);
        assertTrue(!log.contains("Epoch 4/10"), log);
    }

    @Test
    void reduceLrOnPlateauScalesTheRate() throws IOException {
        CompiledModel m = Models.load(model("adam", "fit(epochs=3, callbacks=[ReduceLROnPlateau(monitor=loss, min_delta=100, patience=1, factor=0.5)])"), Dtype.F32);
        String log = train(m, 3);
        assertTrue(log.contains("Epoch 2: ReduceLROnPlateau reducing learning rate to 5.0E-4"), log);
        assertTrue(log.contains("Epoch 3: ReduceLROnPlateau reducing learning rate to 2.5E-4"), log);
    }

    @Test
    void modelCheckpointKeepsTheBest(@TempDir Path dir) throws IOException {
        Path best = dir.resolve("best.safetensors");
        CompiledModel m = Models.load(model("adam", "fit(epochs=3, validation_split=0.25, callbacks=[ModelCheckpoint(\""
                + best.toString().replace("\\", "\\\\") + "\", save_best_only=true)])"), Dtype.F32);
        String log = train(m, 3);
        assertTrue(Files.exists(best), log);
        assertTrue(log.contains("val_loss improved to"), log);
    }
}
