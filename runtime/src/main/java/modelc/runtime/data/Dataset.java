package modelc.runtime.data;

import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import modelc.runtime.Tensor;

/**
 * Named feature tensors and an optional target, all with samples along their first axis.
 * Immutable as long as nobody writes into the tensors' backing arrays.
 */
public final class Dataset {
    private final Map<String, Tensor> features;
    private final Tensor target;
    private final int size;

    /**
     * @param features at least one tensor, each of rank 1 or more
     * @param target   the target, or null for data to predict on
     * @throws IllegalArgumentException if the tensors disagree on the number of samples
     */
    public Dataset(Map<String, Tensor> features, Tensor target) {
        if (features.isEmpty()) throw new IllegalArgumentException("a dataset needs at least one feature tensor");
        List<Map.Entry<String, Tensor>> all = new ArrayList<>(features.entrySet());
        if (target != null) all.add(Map.entry("target", target));
        StringJoiner sizes = new StringJoiner(", ");
        boolean agree = true;
        int n = -1;
        for (Map.Entry<String, Tensor> e : all) {
            Tensor t = e.getValue();
            if (t.rank() == 0) {
                throw new IllegalArgumentException("'" + e.getKey() + "' is a scalar; every tensor of a dataset"
                        + " needs a first axis of samples");
            }
            sizes.add("'" + e.getKey() + "' has " + t.dim(0));
            agree &= n < 0 || t.dim(0) == n;
            n = t.dim(0);
        }
        if (!agree) throw new IllegalArgumentException("tensors disagree on the number of samples: " + sizes);
        this.features = Collections.unmodifiableMap(new LinkedHashMap<>(features));
        this.target = target;
        this.size = n;
    }

    /** A dataset with the single feature "x". */
    public static Dataset of(Tensor x, Tensor target) {
        return new Dataset(Map.of("x", x), target);
    }

    /** Number of samples. */
    public int size() { return size; }

    /** Feature tensors by name, in their original order; first axis = samples. */
    public Map<String, Tensor> features() { return features; }

    /** The target (first axis = samples), or null if there is none. */
    public Tensor target() { return target; }

    /** Samples {@code from} (inclusive) to {@code to} (exclusive), copied. */
    public Dataset slice(int from, int to) {
        if (from < 0 || to > size || from > to) {
            throw new IndexOutOfBoundsException("slice [" + from + ", " + to + ") of a dataset of " + size + " samples");
        }
        int[] indices = new int[to - from];
        for (int i = 0; i < indices.length; i++) indices[i] = from + i;
        return take(indices);
    }

    /** The samples at {@code indices} (repeats allowed), in that order, copied. */
    public Dataset take(int[] indices) {
        for (int i : indices) {
            if (i < 0 || i >= size) throw new IndexOutOfBoundsException("sample " + i + " of a dataset of " + size);
        }
        Map<String, Tensor> taken = new LinkedHashMap<>();
        features.forEach((name, t) -> taken.put(name, rows(t, indices)));
        return new Dataset(taken, target == null ? null : rows(target, indices));
    }

    private static Tensor rows(Tensor t, int[] indices) {
        int[] shape = t.shape();
        int rowSize = Math.toIntExact(t.size() / Math.max(1, shape[0]));
        shape[0] = indices.length;
        Object src = t.data();
        Object dst = Array.newInstance(src.getClass().getComponentType(), Math.multiplyExact(indices.length, rowSize));
        for (int i = 0; i < indices.length; i++) {
            System.arraycopy(src, indices[i] * rowSize, dst, i * rowSize, rowSize);
        }
        return Tensor.wrap(dst, shape);
    }

    @Override
    public String toString() {
        return "Dataset(" + size + " samples, features " + features + ", target " + target + ")";
    }
}
