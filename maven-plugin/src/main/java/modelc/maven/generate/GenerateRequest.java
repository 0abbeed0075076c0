package modelc.maven.generate;

import java.nio.file.Path;
import java.util.List;
import modelc.compiler.codegen.Dtype;
import modelc.compiler.codegen.Target;

/**
 * Everything one run of the generate goal needs, resolved and validated by the mojo.
 *
 * @param sourceDirectory where {@code .model} files live
 * @param includes Ant-style patterns relative to {@code sourceDirectory}
 * @param excludes Ant-style patterns relative to {@code sourceDirectory}
 * @param outputDirectory the generated-sources root the Java goes to
 * @param resourcesDirectory the generated-resources root that weights (and tokenizers) are copied to
 * @param statusFile where the digests of the last run are kept
 * @param packageName the package of every generated class, or null for "the model's directory under
 *     {@code sourceDirectory}, or {@value ModelGenerator#DEFAULT_PACKAGE} at its root"
 * @param dtype the element type generated code computes in
 * @param target the kind of kernels: Vector API or plain loops
 * @param compilerFingerprint changes whenever the compiler (or this plugin) changes
 * @param maxLength the length to generate code for where a model's input has a {@code None} dimension, or null
 */
public record GenerateRequest(Path sourceDirectory, List<String> includes, List<String> excludes, Path outputDirectory,
                              Path resourcesDirectory, Path statusFile, String packageName, Dtype dtype, Target target,
                              String compilerFingerprint, Integer maxLength) {
    public GenerateRequest {
        includes = List.copyOf(includes);
        excludes = List.copyOf(excludes);
    }

    public GenerateRequest(Path sourceDirectory, List<String> includes, List<String> excludes, Path outputDirectory,
                           Path resourcesDirectory, Path statusFile, String packageName, Dtype dtype, Target target,
                           String compilerFingerprint) {
        this(sourceDirectory, includes, excludes, outputDirectory, resourcesDirectory, statusFile, packageName, dtype, target,
                compilerFingerprint, null);
    }
}
