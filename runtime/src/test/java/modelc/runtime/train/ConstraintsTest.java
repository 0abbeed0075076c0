package modelc.runtime.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The constraints' formulas, over every way of choosing the norm axes, against a direct computation. */
class ConstraintsTest {
    private static final int[] DIMS = {2, 3, 4};

    /** Keras's factor for a norm, written out. */
    private static double factor(int kind, double norm) {
        return switch (kind) {
            case Constraints.MAX_NORM -> Math.min(norm, 0.8) / (1e-7 + norm);
            case Constraints.MIN_MAX_NORM -> (0.25 * Math.min(Math.max(norm, 0.5), 0.9) + 0.75 * norm) / (1e-7 + norm);
            default -> 1 / (1e-7 + norm);
        };
    }

    @Test
    void normsOverEveryChoiceOfAxes() {
        int[][] choices = {{0}, {1}, {2}, {0, 1}, {1, 2}, {0, 2}, {0, 1, 2}};
        for (int kind : new int[] {Constraints.MAX_NORM, Constraints.MIN_MAX_NORM, Constraints.UNIT_NORM}) {
            for (int[] axes : choices) {
                double[] w = new double[24];
                for (int i = 0; i < w.length; i++) w[i] = Math.sin(1.7 * i + kind) * 0.6;
                double[] expected = new double[24];
                for (int e = 0; e < 24; e++) {
                    int[] at = {e / 12, e / 4 % 3, e % 4};
                    double sq = 0;
                    for (int f = 0; f < 24; f++) {
                        int[] bt = {f / 12, f / 4 % 3, f % 4};
                        boolean same = true;
                        for (int d = 0; d < 3; d++) if (!contains(axes, d) && at[d] != bt[d]) same = false;
                        if (same) sq += w[f] * w[f];
                    }
                    expected[e] = w[e] * factor(kind, Math.sqrt(sq));
                }
                double[] sums = new double[Constraints.norms(DIMS, axes)];
                Constraints.norm(kind, w, 0, DIMS, axes, 0.5, kind == Constraints.MAX_NORM ? 0.8 : 0.9, 0.25, sums);
                assertArrayEquals(expected, w, 1e-15, "kind " + kind + ", axes " + java.util.Arrays.toString(axes));
                float[] wf = new float[24];
                for (int i = 0; i < wf.length; i++) wf[i] = (float) (Math.sin(1.7 * i + kind) * 0.6);
                Constraints.norm(kind, wf, 0, DIMS, axes, 0.5, kind == Constraints.MAX_NORM ? 0.8 : 0.9, 0.25, sums);
                for (int i = 0; i < 24; i++) assertEquals(expected[i], wf[i], 1e-6);
            }
        }
    }

    @Test
    void nonNegZeroesNegativeEntriesOnly() {
        double[] w = {1, -2, 0.5, -0.0, 3, -1e-9};
        Constraints.nonNeg(w, 1, 4);
        assertArrayEquals(new double[] {1, 0, 0.5, 0, 3, -1e-9}, w);
    }

    private static boolean contains(int[] axes, int d) {
        for (int a : axes) if (a == d) return true;
        return false;
    }
}
