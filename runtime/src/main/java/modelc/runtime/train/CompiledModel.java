package modelc.runtime.train;

import java.util.Map;
import modelc.runtime.Tensor;

/** What generated model classes extend: a spec, weights, and sessions that run steps. */
public abstract class CompiledModel {
    private final ModelSpec spec;

    protected CompiledModel(ModelSpec spec) {
        this.spec = spec;
    }

    public final ModelSpec spec() {
        return spec;
    }

    /** Draws every weight from its initializer, keyed by (seed, parameter key). */
    public abstract void initialize(long seed);

    /** A copy of every weight under its key, in Keras's layout. */
    public abstract Map<String, Tensor> weights();

    /** Replaces every weight; fails naming the key if one is missing, extra or of the wrong shape. */
    public abstract void setWeights(Map<String, Tensor> weights);

    /**
     * The batch size the model's inputs fix ({@code input x: float[3], batch_size=4}), which its
     * stateful recurrent layers need: every step runs batches of exactly that many rows. 0 if none.
     */
    public int fixedBatchSize() {
        return 0;
    }

    /**
     * Whether the model has stateful recurrent layers (Keras's {@code stateful=True}): their states carry
     * from each batch of {@link #fixedBatchSize()} rows to the next, so it predicts through a
     * {@link modelc.runtime.StatefulPredictor}, one per stream of batches.
     */
    public boolean stateful() {
        return false;
    }

    /** A single-threaded session for batches of up to {@code capacity} samples. */
    public final Session newSession(int capacity) {
        return newSession(capacity, 1);
    }

    /**
     * A session for batches of up to {@code capacity} samples, split across up to {@code threads}
     * threads (small batches stay on one). Same seed and thread count give bit-identical results.
     */
    public abstract Session newSession(int capacity, int threads);

    /**
     * A session that only predicts ({@code predictStep}), with the forward pass's smaller memory
     * plan and no gradients or optimizer state; its training, gradient and evaluation steps fail.
     */
    public abstract Session newInferenceSession(int capacity);

    /** The values an inference session keeps per sample of its capacity (its arena's per-row size). */
    public abstract int inferenceValuesPerSample();
}
