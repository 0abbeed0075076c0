package modelc.compiler.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import modelc.compiler.Compiler;
import modelc.compiler.JavaBuild;
import modelc.compiler.codegen.Dtype;
import modelc.runtime.train.CompiledModel;

/** Compiles {@code .model} text to a loaded model, through the real pipeline and javac. */
public final class Models {
    private Models() {}

    public static CompiledModel load(String source, Dtype dtype) {
        try {
            Compiler.Result r = Compiler.compile("test.model", source, new Compiler.Options(dtype, "modelc.test"));
            Path dir = Files.createTempDirectory("modelc-test");
            JavaBuild.compile(r, dir.resolve("src"), dir.resolve("classes"));
            return JavaBuild.load(r, dir.resolve("classes"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A sequential model of one float input with the given per-sample shape, layers and compile line. */
    public static String sequential(String inputShape, String layers, String compile) {
        return "sequential T {\n    input x: float[" + inputShape + "]\n" + layers.indent(4) + "    " + compile + "\n}\n";
    }
}
