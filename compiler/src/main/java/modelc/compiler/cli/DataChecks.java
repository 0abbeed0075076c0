package modelc.compiler.cli;

import java.nio.file.Path;
import java.util.Arrays;
import modelc.runtime.Tensor;
import modelc.runtime.data.Dataset;
import modelc.runtime.train.Batches;
import modelc.runtime.train.ModelSpec;

/**
 * Checks data read from {@code --data} against the model before any step reads it: each input
 * must get samples of the input's size (the data's own layout may differ, as CSV rows of 784
 * pixels for a {@code float[28, 28]} input), and the target samples of the target's size.
 */
final class DataChecks {
    private DataChecks() {}

    static void check(ModelSpec spec, Dataset data, Path file) {
        for (ModelSpec.InputSpec in : spec.inputs()) {
            Tensor t;
            try {
                t = Batches.feature(data, in.name(), spec.inputs().size());
            } catch (IllegalArgumentException e) {
                throw new Main.UserError(file + ": " + e.getMessage());
            }
            if (sampleSize(t) != in.size()) {
                throw new Main.UserError(file + ": input '" + in.name() + "' gets samples of shape " + sampleShape(t)
                        + ", the model needs " + Arrays.toString(in.shape()));
            }
        }
        Tensor target = data.target();
        if (target != null && sampleSize(target) != spec.target().size()) {
            throw new Main.UserError(file + ": the target has samples of shape " + sampleShape(target) + ", the model's loss ("
                    + spec.loss() + ") needs " + Arrays.toString(spec.target().shape())
                    + (spec.target().sparse() ? " (class indices)" : ""));
        }
    }

    private static long sampleSize(Tensor t) {
        return t.rank() == 0 || t.dim(0) == 0 ? 0 : t.size() / t.dim(0);
    }

    private static String sampleShape(Tensor t) {
        return Arrays.toString(Arrays.copyOfRange(t.shape(), 1, t.rank()));
    }
}
