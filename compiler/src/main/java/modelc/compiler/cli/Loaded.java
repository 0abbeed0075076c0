package modelc.compiler.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import modelc.compiler.Compiler;
import modelc.compiler.JavaBuild;
import modelc.runtime.Tensor;
import modelc.runtime.io.SafeTensors;
import modelc.runtime.train.CompiledModel;
import modelc.runtime.train.Weights;

/**
 * A {@code .model} file compiled and loaded into this JVM. Generated source and classes go to a
 * build directory keyed by a hash of the source and options, so an unchanged model is not rebuilt.
 */
record Loaded(Compiler.Result result, CompiledModel model, Path sourceFile, Path buildDir) {
    static final String VERSION = "0.1.0";

    static Loaded load(Path file, Compiler.Options options) throws IOException {
        String source = ModelOptions.read(file);
        Compiler.Result r = Compiler.compile(ModelOptions.displayName(file), source, options);
        Path dir = cacheRoot().resolve(r.className() + "-" + hash(source + "\0" + options + "\0" + VERSION + "\0" + r.javaFile()));
        Path classes = dir.resolve("classes");
        Path src = dir.resolve("src");
        Path javaFile = src.resolve(r.qualifiedName().replace('.', '/') + ".java");
        if (!Files.exists(classes.resolve(r.qualifiedName().replace('.', '/') + ".class"))) {
            JavaBuild.compile(r, src, classes);
        }
        return new Loaded(r, JavaBuild.load(r, classes), javaFile, dir);
    }

    /** Loads every weight of the model from {@code file}; a mismatch is reported with the file's name. */
    void loadWeights(Path file) throws IOException {
        Map<String, Tensor> w = SafeTensors.read(file);
        try {
            model.setWeights(w);
        } catch (Weights.MismatchException e) {
            throw new Main.UserError(file + " does not fit " + result.model().name() + ": " + e.getMessage());
        }
    }

    static Path cacheRoot() {
        String env = System.getenv("MODELC_CACHE");
        if (env != null && !env.isBlank()) return Path.of(env);
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("modelc");
    }

    private static String hash(String s) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
