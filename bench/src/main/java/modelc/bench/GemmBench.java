package modelc.bench;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import modelc.runtime.kernels.Gemm;
import modelc.runtime.kernels.GemmParams;
import modelc.runtime.kernels.GemmScratch;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * Single-threaded GEMM throughput. Each benchmark reports time per call and, as the secondary
 * result {@code :gflops}, GFLOP/s (2·m·n·k flops per call; JMH prints it in "ops/s", which here
 * means GFLOP/s).
 *
 * <p>{@code shape} is {@code OP:MxNxK} where OP gives transA and transB (N or T):
 * <ul>
 *   <li>square: {@code NN:256x256x256}, {@code NN:512x512x512}, {@code NN:1024x1024x1024};</li>
 *   <li>the course MLP (batch 32, 784-256-128-10), forward {@code Y = X·W} (NN), input gradient
 *       {@code dX = dY·Wᵀ} (NT) and weight gradient {@code dW = Xᵀ·dY} (TN), per layer.</li>
 * </ul>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xms1g", "-Xmx1g"})
public class GemmBench {
    @Param({
            "NN:256x256x256", "NN:512x512x512", "NN:1024x1024x1024",
            "NN:32x256x784", "NT:32x784x256", "TN:784x256x32",
            "NN:32x128x256", "NT:32x256x128", "TN:256x128x32",
            "NN:32x10x128", "NT:32x128x10", "TN:128x10x32",
    })
    public String shape;

    boolean ta, tb;
    int m, n, k, lda, ldb;
    double gflopPerCall;
    float[] fa, fb, fc;
    double[] da, db, dc;
    final GemmScratch scratch = new GemmScratch();

    /** GFLOP performed in the current iteration; JMH divides by the iteration's time. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Flops {
        public double gflops;

        @Setup(Level.Iteration)
        public void reset() {
            gflops = 0;
        }
    }

    @Setup
    public void setup() {
        String[] opDims = shape.split(":");
        ta = opDims[0].charAt(0) == 'T';
        tb = opDims[0].charAt(1) == 'T';
        String[] d = opDims[1].split("x");
        m = Integer.parseInt(d[0]);
        n = Integer.parseInt(d[1]);
        k = Integer.parseInt(d[2]);
        lda = ta ? m : k;
        ldb = tb ? k : n;
        gflopPerCall = 2.0 * m * n * k / 1e9;
        SplittableRandom r = new SplittableRandom(42);
        fa = new float[m * k];
        fb = new float[k * n];
        fc = new float[m * n];
        da = new double[m * k];
        db = new double[k * n];
        dc = new double[m * n];
        for (int i = 0; i < fa.length; i++) da[i] = fa[i] = (float) (r.nextDouble() - 0.5);
        for (int i = 0; i < fb.length; i++) db[i] = fb[i] = (float) (r.nextDouble() - 0.5);
        System.err.println(GemmParams.describe());
    }

    @Benchmark
    public float[] sgemm(Flops f) {
        Gemm.sgemm(ta, tb, m, n, k, fa, 0, lda, fb, 0, ldb, fc, 0, n, false, scratch);
        f.gflops += gflopPerCall;
        return fc;
    }

    @Benchmark
    public double[] dgemm(Flops f) {
        Gemm.dgemm(ta, tb, m, n, k, da, 0, lda, db, 0, ldb, dc, 0, n, false, scratch);
        f.gflops += gflopPerCall;
        return dc;
    }

    /** The public entry point without a scratch argument (per-thread scratch via ThreadLocal). */
    @Benchmark
    public float[] sgemmThreadLocal(Flops f) {
        Gemm.sgemm(ta, tb, m, n, k, fa, 0, lda, fb, 0, ldb, fc, 0, n, false);
        f.gflops += gflopPerCall;
        return fc;
    }
}
