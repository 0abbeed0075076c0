package modelc.compiler.ir;

import java.util.List;

/**
 * A model weight: its key ({@code dense.kernel}), shape in Keras's layout, whether the optimizer
 * updates it, how it is initialised, its penalty ({@code kernel_regularizer=...}; null if none) and
 * its constraint ({@code kernel_constraint=...}; null if none).
 */
public record ParamInfo(String key, List<Integer> shape, boolean trainable, InitSpec init, Regularizer regularizer,
                        Constraint constraint) {
    public ParamInfo {
        shape = List.copyOf(shape);
        if (regularizer != null && regularizer.isZero()) regularizer = null;
    }

    public ParamInfo(String key, List<Integer> shape, boolean trainable, InitSpec init, Regularizer regularizer) {
        this(key, shape, trainable, init, regularizer, null);
    }

    public ParamInfo(String key, List<Integer> shape, boolean trainable, InitSpec init) {
        this(key, shape, trainable, init, null, null);
    }

    public int size() {
        int n = 1;
        for (int s : shape) n *= s;
        return n;
    }

    public int[] shapeArray() {
        return shape.stream().mapToInt(Integer::intValue).toArray();
    }
}
