package modelc.compiler.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import modelc.runtime.Tensor;
import modelc.runtime.data.DataLoader;
import modelc.runtime.data.DataOptions;
import modelc.runtime.data.Dataset;
import modelc.runtime.data.LoadedData;
import modelc.runtime.io.Npy;
import modelc.runtime.train.Trainer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "predict", mixinStandardHelpOptions = true, description = "Runs saved weights on --data and prints (or writes) the outputs.")
final class PredictCommand implements Callable<Integer> {
    @Mixin
    ModelOptions model;

    @Option(names = "--weights", required = true)
    Path weights;

    @Option(names = "--data", required = true)
    Path data;

    @Option(names = "--out", description = "write all outputs to this .npy file")
    Path out;

    @Option(names = "--limit", defaultValue = "10", description = "samples to print when --out is not given")
    int limit;

    @Override
    public Integer call() throws IOException {
        Loaded l = model.load();
        l.loadWeights(weights);
        if (out == null && limit < 1) throw new Main.UserError("--limit must be at least 1, got " + limit);
        // with --out every sample is predicted; without, only the first --limit are printed
        LoadedData d = DataLoader.load(data, out == null ? DataOptions.defaults().withLimit(limit) : DataOptions.defaults());
        Dataset set = d.test() != null ? d.test() : d.train();
        DataChecks.check(l.model().spec(), set, data);
        Tensor y = Trainer.predict(l.model(), set, 32);
        if (out != null) {
            Npy.write(out, y);
            System.out.println("Wrote " + y + " to " + out);
            return 0;
        }
        int per = (int) (y.size() / y.dim(0));
        for (int i = 0; i < y.dim(0); i++) {
            StringBuilder sb = new StringBuilder();
            int best = 0;
            for (int j = 0; j < per; j++) {
                double v = y.getDouble((long) i * per + j);
                if (v > y.getDouble((long) i * per + best)) best = j;
                sb.append(j == 0 ? "" : " ").append(String.format(Locale.ROOT, "%.4f", v));
            }
            String label = per > 1 ? "  -> " + best : "";
            String truth = set.target() != null ? "  (target " + set.target().getDouble(i) + ")" : "";
            System.out.println(sb + label + (per > 1 ? truth : ""));
        }
        return 0;
    }
}
