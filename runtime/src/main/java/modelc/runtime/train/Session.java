package modelc.runtime.train;

import java.util.Map;
import modelc.runtime.Tensor;
import modelc.runtime.data.Dataset;

/**
 * A compiled model's working state for one run: the arena laid out by the memory plan for up to
 * {@link #capacity()} samples, the gradients and the optimizer's slots. Steps work on the batch last
 * {@link #load loaded}; none of them allocates.
 */
public abstract class Session implements AutoCloseable {
    /** Largest batch this session holds. */
    public abstract int capacity();

    /** Copies samples {@code order[from], ..., order[from + n - 1]} of {@code data} into the batch. */
    public abstract void load(Dataset data, int[] order, int from, int n);

    /** Declares a batch of {@code n} rows whose inputs {@link #setInput} fills (instead of {@link #load}). */
    public abstract void prepare(int n);

    /** Copies one sample of input number {@code input} (in the spec's order) into row {@code row}. */
    public abstract void setInput(int input, int row, float[] src, int off);

    /** As {@link #setInput(int, int, float[], int)}, for integer inputs such as token ids. */
    public abstract void setInput(int input, int row, int[] src, int off);

    /** Copies row {@code row} of the last forward step's output to {@code dst[off ..]}. */
    public abstract void outputRow(int row, float[] dst, int off);

    /** Forward (training mode), backward, optimizer step. Returns the batch's loss. */
    public abstract double trainStep(int n);

    /** Forward in training mode with dropout off, then backward; no update. Returns the loss. */
    public final double gradStep(int n) {
        return gradStep(n, false);
    }

    /**
     * Forward in training mode, then backward; no update. With {@code dropout}, masks are those of the
     * current step and seed, so the same call twice gives the same result (gradient checks use this).
     */
    public abstract double gradStep(int n, boolean dropout);

    /** Forward in inference mode with the loss. Returns the loss. */
    public abstract double evalStep(int n);

    /** Forward in inference mode, no loss: for predictions. */
    public abstract void predictStep(int n);

    /** Adds, for each metric of the spec, the sum over the batch's samples of the metric (after a forward step). */
    public abstract void addMetricSums(int n, double[] sums);

    /**
     * What the metric sums of the last step are divided by: its {@code n} samples, or, when the
     * loss is masked (a mask from mask_zero, ignore_class), its present time steps.
     */
    public double metricWeight(int n) {
        return n;
    }

    /** The last forward step's output for the first {@code n} samples. */
    public abstract Tensor output(int n);

    /** The last backward step's gradients, keyed {@code grad.<param key>}. */
    public abstract Map<String, Tensor> gradients();

    /** Optimizer steps taken so far (Keras's {@code iterations}). */
    public abstract long iterations();

    /** Optimizer state for checkpoints: {@code optimizer.<slot>.<param key>} and {@code optimizer.iterations}. */
    public abstract Map<String, Tensor> optimizerState();

    public abstract void setOptimizerState(Map<String, Tensor> state);

    /** Multiplies the schedule's learning rate from now on (ReduceLROnPlateau's knob). */
    public abstract void setLearningRateFactor(double factor);

    /** The learning rate the next optimizer step will use. */
    public abstract double learningRate();

    /** The seed that keys dropout masks. */
    public abstract void setSeed(long seed);

    /** Threads this session splits a batch across. */
    public abstract int threads();

    /**
     * The states of the model's stateful recurrent layers (Keras's {@code layer.states}), keyed
     * {@code <layer>.states.<i>} ({@code <layer>.forward.states.<i>} in a Bidirectional), each
     * {@code [batch_size, ...]}: what the next training, evaluation or prediction step starts from.
     * Empty for a model without stateful layers.
     */
    public Map<String, Tensor> states() {
        return Map.of();
    }

    /** Sets the states that {@link #states()} lists (Keras's {@code reset_state(states)}); fails naming a missing or misshapen one. */
    public void setStates(Map<String, Tensor> states) {
        if (!states.isEmpty()) throw new IllegalArgumentException("the model has no stateful layers");
    }

    /** Sets every state of the stateful recurrent layers to zero (Keras's {@code reset_state()}). */
    public void resetStates() {}

    /** Stops the session's worker threads, if it has any. */
    @Override
    public void close() {}
}
