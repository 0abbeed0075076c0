package modelc.runtime.train;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import modelc.runtime.Init;
import modelc.runtime.Tensor;

/** Moves weights between a model's flat parameter array and tensors keyed as in Keras. */
public final class Weights {
    private Weights() {}

    /** Thrown when a weights map does not fit the model; the message names the key. */
    public static final class MismatchException extends IllegalArgumentException {
        public MismatchException(String message) {
            super(message);
        }
    }

    public static Map<String, Tensor> export(List<ModelSpec.ParamSpec> params, float[] p) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (ModelSpec.ParamSpec s : params) {
            out.put(s.key(), Tensor.of(Arrays.copyOfRange(p, s.offset(), s.offset() + s.size()), s.shape()));
        }
        return out;
    }

    public static Map<String, Tensor> export(List<ModelSpec.ParamSpec> params, double[] p) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (ModelSpec.ParamSpec s : params) {
            out.put(s.key(), Tensor.of(Arrays.copyOfRange(p, s.offset(), s.offset() + s.size()), s.shape()));
        }
        return out;
    }

    public static void load(List<ModelSpec.ParamSpec> params, Map<String, Tensor> w, float[] p) {
        check(params, w);
        for (ModelSpec.ParamSpec s : params) {
            float[] src = w.get(s.key()).toFloatArray();
            System.arraycopy(src, 0, p, s.offset(), s.size());
        }
    }

    public static void load(List<ModelSpec.ParamSpec> params, Map<String, Tensor> w, double[] p) {
        check(params, w);
        for (ModelSpec.ParamSpec s : params) {
            double[] src = w.get(s.key()).toDoubleArray();
            System.arraycopy(src, 0, p, s.offset(), s.size());
        }
    }

    public static void initialize(List<ModelSpec.ParamSpec> params, long seed, float[] p) {
        double[] d = new double[p.length];
        initialize(params, seed, d);
        for (int i = 0; i < p.length; i++) p[i] = (float) d[i];
    }

    public static void initialize(List<ModelSpec.ParamSpec> params, long seed, double[] p) {
        for (ModelSpec.ParamSpec s : params) {
            Init.fill(s.init(), s.initA(), s.initB(), s.shape(), seed, s.key(), p, s.offset());
        }
    }

    private static void check(List<ModelSpec.ParamSpec> params, Map<String, Tensor> w) {
        TreeSet<String> extra = new TreeSet<>(w.keySet());
        for (ModelSpec.ParamSpec s : params) {
            Tensor t = w.get(s.key());
            if (t == null) {
                throw new MismatchException("weight '" + s.key() + "' " + Arrays.toString(s.shape()) + " is missing");
            }
            if (!Arrays.equals(t.shape(), s.shape())) {
                throw new MismatchException("weight '" + s.key() + "' has shape " + Arrays.toString(t.shape())
                        + ", the model needs " + Arrays.toString(s.shape()));
            }
            if (!t.dtype().isFloat()) {
                throw new MismatchException("weight '" + s.key() + "' is " + t.dtype() + ", expected F32 or F64");
            }
            extra.remove(s.key());
        }
        if (!extra.isEmpty()) {
            throw new MismatchException("the model has no weight named " + String.join(", ", extra));
        }
    }
}
