package modelc.compiler.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import modelc.compiler.codegen.Dtype;
import modelc.compiler.testing.Models;
import modelc.runtime.Rng;
import modelc.runtime.Tensor;
import modelc.runtime.data.Dataset;
import modelc.runtime.io.SafeTensors;
import modelc.runtime.train.CompiledModel;
import modelc.runtime.train.Trainer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An interrupted run resumes from its last checkpoint and ends exactly where an uninterrupted run does. */
class ResumeTest {
    private static final String MODEL = Models.sequential("6",
            "Dense(8, activation=relu)\nDropout(0.25)\nDense(2, activation=softmax)",
            "compile(loss=sparse_categorical_crossentropy, optimizer=adam, metrics=[accuracy])");

    private static Dataset data() {
        int n = 50;
        float[] x = new float[n * 6];
        int[] y = new int[n];
        for (int i = 0; i < x.length; i++) x[i] = (float) Rng.normal(9, 1, i, 0, 0);
        for (int i = 0; i < n; i++) y[i] = x[i * 6] + x[i * 6 + 1] > 0 ? 1 : 0;
        return Dataset.of(Tensor.of(x, n, 6), Tensor.of(y, n));
    }

    private static Trainer.Options options(int epochs, Path ckpt, boolean resume) {
        return new Trainer.Options(epochs, 8, 0.2, true, 5, 1, ckpt, resume, null);
    }

    @Test
    void resumingGivesTheSameWeightsAsNotStopping(@TempDir Path dir) throws IOException {
        CompiledModel m = Models.load(MODEL, Dtype.F32);
        m.initialize(5);
        Trainer.fit(m, data(), options(3, dir.resolve("straight.ckpt"), false));
        float[] straight = m.weights().get("dense.kernel").floats();

        m.initialize(5);
        Path ckpt = dir.resolve("interrupted.ckpt");
        Trainer.fit(m, data(), options(2, ckpt, false));
        m.initialize(99); // a new process: the weights come from the checkpoint
        Trainer.History h = Trainer.fit(m, data(), options(3, ckpt, true));
        assertEquals(1, h.epochs().size(), "only the third epoch runs after resuming");
        assertArrayEquals(straight, m.weights().get("dense.kernel").floats());
    }

    /** Stateful layers keep their states across epochs (fit never resets them), so the checkpoint carries them. */
    @Test
    void aStatefulModelResumesWithItsStates(@TempDir Path dir) throws IOException {
        String model = """
                sequential S {
                    input x: float[5, 2], batch_size=4
                    LSTM(3, stateful=true)
                    Dense(2, activation=softmax)
                    compile(loss=sparse_categorical_crossentropy, optimizer=adam)
                }
                """;
        int n = 16;
        float[] x = new float[n * 10];
        int[] y = new int[n];
        for (int i = 0; i < x.length; i++) x[i] = (float) Rng.normal(4, 1, i, 0, 0);
        for (int i = 0; i < n; i++) y[i] = x[i * 10] > 0 ? 1 : 0;
        Dataset d = Dataset.of(Tensor.of(x, n, 5, 2), Tensor.of(y, n));
        CompiledModel m = Models.load(model, Dtype.F64);
        m.initialize(5);
        Trainer.fit(m, d, new Trainer.Options(3, 4, 0, false, 5, 1, dir.resolve("straight.ckpt"), false, null));
        double[] straight = m.weights().get("lstm.kernel").doubles();

        m.initialize(5);
        Path ckpt = dir.resolve("interrupted.ckpt");
        Trainer.fit(m, d, new Trainer.Options(2, 4, 0, false, 5, 1, ckpt, false, null));
        assertTrue(SafeTensors.read(ckpt).containsKey("train.state.lstm.states.0"), "the checkpoint holds the states");
        m.initialize(99);
        Trainer.fit(m, d, new Trainer.Options(3, 4, 0, false, 5, 1, ckpt, true, null));
        assertArrayEquals(straight, m.weights().get("lstm.kernel").doubles());
    }

    @Test
    void aCheckpointOfAnotherModelIsRejectedByName(@TempDir Path dir) throws IOException {
        CompiledModel m = Models.load(MODEL, Dtype.F32);
        Path ckpt = dir.resolve("bad.ckpt");
        SafeTensors.write(ckpt, java.util.Map.of("train.epoch", Tensor.of(new long[] {1})));
        Exception e = assertThrows(IllegalArgumentException.class, () -> Trainer.fit(m, data(), options(2, ckpt, true)));
        assertEquals("weight 'dense.kernel' [6, 8] is missing", e.getMessage());
    }
}
