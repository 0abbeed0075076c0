package modelc.runtime.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import modelc.runtime.Tensor;
import modelc.runtime.io.SafeTensors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * On a JVM started without {@code --add-modules jdk.incubator.vector}, the runtime's entry points
 * that have vector loops (Adam, gradient sums, flushing subnormals, GEMM) run on their scalar
 * loops, load no Vector API class (which would fail there), and give the same bits as with the
 * Vector API, except GEMM, whose sums are ordered differently.
 */
class WithoutVectorApiTest {
    @TempDir
    Path dir;

    @Test
    void theScalarLoopsComputeWhatTheVectorLoopsCompute() throws Exception {
        Path file = dir.resolve("child.safetensors"), log = dir.resolve("child.log");
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), WithoutVectorApi.class.getName(), file.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        assertEquals(true, p.waitFor(2, TimeUnit.MINUTES));
        String printed = Files.readString(log, StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), printed);
        assertFalse(printed.contains("incubator"), printed);

        Map<String, Tensor> without = SafeTensors.read(file), with = WithoutVectorApi.compute();
        assertEquals(0, without.get("vectorApi").getInt(0));
        assertEquals(1, with.get("vectorApi").getInt(0), "this test's own JVM runs with the module");
        assertEquals(with.keySet(), without.keySet());
        for (String k : with.keySet()) {
            if (k.equals("vectorApi")) continue;
            Tensor a = with.get(k), b = without.get(k);
            for (long i = 0; i < a.size(); i++) {
                double x = a.getDouble(i), y = b.getDouble(i);
                if (List.of("sgemm").contains(k)) {
                    assertEquals(x, y, 1e-5 * Math.max(1, Math.abs(x)), k + "[" + i + "]");
                } else {
                    assertEquals(Double.doubleToLongBits(x), Double.doubleToLongBits(y), k + "[" + i + "]: " + x + " vs " + y);
                }
            }
        }
        // Without the module, sgemm is sgemmScalar; and the scalar GEMM is GEMM.
        Tensor c = without.get("sgemm"), cs = without.get("sgemmScalar"), tt = without.get("dgemmScalarTT");
        for (int i = 0; i < 7; i++) {
            for (int j = 0; j < 19; j++) {
                assertEquals(c.getDouble(i * 19 + j), cs.getDouble(i * 19 + j));
                double ref = 0;
                for (int p2 = 0; p2 < 33; p2++) ref += (double) (float) Math.sin(i * 33 + p2) * (float) Math.cos(p2 * 19 + j);
                assertEquals(ref, cs.getDouble(i * 19 + j), 1e-4);
                assertEquals(ref, tt.getDouble(j * 7 + i), 1e-12);
            }
        }
    }
}
