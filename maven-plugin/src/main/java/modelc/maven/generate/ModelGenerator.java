package modelc.maven.generate;

import com.palantir.javapoet.JavaFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.lang.model.SourceVersion;
import modelc.compiler.Compiler;
import modelc.compiler.diag.CompileException;
import org.apache.maven.plugin.logging.Log;

/**
 * One run of the generate goal: finds the models, regenerates those whose digest (source, options,
 * compiler) moved, copies the weights and text preprocessors found next to each model into the
 * generated resources, and removes what deleted models had produced. Knows nothing of Maven's
 * project model: the mojo registers the roots.
 */
public final class ModelGenerator {
    /** The package of a model at the root of the source directory when no packageName is set. */
    public static final String DEFAULT_PACKAGE = "modelc.generated";

    /** Files next to {@code <stem>.model} that are copied beside the generated class, by suffix. */
    static final List<String> COMPANION_SUFFIXES = List.of(".safetensors", ".text.json");

    /** Bumped when the layout of generated output changes, so that every model is regenerated once. */
    private static final String SPEC = "1";

    private final GenerateRequest request;
    private final Log log;

    public ModelGenerator(GenerateRequest request, Log log) {
        this.request = request;
        this.log = log;
    }

    /**
     * What a run did. {@code failures} are problems in the user's models (or their layout); {@code scanned}
     * every model file read.
     */
    public record Outcome(List<String> generated, int upToDate, List<String> removed, List<Failure> failures, List<Path> scanned) {
        public int models() {
            return generated.size() + upToDate + failures.size();
        }
    }

    public Outcome run() throws IOException {
        Path sourceRoot = request.sourceDirectory().toAbsolutePath().normalize();
        Map<String, BuildStatus.Entry> previous = BuildStatus.load(request.statusFile());
        Map<String, BuildStatus.Entry> next = BuildStatus.copy(Map.of());
        List<String> generated = new ArrayList<>();
        List<String> removed = new ArrayList<>();
        List<Failure> failures = new ArrayList<>();
        List<Path> scanned = new ArrayList<>();
        Map<String, String> classOwners = new HashMap<>();
        int upToDate = 0;

        for (Path model : new ModelScanner(request.includes(), request.excludes()).scan(sourceRoot)) {
            scanned.add(model);
            String key = ModelScanner.relative(sourceRoot, model);
            String source = Files.readString(model, StandardCharsets.UTF_8);
            BuildStatus.Entry old = previous.get(key);
            String pkg = packageFor(key);
            if (pkg == null) {
                failures.add(Failure.of(model, source, "cannot use directory '" + parentOf(key)
                        + "' as a Java package: set <packageName> or move the model"));
                if (old != null) next.put(key, old);
                continue;
            }
            String digest = Digests.of(SPEC, key, source, pkg, request.dtype().flag, request.target().flag, String.valueOf(request.maxLength()),
                    request.compilerFingerprint(), request.outputDirectory().toAbsolutePath().toString());
            BuildStatus.Entry entry;
            if (old != null && old.digest().equals(digest) && old.sources().stream().allMatch(Files::isRegularFile)) {
                if (clashes(classOwners, old.qualifiedName(), key, model, source, failures)) continue;
                entry = old;
                upToDate++;
                log.debug("modelc: " + key + " is up to date");
            } else {
                Compiler.Result result;
                try {
                    result = Compiler.compile(model.getFileName().toString(), source, new Compiler.Options(request.dtype(), pkg, request.target(),
                            lengths(model, source, request.maxLength())));
                } catch (CompileException e) {
                    failures.add(new Failure(model, source, e.diagnostics(), null));
                    if (old != null) next.put(key, old);
                    continue;
                } catch (RuntimeException e) {
                    throw new IllegalStateException("the compiler failed on " + model + ": " + e, e);
                }
                if (clashes(classOwners, result.qualifiedName(), key, model, source, failures)) {
                    if (old != null) next.put(key, old);
                    continue;
                }
                List<Path> sources = new ArrayList<>();
                for (JavaFile file : generatedFiles(result)) sources.add(write(file));
                entry = new BuildStatus.Entry(digest, result.qualifiedName(), sources, old == null ? List.of() : old.resources());
                if (old != null) deleteAll(without(old.sources(), sources));
                generated.add(result.qualifiedName());
                log.info("Generated " + result.qualifiedName() + " from " + key);
            }
            next.put(key, entry.withResources(copyCompanions(model, entry)));
        }

        Set<Path> kept = new HashSet<>();
        next.values().forEach(e -> kept.addAll(e.outputs()));
        for (Map.Entry<String, BuildStatus.Entry> gone : previous.entrySet()) {
            if (next.containsKey(gone.getKey())) continue;
            deleteAll(gone.getValue().outputs().stream().filter(p -> !kept.contains(p)).toList());
            removed.add(gone.getKey());
            log.info("Removed the output of " + gone.getKey() + " (the model is gone)");
        }
        BuildStatus.save(request.statusFile(), next);
        return new Outcome(List.copyOf(generated), upToDate, List.copyOf(removed), List.copyOf(failures), List.copyOf(scanned));
    }

    /** Records that {@code key} makes {@code className}; false, with a failure, if another model already does. */
    private static boolean clashes(Map<String, String> owners, String className, String key, Path model, String source,
                                   List<Failure> failures) {
        String owner = owners.putIfAbsent(className, key);
        if (owner == null) return false;
        failures.add(Failure.of(model, source, owner + " and " + key + " both define " + className + ": rename one of the models"));
        return true;
    }

    /** The Java files the compiler produced for one model: the model class and its predictor. */
    static List<JavaFile> generatedFiles(Compiler.Result result) {
        return result.files();
    }

    /** The package for the model at {@code key}, or null when its directory is no Java package. */
    String packageFor(String key) {
        if (request.packageName() != null) return request.packageName();
        String dir = parentOf(key);
        if (dir.isEmpty()) return DEFAULT_PACKAGE;
        String pkg = dir.replace('/', '.');
        return SourceVersion.isName(pkg) ? pkg : null;
    }

    private static String parentOf(String key) {
        int slash = key.lastIndexOf('/');
        return slash < 0 ? "" : key.substring(0, slash);
    }

    /** Writes {@code file} under the output directory unless it already holds exactly that text. */
    private Path write(JavaFile file) throws IOException {
        Path dir = request.outputDirectory().toAbsolutePath().normalize();
        if (!file.packageName().isEmpty()) dir = dir.resolve(file.packageName().replace('.', '/'));
        Path out = dir.resolve(file.typeSpec().name() + ".java");
        String text = file.toString();
        if (Files.isRegularFile(out) && Files.readString(out, StandardCharsets.UTF_8).equals(text)) return out;
        Files.createDirectories(dir);
        Files.writeString(out, text, StandardCharsets.UTF_8);
        return out;
    }

    /** Every input with a None dimension specialised to {@code maxLength} (none when it is null). */
    public static java.util.Map<String, Integer> lengths(Path model, String source, Integer maxLength) {
        java.util.Map<String, Integer> lengths = new java.util.LinkedHashMap<>();
        if (maxLength != null) Compiler.variableLengthInputs(model.getFileName().toString(), source).keySet().forEach(k -> lengths.put(k, maxLength));
        return lengths;
    }

    /**
     * Copies {@code <stem>.safetensors} and {@code <stem>.text.json} (the text pipelines fitted with them)
     * (or the same named after the class) from beside the model to beside the generated class in the
     * resources, as {@code <Class>.safetensors} and so on, so {@code Class.class.getResource(...)}
     * finds them in the jar. Returns the copies; removes earlier copies whose original is gone.
     */
    private List<Path> copyCompanions(Path model, BuildStatus.Entry entry) throws IOException {
        String fileName = model.getFileName().toString();
        int dot = fileName.lastIndexOf('.');
        String stem = dot > 0 ? fileName.substring(0, dot) : fileName;
        String qualified = entry.qualifiedName();
        String simple = qualified.substring(qualified.lastIndexOf('.') + 1);
        Path dir = request.resourcesDirectory().toAbsolutePath().normalize();
        int lastDot = qualified.lastIndexOf('.');
        if (lastDot > 0) dir = dir.resolve(qualified.substring(0, lastDot).replace('.', '/'));
        List<Path> copies = new ArrayList<>();
        for (String suffix : COMPANION_SUFFIXES) {
            Path from = model.resolveSibling(stem + suffix);
            if (!Files.isRegularFile(from)) from = model.resolveSibling(simple + suffix);
            if (!Files.isRegularFile(from)) continue;
            Path to = dir.resolve(simple + suffix);
            if (!sameFile(from, to)) {
                Files.createDirectories(dir);
                Files.copy(from, to, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES);
                log.info("Copied " + from.getFileName() + " to " + request.resourcesDirectory().toAbsolutePath().normalize().relativize(to));
            }
            copies.add(to);
        }
        deleteAll(without(entry.resources(), copies));
        return copies;
    }

    private static boolean sameFile(Path a, Path b) throws IOException {
        return Files.isRegularFile(b) && Files.size(a) == Files.size(b)
                && Files.getLastModifiedTime(a).equals(Files.getLastModifiedTime(b));
    }

    private static List<Path> without(List<Path> all, List<Path> keep) {
        Set<Path> k = new LinkedHashSet<>(keep);
        return all.stream().filter(p -> !k.contains(p)).toList();
    }

    /** Deletes files and then the directories they leave empty, up to (not including) the roots. */
    private void deleteAll(List<Path> files) throws IOException {
        List<Path> roots = List.of(request.outputDirectory().toAbsolutePath().normalize(),
                request.resourcesDirectory().toAbsolutePath().normalize());
        for (Path f : files) {
            if (Files.deleteIfExists(f)) log.debug("modelc: deleted " + f);
            for (Path dir = f.getParent(); dir != null && isUnderARoot(dir, roots) && isEmptyDirectory(dir); dir = dir.getParent()) {
                Files.delete(dir);
            }
        }
    }

    private static boolean isUnderARoot(Path dir, List<Path> roots) {
        for (Path r : roots) {
            if (dir.startsWith(r) && !dir.equals(r)) return true;
        }
        return false;
    }

    private static boolean isEmptyDirectory(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) return false;
        try (var s = Files.list(dir)) {
            return s.findAny().isEmpty();
        }
    }
}
