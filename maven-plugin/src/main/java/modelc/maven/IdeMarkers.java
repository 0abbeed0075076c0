package modelc.maven;

import java.io.File;
import java.nio.file.Path;
import java.util.List;
import modelc.compiler.diag.Diagnostic;
import modelc.compiler.diag.Span;
import modelc.maven.generate.Failure;
import org.sonatype.plexus.build.incremental.BuildContext;
import org.sonatype.plexus.build.incremental.DefaultBuildContext;

/**
 * Errors in {@code .model} files as markers on their lines, where the build runs in an IDE (m2e hands a
 * mojo its own {@link BuildContext}, as it does to the ANTLR and protobuf plugins), and the folders of
 * generated files refreshed in the IDE's view. In a plain Maven build the context is Plexus's default,
 * which would only log each error a second time, so nothing is done there: the log already has them.
 */
final class IdeMarkers {
    private IdeMarkers() {}

    static void report(BuildContext context, List<Path> scanned, List<Failure> failures, File... generated) {
        if (context == null || context instanceof DefaultBuildContext) return;
        for (Path model : scanned) context.removeMessages(model.toFile());
        for (Failure f : failures) {
            File file = f.model().toFile();
            if (f.message() != null) context.addMessage(file, 1, 1, f.message(), BuildContext.SEVERITY_ERROR, null);
            for (Diagnostic d : f.diagnostics()) {
                Span s = d.span();
                String text = d.hint() == null ? d.message() : d.message() + " (" + d.hint() + ")";
                context.addMessage(file, s == null ? 1 : s.line(), s == null ? 1 : s.column(), text, BuildContext.SEVERITY_ERROR, null);
            }
        }
        for (File dir : generated) context.refresh(dir);
    }
}
