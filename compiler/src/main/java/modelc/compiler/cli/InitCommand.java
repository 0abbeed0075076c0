package modelc.compiler.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import modelc.runtime.io.SafeTensors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "init", mixinStandardHelpOptions = true, description = "Writes initial weights (Keras's initializers) to a safetensors file.")
final class InitCommand implements Callable<Integer> {
    @Mixin
    ModelOptions model;

    @Option(names = "--seed", defaultValue = "1")
    long seed;

    @Option(names = "--out", required = true)
    Path out;

    @Override
    public Integer call() throws IOException {
        Loaded l = model.load();
        l.model().initialize(seed);
        SafeTensors.write(out, l.model().weights(), Map.of("format", "modelc-weights", "model", l.model().spec().name()));
        System.out.println("Wrote " + l.model().spec().params().size() + " weights to " + out);
        return 0;
    }
}
