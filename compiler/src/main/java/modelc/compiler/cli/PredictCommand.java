package modelc.compiler.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import modelc.runtime.Tensor;
import modelc.runtime.data.DataOptions;
import modelc.runtime.data.Dataset;
import modelc.runtime.io.Npy;
import modelc.runtime.train.TextInputs;
import modelc.runtime.train.Trainer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "predict", mixinStandardHelpOptions = true, description = {"Runs saved weights on --data and prints (or writes) the outputs,",
        "or, with --generate N, samples N tokens from a next-token model after --prompt.",
        "A model with stateful layers predicts the rows in order, in batches of its inputs' batch_size, each row",
        "continuing the sequence of the same row of the batch before, as Keras's predict does."})
final class PredictCommand implements Callable<Integer> {
    @Mixin
    ModelOptions model;

    @Option(names = "--weights", required = true)
    Path weights;

    @Option(names = "--data", description = "the inputs to predict (not with --generate)")
    Path data;

    @Option(names = "--text", description = "a text to predict, for a model with a text input (repeatable; instead of --data)")
    List<String> texts;

    @Option(names = "--generate", description = "sample this many tokens, one at a time, each from the model's prediction after the ones before")
    Integer generate;

    @Option(names = "--prompt", defaultValue = "", description = "the text the generated tokens follow (with --generate)")
    String prompt;

    @Option(names = "--vocabulary", description = "token of each id, one per line, line i for id i (with --generate)")
    Path vocabulary;

    @Option(names = "--temperature", defaultValue = "1.0", description = "below 1 sharpens the distribution, above 1 flattens it (default 1)")
    double temperature;

    @Option(names = "--seed", defaultValue = "1", description = "seed of the sampling (with --generate)")
    long seed;

    @Option(names = "--out", description = "write all outputs to this .npy file")
    Path out;

    @Option(names = "--limit", defaultValue = "10", description = "samples to print when --out is not given")
    int limit;

    @Override
    public Integer call() throws IOException {
        Loaded l = model.load(data, weights);
        l.loadWeights(weights);
        if (generate != null) return generate(l);
        if (data == null && texts == null) throw new Main.UserError("give --data (inputs to predict), --text, or --generate N");
        if (data != null && texts != null) throw new Main.UserError("give --data or --text, not both");
        if (out == null && limit < 1) throw new Main.UserError("--limit must be at least 1, got " + limit);
        TextInputs text = null;
        Dataset set;
        // a model whose inputs fix the batch size runs whole batches: printing the first --limit rows predicts the batches that hold them
        int batch = Math.max(1, l.model().fixedBatchSize());
        if (texts != null) {
            if (!TextInputs.any(l.model().spec())) throw new Main.UserError("--text needs a model with a text input; " + l.model().spec().name() + " has none");
            text = CliData.text(l, weights);
            set = CliData.texts(l, text, texts);
        } else {
            // with --out every sample is predicted; without, only the first --limit are printed
            CliData d = CliData.load(l, data, out == null ? DataOptions.defaults().withLimit((limit + batch - 1) / batch * batch) : DataOptions.defaults(), weights);
            text = d.text();
            set = d.data().test() != null ? d.data().test() : d.data().train();
        }
        DataChecks.check(l.model().spec(), set, data != null ? data : Path.of("--text"));
        if (set.size() % batch != 0) {
            String name = l.model().spec().name();
            throw new Main.UserError((l.model().stateful() ? name + " has stateful layers: it predicts the rows in order, in batches of exactly " + batch
                    + " (its inputs' batch_size), each row continuing the sequence of the same row of the batch before, as Keras does; "
                    : name + "'s inputs fix the batch size at " + batch + "; ") + (data != null ? data + " has " : "--text gives ") + set.size()
                    + " rows, not a multiple of " + batch);
        }
        Tensor y = Trainer.predict(l.model(), set, 32);
        if (out != null) {
            Npy.write(out, y);
            System.out.println("Wrote " + y + " to " + out);
            return 0;
        }
        int per = (int) (y.size() / y.dim(0));
        int shown = data != null ? Math.min(limit, y.dim(0)) : y.dim(0);
        for (int i = 0; i < shown; i++) {
            StringBuilder sb = new StringBuilder();
            int best = 0;
            for (int j = 0; j < per; j++) {
                double v = y.getDouble((long) i * per + j);
                if (v > y.getDouble((long) i * per + best)) best = j;
                sb.append(j == 0 ? "" : " ").append(String.format(Locale.ROOT, "%.4f", v));
            }
            List<String> names = text != null ? text.classNames() : List.of();
            if (per == 1) best = y.getDouble(i) > 0.5 ? 1 : 0;
            String label = per > 1 || !names.isEmpty() ? "  -> " + (best < names.size() ? names.get(best) : Integer.toString(best)) : "";
            String truth = set.target() != null ? "  (target " + set.target().getDouble(i) + ")" : "";
            System.out.println(sb + label + (per > 1 || !names.isEmpty() ? truth : ""));
        }
        return 0;
    }

    private int generate(Loaded l) throws IOException {
        if (generate < 1) throw new Main.UserError("--generate must be at least 1, got " + generate);
        if (vocabulary == null) throw new Main.UserError("--generate needs --vocabulary FILE (the token of each id, one per line)");
        List<String> vocab = Generator.vocabulary(vocabulary);
        Generator gen = new Generator(l.model());
        int[] ids = gen.generate(Generator.encode(prompt, vocab), generate, temperature, seed);
        StringBuilder sb = new StringBuilder(prompt);
        for (int id : ids) sb.append(id < vocab.size() ? vocab.get(id) : "<" + id + ">");
        System.out.println(sb);
        return 0;
    }
}
