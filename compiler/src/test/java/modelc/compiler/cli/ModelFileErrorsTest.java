package modelc.compiler.cli;

import static modelc.compiler.cli.Cli.assertUserError;
import static modelc.compiler.cli.Cli.run;
import static modelc.compiler.cli.Cli.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A bad {@code .model} file, or none, stops every command with the compiler's diagnostics or one
 * line naming the file, exit code 1, and never a Java stack trace.
 */
class ModelFileErrorsTest {
    @TempDir
    Path dir;

    @Test
    void aSyntaxErrorShowsTheLineAndACaret() {
        Path m = write(dir.resolve("bad.model"), "sequential M {\n    input x float[4]\n    Dense(1)\n    compile(loss=mse)\n}\n");
        for (String command : new String[] {"summary", "compile"}) {
            Cli.Run r = command.equals("compile") ? run(command, m, "-o", dir.resolve("out")) : run(command, m);
            assertUserError(r, """
                    bad.model:2:13: error: expected ':' but found 'float'
                            input x float[4]
                                    ^~~~~
                    1 error
                    """);
            assertEquals("", r.out());
        }
        assertFalse(Files.exists(dir.resolve("out")), "nothing is written for a model that does not compile");
    }

    @Test
    void anUnknownLayerIsReportedWithASuggestionByEveryCommand() throws IOException {
        Path m = write(dir.resolve("typo.model"), "sequential M {\n    input x: float[4]\n    Dence(10, activation=relu)\n    compile(loss=mse)\n}\n");
        Path w = Cli.safetensors(dir.resolve("w.safetensors"));
        String expected = """
                typo.model:3:5: error: unknown layer or function 'Dence'
                        Dence(10, activation=relu)
                        ^~~~~
                  hint: did you mean 'Dense'?
                1 error
                """;
        assertUserError(run("summary", m), expected);
        assertUserError(run("init", m, "--out", w), expected);
        assertUserError(run("grad", m, "--weights", w, "--batch", w, "--out", dir.resolve("g.safetensors")), expected);
        assertUserError(run("train", m, "--data", dir, "--save", dir.resolve("t.safetensors")), expected);
    }

    @Test
    void aShapeMismatchNamesBothShapes() {
        Path m = write(dir.resolve("add.model"), """
                model M {
                    input x: float[3]
                    a = Dense(4)(x)
                    b = Dense(5)(x)
                    output a + b
                    compile(loss=mse, optimizer=adam)
                }
                """);
        assertUserError(run("compile", m, "-o", dir.resolve("out")), """
                add.model:5:12: error: cannot add shapes (None, 4) and (None, 5): axis -1 has 4 vs 5
                        output a + b
                               ^~~~~
                1 error
                """);
    }

    @Test
    void aMissingModelFileIsNamed() {
        Path m = dir.resolve("nope.model");
        assertUserError(run("summary", m), "modelc: error: no such file: " + m + "\n");
    }

    @Test
    void aDirectoryIsNotAModelFile() {
        assertUserError(run("summary", dir), "modelc: error: " + dir + " is a directory, not a .model file\n");
    }

    @Test
    void aFileThatIsNotUtf8IsNamed() throws IOException {
        Path m = dir.resolve("latin1.model");
        Files.write(m, new byte[] {'m', 'o', 'd', 'e', 'l', ' ', (byte) 0xe9, '\n'});
        assertUserError(run("summary", m), "modelc: error: " + m + " is not UTF-8 text\n");
    }

    @Test
    void badOptionValuesAreNamed() {
        Path m = write(dir.resolve("ok.model"), "sequential M {\n    input x: float[4]\n    Dense(1)\n    compile(loss=mse)\n}\n");
        assertUserError(run("summary", m, "--dtype", "f16"), "modelc: error: dtype must be f32 or f64, got f16\n");
        assertUserError(run("compile", m, "-o", dir.resolve("out"), "--package", "a.b;System.exit(1)"),
                "modelc: error: --package 'a.b;System.exit(1)' is not a Java package name\n");
        assertUserError(run("compile", m, "-o", dir.resolve("out"), "--dump", "everything"),
                "modelc: error: --dump takes ast, ir, grad-ir or plan, not 'everything'\n");
    }

    @Test
    void aMisspeltCommandGetsASuggestion() {
        Cli.Run r = run("trian");
        assertEquals(2, r.exit());
        assertEquals("Unmatched argument at index 0: 'trian'\nDid you mean: modelc train?",
                String.join("\n", r.err().lines().limit(2).toList()));
        Cli.assertNoStackTrace(r);
    }
}
