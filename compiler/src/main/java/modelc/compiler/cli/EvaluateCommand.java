package modelc.compiler.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import modelc.runtime.data.DataOptions;
import modelc.runtime.data.Dataset;
import modelc.runtime.data.LoadedData;
import modelc.runtime.train.Progress;
import modelc.runtime.train.Trainer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "evaluate", mixinStandardHelpOptions = true, description = "Loss and metrics of saved weights on --data (its test split if it has one).")
final class EvaluateCommand implements Callable<Integer> {
    @Mixin
    ModelOptions model;

    @Option(names = "--weights", required = true)
    Path weights;

    @Option(names = "--data", required = true)
    Path data;

    @Option(names = "--batch-size", defaultValue = "32")
    int batchSize;

    @Option(names = "--label-column", defaultValue = "label")
    String labelColumn;

    @Override
    public Integer call() throws IOException {
        if (batchSize < 1) throw new Main.UserError("--batch-size must be at least 1, got " + batchSize);
        Loaded l = model.load(data, weights);
        l.loadWeights(weights);
        LoadedData d = CliData.load(l, data, DataOptions.defaults().withLabelColumn(labelColumn), weights).data();
        Dataset set = d.test() != null ? d.test() : d.train();
        if (set.target() == null) throw new Main.UserError(data + " has no target to evaluate against");
        DataChecks.check(l.model().spec(), set, data);
        Map<String, Double> r = Trainer.evaluate(l.model(), set, batchSize, 1);
        StringBuilder sb = new StringBuilder(set.size() + " samples");
        r.forEach((k, v) -> sb.append(" - ").append(k).append(": ").append(Progress.format(v)));
        System.out.println(sb);
        return 0;
    }
}
