package modelc.compiler.ir;

import java.util.List;

/**
 * A model weight: its key ({@code dense.kernel}), shape in Keras's layout, whether the optimizer
 * updates it, and how it is initialised.
 */
public record ParamInfo(String key, List<Integer> shape, boolean trainable, InitSpec init) {
    public ParamInfo {
        shape = List.copyOf(shape);
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
