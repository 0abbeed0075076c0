package modelc.maven;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import modelc.compiler.codegen.Dtype;
import modelc.maven.train.ModelTrainer;
import modelc.maven.train.TrainRequest;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecution;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugin.descriptor.PluginDescriptor;
import org.apache.maven.plugins.annotations.Component;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.sonatype.plexus.build.incremental.BuildContext;

/**
 * Trains a model at build time and writes its weights next to it ({@code <stem>.safetensors}),
 * where the generate goal picks them up for the jar. Not bound unless configured: declare an
 * execution of {@code train} before the one of {@code generate} (both run in generate-sources).
 * The weights are kept while they are newer than the model and the data (or, within one
 * {@code target/}, while nothing they were made from changed); {@code -Dmodelc.train.force} retrains.
 * Maven's JVM rarely has {@code jdk.incubator.vector}, so training the vector target usually runs in a
 * forked JVM; the scalar target trains in Maven's JVM.
 */
@Mojo(name = "train", defaultPhase = LifecyclePhase.GENERATE_SOURCES, threadSafe = true)
public final class TrainMojo extends AbstractMojo {
    /** The {@code .model} file to train. */
    @Parameter(property = "modelc.train.model", required = true)
    private File model;

    /** The training data: IDX directory, {@code .csv}, {@code .safetensors} or a directory of {@code .npy} files. */
    @Parameter(property = "modelc.train.data", required = true)
    private File data;

    /** The weights to write; by default {@code <stem>.safetensors} beside the model. */
    @Parameter(property = "modelc.train.weights")
    private File weights;

    /** Epochs; 0 means as the model's {@code fit(...)} says. */
    @Parameter(property = "modelc.train.epochs", defaultValue = "0")
    private int epochs;

    /** Batch size; 0 means as the model's {@code fit(...)} says. */
    @Parameter(property = "modelc.train.batchSize", defaultValue = "0")
    private int batchSize;

    /** Seed for the initial weights, shuffling and dropout. */
    @Parameter(property = "modelc.train.seed", defaultValue = "1")
    private long seed;

    /**
     * Threads to train on; 0 means every core. The same seed, data and thread count give
     * bit-identical weights, so set this to make them identical across machines.
     */
    @Parameter(property = "modelc.train.threads", defaultValue = "0")
    private int threads;

    /** At most this many samples of each split; 0 means all. */
    @Parameter(property = "modelc.train.limit", defaultValue = "0")
    private int limit;

    /** The CSV column holding the target. */
    @Parameter(property = "modelc.train.labelColumn", defaultValue = "label")
    private String labelColumn;

    /** The element type to train in: {@code f32} or {@code f64}. */
    @Parameter(property = "modelc.dtype", defaultValue = "f32")
    private String dtype;

    /**
     * The kind of kernels to train with: {@code vector} (the Vector API; without the module in
     * Maven's JVM, training forks one with it) or {@code scalar} (plain loops, trained in Maven's
     * JVM). The generate goal's {@code target} is a separate parameter; both read {@code modelc.target}.
     */
    @Parameter(property = "modelc.target", defaultValue = "vector")
    private String target;

    /** Options for the forked training JVM, such as {@code -Xmx2g}. Setting any forces a fork. */
    @Parameter
    private List<String> jvmArgs = List.of();

    /** Retrains even when the weights are up to date. */
    @Parameter(property = "modelc.train.force", defaultValue = "false")
    private boolean force;

    /** Skips training (the generate goal still runs). */
    @Parameter(property = "modelc.train.skip", defaultValue = "false")
    private boolean skipTrain;

    /** Skips every modelc goal. */
    @Parameter(property = "modelc.skip", defaultValue = "false")
    private boolean skip;

    @Parameter(defaultValue = "${project.build.directory}/modelc-train", readonly = true, required = true)
    private File workDirectory;

    @Parameter(defaultValue = "${project.build.directory}/maven-status/modelc", readonly = true, required = true)
    private File statusDirectory;

    /** The IDE's view of the build (m2e), for error markers on the model's lines; Plexus's default otherwise. */
    @Component
    private BuildContext buildContext;

    /** The length to generate code for where the model's input has a {@code None} dimension (as the generate goal's). */
    @Parameter(property = "modelc.maxLength")
    private Integer maxLength;

    @Parameter(defaultValue = "${mojoExecution}", readonly = true, required = true)
    private MojoExecution mojoExecution;

    @Parameter(defaultValue = "${plugin}", readonly = true, required = true)
    private PluginDescriptor plugin;

    @Override
    public void execute() throws MojoExecutionException, MojoFailureException {
        if (skip || skipTrain) {
            getLog().info("modelc: training skipped");
            return;
        }
        if (!dtype.equalsIgnoreCase("f32") && !dtype.equalsIgnoreCase("f64")) {
            throw new MojoFailureException("modelc: dtype must be f32 or f64, got '" + dtype + "'");
        }
        Path modelPath = model.toPath().toAbsolutePath().normalize();
        String stem = modelPath.getFileName().toString().replaceFirst("\\.[^.]*$", "");
        Path weightsPath = weights != null ? weights.toPath() : modelPath.resolveSibling(stem + ".safetensors");
        String id = mojoExecution == null ? "default" : mojoExecution.getExecutionId();
        Path status = statusDirectory.toPath().resolve(("train-" + id + "-" + stem).replaceAll("[^A-Za-z0-9._-]", "_") + ".status");
        TrainRequest request = new TrainRequest(modelPath, data.toPath(), weightsPath, workDirectory.toPath(), status,
                Dtype.parse(dtype), Parameters.target(target), epochs, batchSize, seed, threads, limit, labelColumn, jvmArgs == null ? List.of() : jvmArgs, force,
                Fingerprint.of(plugin), maxLength);
        ModelTrainer.Outcome outcome;
        try {
            outcome = new ModelTrainer(request, getLog()).run();
        } catch (ModelTrainer.TrainingException e) {
            getLog().error("modelc: " + e.getMessage());
            throw new MojoFailureException("modelc: training " + modelPath.getFileName() + " failed: " + e.getMessage());
        } catch (IOException e) {
            throw new MojoExecutionException("modelc: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw new MojoExecutionException("modelc: training " + modelPath.getFileName() + " failed (a modelc bug): " + e, e);
        }
        IdeMarkers.report(buildContext, List.of(modelPath), outcome.failure() == null ? List.of() : List.of(outcome.failure()),
                weightsPath.toAbsolutePath().getParent().toFile());
        if (outcome.failure() != null) {
            for (String error : outcome.failure().rendered()) getLog().error(error);
            throw new MojoFailureException(String.join("\n", outcome.failure().headlines()));
        }
    }
}
