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

    /** The output for one sample of a single-input model, written to {@code out}. Allocates nothing. */
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

    private float[] check(float[] sample) {
        checkLength(sample.length);
        return sample;
    }

    private int[] check(int[] sample) {
        checkLength(sample.length);
        return sample;
    }

    /** A single-input model, and a sample of its input's size. */
    private void checkLength(int length) {
        if (spec.inputs().size() != 1) throw new IllegalStateException("the model has " + spec.inputs().size() + " inputs");
        if (length != spec.inputs().get(0).size()) {
            throw new IllegalArgumentException("a sample has " + spec.inputs().get(0).size() + " values, got " + length);
        }
    }
}
