package modelc.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.File;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import modelc.compiler.diag.Diagnostic;
import modelc.compiler.diag.Span;
import modelc.maven.generate.Failure;
import org.junit.jupiter.api.Test;
import org.sonatype.plexus.build.incremental.BuildContext;
import org.sonatype.plexus.build.incremental.DefaultBuildContext;

/** Error markers for an IDE's build context: cleared on every model read, set on each error's line and column. */
class IdeMarkersTest {
    /** A build context (as an IDE's) that records the calls. */
    private static BuildContext recording(List<String> calls) {
        return (BuildContext) Proxy.newProxyInstance(BuildContext.class.getClassLoader(), new Class<?>[] {BuildContext.class},
                (proxy, method, args) -> {
                    calls.add(method.getName() + Arrays.toString(args).replace(File.separatorChar, '/'));
                    return method.getReturnType() == boolean.class ? false : null;
                });
    }

    @Test
    void errorsBecomeMarkersOnTheirLinesAndGoodModelsLoseTheirs() {
        List<String> calls = new ArrayList<>();
        Path good = Path.of("/p/models/good.model"), bad = Path.of("/p/models/bad.model");
        Failure f = new Failure(bad, "...", List.of(new Diagnostic(new Span("bad.model", 3, 12, 3, 17), "unknown layer 'Dence'", "did you mean 'Dense'?")), null);
        IdeMarkers.report(recording(calls), List.of(good, bad), List.of(f, Failure.of(bad, "", "cannot use directory 'my-models' as a Java package")),
                new File("/p/target/gen"));
        assertEquals(List.of(
                "removeMessages[/p/models/good.model]",
                "removeMessages[/p/models/bad.model]",
                "addMessage[/p/models/bad.model, 3, 12, unknown layer 'Dence' (did you mean 'Dense'?), 2, null]",
                "addMessage[/p/models/bad.model, 1, 1, cannot use directory 'my-models' as a Java package, 2, null]",
                "refresh[/p/target/gen]"), calls);
    }

    @Test
    void aPlainMavenBuildOnlyLogs() {
        // Plexus's default context would log each error again; the mojo's own log already has them
        IdeMarkers.report(new DefaultBuildContext() {
            @Override
            public void addMessage(File file, int line, int column, String message, int severity, Throwable cause) {
                throw new AssertionError("not in a plain build");
            }
        }, List.of(), List.of(Failure.of(Path.of("x.model"), "", "bad")));
    }
}
