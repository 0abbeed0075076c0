package modelc.maven.train;

import java.io.File;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

/**
 * javac in this JVM, with an explicit class path: inside Maven, {@code java.class.path} is Maven's
 * launcher, not the plugin's dependencies, so the compiler's own {@code JavaBuild} cannot be used.
 */
final class Javac {
    private Javac() {}

    /**
     * Compiles {@code sources} into {@code classesDir} against {@code classPath}, with the Vector API
     * module when {@code vectorModule}; throws with javac's errors.
     */
    static void compile(List<Path> sources, Path classesDir, List<Path> classPath, boolean vectorModule) throws IOException {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        if (javac == null) throw new IOException("no Java compiler in this JVM: run Maven on a JDK, not a JRE");
        Files.createDirectories(classesDir);
        DiagnosticCollector<JavaFileObject> diags = new DiagnosticCollector<>();
        try (StandardJavaFileManager fm = javac.getStandardFileManager(diags, Locale.ROOT, null)) {
            String cp = String.join(File.pathSeparator, classPath.stream().map(Path::toString).toList());
            List<String> options = new java.util.ArrayList<>(List.of("--release", "25"));
            if (vectorModule) options.addAll(List.of("--add-modules", "jdk.incubator.vector", "-Xlint:-incubating"));
            options.addAll(List.of("-proc:none", "-g", "-d", classesDir.toString(), "-classpath", cp));
            StringWriter out = new StringWriter();
            boolean ok = javac.getTask(out, fm, diags, options, null, fm.getJavaFileObjectsFromPaths(sources)).call();
            if (!ok) {
                StringBuilder sb = new StringBuilder("javac rejected the generated source (a modelc bug):\n");
                for (Diagnostic<? extends JavaFileObject> d : diags.getDiagnostics()) {
                    if (d.getKind() == Diagnostic.Kind.ERROR) sb.append(d).append('\n');
                }
                throw new IOException(sb.append(out).toString());
            }
        }
    }

    /** The jar (or classes directory) a class was loaded from. */
    static Path locationOf(Class<?> c) {
        try {
            return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
