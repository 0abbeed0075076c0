package modelc.bench;

import java.util.Arrays;
import java.util.SplittableRandom;
import modelc.runtime.kernels.Gemm;
import modelc.runtime.kernels.GemmParams;
import modelc.runtime.kernels.GemmScratch;

/**
 * Quick tuning harness (not JMH): for each shape, warms up, then times many short batches and
 * prints the best and the median GFLOP/s, by wall-clock time and by the thread's CPU time. "Best" and
 * CPU time are robust against other processes sharing the machine, which is why tuning runs use
 * them; published numbers come from {@link GemmBench}.
 *
 * <p>Usage: {@code java --add-modules jdk.incubator.vector -cp "bench/target/classes:bench/target/lib/*"
 * [-Dmodelc.gemm.sgemm.tile=4x3 ...] modelc.bench.GemmTune [s|d] [seconds-per-shape] [OP:MxNxK ...]}
 */
public final class GemmTune {
    private static final java.lang.management.ThreadMXBean THREADS =
            java.lang.management.ManagementFactory.getThreadMXBean();

    public static void main(String[] args) {
        boolean dbl = args.length > 0 && args[0].equals("d");
        double seconds = args.length > 1 ? Double.parseDouble(args[1]) : 2;
        String[] shapes = args.length > 2 ? Arrays.copyOfRange(args, 2, args.length) : new String[] {
                "NN:256x256x256", "NN:512x512x512", "NN:1024x1024x1024", "NN:32x256x784", "NT:32x784x256",
                "TN:784x256x32", "NN:32x128x256", "NT:32x256x128", "TN:256x128x32", "NN:32x10x128",
                "NT:32x128x10", "TN:128x10x32"};
        System.out.println(GemmParams.describe() + (dbl ? " [dgemm]" : " [sgemm]"));
        GemmScratch scratch = new GemmScratch();
        for (String shape : shapes) {
            String[] od = shape.split(":");
            boolean ta = od[0].charAt(0) == 'T', tb = od[0].charAt(1) == 'T';
            String[] d = od[1].split("x");
            int m = Integer.parseInt(d[0]), n = Integer.parseInt(d[1]), k = Integer.parseInt(d[2]);
            int lda = ta ? m : k, ldb = tb ? k : n;
            SplittableRandom r = new SplittableRandom(1);
            float[] fa = new float[m * k], fb = new float[k * n], fc = new float[m * n];
            double[] da = new double[m * k], db = new double[k * n], dc = new double[m * n];
            for (int i = 0; i < fa.length; i++) da[i] = fa[i] = (float) (r.nextDouble() - 0.5);
            for (int i = 0; i < fb.length; i++) db[i] = fb[i] = (float) (r.nextDouble() - 0.5);
            double flop = 2.0 * m * n * k;
            int reps = (int) Math.max(1, 2e6 / flop * 50); // ~ 1-5 ms per batch
            Runnable call = dbl
                    ? () -> Gemm.dgemm(ta, tb, m, n, k, da, 0, lda, db, 0, ldb, dc, 0, n, false, scratch)
                    : () -> Gemm.sgemm(ta, tb, m, n, k, fa, 0, lda, fb, 0, ldb, fc, 0, n, false, scratch);
            long end = System.nanoTime() + (long) (0.7e9 * seconds / 2);
            while (System.nanoTime() < end) for (int i = 0; i < reps; i++) call.run(); // warm-up
            double[] g = new double[4096], gc = new double[4096];
            int cnt = 0;
            end = System.nanoTime() + (long) (1e9 * seconds);
            while (System.nanoTime() < end && cnt < g.length) {
                long c0 = THREADS.getCurrentThreadCpuTime();
                long t0 = System.nanoTime();
                for (int i = 0; i < reps; i++) call.run();
                long t1 = System.nanoTime();
                long c1 = THREADS.getCurrentThreadCpuTime();
                gc[cnt] = flop * reps / Math.max(1, c1 - c0);
                g[cnt++] = flop * reps / (t1 - t0);
            }
            // allocation per call, now that everything is compiled (expect 0)
            com.sun.management.ThreadMXBean tm = (com.sun.management.ThreadMXBean) THREADS;
            long id = Thread.currentThread().threadId();
            long b0 = tm.getThreadAllocatedBytes(id);
            for (int i = 0; i < reps; i++) call.run();
            double allocPerCall = (double) (tm.getThreadAllocatedBytes(id) - b0) / reps;
            double[] s = Arrays.copyOf(g, cnt), sc = Arrays.copyOf(gc, cnt);
            Arrays.sort(s);
            Arrays.sort(sc);
            System.out.printf("%-20s wall best %6.1f median %6.1f | cpu-time best %6.1f median %6.1f GFLOP/s"
                    + "  (%d batches of %d; %.1f B allocated per call)%n", shape, s[cnt - 1], s[cnt / 2], sc[cnt - 1],
                    sc[cnt / 2], cnt, reps, allocPerCall);
        }
    }
}
