package modelc.samples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import modelc.runtime.Rng;
import modelc.runtime.Tensor;
import modelc.runtime.data.Dataset;
import modelc.runtime.io.SafeTensors;
import modelc.runtime.train.Trainer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The generated predictor: same outputs as the training code, shareable across threads, allocation-free. */
class PredictorTest {
    static FashionMlp model;
    static FashionMlpPredictor predictor;
    static float[][] samples = new float[40][784];

    @BeforeAll
    static void setUp(@TempDir Path dir) throws Exception {
        model = new FashionMlp();
        model.initialize(3);
        Path w = dir.resolve("w.safetensors");
        SafeTensors.write(w, model.weights());
        predictor = FashionMlpPredictor.load(w);
        for (int i = 0; i < samples.length; i++) for (int j = 0; j < 784; j++) samples[i][j] = (float) (255 * Rng.uniform(4, i, j, 0, 0));
    }

    private static float[] expected(int i) {
        Tensor out = Trainer.predict(model, Dataset.of(Tensor.of(samples[i].clone(), 1, 28, 28), null), 1);
        return out.floats();
    }

    @Test
    void predictsWhatTheModelComputes() {
        for (int i = 0; i < 5; i++) assertArrayEquals(expected(i), predictor.predict(samples[i]), 1e-6f);
        float[][] out = new float[samples.length][10];
        predictor.predictBatch(samples, out);
        for (int i = 0; i < 5; i++) assertArrayEquals(expected(i), out[i], 1e-6f);
    }

    /** A text model: integer token ids in, one batch call equal to one call per sample; its large per-row arena gets small chunks. */
    @Test
    void tokenBatchesMatchSinglePredictionsInBoundedChunks() throws Exception {
        TextGru gru = new TextGru();
        gru.initialize(5);
        Path w = java.nio.file.Files.createTempFile("textgru", ".safetensors");
        SafeTensors.write(w, gru.weights());
        TextGruPredictor p = TextGruPredictor.load(w);
        java.nio.file.Files.delete(w);
        int len = gru.spec().inputs().get(0).size();
        int[][] texts = new int[3][len];
        for (int i = 0; i < texts.length; i++) for (int j = 0; j < len; j++) texts[i][j] = j < 40 * (i + 1) ? 1 + (int) Math.floorMod(Rng.bits(6, i, j, 0, 0), 1000L) : 0;
        float[][] out = new float[texts.length][p.outputSize()];
        p.predictBatch(texts, out);
        for (int i = 0; i < texts.length; i++) assertArrayEquals(p.predict(texts[i]), out[i], 1e-6f);
        assertEquals(Math.max(1, Math.min(256, (1 << 22) / gru.inferenceValuesPerSample())), p.chunk());
    }

    @Test
    void manyThreadsShareOnePredictor() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                results.add(pool.submit(() -> {
                    float[] out = new float[10];
                    for (int k = 0; k < 200; k++) {
                        int i = k % samples.length;
                        predictor.predict(samples[i], out);
                        if (!java.util.Arrays.equals(out, predictor.predict(samples[i]))) return false;
                    }
                    return true;
                }));
            }
            for (Future<Boolean> f : results) assertEquals(true, f.get());
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void aSteadyStreamOfPredictionsAllocatesNothing() {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        float[] out = new float[10];
        for (int k = 0; k < 20_000; k++) predictor.predict(samples[k % samples.length], out);
        long before = mx.getThreadAllocatedBytes(Thread.currentThread().threadId());
        for (int k = 0; k < 1000; k++) predictor.predict(samples[k % samples.length], out);
        long bytes = mx.getThreadAllocatedBytes(Thread.currentThread().threadId()) - before;
        assertEquals(0, bytes, "bytes allocated by 1000 predictions");
    }

    @Test
    void aWrongSampleSizeIsAClearError() {
        Exception e = assertThrows(IllegalArgumentException.class, () -> predictor.predict(new float[10]));
        assertEquals("a sample has 784 values, got 10", e.getMessage());
    }

    @Test
    void missingBundledWeightsSayWhatWasLookedFor() {
        Exception e = assertThrows(java.io.IOException.class, FashionMlpPredictor::load);
        assertEquals("no weights found: FashionMlp.safetensors on the classpath beside modelc.samples.FashionMlpPredictor", e.getMessage());
    }
}
