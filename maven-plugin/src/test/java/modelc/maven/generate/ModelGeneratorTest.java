package modelc.maven.generate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import modelc.compiler.codegen.Dtype;
import modelc.compiler.codegen.Target;
import org.apache.maven.plugin.logging.SystemStreamLog;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("The generate goal's work: a tree of models in, Java and resources out, and only what changed is redone")
class ModelGeneratorTest {
    static final String TINY = """
            sequential Tiny {
                input x: float[4]
                Dense(3, activation=softmax)
                compile(loss=sparse_categorical_crossentropy, optimizer=adam, metrics=[accuracy])
            }
            """;

    @TempDir
    Path dir;

    Path models() {
        return dir.resolve("src/main/models");
    }

    Path out() {
        return dir.resolve("target/generated-sources/modelc");
    }

    Path res() {
        return dir.resolve("target/generated-resources/modelc");
    }

    GenerateRequest request(String packageName, Dtype dtype) {
        return request(packageName, dtype, Target.VECTOR);
    }

    GenerateRequest request(String packageName, Dtype dtype, Target target) {
        return new GenerateRequest(models(), List.of("**/*.model"), List.of(), out(), res(),
                dir.resolve("target/maven-status/modelc/generate.status"), packageName, dtype, target, "compiler-1");
    }

    ModelGenerator.Outcome run() throws IOException {
        return run(request(null, Dtype.F32));
    }

    ModelGenerator.Outcome run(GenerateRequest r) throws IOException {
        return new ModelGenerator(r, new SystemStreamLog()).run();
    }

    Path write(String relative, String text) throws IOException {
        Path p = models().resolve(relative);
        Files.createDirectories(p.getParent());
        Files.writeString(p, text);
        return p;
    }

    @Test
    @DisplayName("a model at the root becomes modelc.generated.<Name>; an unchanged second run regenerates nothing")
    void generatesThenIsUpToDate() throws IOException {
        write("tiny.model", TINY);
        ModelGenerator.Outcome first = run();
        assertEquals(List.of("modelc.generated.Tiny"), first.generated());
        Path java = out().resolve("modelc/generated/Tiny.java");
        assertTrue(Files.readString(java).contains("class Tiny"));
        Files.setLastModifiedTime(java, FileTime.fromMillis(1_000_000));

        ModelGenerator.Outcome second = run();
        assertEquals(List.of(), second.generated());
        assertEquals(1, second.upToDate());
        assertEquals(FileTime.fromMillis(1_000_000), Files.getLastModifiedTime(java), "an up-to-date model's Java is not rewritten");
    }

    @Test
    @DisplayName("an edit to the model, or another dtype, regenerates it")
    void changesRegenerate() throws IOException {
        write("tiny.model", TINY);
        run();
        write("tiny.model", TINY.replace("Dense(3", "Dense(5"));
        assertEquals(List.of("modelc.generated.Tiny"), run().generated());
        assertEquals(List.of(), run().generated());
        assertEquals(List.of("modelc.generated.Tiny"), run(request(null, Dtype.F64)).generated());
        assertTrue(Files.readString(out().resolve("modelc/generated/Tiny.java")).contains("double[]"));
    }

    @Test
    @DisplayName("target scalar generates Java without the Vector API; switching the target regenerates")
    void scalarTarget() throws IOException {
        write("tiny.model", TINY);
        Path java = out().resolve("modelc/generated/Tiny.java");
        run();
        assertTrue(Files.readString(java).contains("jdk.incubator.vector"));
        assertEquals(List.of("modelc.generated.Tiny"), run(request(null, Dtype.F32, Target.SCALAR)).generated());
        String scalar = Files.readString(java);
        assertFalse(scalar.contains("jdk.incubator"), scalar);
        assertTrue(scalar.contains("Gemm.sgemmScalar("), scalar);
        assertEquals(List.of(), run(request(null, Dtype.F32, Target.SCALAR)).generated());
        assertEquals(List.of("modelc.generated.Tiny"), run().generated());
    }

    @Test
    @DisplayName("a generated file deleted by hand is generated again")
    void missingOutputRegenerates() throws IOException {
        write("tiny.model", TINY);
        run();
        Files.delete(out().resolve("modelc/generated/Tiny.java"));
        assertEquals(List.of("modelc.generated.Tiny"), run().generated());
    }

    @Test
    @DisplayName("deleting a model removes its Java, its copied weights and the directories they leave empty")
    void deletedModelIsCleanedUp() throws IOException {
        Path model = write("com/acme/tiny.model", TINY);
        Files.write(models().resolve("com/acme/tiny.safetensors"), new byte[] {1, 2, 3});
        run();
        assertTrue(Files.isRegularFile(out().resolve("com/acme/Tiny.java")));
        assertTrue(Files.isRegularFile(out().resolve("com/acme/TinyPredictor.java")));
        assertTrue(Files.isRegularFile(res().resolve("com/acme/Tiny.safetensors")));

        Files.delete(model);
        ModelGenerator.Outcome outcome = run();
        assertEquals(List.of("com/acme/tiny.model"), outcome.removed());
        assertFalse(Files.exists(out().resolve("com")));
        assertFalse(Files.exists(res().resolve("com")));
        assertTrue(Files.isDirectory(out()), "the root itself stays");
    }

    @Test
    @DisplayName("weights and text pipelines beside a model are copied beside its class, named after it")
    void companionsAreCopied() throws IOException {
        write("spam_filter.model", TINY.replace("Tiny", "SpamFilter"));
        Files.write(models().resolve("spam_filter.safetensors"), new byte[] {1, 2, 3});
        Files.writeString(models().resolve("spam_filter.text.json"), "{}");
        run();
        Path pkg = res().resolve("modelc/generated");
        assertTrue(Files.isRegularFile(pkg.resolve("SpamFilter.safetensors")));
        assertTrue(Files.isRegularFile(pkg.resolve("SpamFilter.text.json")));
        assertFalse(Files.exists(pkg.resolve("SpamFilter.tokenizer.json")), "only the companions modelc writes are copied");

        Files.write(models().resolve("spam_filter.safetensors"), new byte[] {4, 5, 6, 7});
        ModelGenerator.Outcome outcome = run();
        assertEquals(List.of(), outcome.generated(), "new weights are copied without regenerating the model");
        assertEquals(4, Files.size(pkg.resolve("SpamFilter.safetensors")));

        Files.delete(models().resolve("spam_filter.text.json"));
        run();
        assertFalse(Files.exists(pkg.resolve("SpamFilter.text.json")));
    }

    @Test
    @DisplayName("without packageName a model's directory is its package; a directory that is no package is an error")
    void packagesFromDirectories() throws IOException {
        write("com/acme/tiny.model", TINY);
        write("my-models/other.model", TINY.replace("Tiny", "Other"));
        ModelGenerator.Outcome outcome = run();
        assertEquals(List.of("com.acme.Tiny"), outcome.generated());
        assertEquals(1, outcome.failures().size());
        assertTrue(outcome.failures().get(0).headlines().get(0).endsWith(
                "other.model: error: cannot use directory 'my-models' as a Java package: set <packageName> or move the model"),
                outcome.failures().get(0).headlines().toString());
    }

    @Test
    @DisplayName("packageName puts every model in one package")
    void onePackage() throws IOException {
        write("a/tiny.model", TINY);
        assertEquals(List.of("com.example.Tiny"), run(request("com.example", Dtype.F32)).generated());
    }

    @Test
    @DisplayName("two models that make the same class are an error naming both")
    void classClash() throws IOException {
        write("a.model", TINY);
        write("b.model", TINY);
        ModelGenerator.Outcome outcome = run();
        assertEquals(1, outcome.failures().size());
        assertTrue(outcome.failures().get(0).message().contains("a.model and b.model both define modelc.generated.Tiny"));
        assertEquals(List.of("modelc.generated.Tiny"), outcome.generated(), "only the first is generated");
    }

    @Test
    @DisplayName("renaming a model's file keeps the class it makes")
    void renamedModel() throws IOException {
        Path model = write("tiny.model", TINY);
        run();
        Files.move(model, models().resolve("renamed.model"));
        ModelGenerator.Outcome outcome = run();
        assertEquals(List.of("modelc.generated.Tiny"), outcome.generated());
        assertEquals(List.of("tiny.model"), outcome.removed());
        assertTrue(Files.isRegularFile(out().resolve("modelc/generated/Tiny.java")));
        assertEquals(1, run().upToDate());
    }

    @Test
    @DisplayName("a syntax error is reported as path:line:col: error: with the line and a caret, and nothing is generated")
    void syntaxError() throws IOException {
        Path model = write("broken.model", TINY.replace("Dense(3, activation=softmax)", "Dense(3, activation=softmax"));
        ModelGenerator.Outcome outcome = run();
        assertEquals(List.of(), outcome.generated());
        assertEquals(1, outcome.failures().size());
        String rendered = outcome.failures().get(0).rendered().get(0);
        assertTrue(rendered.startsWith(model.toAbsolutePath() + ":3:"), rendered);
        assertTrue(rendered.contains(": error: "), rendered);
        assertTrue(rendered.contains("^"), rendered);
        assertFalse(Files.exists(out().resolve("modelc/generated/Tiny.java")));
    }

    @Test
    @DisplayName("a model that fails keeps its earlier output recorded, and is retried on the next run")
    void failureKeepsRecord() throws IOException {
        write("tiny.model", TINY);
        run();
        write("tiny.model", "sequential Tiny {\n  Dence(3)\n}\n");
        assertEquals(1, run().failures().size());
        assertEquals(1, run().failures().size(), "still failing, still reported");
        write("tiny.model", TINY.replace("Dense(3", "Dense(5"));
        ModelGenerator.Outcome fixed = run();
        assertEquals(List.of("modelc.generated.Tiny"), fixed.generated());
        assertEquals(List.of(), fixed.failures());
        write("tiny.model", "sequential Tiny {\n  Dence(3)\n}\n");
        run();
        write("tiny.model", TINY.replace("Dense(3", "Dense(5"));
        ModelGenerator.Outcome back = run();
        assertEquals(1, back.upToDate(), "back to the source the Java on disk was made from: nothing to do");
        assertEquals(List.of(), back.failures());
    }

    @Test
    @DisplayName("includes and excludes are Ant patterns: ** spans directories, none too")
    void patterns() {
        ModelScanner s = new ModelScanner(List.of("**/*.model"), List.of("drafts/**"));
        assertTrue(s.matches("a.model"));
        assertTrue(s.matches("x/y/a.model"));
        assertFalse(s.matches("a.modelx"));
        assertFalse(s.matches("drafts/a.model"));
        assertTrue(new ModelScanner(List.of("x/*.model"), List.of()).matches("x/a.model"));
        assertFalse(new ModelScanner(List.of("x/*.model"), List.of()).matches("x/y/a.model"));
        assertTrue(new ModelScanner(List.of("x/**/a?.model"), List.of()).matches("x/a1.model"));
    }

    @Test
    @DisplayName("a corrupt status file only makes every model stale")
    void corruptStatus() throws IOException {
        write("tiny.model", TINY);
        run();
        Files.writeString(dir.resolve("target/maven-status/modelc/generate.status"), "garbage\n");
        assertEquals(List.of("modelc.generated.Tiny"), run().generated());
    }
}
