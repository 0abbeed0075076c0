package modelc.compiler.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import modelc.runtime.train.TrainMain;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Compiles MODEL and trains it on --data, as its fit(...) says unless overridden.")
final class TrainCommand implements Callable<Integer> {
    @Mixin
    ModelOptions model;

    @Option(names = "--data", required = true, description = "IDX directory, .csv, .safetensors, a directory of .npy files, or (text inputs) class folders of .txt files")
    Path data;

    @Option(names = "--epochs", defaultValue = "0", description = "epochs (default: the model's fit)")
    int epochs;

    @Option(names = "--batch-size", defaultValue = "0", description = "batch size (default: the model's fit)")
    int batchSize;

    @Option(names = "--seed", defaultValue = "1", description = "seed for initial weights, shuffling and dropout")
    long seed;

    @Option(names = "--threads", description = "threads a batch is split across (default: all cores)")
    int threads = Runtime.getRuntime().availableProcessors();

    @Option(names = "--save", description = "weights file to write (default: out/<model>/weights.safetensors)")
    Path save;

    @Option(names = "--resume", description = "continue from the checkpoint of an interrupted run")
    boolean resume;

    @Option(names = "--limit", defaultValue = "0", description = "use at most this many samples of each split")
    int limit;

    @Option(names = "--label-column", defaultValue = "label", description = "CSV column holding the target")
    String labelColumn;

    @Option(names = "--classes", split = ",", description = "text data: the class folders (or CSV labels) to use, in label order"
            + " (default: all, alphabetical)")
    List<String> classes;

    @Override
    public Integer call() throws IOException {
        if (epochs < 0) throw new Main.UserError("--epochs must be at least 1, got " + epochs);
        if (batchSize < 0) throw new Main.UserError("--batch-size must be at least 1, got " + batchSize);
        if (threads < 1) throw new Main.UserError("--threads must be at least 1, got " + threads);
        Loaded l = model.load(data, null, classes);
        if (!Files.isDirectory(data) && !Files.isRegularFile(data)) throw new Main.UserError("no such data file or directory: " + data);
        String stem = model.file.getFileName().toString().replaceFirst("\\.model$", "");
        Path weights = save != null ? save : Path.of("out", stem, "weights.safetensors");
        Files.createDirectories(weights.toAbsolutePath().getParent());
        Path ckpt = weights.resolveSibling(weights.getFileName().toString().replaceFirst("\\.safetensors$", "") + ".ckpt.safetensors");
        TrainMain.run(l.model(), new TrainMain.Config(data, epochs, batchSize, seed, threads, weights, ckpt, resume, limit, labelColumn, classes), System.out);
        System.out.println("Checkpoint: " + ckpt + " (modelc train ... --resume continues from it)");
        System.out.println("Generated source: " + l.sourceFile());
        return 0;
    }
}
