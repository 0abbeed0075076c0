package modelc.runtime;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import modelc.runtime.io.SafeTensors;
import modelc.runtime.text.TextPipeline;
import modelc.runtime.train.CompiledModel;
import modelc.runtime.train.ModelSpec;
import modelc.runtime.train.Session;
import modelc.runtime.train.TextInputs;

/**
 * What {@link Predictor} and {@link StatefulPredictor} share: the model, its text pipelines, the loaders
 * generated {@code <Model>Predictor} classes call, and the check (and padding) of a sample.
 */
public abstract class BasePredictor {
    private final CompiledModel model;
    final ModelSpec spec;
    final TextInputs text;

    /** {@code text}: the text pipelines fitted when the model was trained (null for a model without text inputs). */
    BasePredictor(CompiledModel model, TextInputs text) {
        if (text == null && TextInputs.any(model.spec())) {
            throw new IllegalArgumentException(model.spec().name() + " reads text: it needs the text pipelines fitted with its weights");
        }
        this.model = model;
        this.spec = model.spec();
        this.text = text;
    }

    public final CompiledModel model() {
        return model;
    }

    /** Number of output values per sample (e.g. class probabilities). */
    public final int outputSize() {
        return spec.outputSize();
    }

    /** The text pipelines (null for a model without text inputs). */
    public final TextInputs text() {
        return text;
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

    /** The model's one input, which is a text input. */
    final ModelSpec.InputSpec textInput() {
        if (spec.inputs().size() != 1) throw new IllegalStateException(severalInputs());
        if (text == null) throw new IllegalStateException(spec.name() + " has no text input");
        return spec.inputs().getFirst();
    }

    private String severalInputs() {
        return spec.name() + " has " + spec.inputs().size() + " inputs: give a sample as a map of input name to value ("
                + inputList() + ")";
    }

    /** "review (String), stars (float[2])": each input and the value it takes. */
    private String inputList() {
        StringJoiner sj = new StringJoiner(", ");
        for (ModelSpec.InputSpec in : spec.inputs()) sj.add(in.name() + " (" + kind(in) + ")");
        return sj.toString();
    }

    /** What a sample gives for the input: a String for a text input, else an int[] or float[] of its size. */
    private static String kind(ModelSpec.InputSpec in) {
        return in.text() != null ? "String" : (in.integer() ? "int" : "float") + "[" + in.size() + "]";
    }

    /**
     * Sets row {@code row} of the session's inputs from a sample given by input name: a {@code String} for a text
     * input (through the pipeline fitted when the model was trained; this allocates), an {@code int[]} (integer
     * input) or {@code float[]} of the input's size (its values in row-major order) for a tensor input.
     *
     * @throws IllegalArgumentException for a name that is not an input, a missing input, or a value of the wrong type or size
     */
    final void setInputs(Session s, int row, Map<String, ?> sample) {
        for (String name : sample.keySet()) {
            if (spec.inputs().stream().noneMatch(in -> in.name().equals(name))) {
                throw new IllegalArgumentException(spec.name() + " has no input '" + name + "'; its inputs: " + inputList());
            }
        }
        List<ModelSpec.InputSpec> inputs = spec.inputs();
        for (int i = 0; i < inputs.size(); i++) {
            ModelSpec.InputSpec in = inputs.get(i);
            Object v = sample.get(in.name());
            if (v == null) {
                throw new IllegalArgumentException("the sample has no value for input '" + in.name() + "' (" + kind(in) + "); "
                        + spec.name() + "'s inputs: " + inputList());
            }
            TextPipeline.Fitted p = text == null ? null : text.input(in.name());
            if (p != null && v instanceof String t) {
                setText(s, i, row, t, null, null);
            } else if (p == null && in.integer() && v instanceof int[] a && a.length == in.size()) {
                s.setInput(i, row, a, 0);
            } else if (p == null && !in.integer() && v instanceof float[] a && a.length == in.size()) {
                s.setInput(i, row, a, 0);
            } else {
                int length = v instanceof int[] a ? a.length : v instanceof float[] a ? a.length : -1;
                boolean sizeOnly = length >= 0 && p == null && (v instanceof int[]) == in.integer();
                throw new IllegalArgumentException("input '" + in.name() + "' takes " + withArticle(kind(in)) + ", got "
                        + (sizeOnly ? length + " values" : withArticle(v.getClass().getSimpleName())));
            }
        }
    }

    /**
     * Sets row {@code row} of text input {@code i} from {@code t}, through the pipeline fitted when the model was
     * trained, encoded into {@code ids} or {@code values} (by the input's type; null: a new array of the input's size).
     */
    final void setText(Session s, int i, int row, String t, int[] ids, float[] values) {
        ModelSpec.InputSpec in = spec.inputs().get(i);
        TextPipeline.Fitted p = text.input(in.name());
        if (in.integer()) {
            int[] a = ids != null ? ids : new int[in.size()];
            p.encode(t, a, 0);
            s.setInput(i, row, a, 0);
        } else {
            float[] a = values != null ? values : new float[in.size()];
            p.encode(t, a, 0);
            s.setInput(i, row, a, 0);
        }
    }

    /** "a String", "an int[8]". */
    private static String withArticle(String type) {
        return ("aeiouAEIOU".indexOf(type.charAt(0)) >= 0 ? "an " : "a ") + type;
    }

    /** The class of an output: its name where the training data named the classes, else its index. */
    final String label(float[] output) {
        int c = argmax(output);
        List<String> names = text == null ? List.of() : text.classNames();
        return c < names.size() ? names.get(c) : Integer.toString(c);
    }

    /** The most probable class: the index of the largest output (for one output unit, output > 0.5). */
    static int argmax(float[] p) {
        if (p.length == 1) return p[0] > 0.5f ? 1 : 0;
        int best = 0;
        for (int j = 1; j < p.length; j++) if (p[j] > p[best]) best = j;
        return best;
    }

    /**
     * The sample as the session reads it: itself, or, for an input whose first axis the {@code .model} file left
     * {@code None}, a shorter sequence padded in front with zeros to the length the code was generated for
     * (in {@code scratch}, of the input's size), as Keras's {@code pad_sequences} pads by default.
     */
    final float[] check(float[] sample, float[] scratch) {
        int size = checkLength(sample.length);
        if (sample.length == size) return sample;
        Arrays.fill(scratch, 0, size - sample.length, 0f);
        System.arraycopy(sample, 0, scratch, size - sample.length, sample.length);
        return scratch;
    }

    final int[] check(int[] sample, int[] scratch) {
        int size = checkLength(sample.length);
        if (sample.length == size) return sample;
        Arrays.fill(scratch, 0, size - sample.length, 0);
        System.arraycopy(sample, 0, scratch, size - sample.length, sample.length);
        return scratch;
    }

    /** A single-input model, and a sample of its input's size (or of fewer whole steps, for a None length); returns the size. */
    private int checkLength(int length) {
        if (spec.inputs().size() != 1) throw new IllegalStateException(severalInputs());
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
