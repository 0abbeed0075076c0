package modelc.compiler;

import java.io.IOException;
import java.io.StringWriter;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import modelc.compiler.codegen.Target;
import modelc.runtime.train.CompiledModel;

/** Compiles generated source with javax.tools, in process, and loads the model class. */
public final class JavaBuild {
    private JavaBuild() {}

    /** javac failed on generated code: a compiler bug, reported with javac's messages. */
    public static final class JavacException extends RuntimeException {
        public JavacException(String message) {
            super(message);
        }
    }

    /** Writes {@code result}'s source under {@code srcDir} and compiles it into {@code classesDir}. */
    public static Path compile(Compiler.Result result, Path srcDir, Path classesDir) throws IOException {
        Path source = result.javaFile().writeToPath(srcDir);
        List<Path> sources = new ArrayList<>(List.of(source));
        for (var f : result.files()) if (f != result.javaFile()) sources.add(f.writeToPath(srcDir));
        Files.createDirectories(classesDir);
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        if (javac == null) throw new JavacException("no Java compiler in this JVM: run modelc on a JDK, not a JRE");
        DiagnosticCollector<JavaFileObject> diags = new DiagnosticCollector<>();
        try (StandardJavaFileManager fm = javac.getStandardFileManager(diags, Locale.ROOT, null)) {
            // The scalar target compiles without the incubator module: that is what it is for.
            List<String> opts = new ArrayList<>(result.options().target() == Target.VECTOR
                    ? List.of("--release", "25", "--add-modules", "jdk.incubator.vector", "-Xlint:-incubating")
                    : List.of("--release", "25"));
            opts.addAll(List.of("-g", "-d", classesDir.toString(), "-classpath", System.getProperty("java.class.path")));
            StringWriter out = new StringWriter();
            boolean ok = javac.getTask(out, fm, diags, opts, null, fm.getJavaFileObjectsFromPaths(sources)).call();
            if (!ok) {
                StringBuilder sb = new StringBuilder("javac rejected the generated source " + source + " (a modelc bug):\n");
                for (Diagnostic<? extends JavaFileObject> d : diags.getDiagnostics()) {
                    if (d.getKind() == Diagnostic.Kind.ERROR) sb.append(d).append('\n');
                }
                throw new JavacException(sb.toString());
            }
        }
        return source;
    }

    /** Loads and instantiates the compiled model class from {@code classesDir}. */
    public static CompiledModel load(Compiler.Result result, Path classesDir) throws IOException {
        URLClassLoader loader = new URLClassLoader(new URL[] {classesDir.toUri().toURL()}, JavaBuild.class.getClassLoader());
        try {
            Class<?> cls = loader.loadClass(result.qualifiedName());
            return (CompiledModel) cls.getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot load " + result.qualifiedName() + " from " + classesDir, e);
        }
    }
}
