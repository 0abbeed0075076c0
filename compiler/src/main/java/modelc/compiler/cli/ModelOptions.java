package modelc.compiler.cli;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.lang.model.SourceVersion;
import modelc.compiler.Compiler;
import modelc.compiler.codegen.Dtype;
import modelc.compiler.codegen.Target;
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

    @Option(names = "--target", defaultValue = "vector", description = {"vector (default): kernels use the Vector API, "
            + "which needs --add-modules jdk.incubator.vector where the code is compiled and run;",
            "scalar: plain loops that need no incubator module"})
    String target;

    Compiler.Options options() {
        if (!packageName.isEmpty() && !SourceVersion.isName(packageName)) {
            throw new Main.UserError("--package '" + packageName + "' is not a Java package name");
        }
        try {
            return new Compiler.Options(Dtype.parse(dtype), packageName, Target.parse(target));
        } catch (IllegalArgumentException e) {
            throw new Main.UserError(e.getMessage());
        }
    }

    Compiler.Result compile() throws IOException {
        Main.currentFile(file);
        return Compiler.compile(displayName(file), read(file), options());
    }

    /**
     * The file's name as diagnostics and generated comments show it: control characters and
     * backslashes become '?', so that neither a line break nor a Java unicode escape (a backslash,
     * 'u' and four hex digits, which javac reads even in comments) in a file name can end a comment
     * of the generated source or of the launcher.
     */
    static String displayName(Path file) {
        StringBuilder sb = new StringBuilder();
        file.getFileName().toString().codePoints()
                .forEach(c -> sb.appendCodePoint(Character.isISOControl(c) || c == '\\' ? '?' : c));
        return sb.toString();
    }

    /** The text of a {@code .model} file, or a one-line error that names it. */
    static String read(Path file) throws IOException {
        if (Files.isDirectory(file)) throw new Main.UserError(file + " is a directory, not a .model file");
        try {
            return Files.readString(file);
        } catch (CharacterCodingException e) {
            throw new Main.UserError(file + " is not UTF-8 text");
        }
    }

    Loaded load() throws IOException {
        Main.currentFile(file);
        return Loaded.load(file, options());
    }
}
