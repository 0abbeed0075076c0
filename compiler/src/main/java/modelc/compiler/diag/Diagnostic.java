package modelc.compiler.diag;

/**
 * One error in a user's input. {@code hint} (may be null) is a suggestion such as
 * "did you mean 'Dense'?" printed after the caret line.
 */
public record Diagnostic(Span span, String message, String hint) {
    public Diagnostic(Span span, String message) {
        this(span, message, null);
    }
}
