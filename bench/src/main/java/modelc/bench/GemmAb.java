package modelc.bench;

import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Not JMH. Compares two builds of the runtime's {@code Gemm.sgemm} in one JVM: each build is loaded
 * by its own class loader, and for each shape short timed batches of the two alternate, so both see
 * the same machine load. Prints, per shape, the median and best GFLOP/s of each build (thread CPU
 * time) and the ratio of the medians (new / old).
 *
 * <p>Usage: {@code java --add-modules jdk.incubator.vector -cp bench/target/classes modelc.bench.GemmAb
 * OLD_CLASSES NEW_CLASSES [seconds-per-shape] [OP:MxNxK ...]}, where the class folders are
 * {@code runtime/target/classes} of the two builds.
 */
public final class GemmAb {
    private static final java.lang.management.ThreadMXBean THREADS =
            java.lang.management.ManagementFactory.getThreadMXBean();

    public static void main(String[] args) throws Exception {
        Method[] gemm = {sgemm(args[0]), sgemm(args[1])};
        double seconds = args.length > 2 ? Double.parseDouble(args[2]) : 4;
        String[] shapes = Arrays.copyOfRange(args, Math.min(3, args.length), args.length);
        for (String shape : shapes) {
            String[] od = shape.split(":");
            boolean ta = od[0].charAt(0) == 'T', tb = od[0].charAt(1) == 'T';
            String[] d = od[1].split("x");
            int m = Integer.parseInt(d[0]), n = Integer.parseInt(d[1]), k = Integer.parseInt(d[2]);
            int lda = ta ? m : k, ldb = tb ? k : n;
            SplittableRandom r = new SplittableRandom(1);
            float[] a = new float[m * k], b = new float[k * n], c = new float[m * n];
            for (int i = 0; i < a.length; i++) a[i] = (float) (r.nextDouble() - 0.5);
            for (int i = 0; i < b.length; i++) b[i] = (float) (r.nextDouble() - 0.5);
            double flop = 2.0 * m * n * k;
            int reps = (int) Math.max(1, 5e6 / flop * 50); // ~ 3-10 ms per batch
            Object[] call = {ta, tb, m, n, k, a, 0, lda, b, 0, ldb, c, 0, n, false};
            double[][] g = new double[2][4096];
            int cnt = 0;
            long warm = System.nanoTime() + (long) (0.3e9 * seconds);
            long end = warm + (long) (1e9 * seconds);
            for (long now = System.nanoTime(); now < end && cnt < 4096; now = System.nanoTime()) {
                for (int v = 0; v < 2; v++) {
                    long c0 = THREADS.getCurrentThreadCpuTime();
                    for (int i = 0; i < reps; i++) gemm[v].invoke(null, call);
                    long c1 = THREADS.getCurrentThreadCpuTime();
                    if (now >= warm) g[v][cnt] = flop * reps / Math.max(1, c1 - c0);
                }
                if (now >= warm) cnt++;
            }
            double[] old = Arrays.copyOf(g[0], cnt), neu = Arrays.copyOf(g[1], cnt);
            Arrays.sort(old);
            Arrays.sort(neu);
            System.out.printf("%-20s old median %6.1f best %6.1f | new median %6.1f best %6.1f GFLOP/s | new/old %.2f"
                    + "  (%d pairs of %d calls)%n", shape, old[cnt / 2], old[cnt - 1], neu[cnt / 2], neu[cnt - 1],
                    neu[cnt / 2] / old[cnt / 2], cnt, reps);
        }
    }

    /** {@code Gemm.sgemm} (the overload with a per-thread scratch) of the runtime classes in {@code dir}. */
    private static Method sgemm(String dir) throws Exception {
        URL url = Path.of(dir).toUri().toURL();
        ClassLoader loader = new URLClassLoader(new URL[] {url}, ClassLoader.getPlatformClassLoader());
        Class<?> gemm = Class.forName("modelc.runtime.kernels.Gemm", true, loader);
        return gemm.getMethod("sgemm", boolean.class, boolean.class, int.class, int.class, int.class,
                float[].class, int.class, int.class, float[].class, int.class, int.class,
                float[].class, int.class, int.class, boolean.class);
    }
}
