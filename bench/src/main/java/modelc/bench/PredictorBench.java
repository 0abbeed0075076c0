package modelc.bench;

import java.util.concurrent.TimeUnit;
import modelc.bench.models.FashionMlp;
import modelc.bench.models.FashionMlpPredictor;
import modelc.bench.models.TextGru;
import modelc.bench.models.TextGruPredictor;
import modelc.runtime.Predictor;
import modelc.runtime.Tensor;
import modelc.runtime.data.Dataset;
import modelc.runtime.train.Session;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The generated predictors that applications embed, called as an application would: one
 * {@code <Name>Predictor} shared by every benchmark thread, each thread passing its own output
 * array (the overloads that allocate nothing).
 *
 * <ul>
 *   <li>{@code *B1}: latency of one sample, {@code predict(sample, out)} (SampleTime, µs per call,
 *       with percentiles).</li>
 *   <li>{@code *B256}: throughput of a batch of 256 (Throughput: calls/s, and samples/s as the
 *       secondary result {@code :samples}). FashionMlp uses {@code predictBatch(float[][], float[][])}.
 *       Predictor has no batch overload for integer inputs, so the TextGru batch goes through the
 *       session calls {@code predictBatch} makes (prepare, setInput per row, predictStep, outputRow
 *       per row) on a session of the same capacity, {@link Predictor#CHUNK}.</li>
 *   <li>{@code *Shared2}: the same predictor shared by two threads (each gets its own session).</li>
 * </ul>
 *
 * Weights are the models' initialisation (seed 1): the work per call does not depend on them.
 * FashionMlp takes {@code float[784]} pixels, TextGru {@code int[500]} token ids (no padding, so every
 * one of the 500 GRU steps runs). {@code -prof gc} gives bytes allocated per call
 * ({@code gc.alloc.rate.norm}).
 */
@Warmup(iterations = 6, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xms2g", "-Xmx2g"})
public class PredictorBench {
    static final int BATCH = 256;

    /** One predictor per model, shared by all benchmark threads. */
    @State(Scope.Benchmark)
    public static class Predictors {
        FashionMlpPredictor fashion;
        TextGru textModel;
        TextGruPredictor text;
        float[][] images;
        int[][] passages;

        @Setup(Level.Trial)
        public void setup() {
            FashionMlp f = (FashionMlp) BenchModels.create("fashion_mlp");
            fashion = FashionMlpPredictor.of(f);
            textModel = (TextGru) BenchModels.create("text_gru");
            text = TextGruPredictor.of(textModel);
            Dataset fd = BenchModels.batch(f.spec(), BATCH, 42);
            Dataset td = BenchModels.batch(textModel.spec(), BATCH, 42);
            Tensor fx = fd.features().values().iterator().next();
            Tensor tx = td.features().values().iterator().next();
            images = new float[BATCH][];
            passages = new int[BATCH][];
            for (int i = 0; i < BATCH; i++) {
                images[i] = BenchModels.floatRow(fx, i, 784);
                passages[i] = BenchModels.intRow(tx, i, 500);
            }
        }
    }

    /** What each thread owns: output arrays and a cursor over the samples. */
    @State(Scope.Thread)
    public static class Caller {
        float[] fashionOut = new float[10];
        float[] textOut = new float[1];
        float[][] fashionBatchOut = new float[BATCH][10];
        int next;

        int nextSample() {
            int i = next;
            next = (i + 1) & (BATCH - 1);
            return i;
        }
    }

    /**
     * TextGru's batch of 256 on the thread's own session of the predictor's capacity. (A session
     * holds the training arena: 289,001 floats per row of capacity, 296 MB at 256 rows, so it is
     * only created by the benchmark that uses it.)
     */
    @State(Scope.Thread)
    public static class TextBatch {
        Session session;
        float[][] out = new float[BATCH][1];

        @Setup(Level.Trial)
        public void setup(Predictors p) {
            session = p.textModel.newSession(Predictor.CHUNK);
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            session.close();
            session = null;
        }
    }

    /** Samples predicted in the current iteration, summed over threads; JMH divides by the time. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Samples {
        public long samples;

        @Setup(Level.Iteration)
        public void reset() {
            samples = 0;
        }
    }

    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public float fashionMlpB1(Predictors p, Caller c, CpuShare cpu) {
        p.fashion.predict(p.images[c.nextSample()], c.fashionOut);
        return c.fashionOut[0];
    }

    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    public float fashionMlpB256(Predictors p, Caller c, Samples s, CpuShare cpu) {
        p.fashion.predictBatch(p.images, c.fashionBatchOut);
        s.samples += BATCH;
        return c.fashionBatchOut[BATCH - 1][0];
    }

    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    @Threads(2)
    public float fashionMlpB1Shared2(Predictors p, Caller c, Samples s, CpuShare cpu) {
        p.fashion.predict(p.images[c.nextSample()], c.fashionOut);
        s.samples++;
        return c.fashionOut[0];
    }

    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    @Threads(2)
    public float fashionMlpB256Shared2(Predictors p, Caller c, Samples s, CpuShare cpu) {
        p.fashion.predictBatch(p.images, c.fashionBatchOut);
        s.samples += BATCH;
        return c.fashionBatchOut[BATCH - 1][0];
    }

    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public float textGruB1(Predictors p, Caller c, CpuShare cpu) {
        p.text.predict(p.passages[c.nextSample()], c.textOut);
        return c.textOut[0];
    }

    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    public float textGruB256(Predictors p, TextBatch b, Samples s, CpuShare cpu) {
        Session t = b.session;
        t.prepare(BATCH);
        for (int r = 0; r < BATCH; r++) t.setInput(0, r, p.passages[r], 0);
        t.predictStep(BATCH);
        for (int r = 0; r < BATCH; r++) t.outputRow(r, b.out[r], 0);
        s.samples += BATCH;
        return b.out[BATCH - 1][0];
    }

    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    @Threads(2)
    public float textGruB1Shared2(Predictors p, Caller c, Samples s, CpuShare cpu) {
        p.text.predict(p.passages[c.nextSample()], c.textOut);
        s.samples++;
        return c.textOut[0];
    }
}
