package modelc.compiler.cli;

import java.io.IOException;
import java.nio.file.Path;
import modelc.compiler.Compiler;
import modelc.compiler.codegen.Dtype;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The model file and code-generation options every command shares. */
final class ModelOptions {
    @Parameters(index = "0", paramLabel = "MODEL", description = "the .model file")
    Path file;

    @Option(names = "--dtype", defaultValue = "f32", description = "f32 (default) or f64")
    String dtype;

    @Option(names = "--package", defaultValue = "modelc.generated", description = "Java package of the generated class")
    String packageName;

    Compiler.Options options() {
        try {
            return new Compiler.Options(Dtype.parse(dtype), packageName);
        } catch (IllegalArgumentException e) {
            throw new Main.UserError(e.getMessage());
        }
    }

    Compiler.Result compile() throws IOException {
        Main.currentFile(file);
        return Compiler.compile(file, options());
    }

    Loaded load() throws IOException {
        Main.currentFile(file);
        return Loaded.load(file, options());
    }
}
