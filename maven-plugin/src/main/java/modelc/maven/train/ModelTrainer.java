package modelc.maven.train;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import modelc.compiler.Compiler;
import modelc.compiler.codegen.Target;
import modelc.compiler.diag.CompileException;
import modelc.maven.generate.Digests;
import modelc.maven.generate.Failure;
import modelc.maven.generate.ModelGenerator;
import modelc.runtime.io.FormatException;
import modelc.runtime.train.CompiledModel;
import modelc.runtime.train.TrainMain;
import modelc.runtime.train.Weights;
import org.apache.maven.plugin.logging.Log;

/**
 * Trains one model at build time: compiles it to classes under the work directory, runs
 * {@link TrainMain} on the data, and writes the weights. Skips the run when the weights are newer
 * than everything they were made from.
 */
public final class ModelTrainer {
    private static final String VECTOR_MODULE = "jdk.incubator.vector";

    private final TrainRequest request;
    private final Log log;

    public ModelTrainer(TrainRequest request, Log log) {
        this.request = request;
        this.log = log;
    }

    /** What a run did: trained, found the weights up to date, or met errors in the model. */
    public record Outcome(boolean trained, Failure failure) {}

    /** A problem with the data or the training run, reported as the user's to fix. */
    public static final class TrainingException extends Exception {
        TrainingException(String message) {
            super(message);
        }
    }

    public Outcome run() throws IOException, TrainingException {
        Path model = request.model().toAbsolutePath().normalize();
        if (!Files.isRegularFile(model)) throw new TrainingException("no model file " + model);
        if (!Files.exists(request.data())) throw new TrainingException("no data at " + request.data().toAbsolutePath());
        String source = Files.readString(model, StandardCharsets.UTF_8);
        String digest = digest(model, source);
        if (!request.force() && upToDate(model, digest)) {
            log.info("modelc: weights " + request.weights() + " are up to date (modelc.train.force retrains)");
            return new Outcome(false, null);
        }
        Compiler.Result result;
        try {
            result = Compiler.compile(model.getFileName().toString(), source,
                    new Compiler.Options(request.dtype(), ModelGenerator.DEFAULT_PACKAGE, request.target(),
                            ModelGenerator.lengths(model, source, request.maxLength())));
        } catch (CompileException e) {
            return new Outcome(false, new Failure(model, source, e.diagnostics(), null));
        }
        Path work = request.workDirectory().resolve(result.className());
        Path classes = work.resolve("classes");
        Path src = result.javaFile().writeToPath(work.resolve("src"));
        boolean vector = request.target() == Target.VECTOR;
        Javac.compile(List.of(src), classes, List.of(Javac.locationOf(CompiledModel.class)), vector);
        Path weights = request.weights().toAbsolutePath().normalize();
        Files.createDirectories(weights.getParent());
        Path checkpoint = work.resolve("checkpoint.safetensors");
        Files.deleteIfExists(checkpoint);

        // The scalar target runs in any JVM; the vector target needs the module in this one.
        boolean inProcess = request.jvmArgs().isEmpty() && (!vector || ModuleLayer.boot().findModule(VECTOR_MODULE).isPresent());
        log.info("modelc: training " + result.className() + " on " + request.data()
                + (inProcess ? "" : vector ? " (in a forked JVM with --add-modules " + VECTOR_MODULE + ")" : " (in a forked JVM)"));
        if (inProcess) trainHere(result.qualifiedName(), classes, weights, checkpoint);
        else trainForked(result.qualifiedName(), classes, weights, checkpoint, vector);
        if (!Files.isRegularFile(weights)) throw new TrainingException("training ended without writing " + weights);
        Files.createDirectories(request.statusFile().getParent());
        Files.writeString(request.statusFile(), digest + "\n", StandardCharsets.UTF_8);
        return new Outcome(true, null);
    }

    private void trainHere(String className, Path classes, Path weights, Path checkpoint) throws IOException, TrainingException {
        try (URLClassLoader loader = new URLClassLoader(new URL[] {classes.toUri().toURL()}, ModelTrainer.class.getClassLoader());
             PrintStream out = new PrintStream(new LineLog(log), true, StandardCharsets.UTF_8)) {
            CompiledModel m = (CompiledModel) loader.loadClass(className).getDeclaredConstructor().newInstance();
            TrainMain.run(m, new TrainMain.Config(request.data(), request.epochs(), request.batchSize(), request.seed(), threads(),
                    weights, checkpoint, false, request.limit(), request.labelColumn()), out);
        } catch (FormatException | Weights.MismatchException e) {
            throw new TrainingException(e.getMessage());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot load the compiled model " + className, e);
        }
    }

    private void trainForked(String className, Path classes, Path weights, Path checkpoint, boolean vector)
            throws IOException, TrainingException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(request.jvmArgs());
        if (vector) cmd.addAll(List.of("--add-modules", VECTOR_MODULE));
        cmd.addAll(List.of("-cp", String.join(java.io.File.pathSeparator,
                classes.toString(), Javac.locationOf(CompiledModel.class).toString(), Javac.locationOf(TrainLauncher.class).toString()),
                TrainLauncher.class.getName(), className, request.data().toAbsolutePath().toString(), weights.toString(),
                checkpoint.toString(), Integer.toString(request.epochs()), Integer.toString(request.batchSize()),
                Long.toString(request.seed()), Integer.toString(threads()), Integer.toString(request.limit()),
                request.labelColumn()));
        log.debug("modelc: " + String.join(" ", cmd));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        p.getOutputStream().close();
        String lastError = null;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                if (line.startsWith("WARNING: Using incubator modules")) log.debug(line);
                else log.info(line);
                if (line.startsWith("error: ")) lastError = line.substring("error: ".length());
            }
        }
        int exit;
        try {
            exit = p.waitFor();
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new TrainingException("interrupted while training");
        }
        if (exit != 0) throw new TrainingException(lastError != null ? lastError : "the training JVM exited with status " + exit);
    }

    private int threads() {
        return request.threads() > 0 ? request.threads() : Runtime.getRuntime().availableProcessors();
    }

    /** Weights exist and were made from these inputs, or (with no record, as after a clean) are newer than them. */
    private boolean upToDate(Path model, String digest) throws IOException {
        Path weights = request.weights();
        if (!Files.isRegularFile(weights)) return false;
        if (Files.isRegularFile(request.statusFile())) {
            return Files.readString(request.statusFile(), StandardCharsets.UTF_8).strip().equals(digest);
        }
        FileTime made = Files.getLastModifiedTime(weights);
        return made.compareTo(Files.getLastModifiedTime(model)) >= 0 && made.compareTo(newest(request.data())) >= 0;
    }

    private String digest(Path model, String source) throws IOException {
        return Digests.of("train 1", source, request.dtype().flag, request.target().flag, String.valueOf(request.maxLength()), request.data().toAbsolutePath().toString(), dataStamp(),
                request.weights().toAbsolutePath().toString(), Integer.toString(request.epochs()),
                Integer.toString(request.batchSize()), Long.toString(request.seed()), Integer.toString(threads()),
                Integer.toString(request.limit()),
                request.labelColumn(), request.compilerFingerprint());
    }

    /** Each data file's path, size and modification time. */
    private String dataStamp() throws IOException {
        StringBuilder sb = new StringBuilder();
        try (Stream<Path> files = Files.walk(request.data())) {
            for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                sb.append(f).append(' ').append(Files.size(f)).append(' ').append(Files.getLastModifiedTime(f).toMillis()).append('\n');
            }
        }
        return sb.toString();
    }

    private FileTime newest(Path data) throws IOException {
        try (Stream<Path> files = Files.walk(data)) {
            FileTime newest = FileTime.fromMillis(0);
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                FileTime t = Files.getLastModifiedTime(f);
                if (t.compareTo(newest) > 0) newest = t;
            }
            return newest;
        }
    }

    /** Sends what the trainer prints to Maven's log, one line at a time. */
    private static final class LineLog extends OutputStream {
        private final Log log;
        private final java.io.ByteArrayOutputStream line = new java.io.ByteArrayOutputStream();

        LineLog(Log log) {
            this.log = log;
        }

        @Override
        public void write(int b) {
            if (b == '\n' || b == '\r') flushLine();
            else line.write(b);
        }

        @Override
        public void close() {
            flushLine();
        }

        private void flushLine() {
            if (line.size() > 0) log.info(line.toString(StandardCharsets.UTF_8));
            line.reset();
        }
    }
}
