package modelc.compiler.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import modelc.runtime.data.Dataset;
import modelc.runtime.train.ModelSpec;
import modelc.runtime.train.OptimizerConfig;
import org.junit.jupiter.api.Test;

/** {@code modelc bench --filled F --padding pre|post}: where the synthetic token sequences hold padding. */
class BenchDataTest {
    @Test
    void filledSequencesArePaddedInFrontOrBehind() {
        ModelSpec spec = new ModelSpec("M", "f32", List.of(new ModelSpec.InputSpec("t", true, new int[] {8})), new int[] {1},
                new ModelSpec.TargetSpec(false, new int[] {1}), List.of(), "mse", List.of(), OptimizerConfig.defaults("sgd"), null,
                ModelSpec.FitConfig.DEFAULT);
        for (boolean post : new boolean[] {false, true}) {
            Dataset d = BenchCommand.synthetic(spec, 3, Map.of("t", 50), 0.25, post);
            float[] t = d.features().get("t").toFloatArray();
            for (int r = 0; r < 3; r++) {
                for (int s = 0; s < 8; s++) {
                    boolean token = post ? s < 2 : s >= 6;  // a quarter of 8 steps hold tokens
                    float v = t[r * 8 + s];
                    assertTrue(token ? v >= 1 && v < 50 : v == 0, (post ? "post" : "pre") + ", row " + r + ", step " + s + ": " + v);
                }
            }
            assertEquals(3, d.size());
        }
    }
}
