package modelc.maven;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import javax.lang.model.SourceVersion;
import modelc.compiler.codegen.Dtype;
import modelc.compiler.codegen.Target;
import modelc.maven.generate.Failure;
import modelc.maven.generate.GenerateRequest;
import modelc.maven.generate.ModelGenerator;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecution;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugin.descriptor.PluginDescriptor;
import org.apache.maven.plugins.annotations.Component;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.project.MavenProject;
import org.sonatype.plexus.build.incremental.BuildContext;

/**
 * What the generate goals share: the options, their validation, and the hand-over to
 * {@link ModelGenerator}. Subclasses only say where models are read from and where Java and
 * resources go, and which roots of the project they join.
 */
public abstract class AbstractGenerateMojo extends AbstractMojo {
    @Parameter(defaultValue = "${project}", readonly = true, required = true)
    protected MavenProject project;

    @Parameter(defaultValue = "${mojoExecution}", readonly = true, required = true)
    private MojoExecution mojoExecution;

    @Parameter(defaultValue = "${plugin}", readonly = true, required = true)
    private PluginDescriptor plugin;

    /** Ant-style patterns, relative to {@code sourceDirectory}, of the models to compile. */
    @Parameter
    private Set<String> includes = Set.of("**/*.model");

    /** Ant-style patterns, relative to {@code sourceDirectory}, of models to leave out. */
    @Parameter
    private Set<String> excludes = Set.of();

    /**
     * The package of the generated classes. When unset, a model's directory under
     * {@code sourceDirectory} is its package ({@code src/main/models/com/acme/spam.model} makes
     * {@code com.acme.SpamFilter}), and models at the root go to {@code modelc.generated}.
     */
    @Parameter(property = "modelc.packageName")
    private String packageName;

    /** The element type generated code computes in: {@code f32} or {@code f64}. */
    @Parameter(property = "modelc.dtype", defaultValue = "f32")
    private String dtype;

    /**
     * The kind of kernels: {@code vector} (the Vector API, which needs {@code --add-modules
     * jdk.incubator.vector} where the classes are compiled and run), or {@code scalar}: plain
     * loops, for a portable build whose compiler, tests and application need no incubator module.
     */
    @Parameter(property = "modelc.target", defaultValue = "vector")
    private String target;

    /**
     * The length to generate code for where a model's input has a {@code None} dimension
     * ({@code input words: int[None]}); such a model needs it.
     */
    @Parameter(property = "modelc.maxLength")
    private Integer maxLength;

    /** The IDE's view of the build (m2e), for error markers on {@code .model} lines; Plexus's default otherwise. */
    @Component
    private BuildContext buildContext;

    /** Skips the goal. */
    @Parameter(property = "modelc.skip", defaultValue = "false")
    private boolean skip;

    /** Where the digests of the last run are kept. */
    @Parameter(defaultValue = "${project.build.directory}/maven-status/modelc", readonly = true, required = true)
    private File statusDirectory;

    protected abstract File sourceDirectory();

    protected abstract File outputDirectory();

    protected abstract File resourcesDirectory();

    /** Adds the generated sources (and, when there are any, resources) to the project. */
    protected abstract void register(File sourceRoot, File resourceRoot);

    @Override
    public void execute() throws MojoExecutionException, MojoFailureException {
        if (skip) {
            getLog().info("modelc: skipped (modelc.skip)");
            return;
        }
        GenerateRequest request = new GenerateRequest(sourceDirectory().toPath(), List.copyOf(includes), List.copyOf(excludes),
                outputDirectory().toPath(), resourcesDirectory().toPath(), statusFile(), validPackageName(), validDtype(),
                validTarget(), Fingerprint.of(plugin), maxLength);
        ModelGenerator.Outcome outcome;
        try {
            outcome = new ModelGenerator(request, getLog()).run();
        } catch (IOException e) {
            throw new MojoExecutionException("modelc: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw new MojoExecutionException("modelc: " + e.getMessage() + " (a modelc bug)", e);
        }
        register(outputDirectory(), resourcesDirectory());
        IdeMarkers.report(buildContext, outcome.scanned(), outcome.failures(), outputDirectory(), resourcesDirectory());
        report(outcome);
    }

    private void report(ModelGenerator.Outcome outcome) throws MojoFailureException {
        if (!outcome.failures().isEmpty()) {
            List<String> headlines = new ArrayList<>();
            for (Failure f : outcome.failures()) {
                for (String error : f.rendered()) getLog().error(error);
                headlines.addAll(f.headlines());
            }
            throw new MojoFailureException(headlines.size() + (headlines.size() == 1 ? " error" : " errors") + " in "
                    + outcome.failures().size() + (outcome.failures().size() == 1 ? " model" : " models") + ":\n"
                    + String.join("\n", headlines));
        }
        if (outcome.models() == 0 && outcome.removed().isEmpty()) {
            getLog().info("modelc: no models in " + sourceDirectory());
        } else if (outcome.generated().isEmpty() && outcome.removed().isEmpty()) {
            getLog().info("modelc: nothing to generate, " + plural(outcome.upToDate(), "model") + " up to date");
        } else {
            getLog().info("modelc: " + outcome.generated().size() + " generated, " + outcome.upToDate() + " up to date, "
                    + outcome.removed().size() + " removed");
        }
    }

    private static String plural(int n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }

    private Path statusFile() {
        String id = mojoExecution == null ? "default" : mojoExecution.getGoal() + "-" + mojoExecution.getExecutionId();
        return statusDirectory.toPath().resolve(id.replaceAll("[^A-Za-z0-9._-]", "_") + ".status");
    }

    private String validPackageName() throws MojoFailureException {
        if (packageName == null || packageName.isBlank()) return null;
        String p = packageName.trim();
        if (!SourceVersion.isName(p)) throw new MojoFailureException("modelc: packageName '" + p + "' is not a Java package name");
        return p;
    }

    private Dtype validDtype() throws MojoFailureException {
        String d = dtype == null ? "f32" : dtype.trim();
        if (!d.equalsIgnoreCase("f32") && !d.equalsIgnoreCase("f64")) {
            throw new MojoFailureException("modelc: dtype must be f32 or f64, got '" + d + "'");
        }
        return Dtype.parse(d);
    }

    private Target validTarget() throws MojoFailureException {
        return Parameters.target(target);
    }
}
