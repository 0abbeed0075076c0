package modelc.compiler.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import modelc.compiler.diag.CompileException;
import modelc.compiler.diag.Diagnostics;
import modelc.runtime.io.FormatException;
import modelc.runtime.train.Weights;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code modelc} command line. */
@Command(name = "modelc", mixinStandardHelpOptions = true, version = "modelc " + Loaded.VERSION,
        description = "Compiles neural networks described in .model files into standalone Java, and trains them.",
        subcommands = {CompileCommand.class, TrainCommand.class, EvaluateCommand.class, PredictCommand.class,
                SummaryCommand.class, InitCommand.class, GradCommand.class, BenchCommand.class})
public final class Main implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(System.out);
        return 0;
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line; user errors print a message (never a stack trace) and return 1. */
    public static int run(String... args) {
        CommandLine cl = new CommandLine(new Main());
        cl.setExecutionExceptionHandler((ex, cmd, parseResult) -> report(ex, cmd.getErr()));
        return cl.execute(args);
    }

    static int report(Exception ex, PrintWriter err) {
        if (System.getenv("MODELC_DEBUG") != null) ex.printStackTrace(err);
        switch (ex) {
            case CompileException ce -> {
                for (var d : ce.diagnostics()) err.print(Diagnostics.render(d, sourceOf(d.span().file())));
                err.println(ce.diagnostics().size() == 1 ? "1 error" : ce.diagnostics().size() + " errors");
            }
            case NoSuchFileException e -> err.println("modelc: error: no such file: " + e.getFile());
            case FormatException e -> err.println("modelc: error: " + e.getMessage());
            case Weights.MismatchException e -> err.println("modelc: error: " + e.getMessage());
            case UserError e -> err.println("modelc: error: " + e.getMessage());
            case IOException e -> err.println("modelc: error: " + e.getMessage());
            case IllegalArgumentException e -> err.println("modelc: error: " + e.getMessage());
            default -> {
                err.println("modelc: internal error (a bug in modelc; please report it with the .model file):");
                ex.printStackTrace(err);
            }
        }
        err.flush();
        return 1;
    }

    /** The text of a file named in a diagnostic, for the source line and caret. */
    private static final ThreadLocal<Path> CURRENT = new ThreadLocal<>();

    static void currentFile(Path p) {
        CURRENT.set(p);
    }

    private static String sourceOf(String name) {
        Path p = CURRENT.get();
        try {
            if (p != null && ModelOptions.displayName(p).equals(name)) return Files.readString(p);
        } catch (IOException ignored) {
            return null;
        }
        return null;
    }

    /** A mistake in how modelc was called or in its inputs, reported as one line. */
    static final class UserError extends RuntimeException {
        UserError(String message) {
            super(message, null, false, false);
        }
    }
}
