package modelc.runtime.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The generated GEMM sources (DgemmImpl, the micro-kernels, ScalarDgemm) are up to date with the generator. */
class GemmCodegenTest {
    @Test
    void generatedSourcesAreFresh() throws Exception {
        boolean regenerate = Boolean.getBoolean("modelc.gemm.regenerate");
        for (Map.Entry<Path, String> e : GemmCodegen.generate(GemmCodegen.sourceDir()).entrySet()) {
            if (regenerate) {
                Files.writeString(e.getKey(), e.getValue(), StandardCharsets.UTF_8);
                continue;
            }
            String actual = Files.readString(e.getKey(), StandardCharsets.UTF_8);
            assertEquals(e.getValue(), actual, e.getKey() + " is stale: run GemmCodegen (see its javadoc), "
                    + "or this test with -Dmodelc.gemm.regenerate=true");
        }
    }
}
