package modelc.runtime;

import java.util.List;
import java.util.Map;
import modelc.runtime.train.CompiledModel;
import modelc.runtime.train.Session;
import modelc.runtime.train.TextInputs;

/**
 * Inference for applications: one predictor may be shared by many threads (each thread gets its own
 * inference session, with the forward pass's memory plan, created on first use), and {@link #predict(float[], float[])} allocates nothing once
 * the thread's session exists. Generated {@code <Model>Predictor} classes extend this with loaders. A model with
 * stateful recurrent layers predicts through a {@link StatefulPredictor} instead, one per stream of batches.
 */
public class Predictor extends BasePredictor {
    /** The most rows a thread's session holds; larger batches run in chunks. */
    public static final int CHUNK = 256;
    /** A thread's session keeps at most about this many values (16 MB of floats), so models with large per-sample arenas get smaller chunks. */
    static final int MAX_VALUES = 1 << 22;

    private final int chunk;
    private final ThreadLocal<Session> sessions;
    /** Per thread, where a shorter sequence is padded (inputs with a None length). */
    private final ThreadLocal<int[]> intPad;
    private final ThreadLocal<float[]> floatPad;

    protected Predictor(CompiledModel model) {
        this(model, null);
    }

    /**
     * A predictor of a model with a text input: {@code text} holds the pipeline fitted when it was trained.
     * Fails for a model with stateful layers, whose states a predictor shared by threads and chunks could not keep.
     */
    protected Predictor(CompiledModel model, TextInputs text) {
        super(model, text);
        if (model.stateful()) {
            throw new IllegalArgumentException(model.spec().name() + " has stateful recurrent layers: their states carry from each batch of exactly "
                    + model.fixedBatchSize() + " rows to the next, which a predictor shared by threads cannot keep; predict through a"
                    + " StatefulPredictor (one per stream of batches), as the generated " + model.spec().name() + "Predictor does");
        }
        int size = model.spec().inputs().getFirst().size();
        this.intPad = ThreadLocal.withInitial(() -> new int[size]);
        this.floatPad = ThreadLocal.withInitial(() -> new float[size]);
        this.chunk = (int) Math.max(1, Math.min(CHUNK, MAX_VALUES / Math.max(1, model.inferenceValuesPerSample())));
        this.sessions = ThreadLocal.withInitial(() -> model.newInferenceSession(chunk));
    }

    /** Rows per chunk of {@link #predictBatch}: {@link #CHUNK}, or fewer where a row's arena is large. */
    public final int chunk() {
        return chunk;
    }

    /**
     * The output for one text, for a model with one text input: the text goes through the pipeline fitted when
     * the model was trained (tokenizing allocates), and the model predicts from the encoded row.
     */
    public final void predict(String sample, float[] out) {
        textInput();
        Session s = sessions.get();
        s.prepare(1);
        setText(s, 0, 0, sample, null, null);
        s.predictStep(1);
        s.outputRow(0, out, 0);
    }

    public final float[] predict(String sample) {
        float[] out = new float[outputSize()];
        predict(sample, out);
        return out;
    }

    /** The most probable class of a text: its name where the training data named the classes, else its index. */
    public final String predictLabel(String sample) {
        return label(predict(sample));
    }

    /**
     * The output for one sample of a model with several inputs (a text and numeric features, say), given by input
     * name: a {@code String} for a text input (through the pipeline fitted when the model was trained), an
     * {@code int[]} (integer input) or {@code float[]} of the input's size for a tensor input. Tokenizing allocates;
     * tensor inputs alone allocate nothing.
     *
     * <pre>
     * float[] p = predictor.predict(Map.of("review", "A lovely film", "stars", new float[] {4, 1}));
     * </pre>
     *
     * @throws IllegalArgumentException for a name that is not an input, a missing input, or a value of the wrong type or size
     */
    public final void predict(Map<String, ?> sample, float[] out) {
        Session s = sessions.get();
        s.prepare(1);
        setInputs(s, 0, sample);
        s.predictStep(1);
        s.outputRow(0, out, 0);
    }

    public final float[] predict(Map<String, ?> sample) {
        float[] out = new float[outputSize()];
        predict(sample, out);
        return out;
    }

    /**
     * Outputs for a batch of samples given by input name, as {@link #predict(Map, float[])}: {@code out[i]} receives
     * the output of {@code samples.get(i)}. Runs in chunks of {@link #chunk()} rows.
     */
    public final void predictBatch(List<? extends Map<String, ?>> samples, float[][] out) {
        Session s = sessions.get();
        for (int from = 0; from < samples.size(); from += chunk) {
            int n = Math.min(chunk, samples.size() - from);
            s.prepare(n);
            for (int r = 0; r < n; r++) setInputs(s, r, samples.get(from + r));
            s.predictStep(n);
            for (int r = 0; r < n; r++) s.outputRow(r, out[from + r], 0);
        }
    }

    /** The most probable class of a sample given by input name, as {@link #predictLabel(String)}. */
    public final String predictLabel(Map<String, ?> sample) {
        return label(predict(sample));
    }

    /**
     * The output for one sample of a single-input model, written to {@code out}. Allocates nothing (after the
     * thread's first call). Where the input's length is {@code None} in the {@code .model} file, a sample may
     * hold fewer steps: it is padded in front with zeros.
     */
    public final void predict(float[] sample, float[] out) {
        Session s = sessions.get();
        s.prepare(1);
        s.setInput(0, 0, check(sample), 0);
        s.predictStep(1);
        s.outputRow(0, out, 0);
    }

    /** As {@link #predict(float[], float[])} for integer inputs (token ids). */
    public final void predict(int[] sample, float[] out) {
        Session s = sessions.get();
        s.prepare(1);
        s.setInput(0, 0, check(sample), 0);
        s.predictStep(1);
        s.outputRow(0, out, 0);
    }

    public final float[] predict(float[] sample) {
        float[] out = new float[outputSize()];
        predict(sample, out);
        return out;
    }

    public final float[] predict(int[] sample) {
        float[] out = new float[outputSize()];
        predict(sample, out);
        return out;
    }

    /**
     * Outputs for a batch: {@code samples[i]} is one sample, {@code out[i]} receives its output.
     * Runs in chunks of {@link #chunk()} rows; allocates nothing once the thread's session exists.
     */
    public final void predictBatch(float[][] samples, float[][] out) {
        Session s = sessions.get();
        for (int from = 0; from < samples.length; from += chunk) {
            int n = Math.min(chunk, samples.length - from);
            s.prepare(n);
            for (int r = 0; r < n; r++) s.setInput(0, r, check(samples[from + r]), 0);
            s.predictStep(n);
            for (int r = 0; r < n; r++) s.outputRow(r, out[from + r], 0);
        }
    }

    /** As {@link #predictBatch(float[][], float[][])} for integer inputs (token ids). */
    public final void predictBatch(int[][] samples, float[][] out) {
        Session s = sessions.get();
        for (int from = 0; from < samples.length; from += chunk) {
            int n = Math.min(chunk, samples.length - from);
            s.prepare(n);
            for (int r = 0; r < n; r++) s.setInput(0, r, check(samples[from + r]), 0);
            s.predictStep(n);
            for (int r = 0; r < n; r++) s.outputRow(r, out[from + r], 0);
        }
    }

    /** The most probable class: the index of the largest output (for one output unit, output > 0.5). */
    public final int predictClass(float[] sample) {
        return argmax(predict(sample));
    }

    public final int predictClass(int[] sample) {
        return argmax(predict(sample));
    }

    /** The sample as the session reads it, a shorter one padded in this thread's scratch array. */
    private float[] check(float[] sample) {
        return check(sample, floatPad.get());
    }

    private int[] check(int[] sample) {
        return check(sample, intPad.get());
    }
}
