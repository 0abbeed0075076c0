package modelc.runtime;

import java.util.List;
import java.util.Map;
import modelc.runtime.train.CompiledModel;
import modelc.runtime.train.Session;
import modelc.runtime.train.TextInputs;

/**
 * Inference for a model with stateful recurrent layers (Keras's {@code stateful=True}), batch after batch as
 * Keras's {@code predict_on_batch}: each batch holds exactly {@link #batchSize()} rows (the inputs' {@code batch_size}),
 * and row {@code i} of a batch continues the sequence of row {@code i} of the batch before, from the states that
 * batch left. {@link #resetStates()} starts new sequences (Keras's {@code model.reset_states()}); {@link #states()}
 * and {@link #setStates(Map)} save and restore a stream. Keras's {@code predict(x, batch_size=B)} over {@code n·B}
 * rows is {@code n} calls of {@link #predictBatch(float[][], float[][])} on consecutive slices of {@code B} rows.
 *
 * <p>Not thread-safe: the states belong to one stream of batches, so use one instance per stream (from
 * {@link #newStream()}, or the generated {@code <Model>Predictor}'s loaders); instances of one model share its weights.
 * {@link #predictBatch(float[][], float[][])} allocates nothing.
 */
public class StatefulPredictor extends BasePredictor {
    private final int batchSize;
    private final Session session;
    /** Where a shorter sequence is padded (inputs with a None length). */
    private final float[] floatPad;
    private final int[] intPad;

    protected StatefulPredictor(CompiledModel model) {
        this(model, null);
    }

    /** {@code text}: the text pipelines fitted when the model was trained, for a model with a text input (else null). */
    protected StatefulPredictor(CompiledModel model, TextInputs text) {
        super(model, text);
        if (!model.stateful()) throw new IllegalArgumentException(spec.name() + " has no stateful layers: predict through a Predictor");
        this.batchSize = model.fixedBatchSize();
        this.session = model.newInferenceSession(batchSize);
        int size = spec.inputs().getFirst().size();
        this.floatPad = new float[size];
        this.intPad = new int[size];
    }

    /** Another predictor of the same model and weights, for another stream: its states start at zero. */
    public StatefulPredictor newStream() {
        return new StatefulPredictor(model(), text);
    }

    /** The rows of every batch: the {@code batch_size} the model's inputs fix. */
    public final int batchSize() {
        return batchSize;
    }

    /**
     * The outputs for the next batch of the stream, of a single-input model: {@code rows[i]} continues the sequence
     * of row {@code i} of the batch before (a shorter row, of an input whose length is {@code None} in the
     * {@code .model} file, is padded in front with zeros), {@code out[i]} receives its output. Exactly
     * {@link #batchSize()} rows; a call that fails leaves the states as they were.
     */
    public final void predictBatch(float[][] rows, float[][] out) {
        checkBatch(rows.length, out.length);
        session.prepare(batchSize);
        for (int r = 0; r < batchSize; r++) session.setInput(0, r, check(rows[r], floatPad), 0);
        run(out);
    }

    /** As {@link #predictBatch(float[][], float[][])} for integer inputs (token ids). */
    public final void predictBatch(int[][] rows, float[][] out) {
        checkBatch(rows.length, out.length);
        session.prepare(batchSize);
        for (int r = 0; r < batchSize; r++) session.setInput(0, r, check(rows[r], intPad), 0);
        run(out);
    }

    /**
     * As {@link #predictBatch(float[][], float[][])} for a model with one text input: each text goes through the
     * pipeline fitted when the model was trained (tokenizing allocates).
     */
    public final void predictBatch(String[] texts, float[][] out) {
        textInput();
        checkBatch(texts.length, out.length);
        session.prepare(batchSize);
        for (int r = 0; r < batchSize; r++) setText(session, 0, r, texts[r], intPad, floatPad);
        run(out);
    }

    /**
     * As {@link #predictBatch(float[][], float[][])} for a model with several inputs (a text and numeric features,
     * say): {@code rows.get(i)} gives row {@code i}'s value of each input by name, a {@code String} for a text input
     * and an {@code int[]} or {@code float[]} of the input's size for a tensor input.
     *
     * @throws IllegalArgumentException for another number of rows, a name that is not an input, a missing input, or a
     *                                  value of the wrong type or size (the states stay as they were)
     */
    public final void predictBatch(List<? extends Map<String, ?>> rows, float[][] out) {
        checkBatch(rows.size(), out.length);
        session.prepare(batchSize);
        for (int r = 0; r < batchSize; r++) setInputs(session, r, rows.get(r));
        run(out);
    }

    public final float[][] predictBatch(float[][] rows) {
        float[][] out = new float[rows.length][outputSize()];
        predictBatch(rows, out);
        return out;
    }

    public final float[][] predictBatch(int[][] rows) {
        float[][] out = new float[rows.length][outputSize()];
        predictBatch(rows, out);
        return out;
    }

    public final float[][] predictBatch(List<? extends Map<String, ?>> rows) {
        float[][] out = new float[rows.size()][outputSize()];
        predictBatch(rows, out);
        return out;
    }

    public final float[][] predictBatch(String[] texts) {
        float[][] out = new float[texts.length][outputSize()];
        predictBatch(texts, out);
        return out;
    }

    /**
     * The stateful layers' states, what the next batch starts from (Keras's {@code layer.states}): copies keyed
     * {@code <layer>.states.<i>} ({@code <layer>.forward.states.<i>} in a Bidirectional), each {@code [batch_size, ...]}.
     */
    public final Map<String, Tensor> states() {
        return session.states();
    }

    /** Sets every state {@link #states()} lists (Keras's {@code reset_state(states)}): a stream saved before continues. */
    public final void setStates(Map<String, Tensor> states) {
        session.setStates(states);
    }

    /** Sets every state to zero (Keras's {@code model.reset_states()}): the next batch starts new sequences. */
    public final void resetStates() {
        session.resetStates();
    }

    private void checkBatch(int rows, int outs) {
        if (rows != batchSize) {
            throw new IllegalArgumentException(spec.name() + " predicts batches of exactly " + batchSize + " rows (its inputs' batch_size), whose row i"
                    + " continues row i of the batch before, as Keras's stateful layers do; got " + rows + " rows");
        }
        if (outs != batchSize) throw new IllegalArgumentException("out has " + outs + " rows for a batch of " + batchSize);
    }

    private void run(float[][] out) {
        session.predictStep(batchSize);
        for (int r = 0; r < batchSize; r++) session.outputRow(r, out[r], 0);
    }
}
