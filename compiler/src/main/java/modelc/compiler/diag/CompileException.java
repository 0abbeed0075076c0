package modelc.compiler.diag;

import java.util.List;

/** Stops compilation with one or more diagnostics. Never shown to users as a stack trace. */
public final class CompileException extends RuntimeException {
    private final List<Diagnostic> diagnostics;

    public CompileException(List<Diagnostic> diagnostics) {
        super(diagnostics.isEmpty() ? "compile error" : diagnostics.get(0).message(), null, false, false);
        this.diagnostics = List.copyOf(diagnostics);
    }

    public CompileException(Span span, String message) {
        this(List.of(new Diagnostic(span, message)));
    }

    public CompileException(Span span, String message, String hint) {
        this(List.of(new Diagnostic(span, message, hint)));
    }

    public List<Diagnostic> diagnostics() {
        return diagnostics;
    }
}
