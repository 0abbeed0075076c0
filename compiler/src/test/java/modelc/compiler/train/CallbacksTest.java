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

    /** Keras 3 restores the best epoch's weights when training ends, also when it did not stop early. */
    @Test
    void earlyStoppingRestoresTheBestWeightsAtTheEnd() throws IOException {
        // mode=max on the loss: the "best" epoch is the first (the loss falls), and no epoch stops training
        CompiledModel m = Models.load(model("adam", "fit(epochs=3, callbacks=[EarlyStopping(monitor=loss, mode=max, patience=10,"
                + " restore_best_weights=true)])"), Dtype.F32);
        String log = train(m, 3);
        assertTrue(log.contains("Restoring model weights from the end of the best epoch: 1"), log);
        assertTrue(!log.contains("early stopping"), log);
        var restored = m.weights();
        CompiledModel one = Models.load(model("adam", "fit(epochs=1)"), Dtype.F32);
        train(one, 1);
        for (var e : one.weights().entrySet()) {
            org.junit.jupiter.api.Assertions.assertArrayEquals(e.getValue().toFloatArray(), restored.get(e.getKey()).toFloatArray(), 0f, e.getKey());
        }
    }

    @Test
    void earlyStoppingWaitsForTheBaselineAndFromStartFromEpoch() throws IOException {
        // only epoch 0 improves (min_delta=100): without a baseline its improvement restarts the patience, so the third epoch
        // stops; the loss never gets below a baseline of 0, so with it the wait goes on counting and the second epoch stops
        String log = train(Models.load(model("adam", "fit(epochs=10, callbacks=[EarlyStopping(monitor=loss, min_delta=100, patience=2)])"),
                Dtype.F32), 10);
        assertTrue(log.contains("Epoch 3: early stopping"), log);
        log = train(Models.load(model("adam", "fit(epochs=10, callbacks=[EarlyStopping(monitor=loss, min_delta=100, patience=2,"
                + " baseline=0.0)])"), Dtype.F32), 10);
        assertTrue(log.contains("Epoch 2: early stopping"), log);
        // epochs 0 and 1 (Keras counts from 0) are not watched: the first improvement is epoch 2's, then one epoch of patience
        log = train(Models.load(model("adam", "fit(epochs=10, callbacks=[EarlyStopping(monitor=loss, min_delta=100, patience=1,"
                + " start_from_epoch=2)])"), Dtype.F32), 10);
        assertTrue(log.contains("Epoch 4: early stopping"), log);
        log = train(Models.load(model("adam", "fit(epochs=10, callbacks=[EarlyStopping(monitor=loss, min_delta=100, patience=1)])"),
                Dtype.F32), 10);
        assertTrue(log.contains("Epoch 2: early stopping"), log);
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
