package modelc.compiler.cli;

import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import modelc.runtime.Tensor;
import modelc.runtime.io.SafeTensors;

/** Runs the {@code modelc} command line in this JVM and captures what it prints. */
final class Cli {
    private Cli() {}

    /** The exit code and the text on stdout and stderr. */
    record Run(int exit, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exit + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    static synchronized Run run(Object... args) {
        String[] argv = new String[args.length];
        for (int i = 0; i < args.length; i++) argv[i] = args[i].toString();
        PrintStream oldOut = System.out, oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            int exit = Main.run(argv);
            return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    /** A user's error: exit 1, the one message on stderr, and no Java stack trace. */
    static void assertUserError(Run r, String expectedErr) {
        if (r.exit() != 1 || !r.err().equals(expectedErr)) {
            throw new AssertionError("expected exit 1 and stderr\n" + expectedErr + "but got " + r);
        }
        assertNoStackTrace(r);
    }

    static void assertNoStackTrace(Run r) {
        assertFalse(r.err().contains("\tat ") || r.err().contains("Exception") || r.err().contains("internal error"),
                () -> "a stack trace reached the user:\n" + r);
    }

    /** The repository's root: the directory above the module that holds {@code examples/}. */
    static Path repo() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.isRegularFile(p.resolve("examples/fashion_mlp.model"))) p = p.getParent();
        if (p == null) throw new IllegalStateException("cannot find the repository root from " + Path.of("").toAbsolutePath());
        return p;
    }

    static Path write(Path file, String text) {
        try {
            Files.writeString(file, text);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A safetensors file of {@code name, tensor, name, tensor, ...}. */
    static Path safetensors(Path file, Object... namesAndTensors) throws IOException {
        Map<String, Tensor> m = new LinkedHashMap<>();
        for (int i = 0; i < namesAndTensors.length; i += 2) m.put((String) namesAndTensors[i], (Tensor) namesAndTensors[i + 1]);
        SafeTensors.write(file, m);
        return file;
    }

    /** {@code n} rows of {@code width} deterministic values in [-1, 1]. */
    static float[] values(int n, int width) {
        float[] x = new float[n * width];
        for (int i = 0; i < x.length; i++) x[i] = (float) Math.sin(1.7 * i + 0.3);
        return x;
    }
}
