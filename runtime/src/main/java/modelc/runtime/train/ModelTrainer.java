package modelc.runtime.train;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
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
            throw new IllegalArgumentException("fitTexts needs a model whose one input is text; it has " + names.size() + " text input"
                    + (names.size() == 1 ? "" : "s") + " of " + model.spec().inputs().size() + " (train it on a CSV with modelc train)");
        }
        TextData.Split split = new TextData.Split(Map.of(names.getFirst(), texts), Tensor.of(labels.clone(), labels.length));
        if (text == null) text = TextInputs.fit(model.spec(), split, classNames);
        return fit(text.dataset(split));
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
