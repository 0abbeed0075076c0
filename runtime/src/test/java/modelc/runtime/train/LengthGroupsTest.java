package modelc.runtime.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import modelc.runtime.Tensor;
import modelc.runtime.data.Dataset;
import org.junit.jupiter.api.Test;

class LengthGroupsTest {
    private static ModelSpec spec(ModelSpec.InputSpec... inputs) {
        return new ModelSpec("M", "f32", List.of(inputs), new int[] {1}, new ModelSpec.TargetSpec(false, new int[] {1}), List.of(),
                "mse", List.of(), OptimizerConfig.defaults("sgd"), null, ModelSpec.FitConfig.DEFAULT);
    }

    @Test
    void aRowsLengthSpansItsStepsThatAreNotAllZero() {
        // token ids padded in front, behind, both, not at all, and an empty row
        int[] ids = {
            0, 0, 0, 4, 5, 6,
            7, 8, 0, 0, 0, 0,
            0, 3, 0, 9, 0, 0,
            1, 2, 3, 4, 5, 6,
            0, 0, 0, 0, 0, 0};
        Dataset d = Dataset.of(Tensor.of(ids, 5, 6), Tensor.of(new float[5], 5, 1));
        ModelSpec words = spec(new ModelSpec.InputSpec("words", true, new int[] {6}).withNoneAxis(0));
        assertArrayEquals(new int[] {3, 2, 3, 6, 0}, LengthGroups.lengths(words, d));
        assertNull(LengthGroups.lengths(spec(new ModelSpec.InputSpec("words", true, new int[] {6})), d), "no None length, no lengths");

        // float steps of 2 features: a step counts if any feature is not zero
        float[] x = {
            0, 0, 0, 1, 0, 0,
            2, 0, 0, 0, 0, 0};
        Dataset f = Dataset.of(Tensor.of(x, 2, 3, 2), Tensor.of(new float[2], 2, 1));
        assertArrayEquals(new int[] {1, 1}, LengthGroups.lengths(spec(new ModelSpec.InputSpec("x", false, new int[] {3, 2}).withNoneAxis(0)), f));
        // the None axis second: [features, steps]
        float[] y = {
            0, 1, 0,
            0, 0, 1,
            0, 0, 0,
            1, 0, 0};
        Dataset g = Dataset.of(Tensor.of(y, 2, 2, 3), Tensor.of(new float[2], 2, 1));
        assertArrayEquals(new int[] {2, 1}, LengthGroups.lengths(spec(new ModelSpec.InputSpec("x", false, new int[] {2, 3}).withNoneAxis(1)), g));
    }

    private static int[] lengths(int n) {
        int[] lengths = new int[n];
        for (int i = 0; i < n; i++) lengths[i] = 1 + (int) ((i * 2654435761L) % 40);
        return lengths;
    }

    private static int[] grouped(int[] lengths, int batch, long seed, int epoch) {
        int[] order = new int[lengths.length];
        Trainer.permutation(order, true, seed, epoch);
        LengthGroups.group(order, lengths, batch, seed, epoch);
        return order;
    }

    /** The mean over whole batches of the longest length in the batch: what the batch's loops run. */
    private static double meanLongest(int[] order, int[] lengths, int batch) {
        double sum = 0;
        int whole = order.length / batch;
        for (int b = 0; b < whole; b++) {
            int max = 0;
            for (int r = 0; r < batch; r++) max = Math.max(max, lengths[order[b * batch + r]]);
            sum += max;
        }
        return sum / whole;
    }

    @Test
    void batchesGatherRowsOfSimilarLengthAndStayAShuffle() {
        int n = 5003, batch = 16;
        int[] lengths = lengths(n);
        int[] order = grouped(lengths, batch, 7, 0);
        int[] sorted = order.clone();
        Arrays.sort(sorted);
        for (int i = 0; i < n; i++) assertEquals(i, sorted[i], "every row exactly once");

        int[] plain = new int[n];
        Trainer.permutation(plain, true, 7, 0);
        double grouped = meanLongest(order, lengths, batch), shuffled = meanLongest(plain, lengths, batch);
        assertTrue(shuffled > 37 && grouped < 23, "longest per batch: grouped " + grouped + ", shuffled " + shuffled);
        // within a batch, lengths differ little (a chunk of 50 batches over 40 lengths)
        for (int b = 0; b < n / batch; b++) {
            int lo = Integer.MAX_VALUE, hi = 0;
            for (int r = 0; r < batch; r++) {
                lo = Math.min(lo, lengths[order[b * batch + r]]);
                hi = Math.max(hi, lengths[order[b * batch + r]]);
            }
            assertTrue(hi - lo <= 5, "batch " + b + " spans lengths " + lo + ".." + hi);
        }
        // the partial batch (5003 = 312·16 + 11) comes last; the same seed and epoch give the same order, another epoch another
        assertArrayEquals(order, grouped(lengths, batch, 7, 0));
        assertFalse(Arrays.equals(order, grouped(lengths, batch, 7, 1)));
        assertFalse(Arrays.equals(order, grouped(lengths, batch, 8, 0)));
        // the batches' order is shuffled: lengths do not rise through the epoch
        int rises = 0;
        for (int b = 1; b < n / batch; b++) if (lengths[order[b * batch]] >= lengths[order[(b - 1) * batch]]) rises++;
        assertTrue(rises < 0.7 * (n / batch), rises + " of " + (n / batch) + " batches start at least as long as the one before");
    }

    @Test
    void fewerRowsThanAChunkAreOneGroup() {
        int[] lengths = {5, 1, 4, 2, 3, 9, 7};
        int[] order = grouped(lengths, 2, 3, 0);
        // batches {1,2} {3,4} {5,7} in some order, then the partial batch {9}
        assertEquals(5, order[6]);
        for (int b = 0; b < 3; b++) {
            int x = lengths[order[2 * b]], y = lengths[order[2 * b + 1]];
            assertTrue(Map.of(1, 2, 3, 4, 5, 7).get(Math.min(x, y)) == Math.max(x, y), x + ", " + y);
        }
    }
}
