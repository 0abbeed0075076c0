package modelc.runtime.train;

import java.util.List;

/**
 * What a compiled model tells the runtime about itself: inputs, output, target, parameters,
 * loss, metrics, optimizer and the {@code fit(...)} defaults from its {@code .model} file.
 */
public record ModelSpec(String name, String dtype, List<InputSpec> inputs, int[] outputShape, TargetSpec target,
                        List<ParamSpec> params, String loss, List<MetricSpec> metrics,
                        OptimizerConfig optimizer, LearningRateSchedule schedule, FitConfig fit) {

    /**
     * A model input; shape is per sample (no batch axis). For a {@code text} input, {@code text} says how a
     * text becomes the tensor of that shape (else null). {@code noneAxis} is the axis of shape that the
     * {@code .model} file left {@code None} and the code was generated for at {@code shape[noneAxis]}, or -1.
     */
    public record InputSpec(String name, boolean integer, int[] shape, modelc.runtime.text.TextPipeline text, int noneAxis) {
        public InputSpec(String name, boolean integer, int[] shape) {
            this(name, integer, shape, null, -1);
        }

        public InputSpec(String name, boolean integer, int[] shape, modelc.runtime.text.TextPipeline text) {
            this(name, integer, shape, text, -1);
        }

        /** This input with a None dimension on {@code axis}. */
        public InputSpec withNoneAxis(int axis) {
            return new InputSpec(name, integer, shape, text, axis);
        }

        public int size() {
            int n = 1;
            for (int s : shape) n *= s;
            return n;
        }
    }

    /** The target: class indices (sparse) or values of the output's shape. Shape is per sample. */
    public record TargetSpec(boolean sparse, int[] shape) {
        public int size() {
            int n = 1;
            for (int s : shape) n *= s;
            return n;
        }
    }

    /** A weight under its Keras key, at {@code offset} in the model's parameter array. */
    public record ParamSpec(String key, int[] shape, boolean trainable, int offset, String init, double initA, double initB) {
        public int size() {
            int n = 1;
            for (int s : shape) n *= s;
            return n;
        }
    }

    /** A metric as logged ({@code accuracy}) and what it computes ({@code sparse_categorical_accuracy}). */
    public record MetricSpec(String name, String kind) {}

    /**
     * {@code fit(...)} arguments; Keras defaults where the file is silent. {@code groupByLength}: shuffled
     * batches gather rows of similar length (see {@link LengthGroups}), {@code fit(group_by_length=True)} on a
     * model with a {@code None}-length input.
     */
    public record FitConfig(int epochs, int batchSize, double validationSplit, boolean shuffle, java.util.List<CallbackSpec> callbacks,
                            boolean groupByLength) {
        public static final FitConfig DEFAULT = new FitConfig(1, 32, 0.0, true, java.util.List.of(), false);

        public FitConfig(int epochs, int batchSize, double validationSplit, boolean shuffle, java.util.List<CallbackSpec> callbacks) {
            this(epochs, batchSize, validationSplit, shuffle, callbacks, false);
        }
    }

    public int outputSize() {
        int n = 1;
        for (int s : outputShape) n *= s;
        return n;
    }

    public int paramSize() {
        return params.stream().mapToInt(ParamSpec::size).sum();
    }
}
