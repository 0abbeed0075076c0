package modelc.compiler.cli;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import modelc.compiler.Compiler;
import modelc.compiler.resolve.ModelIR;
import modelc.compiler.resolve.Resolver;
import modelc.compiler.syntax.Parser;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "summary", mixinStandardHelpOptions = true, description = "Prints Keras's summary table: layers, output shapes, parameter counts.")
final class SummaryCommand implements Callable<Integer> {
    /** The lengths a model with None dimensions is resolved at (unless --max-length is given): what differs is None. */
    static final int LENGTH_A = 1024, LENGTH_B = 2048;

    @Mixin
    ModelOptions model;

    @Override
    public Integer call() throws IOException {
        String source = ModelOptions.read(model.file);
        String name = ModelOptions.displayName(model.file);
        Map<String, Integer> variable = Compiler.variableLengthInputs(name, source);
        if (variable.isEmpty() || model.maxLength != null) {
            System.out.print(Summary.render(model.compile().model()));
            return 0;
        }
        Main.currentFile(model.file);
        Map<String, Integer> a = new LinkedHashMap<>(), b = new LinkedHashMap<>();
        variable.keySet().forEach(k -> {
            a.put(k, LENGTH_A);
            b.put(k, LENGTH_B);
        });
        ModelIR m = Compiler.compile(name, source, model.options().withLengths(a)).model();
        ModelIR alt = Resolver.resolve(Parser.parse(name, source), b);
        System.out.print(Summary.render(m, alt));
        return 0;
    }
}
