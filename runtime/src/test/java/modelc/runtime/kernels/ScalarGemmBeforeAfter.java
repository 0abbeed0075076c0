package modelc.runtime.kernels;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The scalar GEMM's speed against {@link ScalarGemmReference} (the hand-written pair it replaced), in
 * one JVM: per shape, 200 ms of calls of each in turn (which goes first alternates), 3 warm-up rounds,
 * then the median time per call of each over the rounds and their ratio. Not a test; after
 * {@code mvn -o -pl runtime test-compile}, from the repository root:
 * <pre>
 * java -cp runtime/target/classes:runtime/target/test-classes modelc.runtime.kernels.ScalarGemmBeforeAfter 15
 * </pre>
 */
public final class ScalarGemmBeforeAfter {
    interface Run { void run(boolean after); }

    public static void main(String[] args) {
        int rounds = Integer.parseInt(args.length > 0 ? args[0] : "15");
        int[][] shapes = {{0, 0, 32, 128, 784}, {0, 1, 32, 784, 128}, {1, 0, 784, 128, 32}, {0, 0, 64, 64, 300}};
        String[] names = {"s NN 32x128x784", "s NT 32x784x128", "s TN 784x128x32", "d NN 64x64x300"};
        SplittableRandom r = new SplittableRandom(7);
        Run[] runs = new Run[shapes.length];
        for (int s = 0; s < shapes.length; s++) {
            boolean ta = shapes[s][0] == 1, tb = shapes[s][1] == 1;
            int m = shapes[s][2], n = shapes[s][3], k = shapes[s][4];
            int lda = ta ? m : k, ldb = tb ? k : n;
            if (s < 3) {
                float[] a = new float[m * k], b = new float[k * n], c = new float[m * n];
                for (int i = 0; i < a.length; i++) a[i] = (float) r.nextDouble();
                for (int i = 0; i < b.length; i++) b[i] = (float) r.nextDouble();
                runs[s] = after -> {
                    if (after) ScalarSgemm.gemm(ta, tb, m, n, k, a, 0, lda, b, 0, ldb, c, 0, n, false);
                    else ScalarGemmReference.gemm(ta, tb, m, n, k, a, 0, lda, b, 0, ldb, c, 0, n, false);
                };
            } else {
                double[] a = new double[m * k], b = new double[k * n], c = new double[m * n];
                for (int i = 0; i < a.length; i++) a[i] = r.nextDouble();
                for (int i = 0; i < b.length; i++) b[i] = r.nextDouble();
                runs[s] = after -> {
                    if (after) ScalarDgemm.gemm(ta, tb, m, n, k, a, 0, lda, b, 0, ldb, c, 0, n, false);
                    else ScalarGemmReference.gemm(ta, tb, m, n, k, a, 0, lda, b, 0, ldb, c, 0, n, false);
                };
            }
        }
        long[][][] ns = new long[shapes.length][2][rounds];
        for (int round = -3; round < rounds; round++) { // 3 warm-up rounds
            for (int s = 0; s < shapes.length; s++) {
                for (int o = 0; o < 2; o++) {
                    boolean after = ((round + o) & 1) == 0; // alternate which goes first
                    long t0 = System.nanoTime();
                    long until = t0 + 200_000_000L, calls = 0, t;
                    do { runs[s].run(after); calls++; } while ((t = System.nanoTime()) < until);
                    if (round >= 0) ns[s][after ? 1 : 0][round] = (t - t0) / calls;
                }
            }
        }
        for (int s = 0; s < shapes.length; s++) {
            long before = median(ns[s][0]), after = median(ns[s][1]);
            System.out.printf("%-18s before %9d ns  after %9d ns  after/before %.3f%n", names[s], before, after,
                    (double) after / before);
        }
    }

    static long median(long[] x) {
        long[] y = x.clone();
        Arrays.sort(y);
        return y[y.length / 2];
    }
}
