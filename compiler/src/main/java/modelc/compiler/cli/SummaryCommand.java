package modelc.compiler.cli;

import java.io.IOException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "summary", mixinStandardHelpOptions = true, description = "Prints Keras's summary table: layers, output shapes, parameter counts.")
final class SummaryCommand implements Callable<Integer> {
    @Mixin
    ModelOptions model;

    @Override
    public Integer call() throws IOException {
        System.out.print(Summary.render(model.compile().model()));
        return 0;
    }
}
