package modelc.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import modelc.compiler.Compiler;
import modelc.compiler.codegen.Dtype;
import org.junit.jupiter.api.Test;

/**
 * generated-samples/ holds the Java modelc emits for every example model, so readers can see it and
 * reviews show how a compiler change moves it. This fails when a sample is stale; regenerate them
 * with {@code bin/regenerate-samples}.
 */
class SamplesAreFreshTest {
    static final Path EXAMPLES = Path.of("..", "examples");
    static final Path SAMPLES = Path.of("src", "main", "java");
    static final String PACKAGE = "modelc.samples";

    static List<Path> examples() throws IOException {
        try (Stream<Path> s = Files.list(EXAMPLES)) {
            return s.filter(p -> p.toString().endsWith(".model")).sorted().toList();
        }
    }

    /** A None length is generated at 40 steps in the samples, as bin/regenerate-samples does (pos_tagger's data). */
    static java.util.Map<String, Integer> sampleLengths(Path model) throws IOException {
        java.util.Map<String, Integer> out = new java.util.HashMap<>();
        Compiler.variableLengthInputs(model.toString(), Files.readString(model)).keySet().forEach(k -> out.put(k, 40));
        return out;
    }

    @Test
    void everyExampleHasAFreshSample() throws IOException {
        List<Path> models = examples();
        assertFalse(models.isEmpty(), "no examples found in " + EXAMPLES.toAbsolutePath());
        for (Path model : models) {
            Compiler.Result r = Compiler.compile(model, new Compiler.Options(Dtype.F32, PACKAGE).withLengths(sampleLengths(model)));
            for (var f : r.files()) {
                Path file = SAMPLES.resolve(PACKAGE.replace('.', '/')).resolve(f.typeSpec().name() + ".java");
                String current = Files.exists(file) ? Files.readString(file) : "";
                assertEquals(f.toString(), current, file + " is stale: regenerate the samples with bin/regenerate-samples");
            }
        }
    }
}
