package modelc.maven;

import java.io.File;
import org.apache.maven.model.Resource;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * The generate goal for tests: {@code src/test/models} to
 * {@code target/generated-test-sources/modelc}, with weights in the test resources.
 */
@Mojo(name = "generate-test", defaultPhase = LifecyclePhase.GENERATE_TEST_SOURCES, threadSafe = true)
public final class GenerateTestMojo extends AbstractGenerateMojo {
    /** Where the {@code .model} files are. */
    @Parameter(defaultValue = "${project.basedir}/src/test/models", required = true)
    private File sourceDirectory;

    /** Where the Java goes; it is added to the project's test compile source roots. */
    @Parameter(defaultValue = "${project.build.directory}/generated-test-sources/modelc", required = true)
    private File outputDirectory;

    /** Where weights and text preprocessors are copied; it is added to the project's test resources. */
    @Parameter(defaultValue = "${project.build.directory}/generated-test-resources/modelc", required = true)
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
        project.addTestCompileSourceRoot(sourceRoot.getAbsolutePath());
        if (resourceRoot.isDirectory()
                && project.getTestResources().stream().noneMatch(r -> resourceRoot.getAbsolutePath().equals(r.getDirectory()))) {
            Resource r = new Resource();
            r.setDirectory(resourceRoot.getAbsolutePath());
            project.addTestResource(r);
        }
    }
}
