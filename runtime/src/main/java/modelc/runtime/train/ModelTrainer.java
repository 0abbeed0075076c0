package modelc.runtime.train;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import modelc.runtime.Tensor;
import modelc.runtime.data.Dataset;
import modelc.runtime.data.TextData;
import modelc.runtime.io.SafeTensors;

/**
 * Training inside an application: configure, then {@link #fit} on arrays or a {@link Dataset}.
 * Defaults come from the model's {@code fit(...)}; weights start from the initializers or from
 * {@link #weights(Path)} for fine-tuning. Generated {@code <Model>Trainer} classes extend this.
 *
 * <pre>
 * FashionMlpTrainer t = FashionMlpTrainer.create().epochs(3).onEpoch((e, logs) -> { log(logs); return true; });
 * t.fit(images, labels);          // float[n][784], int[n]
 * t.save(Path.of("fashion.safetensors"));
 * </pre>
 */
public class ModelTrainer {
    private final CompiledModel model;
    private int epochs, batchSize, threads = 1;
    private double validationSplit;
    private boolean shuffle;
    private long seed = 1;
    private boolean initialized;
    private PrintStream progress;
    private Trainer.EpochListener listener;
    private TextInputs text;

    protected ModelTrainer(CompiledModel model) {
        this.model = model;
        ModelSpec.FitConfig f = model.spec().fit();
        this.epochs = f.epochs();
        this.batchSize = f.batchSize();
        this.validationSplit = f.validationSplit();
        this.shuffle = f.shuffle();
    }

    public CompiledModel model() { return model; }

    public ModelTrainer epochs(int n) { epochs = n; return this; }
    public ModelTrainer batchSize(int n) { batchSize = n; return this; }
    public ModelTrainer threads(int n) { threads = n; return this; }
    public ModelTrainer validationSplit(double f) { validationSplit = f; return this; }
    public ModelTrainer shuffle(boolean s) { shuffle = s; return this; }
    public ModelTrainer seed(long s) { seed = s; return this; }
    /** Keras-style progress lines to {@code out} (none by default). */
    public ModelTrainer progress(PrintStream out) { progress = out; return this; }
    /** Called after each epoch; return false from it to stop. */
    public ModelTrainer onEpoch(Trainer.EpochListener l) { listener = l; return this; }

    /** Starts from saved weights (fine-tuning) instead of the initializers; a text model's pipelines are read from beside them. */
    public ModelTrainer weights(Path file) throws IOException {
        model.setWeights(SafeTensors.read(file));
        if (TextInputs.any(model.spec())) text = TextInputs.read(TextInputs.beside(file), model.spec());
        initialized = true;
        return this;
    }

    /** Trains on {@code data}; returns the per-epoch logs. */
    public Trainer.History fit(Dataset data) throws IOException {
        if (!initialized) {
            model.initialize(seed);
            initialized = true;
        }
        return Trainer.fit(model, data, new Trainer.Options(epochs, batchSize, validationSplit, shuffle, seed, threads, null, false,
                progress, listener));
    }

    /** Trains a single-input model on rows of features and class labels. */
    public Trainer.History fit(float[][] x, int[] y) throws IOException {
        return fit(Dataset.of(rows(x, model.spec().inputs().get(0).shape()), Tensor.of(y.clone(), y.length)));
    }

    /** Trains a single-input model on rows of features and rows of targets. */
    public Trainer.History fit(float[][] x, float[][] y) throws IOException {
        return fit(Dataset.of(rows(x, model.spec().inputs().get(0).shape()), rows(y, model.spec().target().shape())));
    }

    /**
     * Trains a model with one text input on texts and class labels ({@code labels[i]} indexes
     * {@code classNames}, which may be empty). The first call fits the text pipeline on {@code texts}; later
     * calls (fine-tuning) reuse it.
     */
    public Trainer.History fitTexts(List<String> texts, int[] labels, List<String> classNames) throws IOException {
        List<String> names = TextInputs.names(model.spec());
        if (names.size() != 1 || model.spec().inputs().size() != 1) {
            throw new IllegalArgumentException("fitTexts(texts, labels, classNames) needs a model whose one input is text; it has "
                    + names.size() + " text input" + (names.size() == 1 ? "" : "s") + " of " + model.spec().inputs().size()
                    + ": give each input's values by name, fitTexts(texts, tensors, labels, classNames)");
        }
        return fitTexts(Map.of(names.getFirst(), texts), Map.of(), labels, classNames);
    }

    /**
     * Trains a model with text inputs, and perhaps tensor inputs besides (a review and its star ratings), on samples
     * and class labels: {@code texts} holds each text input's texts, {@code tensors} each tensor input's values
     * (samples along the first axis, as {@code [n, 2]} for a {@code float[2]} input), {@code labels[i]} indexes
     * {@code classNames} (which may be empty). The first call fits the text pipelines on the texts; later calls
     * (fine-tuning) reuse them.
     *
     * @throws IllegalArgumentException if an input is missing or unknown, or its values are not of the input's size
     */
    public Trainer.History fitTexts(Map<String, List<String>> texts, Map<String, Tensor> tensors, int[] labels, List<String> classNames)
            throws IOException {
        ModelSpec spec = model.spec();
        checkNames("text", texts.keySet(), TextInputs.names(spec));
        checkNames("tensor", tensors.keySet(), TextInputs.tensors(spec).stream().map(TextData.TensorInput::name).toList());
        for (TextData.TensorInput in : TextInputs.tensors(spec)) {
            Tensor t = tensors.get(in.name());
            if (t.rank() == 0 || t.size() != (long) t.dim(0) * in.size()) {
                throw new IllegalArgumentException("input '" + in.name() + "' (" + in + ") takes " + in.size() + " values per sample, got a tensor of shape "
                        + Arrays.toString(t.shape()));
            }
        }
        TextData.Split split = new TextData.Split(texts, tensors, Tensor.of(labels.clone(), labels.length));
        if (text == null) text = TextInputs.fit(spec, split, classNames);
        return fit(text.dataset(split));
    }

    private static void checkNames(String kind, Set<String> given, List<String> inputs) {
        if (!given.equals(Set.copyOf(inputs))) {
            throw new IllegalArgumentException("the model's " + kind + " inputs are " + (inputs.isEmpty() ? "none" : String.join(", ", inputs))
                    + "; got values for " + (given.isEmpty() ? "none" : String.join(", ", given)));
        }
    }

    /** The fitted text pipelines (after {@link #fitTexts}), else null. */
    public TextInputs text() {
        return text;
    }

    /** Loss and metrics on {@code data}, in inference mode. */
    public Map<String, Double> evaluate(Dataset data) {
        return Trainer.evaluate(model, data, batchSize, threads);
    }

    /** Writes the weights, and for a model trained on texts its text pipelines beside them ({@link TextInputs#beside}). */
    public void save(Path file) throws IOException {
        SafeTensors.write(file, model.weights(), Map.of("format", "modelc-weights", "model", model.spec().name()));
        if (text != null) text.write(TextInputs.beside(file), model.spec().name());
    }

    /** Rows of {@code perSample}'s size stacked into one tensor [rows, ...perSample]. */
    private static Tensor rows(float[][] x, int[] perSample) {
        if (x.length == 0) throw new IllegalArgumentException("no samples");
        int w = x[0].length;
        float[] flat = new float[x.length * w];
        for (int i = 0; i < x.length; i++) {
            if (x[i].length != w) throw new IllegalArgumentException("row " + i + " has " + x[i].length + " values, row 0 has " + w);
            System.arraycopy(x[i], 0, flat, i * w, w);
        }
        int[] shape = new int[perSample.length + 1];
        shape[0] = x.length;
        System.arraycopy(perSample, 0, shape, 1, perSample.length);
        if (Tensor.numel(shape) != flat.length) {
            throw new IllegalArgumentException("a row needs " + Tensor.numel(perSample) + " values, got " + w);
        }
        return Tensor.of(flat, shape);
    }
}
