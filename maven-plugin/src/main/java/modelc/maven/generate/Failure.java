package modelc.maven.generate;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import modelc.compiler.diag.Diagnostic;
import modelc.compiler.diag.Diagnostics;
import modelc.compiler.diag.Span;

/**
 * A model that could not be generated: the compiler's diagnostics, or one message about the model
 * as a whole. Rendered as the CLI renders errors, but with the model's full path, so that IDEs and
 * terminals link {@code path:line:col} to the line.
 */
public record Failure(Path model, String source, List<Diagnostic> diagnostics, String message) {
    public Failure {
        diagnostics = diagnostics == null ? List.of() : List.copyOf(diagnostics);
    }

    public static Failure of(Path model, String source, String message) {
        return new Failure(model, source, List.of(), message);
    }

    /** Each error as {@code path:line:col: error: message}, the source line, a caret and any hint. */
    public List<String> rendered() {
        List<String> out = new ArrayList<>();
        String path = model.toAbsolutePath().normalize().toString();
        if (message != null) out.add(path + ": error: " + message);
        for (Diagnostic d : diagnostics) {
            Span s = d.span();
            Span located = s == null ? new Span(path, 1, 1, 1, 2) : new Span(path, s.line(), s.column(), s.endLine(), s.endColumn());
            out.add(Diagnostics.render(new Diagnostic(located, d.message(), d.hint()), source).stripTrailing());
        }
        return out;
    }

    /** The first line of each rendered error. */
    public List<String> headlines() {
        return rendered().stream().map(r -> r.lines().findFirst().orElse(r)).toList();
    }
}
