package modelc.bench;

import java.util.concurrent.TimeUnit;
import modelc.runtime.train.CompiledModel;
import modelc.runtime.train.Session;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One training step (forward, loss, backward, optimizer update) of a generated model on a fixed,
 * already loaded batch: {@code Session.trainStep(batch)}, the call the trainer makes once per batch.
 * The primary result is steps/s; the secondary result {@code :samples} is samples/s. With
 * {@code -prof gc}, {@code gc.alloc.rate.norm} is the bytes allocated per step, on every thread
 * (the session's worker threads included).
 *
 * <p>{@code threads} is what the session may split a batch across; it keeps batches under 64 rows
 * on one thread whatever is asked (the fork prints how many it uses). The defaults are the
 * fashion_mlp matrix; the recurrent models run with {@code -p model=lstm_text -p batch=32 -p threads=1}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 10, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xms1g", "-Xmx1g"})
public class TrainStepBench {
    /** Stem of the .model file: fashion_mlp, lstm_text or gru_text. */
    @Param({"fashion_mlp"})
    public String model;

    @Param({"32", "256"})
    public int batch;

    @Param({"1", "2"})
    public int threads;

    private Session session;

    /** Samples trained in the current iteration; JMH divides by the iteration's time. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Samples {
        public long samples;

        @Setup(Level.Iteration)
        public void reset() {
            samples = 0;
        }
    }

    @Setup(Level.Trial)
    public void setup() {
        CompiledModel m = BenchModels.create(model);
        session = m.newSession(batch, threads);
        session.setSeed(1);
        session.load(BenchModels.batch(m.spec(), batch, 42), null, 0, batch);
        System.out.println("# " + m.spec().name() + ", batch " + batch + ": the session splits it across "
                + session.threads() + (session.threads() == 1 ? " thread" : " threads"));
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        session.close();
    }

    @Benchmark
    public double trainStep(Samples s, CpuShare cpu) {
        s.samples += batch;
        return session.trainStep(batch);
    }
}
