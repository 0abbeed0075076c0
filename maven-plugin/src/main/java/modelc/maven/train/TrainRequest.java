package modelc.maven.train;

import java.nio.file.Path;
import java.util.List;
import modelc.compiler.codegen.Dtype;
import modelc.compiler.codegen.Target;

/**
 * One training run of the train goal, resolved and validated by the mojo. Zero for {@code epochs}
 * or {@code batchSize} means "as the model's {@code fit(...)} says"; zero for {@code threads}, every core; zero
 * for {@code limit}, all samples. The {@code target} scalar needs no Vector API module, so it trains
 * in Maven's JVM (or forks without {@code --add-modules}). {@code maxLength} (or null) is the length of inputs'
 * {@code None} dimension.
 */
public record TrainRequest(Path model, Path data, Path weights, Path workDirectory, Path statusFile, Dtype dtype, Target target,
                           int epochs, int batchSize, long seed, int threads, int limit, String labelColumn, List<String> jvmArgs,
                           boolean force, String compilerFingerprint, Integer maxLength) {
    public TrainRequest {
        jvmArgs = List.copyOf(jvmArgs);
    }

    public TrainRequest(Path model, Path data, Path weights, Path workDirectory, Path statusFile, Dtype dtype, Target target,
                        int epochs, int batchSize, long seed, int threads, int limit, String labelColumn, List<String> jvmArgs,
                        boolean force, String compilerFingerprint) {
        this(model, data, weights, workDirectory, statusFile, dtype, target, epochs, batchSize, seed, threads, limit, labelColumn,
                jvmArgs, force, compilerFingerprint, null);
    }
}
