package modelc.maven;

import java.io.File;
import org.apache.maven.model.Resource;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Compiles {@code src/main/models/**}{@code /*.model} to Java under
 * {@code target/generated-sources/modelc}, and copies the weights next to each model into
 * {@code target/generated-resources/modelc}, so both land in the jar.
 */
@Mojo(name = "generate", defaultPhase = LifecyclePhase.GENERATE_SOURCES, threadSafe = true)
public final class GenerateMojo extends AbstractGenerateMojo {
    /** Where the {@code .model} files are. */
    @Parameter(defaultValue = "${project.basedir}/src/main/models", required = true)
    private File sourceDirectory;

    /** Where the Java goes; it is added to the project's compile source roots. */
    @Parameter(defaultValue = "${project.build.directory}/generated-sources/modelc", required = true)
    private File outputDirectory;

    /**
     * Where weights ({@code <model>.safetensors}) and the text pipelines fitted with them
     * ({@code <model>.text.json}) are copied, beside the
     * generated class's package; it is added to the project's resources.
     */
    @Parameter(defaultValue = "${project.build.directory}/generated-resources/modelc", required = true)
    private File resourcesDirectory;

    @Override
    protected File sourceDirectory() {
        return sourceDirectory;
    }

    @Override
    protected File outputDirectory() {
        return outputDirectory;
    }

    @Override
    protected File resourcesDirectory() {
        return resourcesDirectory;
    }

    @Override
    protected void register(File sourceRoot, File resourceRoot) {
        project.addCompileSourceRoot(sourceRoot.getAbsolutePath());
        if (resourceRoot.isDirectory()
                && project.getResources().stream().noneMatch(r -> resourceRoot.getAbsolutePath().equals(r.getDirectory()))) {
            Resource r = new Resource();
            r.setDirectory(resourceRoot.getAbsolutePath());
            project.addResource(r);
        }
    }
}
