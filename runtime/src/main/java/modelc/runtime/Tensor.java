package modelc.runtime;

import java.util.Arrays;

/**
 * A dense, row-major tensor as it crosses the runtime's boundary: weights files, batches, datasets.
 * Exactly one of the backing arrays is non-null, the one that matches {@link #dtype()}.
 * Hot loops never see this class; generated code copies into its own typed buffers.
 */
public final class Tensor {
    private final DType dtype;
    private final int[] shape;
    private final Object data;

    private Tensor(DType dtype, int[] shape, Object data) {
        this.dtype = dtype;
        this.shape = shape.clone();
        this.data = data;
        long n = numel(shape);
        if (length(data) != n) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " needs " + n
                    + " elements, data has " + length(data));
        }
    }

    public static Tensor of(float[] data, int... shape) { return new Tensor(DType.F32, shape, data); }
    public static Tensor of(double[] data, int... shape) { return new Tensor(DType.F64, shape, data); }
    public static Tensor of(int[] data, int... shape) { return new Tensor(DType.I32, shape, data); }
    public static Tensor of(long[] data, int... shape) { return new Tensor(DType.I64, shape, data); }
    public static Tensor ofBytes(byte[] data, int... shape) { return new Tensor(DType.U8, shape, data); }

    /** A tensor over {@code data} (float[], double[], int[], long[] or byte[]); the dtype follows the array type. */
    public static Tensor wrap(Object data, int... shape) {
        return switch (data) {
            case float[] f -> of(f, shape);
            case double[] d -> of(d, shape);
            case int[] a -> of(a, shape);
            case long[] l -> of(l, shape);
            case byte[] b -> ofBytes(b, shape);
            default -> throw new IllegalArgumentException("unsupported backing array " + data.getClass());
        };
    }

    public static Tensor scalar(double v, DType dtype) {
        return switch (dtype) {
            case F32 -> of(new float[] {(float) v});
            case F64 -> of(new double[] {v});
            default -> throw new IllegalArgumentException("scalar of " + dtype);
        };
    }

    public DType dtype() { return dtype; }
    public int[] shape() { return shape.clone(); }
    public int rank() { return shape.length; }
    public int dim(int axis) { return shape[axis < 0 ? shape.length + axis : axis]; }
    public long size() { return numel(shape); }

    /** The backing array (float[], double[], int[], long[] or byte[]), not a copy. */
    public Object data() { return data; }

    public float[] floats() {
        if (data instanceof float[] f) return f;
        throw new IllegalStateException("tensor is " + dtype + ", not F32");
    }

    public double[] doubles() {
        if (data instanceof double[] d) return d;
        throw new IllegalStateException("tensor is " + dtype + ", not F64");
    }

    /** Element {@code i} (flat, row-major) as a double, whatever the dtype. */
    public double getDouble(long i) {
        int k = Math.toIntExact(i);
        return switch (data) {
            case float[] f -> f[k];
            case double[] d -> d[k];
            case int[] a -> a[k];
            case long[] l -> l[k];
            case byte[] b -> b[k] & 0xff;
            default -> throw new IllegalStateException();
        };
    }

    /** Element {@code i} as an int; fails on a float value that is not integral. */
    public int getInt(long i) {
        int k = Math.toIntExact(i);
        return switch (data) {
            case int[] a -> a[k];
            case long[] l -> Math.toIntExact(l[k]);
            case byte[] b -> b[k] & 0xff;
            default -> {
                double v = getDouble(i);
                if (v != Math.rint(v)) throw new IllegalStateException("value " + v + " at " + i + " is not an integer");
                yield (int) v;
            }
        };
    }

    /** A copy converted to float32. */
    public float[] toFloatArray() {
        int n = Math.toIntExact(size());
        if (data instanceof float[] f) return f.clone();
        float[] out = new float[n];
        for (int i = 0; i < n; i++) out[i] = (float) getDouble(i);
        return out;
    }

    /** A copy converted to float64. */
    public double[] toDoubleArray() {
        int n = Math.toIntExact(size());
        if (data instanceof double[] d) return d.clone();
        double[] out = new double[n];
        for (int i = 0; i < n; i++) out[i] = getDouble(i);
        return out;
    }

    /** A copy converted to int32 (integral values only). */
    public int[] toIntArray() {
        int n = Math.toIntExact(size());
        if (data instanceof int[] a) return a.clone();
        int[] out = new int[n];
        for (int i = 0; i < n; i++) out[i] = getInt(i);
        return out;
    }

    public static long numel(int[] shape) {
        long n = 1;
        for (int d : shape) n *= d;
        return n;
    }

    private static long length(Object data) {
        return switch (data) {
            case float[] f -> f.length;
            case double[] d -> d.length;
            case int[] a -> a.length;
            case long[] l -> l.length;
            case byte[] b -> b.length;
            default -> throw new IllegalArgumentException("unsupported backing array " + data.getClass());
        };
    }

    @Override
    public String toString() {
        return dtype + Arrays.toString(shape);
    }
}
