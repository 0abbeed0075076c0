package modelc.runtime;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import modelc.runtime.io.SafeTensors;
import modelc.runtime.text.TextPipeline;
import modelc.runtime.train.CompiledModel;
import modelc.runtime.train.ModelSpec;
import modelc.runtime.train.Session;
import modelc.runtime.train.TextInputs;

/**
 * Inference for applications: one predictor may be shared by many threads (each thread gets its own
 * inference session, with the forward pass's memory plan, created on first use), and {@link #predict(float[], float[])} allocates nothing once
 * the thread's session exists. Generated {@code <Model>Predictor} classes extend this with loaders.
 */
public class Predictor {
    /** The most rows a thread's session holds; larger batches run in chunks. */
    public static final int CHUNK = 256;
    /** A thread's session keeps at most about this many values (16 MB of floats), so models with large per-sample arenas get smaller chunks. */
    static final int MAX_VALUES = 1 << 22;

    private final CompiledModel model;
    private final ModelSpec spec;
    private final int chunk;
    private final ThreadLocal<Session> sessions;
    private final TextInputs text;
    /** Per thread, where a shorter sequence is padded (inputs with a None length). */
    private final ThreadLocal<int[]> intPad;
    private final ThreadLocal<float[]> floatPad;

    protected Predictor(CompiledModel model) {
        this(model, null);
    }

    /** A predictor of a model with a text input: {@code text} holds the pipeline fitted when it was trained. */
    protected Predictor(CompiledModel model, TextInputs text) {
        if (text == null && TextInputs.any(model.spec())) {
            throw new IllegalArgumentException(model.spec().name() + " reads text: it needs the text pipelines fitted with its weights");
        }
        this.text = text;
        this.model = model;
        int size = model.spec().inputs().getFirst().size();
        this.intPad = ThreadLocal.withInitial(() -> new int[size]);
        this.floatPad = ThreadLocal.withInitial(() -> new float[size]);
        this.spec = model.spec();
        this.chunk = (int) Math.max(1, Math.min(CHUNK, MAX_VALUES / Math.max(1, model.inferenceValuesPerSample())));
        this.sessions = ThreadLocal.withInitial(() -> model.newInferenceSession(chunk));
    }

    /** Rows per chunk of {@link #predictBatch}: {@link #CHUNK}, or fewer where a row's arena is large. */
    public final int chunk() {
        return chunk;
    }

    public final CompiledModel model() {
        return model;
    }

    /** Number of output values per sample (e.g. class probabilities). */
    public final int outputSize() {
        return spec.outputSize();
    }

    /** Reads the text pipelines saved with the weights (a {@code .text.json} file). */
    protected static TextInputs loadText(CompiledModel m, Path file) throws IOException {
        return TextInputs.read(file, m.spec());
    }

    /** As {@link #loadText(CompiledModel, Path)} from a stream (a classpath resource, say). */
    protected static TextInputs loadText(CompiledModel m, InputStream in, String name) throws IOException {
        if (in == null) throw new IOException("no text pipelines found: " + name);
        try (in) {
            return TextInputs.parse(modelc.runtime.io.Json.parse(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8)),
                    m.spec(), name);
        } catch (modelc.runtime.io.Json.SyntaxException e) {
            throw new IOException(name + ": bad JSON: " + e.getMessage(), e);
        }
    }

    /** The text pipelines (null for a model without text inputs). */
    public final TextInputs text() {
        return text;
    }

    /**
     * The output for one text, for a model with one text input: the text goes through the pipeline fitted when
     * the model was trained (tokenizing allocates), then as {@link #predict(int[], float[])}.
     */
    public final void predict(String sample, float[] out) {
        ModelSpec.InputSpec in = textInput();
        TextPipeline.Fitted p = text.input(in.name());
        if (in.integer()) {
            int[] ids = new int[in.size()];
            p.encode(sample, ids, 0);
            predict(ids, out);
        } else {
            float[] row = new float[in.size()];
            p.encode(sample, row, 0);
            predict(row, out);
        }
    }

    public final float[] predict(String sample) {
        float[] out = new float[outputSize()];
        predict(sample, out);
        return out;
    }

    /** The most probable class of a text: its name where the training data named the classes, else its index. */
    public final String predictLabel(String sample) {
        int c = argmax(predict(sample));
        List<String> names = text.classNames();
        return c < names.size() ? names.get(c) : Integer.toString(c);
    }

    private ModelSpec.InputSpec textInput() {
        if (text == null) throw new IllegalStateException(spec.name() + " has no text input");
        if (spec.inputs().size() != 1) throw new IllegalStateException("the model has " + spec.inputs().size() + " inputs");
        return spec.inputs().getFirst();
    }

    /** Loads weights from a safetensors file. */
    protected static void loadWeights(CompiledModel m, Path weights) throws IOException {
        m.setWeights(SafeTensors.read(weights));
    }

    /** Loads weights from a stream holding a safetensors file (a classpath resource, say). */
    protected static void loadWeights(CompiledModel m, InputStream in, String name) throws IOException {
        if (in == null) throw new IOException("no weights found: " + name);
        Path tmp = Files.createTempFile("modelc-weights", ".safetensors");
        try (in) {
            Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
            m.setWeights(SafeTensors.read(tmp));
        } finally {
            Files.deleteIfExists(tmp);
        }
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

    private static int argmax(float[] p) {
        if (p.length == 1) return p[0] > 0.5f ? 1 : 0;
        int best = 0;
        for (int j = 1; j < p.length; j++) if (p[j] > p[best]) best = j;
        return best;
    }

    /**
     * The sample as the session reads it: itself, or, for an input whose first axis the {@code .model} file left
     * {@code None}, a shorter sequence padded in front with zeros to the length the code was generated for
     * (in this thread's scratch array), as Keras's {@code pad_sequences} pads by default.
     */
    private float[] check(float[] sample) {
        int size = checkLength(sample.length);
        if (sample.length == size) return sample;
        float[] padded = floatPad.get();
        java.util.Arrays.fill(padded, 0, size - sample.length, 0f);
        System.arraycopy(sample, 0, padded, size - sample.length, sample.length);
        return padded;
    }

    private int[] check(int[] sample) {
        int size = checkLength(sample.length);
        if (sample.length == size) return sample;
        int[] padded = intPad.get();
        java.util.Arrays.fill(padded, 0, size - sample.length, 0);
        System.arraycopy(sample, 0, padded, size - sample.length, sample.length);
        return padded;
    }

    /** A single-input model, and a sample of its input's size (or of fewer whole steps, for a None length); returns the size. */
    private int checkLength(int length) {
        if (spec.inputs().size() != 1) throw new IllegalStateException("the model has " + spec.inputs().size() + " inputs");
        ModelSpec.InputSpec in = spec.inputs().getFirst();
        int size = in.size();
        if (length == size) return size;
        if (in.noneAxis() == 0) {
            int step = size / in.shape()[0];
            if (length < size && length % step == 0) return size;
            throw new IllegalArgumentException("a sample has whole steps of " + step + " values, at most " + in.shape()[0]
                    + " (the length the model was generated for), got " + length + " values");
        }
        throw new IllegalArgumentException("a sample has " + size + " values, got " + length);
    }
}
