package modelc.runtime;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import modelc.runtime.io.SafeTensors;
import modelc.runtime.train.CompiledModel;
import modelc.runtime.train.ModelSpec;
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
        if (text == null) throw new IllegalStateException(spec.name() + " has no text input");
        if (spec.inputs().size() != 1) throw new IllegalStateException("the model has " + spec.inputs().size() + " inputs");
        return spec.inputs().getFirst();
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
