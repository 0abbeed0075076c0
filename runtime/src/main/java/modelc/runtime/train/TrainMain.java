package modelc.runtime.train;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import modelc.runtime.data.DataLoader;
import modelc.runtime.data.DataOptions;
import modelc.runtime.data.LoadedData;
import modelc.runtime.data.TextData;
import modelc.runtime.io.FormatException;
import modelc.runtime.io.SafeTensors;

/**
 * The standalone trainer: loads data, trains a compiled model as its {@code fit(...)} says (or as
 * overridden), reports the test metrics, saves the weights. {@code modelc train} and the launcher
 * that {@code modelc compile} writes both end here.
 */
public final class TrainMain {
    private TrainMain() {}

    /** A training run; 0 for epochs or batchSize means "as the model file says". */
    public record Config(Path data, int epochs, int batchSize, long seed, int threads, Path save, Path checkpoint, boolean resume,
                         int limit, String labelColumn, java.util.List<String> classNames) {
        public Config(Path data, int epochs, int batchSize, long seed, int threads, Path save, Path checkpoint, boolean resume,
                      int limit, String labelColumn) {
            this(data, epochs, batchSize, seed, threads, save, checkpoint, resume, limit, labelColumn, null);
        }
    }

    public static Trainer.History run(CompiledModel model, Config c, PrintStream out) throws IOException {
        ModelSpec spec = model.spec();
        DataOptions opts = DataOptions.defaults().withLabelColumn(c.labelColumn() == null ? "label" : c.labelColumn());
        if (c.limit() > 0) opts = opts.withLimit(c.limit());
        LoadedData data;
        TextInputs text = null;
        if (TextInputs.any(spec)) {
            // raw text (and the values of any tensor inputs): fit the pipelines on the training texts, then train on the tensors they give
            TextData.Loaded raw;
            try {
                raw = TextData.load(c.data(), TextInputs.names(spec), TextInputs.tensors(spec), opts, c.classNames());
            } catch (IllegalArgumentException e) {
                throw new FormatException(c.data(), e.getMessage());
            }
            text = TextInputs.fit(spec, raw.train(), raw.classNames());
            out.println(text.describe());
            data = text.datasets(raw);
            if (c.save() != null) {
                text.write(TextInputs.beside(c.save()), spec.name());
                out.println("Text pipelines: " + TextInputs.beside(c.save()));
            }
        } else {
            data = DataLoader.load(c.data(), opts);
        }
        int epochs = c.epochs() > 0 ? c.epochs() : spec.fit().epochs();
        int batch = c.batchSize() > 0 ? c.batchSize() : spec.fit().batchSize();
        out.printf(Locale.ROOT, "Training %s on %d samples%s, %d epochs, batch %d, seed %d, %d thread%s%n", spec.name(), data.train().size(),
                spec.fit().validationSplit() > 0 ? String.format(Locale.ROOT, " (%.0f%% held out for validation)", 100 * spec.fit().validationSplit()) : "",
                epochs, batch, c.seed(), c.threads(), c.threads() == 1 ? "" : "s");
        if (!(c.resume() && c.checkpoint() != null && c.checkpoint().toFile().exists())) model.initialize(c.seed());
        Trainer.History h = Trainer.fit(model, data.train(), new Trainer.Options(epochs, batch, spec.fit().validationSplit(),
                spec.fit().shuffle(), c.seed(), c.threads(), c.checkpoint(), c.resume(), out));
        if (data.test() != null) {
            Map<String, Double> test = Trainer.evaluate(model, data.test(), batch, c.threads());
            StringBuilder sb = new StringBuilder("Test (" + data.test().size() + " samples):");
            test.forEach((k, v) -> sb.append(' ').append(k).append(": ").append(Progress.format(v)));
            out.println(sb);
        }
        if (c.save() != null) {
            SafeTensors.write(c.save(), model.weights(), Map.of("format", "modelc-weights", "model", spec.name()));
            out.println("Weights: " + c.save());
        }
        return h;
    }

    /**
     * {@code java ... modelc.runtime.train.TrainMain <model class> --data PATH [--epochs N] [--batch-size B]
     * [--seed S] [--threads T] [--save W] [--resume]}.
     */
    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            System.err.println("usage: TrainMain <model class> --data PATH [--epochs N] [--batch-size B] [--seed S] [--threads T] [--save W] [--resume]");
            System.exit(2);
        }
        CompiledModel model = (CompiledModel) Class.forName(args[0]).getDeclaredConstructor().newInstance();
        Path data = null, save = null;
        int epochs = 0, batch = 0;
        long seed = 1;
        int threads = Runtime.getRuntime().availableProcessors();
        boolean resume = false;
        for (int i = 1; i < args.length; i++) {
            switch (args[i]) {
                case "--data" -> data = Path.of(args[++i]);
                case "--epochs" -> epochs = Integer.parseInt(args[++i]);
                case "--batch-size" -> batch = Integer.parseInt(args[++i]);
                case "--seed" -> seed = Long.parseLong(args[++i]);
                case "--threads" -> threads = Integer.parseInt(args[++i]);
                case "--save" -> save = Path.of(args[++i]);
                case "--resume" -> resume = true;
                default -> {
                    System.err.println("unknown option " + args[i]);
                    System.exit(2);
                }
            }
        }
        if (data == null) {
            System.err.println("--data is required");
            System.exit(2);
        }
        Path ckpt = save == null ? null : save.resolveSibling(save.getFileName() + ".ckpt");
        try {
            run(model, new Config(data, epochs, batch, seed, threads, save, ckpt, resume, 0, null), System.out);
        } catch (FormatException | Weights.MismatchException e) {
            System.err.println("error: " + e.getMessage());
            System.exit(1);
        }
    }
}
