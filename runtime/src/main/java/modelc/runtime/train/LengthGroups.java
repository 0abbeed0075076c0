package modelc.runtime.train;

import modelc.runtime.Rng;
import modelc.runtime.Tensor;
import modelc.runtime.data.Dataset;

/**
 * Batches of rows of similar length for models with a {@code None}-length input. A row's length is
 * the extent of its steps that are not all zero (the padding that {@code pad_sequences} adds, in
 * front or behind, and that {@code mask_zero} or {@code Masking()} hide); a recurrence skips the
 * masked steps that every row of a batch shares, so a batch of short rows runs over short loops.
 *
 * <p>Training keeps the shuffle random, after HuggingFace's {@code group_by_length}: the epoch's
 * permutation is cut into chunks of 50 batches, each chunk is ordered by length and cut into
 * batches, and the whole batches are shuffled among themselves (the last, partial batch stays last).
 * Prediction runs the rows in order of length and answers in the rows' order. Evaluation keeps the
 * rows' order, as Keras: a masked loss is a mean over each batch's present steps, so regrouping the
 * rows would move the reported loss.
 */
public final class LengthGroups {
    /** Batches per chunk of the permutation whose rows are ordered by length. */
    static final int CHUNK_BATCHES = 50;

    private LengthGroups() {}

    /** True if one of the model's inputs has a {@code None} length. */
    public static boolean applies(ModelSpec spec) {
        return spec.inputs().stream().anyMatch(in -> in.noneAxis() >= 0);
    }

    /**
     * Each row's length: over the inputs with a {@code None} axis, the largest span of steps from the
     * first to the last step with a non-zero value. Null if no input has a {@code None} length.
     */
    public static int[] lengths(ModelSpec spec, Dataset data) {
        if (!applies(spec)) return null;
        int[] out = new int[data.size()];
        for (ModelSpec.InputSpec in : spec.inputs()) {
            if (in.noneAxis() < 0) continue;
            Tensor t = Batches.feature(data, in.name(), spec.inputs().size());
            int steps = in.shape()[in.noneAxis()], inner = 1;
            for (int a = in.noneAxis() + 1; a < in.shape().length; a++) inner *= in.shape()[a];
            int outer = in.size() / (steps * inner);
            for (int r = 0; r < out.length; r++) out[r] = Math.max(out[r], extent(t, (long) r * in.size(), outer, steps, inner));
        }
        return out;
    }

    /** From the first to the last step of one row that holds a non-zero value (0 if none does). */
    private static int extent(Tensor t, long base, int outer, int steps, int inner) {
        int first = -1, last = -1;
        for (int s = 0; s < steps; s++) {
            if (stepHasValue(t, base, outer, steps, inner, s)) {
                if (first < 0) first = s;
                last = s;
            }
        }
        return first < 0 ? 0 : last - first + 1;
    }

    private static boolean stepHasValue(Tensor t, long base, int outer, int steps, int inner, int s) {
        for (int o = 0; o < outer; o++) {
            long at = base + ((long) o * steps + s) * inner;
            for (int i = 0; i < inner; i++) if (t.getDouble(at + i) != 0) return true;
        }
        return false;
    }

    /**
     * Reorders one epoch's permutation {@code order} (rows of {@code lengths}) into batches of
     * {@code batch} rows of similar length, keyed by (seed, epoch): see the class comment.
     */
    public static void group(int[] order, int[] lengths, int batch, long seed, int epoch) {
        int n = order.length, chunk = Math.max(batch, (int) Math.min((long) batch * CHUNK_BATCHES, n));
        int[] sorted = order.clone();
        for (int from = 0; from < n; from += chunk) sortByLength(sorted, from, Math.min(n, from + chunk), lengths);
        int whole = n / batch;
        int[] batches = new int[whole];
        for (int b = 0; b < whole; b++) batches[b] = b;
        for (int i = whole - 1; i > 0; i--) {
            int j = (int) Math.floorMod(Rng.bits(seed, 0x1e9, epoch, i, 0), (long) (i + 1));
            int x = batches[i];
            batches[i] = batches[j];
            batches[j] = x;
        }
        int k = 0;
        for (int b : batches) for (int r = 0; r < batch; r++) order[k++] = sorted[b * batch + r];
        for (int r = whole * batch; r < n; r++) order[k++] = sorted[r];
    }

    /** Sorts rows {@code rows[from, to)} by their length, stably: rows of equal length keep their order. */
    private static void sortByLength(int[] rows, int from, int to, int[] lengths) {
        Integer[] boxed = new Integer[to - from];
        for (int i = 0; i < boxed.length; i++) boxed[i] = rows[from + i];
        java.util.Arrays.sort(boxed, java.util.Comparator.comparingInt(r -> lengths[r]));
        for (int i = 0; i < boxed.length; i++) rows[from + i] = boxed[i];
    }

    /**
     * The rows of {@code data} in order of length (ties in row order); null (the rows' own order) if no
     * input has a {@code None} length or the model is stateful (its batches continue one another).
     */
    public static int[] byLength(CompiledModel model, Dataset data) {
        if (model.stateful()) return null;
        int[] lengths = lengths(model.spec(), data);
        if (lengths == null) return null;
        int[] order = new int[lengths.length];
        for (int i = 0; i < order.length; i++) order[i] = i;
        sortByLength(order, 0, order.length, lengths);
        return order;
    }
}
