package modelc.runtime.train;

import modelc.runtime.Tensor;
import modelc.runtime.data.Dataset;

/** Copies rows of a dataset tensor into a model's batch buffer, converting the element type. */
public final class Batches {
    private Batches() {}

    /**
     * The dataset tensor that feeds the model input {@code name}: the feature of that name, or the
     * only feature when both the model and the data have exactly one (file formats without names).
     */
    public static Tensor feature(Dataset data, String name, int modelInputs) {
        Tensor t = data.features().get(name);
        if (t != null) return t;
        if (modelInputs == 1 && data.features().size() == 1) return data.features().values().iterator().next();
        throw new IllegalArgumentException("the data has no feature named '" + name + "' (it has "
                + String.join(", ", data.features().keySet()) + ")");
    }

    /** Rows {@code order[from .. from + n)} of {@code src}, each {@code rowLen} elements, to {@code dst[dstOff ..]}. */
    public static void copy(Tensor src, int[] order, int from, int n, int rowLen, float[] dst, int dstOff) {
        Object data = src.data();
        for (int r = 0; r < n; r++) {
            int row = order == null ? from + r : order[from + r];
            int s = row * rowLen, d = dstOff + r * rowLen;
            switch (data) {
                case float[] f -> System.arraycopy(f, s, dst, d, rowLen);
                case byte[] b -> { for (int i = 0; i < rowLen; i++) dst[d + i] = b[s + i] & 0xff; }
                case int[] a -> { for (int i = 0; i < rowLen; i++) dst[d + i] = a[s + i]; }
                case double[] x -> { for (int i = 0; i < rowLen; i++) dst[d + i] = (float) x[s + i]; }
                case long[] l -> { for (int i = 0; i < rowLen; i++) dst[d + i] = l[s + i]; }
                default -> throw new IllegalStateException("unsupported " + src.dtype());
            }
        }
    }

    public static void copy(Tensor src, int[] order, int from, int n, int rowLen, double[] dst, int dstOff) {
        Object data = src.data();
        for (int r = 0; r < n; r++) {
            int row = order == null ? from + r : order[from + r];
            int s = row * rowLen, d = dstOff + r * rowLen;
            switch (data) {
                case double[] x -> System.arraycopy(x, s, dst, d, rowLen);
                case float[] f -> { for (int i = 0; i < rowLen; i++) dst[d + i] = f[s + i]; }
                case byte[] b -> { for (int i = 0; i < rowLen; i++) dst[d + i] = b[s + i] & 0xff; }
                case int[] a -> { for (int i = 0; i < rowLen; i++) dst[d + i] = a[s + i]; }
                case long[] l -> { for (int i = 0; i < rowLen; i++) dst[d + i] = l[s + i]; }
                default -> throw new IllegalStateException("unsupported " + src.dtype());
            }
        }
    }
}
