package modelc.compiler.cli;

import static modelc.compiler.cli.Cli.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import modelc.compiler.Compiler;
import modelc.compiler.codegen.Dtype;
import modelc.compiler.codegen.Target;
import modelc.runtime.Tensor;
import modelc.runtime.io.SafeTensors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code --target scalar}: generated code without the Vector API, which compiles, trains and
 * predicts on a JVM started without {@code --add-modules jdk.incubator.vector}, and computes what
 * the vector target computes: the same loss and gradients on a batch, up to rounding (f32) or to
 * 1e-12 (f64). Three examples: a dense network, a convolutional text model, a GRU.
 */
class ScalarTargetTest {
    static final List<String> MODELS = List.of("fashion_mlp", "text_inception", "text_gru");
    static final int BATCH = 8;

    @TempDir
    Path dir;

    @Test
    void noExampleUsesTheVectorApiWhenCompiledForTheScalarTarget() throws IOException {
        List<Path> examples = new java.util.ArrayList<>();
        for (String folder : List.of("examples", "bench/models")) {
            try (Stream<Path> s = Files.list(Cli.repo().resolve(folder))) {
                examples.addAll(s.filter(p -> p.toString().endsWith(".model")).sorted().toList());
            }
        }
        assertFalse(examples.isEmpty());
        for (Path example : examples) {
            for (Dtype dt : Dtype.values()) {
                java.util.Map<String, Integer> lengths = new java.util.HashMap<>();
                Compiler.variableLengthInputs(example.toString(), Files.readString(example)).keySet().forEach(k -> lengths.put(k, 40));
                Compiler.Result r = Compiler.compile(example, new Compiler.Options(dt, "modelc.test", Target.SCALAR).withLengths(lengths));
                for (var f : r.files()) {
                    String src = f.toString();
                    for (String banned : List.of("jdk.incubator", "FloatVector", "DoubleVector", "VectorSpecies", "VectorOperators", "S.loopBound")) {
                        assertFalse(src.contains(banned), () -> example.getFileName() + " (" + dt.flag + "): " + f.typeSpec().name()
                                + " mentions " + banned);
                    }
                }
                String model = r.javaFile().toString();
                assertTrue(model.contains("Gemm." + dt.gemm() + "Scalar(") || !model.contains("Gemm."), example::toString);
            }
        }
    }

    @Test
    void theVectorTargetIsTheDefault() throws IOException {
        Path ex = Cli.repo().resolve("examples/fashion_mlp.model");
        String vector = Compiler.compile(ex, Compiler.Options.DEFAULT).javaFile().toString();
        assertTrue(vector.contains("import jdk.incubator.vector.FloatVector;"));
        assertTrue(vector.contains("Gemm.sgemm(false, false, n, 256, 784,"));
        Cli.Run r = run("compile", ex, "--target", "simd", "-o", dir);
        Cli.assertUserError(r, "modelc: error: target must be vector or scalar, got simd\n");
    }

    @Test
    void theLauncherOfAScalarBuildAddsNoModule() throws IOException {
        Path ex = Cli.repo().resolve("examples/fashion_mlp.model");
        Cli.Run r = run("compile", ex, "--target", "scalar", "-o", dir);
        assertEquals(0, r.exit(), r::toString);
        String launcher = Files.readString(dir.resolve("train"));
        assertFalse(launcher.contains("--add-modules"), launcher);
        assertTrue(launcher.contains("exec \"$java\" -cp \"$here/FashionMlp.jar:$here/lib/modelc-runtime.jar\" "), launcher);
        assertFalse(Files.readString(dir.resolve("src/modelc/generated/FashionMlp.java")).contains("jdk.incubator"));
    }

    /** In this JVM (which has the module, for the vector target): the scalar target's loss and gradients are the vector target's. */
    @ParameterizedTest
    @ValueSource(strings = {"f32", "f64"})
    void scalarAndVectorTargetsAgreeOnABatch(String dtype) throws IOException {
        double tol = dtype.equals("f64") ? 1e-12 : 5e-5;
        for (String name : MODELS) {
            Path model = Cli.repo().resolve("examples/" + name + ".model");
            Path weights = init(model), batch = batch(name);
            Map<String, Tensor> vector = grad(model, dtype, "vector", weights, batch);
            Map<String, Tensor> scalar = grad(model, dtype, "scalar", weights, batch);
            assertClose(name + " " + dtype, vector, scalar, tol);
        }
    }

    /**
     * A JVM without the module runs {@code modelc grad}, {@code train} and {@code predict} of each
     * model for the scalar target: javac compiles the generated code without the module, and
     * nothing on the way loads a Vector API class (which would fail there). Its loss and gradients
     * match the vector target's computed here.
     */
    @Test
    void trainsAndPredictsInAJvmWithoutTheIncubatorModule() throws Exception {
        List<String> args = new ArrayList<>();
        for (String name : MODELS) {
            Path model = Cli.repo().resolve("examples/" + name + ".model");
            Path weights = init(model), batch = batch(name);
            Path out = dir.resolve(name);
            Files.createDirectories(out);
            if (!args.isEmpty()) args.add(";");
            args.addAll(List.of("grad", model.toString(), "--target", "scalar", "--weights", weights.toString(), "--batch", batch.toString(),
                    "--out", out.resolve("grad.safetensors").toString(), ";",
                    "train", model.toString(), "--target", "scalar", "--data", batch.toString(), "--epochs", "2", "--batch-size", "4",
                    "--threads", "2", "--save", out.resolve("trained.safetensors").toString(), ";",
                    "predict", model.toString(), "--target", "scalar", "--weights", out.resolve("trained.safetensors").toString(),
                    "--data", batch.toString(), "--limit", "2"));
        }
        Child child = child(args);
        assertEquals(0, child.exit(), child::toString);
        assertFalse(child.err().contains("incubator"), child::toString);
        assertTrue(child.out().contains("Epoch 2/2"), child::toString);
        for (String name : MODELS) {
            Path model = Cli.repo().resolve("examples/" + name + ".model");
            assertTrue(Files.isRegularFile(dir.resolve(name).resolve("trained.safetensors")), name);
            Map<String, Tensor> vector = grad(model, "f32", "vector", dir.resolve(name + ".init.safetensors"), dir.resolve(name + ".batch.safetensors"));
            assertClose(name + " in a JVM without the module", vector, SafeTensors.read(dir.resolve(name).resolve("grad.safetensors")), 5e-5);
        }
    }

    private Path init(Path model) {
        String name = model.getFileName().toString().replace(".model", "");
        Path w = dir.resolve(name + ".init.safetensors");
        Cli.Run r = run("init", model, "--seed", 7, "--out", w);
        assertEquals(0, r.exit(), r::toString);
        return w;
    }

    private Map<String, Tensor> grad(Path model, String dtype, String target, Path weights, Path batch) throws IOException {
        Path out = dir.resolve("g-" + model.getFileName() + "-" + dtype + "-" + target + ".safetensors");
        Cli.Run r = run("grad", model, "--dtype", dtype, "--target", target, "--weights", weights, "--batch", batch, "--out", out);
        assertEquals(0, r.exit(), r::toString);
        return SafeTensors.read(out);
    }

    /** A batch of {@value #BATCH} samples: pixels 0..255 and a class, or token ids (zeros in front, as padding) and a 0/1 label. */
    private Path batch(String name) throws IOException {
        Path file = dir.resolve(name + ".batch.safetensors");
        if (name.equals("fashion_mlp")) {
            float[] x = new float[BATCH * 28 * 28];
            for (int i = 0; i < x.length; i++) x[i] = (float) Math.floor(127.5 * (1 + Math.sin(0.37 * i + 0.1 * (i / 784))));
            int[] y = new int[BATCH];
            for (int i = 0; i < BATCH; i++) y[i] = (3 * i + 1) % 10;
            return Cli.safetensors(file, "image", Tensor.of(x, BATCH, 28, 28), "target", Tensor.of(y, BATCH));
        }
        int[] tokens = new int[BATCH * 500];
        for (int s = 0; s < BATCH; s++) {
            for (int t = 0; t < 500; t++) tokens[s * 500 + t] = t < 40 * s ? 0 : 1 + (int) ((7919L * (s * 500 + t) + 13) % 9999);
        }
        float[] y = new float[BATCH];
        for (int i = 0; i < BATCH; i++) y[i] = i % 2;
        return Cli.safetensors(file, "tokens", Tensor.of(tokens, BATCH, 500), "target", Tensor.of(y, BATCH, 1));
    }

    /** Every tensor of {@code b} within {@code tol} of {@code a}'s, relative to the largest magnitude in {@code a}'s (at least 1e-3). */
    private static void assertClose(String what, Map<String, Tensor> a, Map<String, Tensor> b, double tol) {
        assertEquals(a.keySet(), b.keySet(), what);
        for (String k : a.keySet()) {
            Tensor x = a.get(k), y = b.get(k);
            assertEquals(x.size(), y.size(), what + " " + k);
            double scale = 1e-3, worst = 0;
            for (long i = 0; i < x.size(); i++) scale = Math.max(scale, Math.abs(x.getDouble(i)));
            for (long i = 0; i < x.size(); i++) worst = Math.max(worst, Math.abs(x.getDouble(i) - y.getDouble(i)));
            double err = worst / scale;
            assertTrue(err <= tol, what + ": " + k + " differs by " + err + " (relative to " + scale + "), more than " + tol);
        }
    }

    record Child(int exit, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exit + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    /** This test's class path in a new JVM with no --add-modules, running {@link ScalarTargetChild}. */
    private Child child(List<String> args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xss8m",
                "-cp", System.getProperty("java.class.path"), ScalarTargetChild.class.getName()));
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile());
        pb.environment().put("MODELC_CACHE", dir.resolve("cache").toString());
        pb.environment().remove("JDK_JAVA_OPTIONS");
        pb.environment().remove("JAVA_TOOL_OPTIONS");
        Path out = dir.resolve("child.out"), err = dir.resolve("child.err");
        Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(10, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError("the child JVM took more than 10 minutes");
        }
        return new Child(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    }
}
