package modelc.runtime.train;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import modelc.runtime.Rng;
import modelc.runtime.Tensor;
import modelc.runtime.data.Dataset;
import modelc.runtime.io.SafeTensors;

/**
 * Keras's {@code fit}/{@code evaluate}/{@code predict} over a compiled model: validation split
 * taken from the end before shuffling, a fresh deterministic permutation per epoch, the last
 * partial batch kept, running means weighted by batch size, one progress line per epoch, and a
 * checkpoint (weights, optimizer state, stateful layers' states, epoch) after every epoch so an interrupted
 * run resumes where it stopped.
 */
public final class Trainer {
    /** Checkpoint keys of the stateful recurrent layers' states: {@code train.state.<layer>.states.<i>}. */
    private static final String STATE = "train.state.";

    private Trainer() {}

    /**
     * How to train. {@code checkpoint} may be null; with {@code resume} training continues from it.
     * {@code out} (may be null) gets the progress lines; {@code listener} (may be null) each epoch's logs.
     */
    public record Options(int epochs, int batchSize, double validationSplit, boolean shuffle, long seed, int threads,
                          Path checkpoint, boolean resume, PrintStream out, EpochListener listener) {
        public Options(int epochs, int batchSize, double validationSplit, boolean shuffle, long seed, int threads,
                       Path checkpoint, boolean resume, PrintStream out) {
            this(epochs, batchSize, validationSplit, shuffle, seed, threads, checkpoint, resume, out, null);
        }
    }

    /** Called after every epoch with its logs (loss, metrics, val_ versions); return false to stop training. */
    @FunctionalInterface
    public interface EpochListener {
        boolean epochEnd(int epoch, Map<String, Double> logs);
    }

    /** Per-epoch logs, Keras's History.history. */
    public record History(List<Map<String, Double>> epochs) {}

    public static History fit(CompiledModel model, Dataset data, Options o) throws IOException {
        Dataset train = data, val = null;
        if (o.validationSplit() > 0) {
            int split = (int) Math.floor(data.size() * (1.0 - o.validationSplit()));
            if (split <= 0 || split >= data.size()) {
                throw new IllegalArgumentException("validation_split " + o.validationSplit() + " leaves no training or no validation data for "
                        + data.size() + " samples");
            }
            train = data.slice(0, split);
            val = data.slice(split, data.size());
        }
        wholeBatches(model, o.batchSize(), train.size(), "training");
        if (val != null) wholeBatches(model, o.batchSize(), val.size(), "validation");
        try (Session s = model.newSession(Math.min(o.batchSize(), train.size()), o.threads())) {
            return fit(model, s, train, val, o);
        }
    }

    private static History fit(CompiledModel model, Session s, Dataset train, Dataset val, Options o) throws IOException {
        s.setSeed(o.seed());
        int startEpoch = 0;
        if (o.resume() && o.checkpoint() != null && Files.exists(o.checkpoint())) {
            startEpoch = restore(model, s, o.checkpoint());
            if (o.out() != null) o.out().println("Resuming from " + o.checkpoint() + " after epoch " + startEpoch);
        }
        Progress progress = new Progress(o.out());
        Callbacks callbacks = new Callbacks(model.spec().fit().callbacks(), o.out());
        List<ModelSpec.MetricSpec> metrics = model.spec().metrics();
        java.util.ArrayList<Map<String, Double>> history = new java.util.ArrayList<>();
        int n = train.size();
        int[] order = new int[n];
        // rows of similar length together, so that recurrences skip the padding a whole batch shares
        int[] lengths = o.shuffle() && model.spec().fit().groupByLength() ? LengthGroups.lengths(model.spec(), train) : null;
        for (int epoch = startEpoch; epoch < o.epochs(); epoch++) {
            progress.epochStart(epoch + 1, o.epochs());
            long t0 = System.nanoTime();
            permutation(order, o.shuffle(), o.seed(), epoch);
            if (lengths != null) LengthGroups.group(order, lengths, o.batchSize(), o.seed(), epoch);
            double lossSum = 0;
            double[] sums = new double[metrics.size()];
            double weight = 0;
            int steps = 0;
            for (int from = 0; from < n; from += o.batchSize()) {
                int b = Math.min(o.batchSize(), n - from);
                s.load(train, order, from, b);
                double loss = s.trainStep(b);
                if (!Double.isFinite(loss)) throw new ArithmeticException("the loss became " + loss + " at epoch " + (epoch + 1) + ", step " + (steps + 1));
                lossSum += loss * b;
                s.addMetricSums(b, sums);
                weight += s.metricWeight(b);
                steps++;
            }
            Map<String, Double> logs = new LinkedHashMap<>();
            logs.put("loss", lossSum / n);
            for (int i = 0; i < sums.length; i++) logs.put(metrics.get(i).name(), sums[i] / weight);
            if (val != null) {
                for (Map.Entry<String, Double> e : evaluate(s, model.spec(), val, o.batchSize()).entrySet()) logs.put("val_" + e.getKey(), e.getValue());
            }
            progress.epochEnd(steps, (System.nanoTime() - t0) / 1e9, logs);
            history.add(logs);
            boolean stop = callbacks.epochEnd(epoch, logs, model, s);
            if (o.checkpoint() != null) save(model, s, o.checkpoint(), epoch + 1);
            if (o.listener() != null && !o.listener().epochEnd(epoch + 1, logs)) break;
            if (stop) break;
        }
        callbacks.trainEnd(model);
        return new History(history);
    }

    /** Loss and metrics over {@code data} in inference mode, as Keras's evaluate. */
    public static Map<String, Double> evaluate(CompiledModel model, Dataset data, int batchSize, int threads) {
        if (model.fixedBatchSize() > 0) batchSize = model.fixedBatchSize();
        wholeBatches(model, batchSize, data.size(), "evaluation");
        try (Session s = model.newSession(Math.min(batchSize, data.size()), threads)) {
            return evaluate(s, model.spec(), data, batchSize);
        }
    }

    private static Map<String, Double> evaluate(Session s, ModelSpec spec, Dataset data, int batchSize) {
        int n = data.size();
        double lossSum = 0;
        double[] sums = new double[spec.metrics().size()];
        double weight = 0;
        int cap = s.capacity();
        // in the rows' order, as Keras: a masked loss is a mean per batch, so how rows are batched moves it
        for (int from = 0; from < n; from += cap) {
            int b = Math.min(cap, n - from);
            s.load(data, null, from, b);
            lossSum += s.evalStep(b) * b;
            s.addMetricSums(b, sums);
            weight += s.metricWeight(b);
        }
        Map<String, Double> out = new LinkedHashMap<>();
        out.put("loss", lossSum / n);
        for (int i = 0; i < sums.length; i++) out.put(spec.metrics().get(i).name(), sums[i] / weight);
        return out;
    }

    /** The model's outputs for every sample of {@code data}, as one tensor [samples, ...output]. */
    public static Tensor predict(CompiledModel model, Dataset data, int batchSize) {
        ModelSpec spec = model.spec();
        int n = data.size(), per = spec.outputSize();
        if (model.fixedBatchSize() > 0) batchSize = model.fixedBatchSize();
        wholeBatches(model, batchSize, n, "prediction");
        try (Session s = model.newSession(Math.min(batchSize, n))) {
            return predict(s, model, data, n, per);
        }
    }

    private static Tensor predict(Session s, CompiledModel model, Dataset data, int n, int per) {
        ModelSpec spec = model.spec();
        int cap = s.capacity();
        float[] out = new float[n * per];
        // a model with a None length runs rows of similar length together; the outputs go back to the rows' order
        int[] order = LengthGroups.byLength(model, data);
        for (int from = 0; from < n; from += cap) {
            int b = Math.min(cap, n - from);
            s.load(data, order, from, b);
            s.predictStep(b);
            float[] part = s.output(b).toFloatArray();
            for (int r = 0; r < b; r++) System.arraycopy(part, r * per, out, (order == null ? from + r : order[from + r]) * per, per);
        }
        int[] shape = new int[spec.outputShape().length + 1];
        shape[0] = n;
        System.arraycopy(spec.outputShape(), 0, shape, 1, spec.outputShape().length);
        return Tensor.of(out, shape);
    }

    /**
     * A model whose inputs fix the batch size (as its stateful layers need) runs batches of exactly
     * that size: Keras fails at a last partial batch; this fails before the first.
     */
    static void wholeBatches(CompiledModel model, int batchSize, int n, String what) {
        int b = model.fixedBatchSize();
        if (b == 0) return;
        if (batchSize != b) {
            throw new IllegalArgumentException("the model's inputs fix the batch size at " + b + " (batch_size=" + b + "), but batches of "
                    + batchSize + " were asked for");
        }
        if (n % b != 0) {
            throw new IllegalArgumentException("the model runs batches of exactly " + b + " rows (its inputs' batch_size), as Keras does: the "
                    + n + " " + what + " samples are not a whole number of batches (use a multiple of " + b + ")");
        }
    }

    /** Fisher–Yates keyed by (seed, epoch), or the identity without shuffling. */
    static void permutation(int[] order, boolean shuffle, long seed, int epoch) {
        for (int i = 0; i < order.length; i++) order[i] = i;
        if (!shuffle) return;
        for (int i = order.length - 1; i > 0; i--) {
            int j = (int) Math.floorMod(Rng.bits(seed, 0x5eed, epoch, i, 0), (long) (i + 1));
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
    }

    private static void save(CompiledModel model, Session s, Path file, int epoch) throws IOException {
        Map<String, Tensor> all = new LinkedHashMap<>(model.weights());
        all.putAll(s.optimizerState());
        // stateful layers' states: fit does not reset them between epochs, so a resumed run continues from them
        s.states().forEach((k, v) -> all.put(STATE + k, v));
        all.put("train.epoch", Tensor.of(new long[] {epoch}));
        SafeTensors.write(file, all, Map.of("format", "modelc-checkpoint", "model", model.spec().name()));
    }

    private static int restore(CompiledModel model, Session s, Path file) throws IOException {
        Map<String, Tensor> all = SafeTensors.read(file);
        Map<String, Tensor> weights = new LinkedHashMap<>(), opt = new LinkedHashMap<>(), states = new LinkedHashMap<>();
        for (Map.Entry<String, Tensor> e : all.entrySet()) {
            if (e.getKey().startsWith("optimizer.")) opt.put(e.getKey(), e.getValue());
            else if (e.getKey().startsWith(STATE)) states.put(e.getKey().substring(STATE.length()), e.getValue());
            else if (!e.getKey().startsWith("train.")) weights.put(e.getKey(), e.getValue());
        }
        model.setWeights(weights);
        s.setOptimizerState(opt);
        if (!states.isEmpty() || !s.states().isEmpty()) s.setStates(states);
        Tensor epoch = all.get("train.epoch");
        if (epoch == null) throw new IOException(file + " is not a modelc checkpoint: it has no 'train.epoch'");
        return epoch.getInt(0);
    }
}
