package modelc.compiler.diag;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import modelc.compiler.Compiler;
import modelc.compiler.JavaBuild;
import modelc.compiler.codegen.Dtype;
import modelc.runtime.train.CompiledModel;
import modelc.runtime.train.ModelSpec;
import org.junit.jupiter.api.Test;

/**
 * Names from a {@code .model} file reach generated Java only validated or mangled: hostile text is
 * refused, and names that are Java keywords or clash with Java's own classes still compile, load
 * and keep their Keras spelling in the weight keys.
 */
class IdentifierSafetyTest {

    /** Compiles through javac and loads the class, as {@code modelc train} does. */
    static CompiledModel build(String fileName, String source) throws IOException {
        Compiler.Result r = Compiler.compile(fileName, source, new Compiler.Options(Dtype.F32, "modelc.test"));
        Path dir = Files.createTempDirectory("modelc-ident");
        JavaBuild.compile(r, dir.resolve("src"), dir.resolve("classes"));
        return JavaBuild.load(r, dir.resolve("classes"));
    }

    @Test
    void codeInALayerNameIsRefusedBeforeJavaIsGenerated() {
        String source = """
                sequential M {
                    input x: float[4]
                    Dense(3, name="x\\"; System.exit(1); //")
                    compile(loss=mse)
                }
                """;
        CompileException e = assertThrows(CompileException.class, () -> build("evil.model", source));
        assertEquals("evil.model:3:19: error: layer name 'x\"; System.exit(1); //' must be letters, digits and '_', starting with a letter or '_'",
                Diagnostics.render(e.diagnostics(), source).lines().findFirst().orElseThrow());
    }

    @Test
    void javaKeywordsAreFineAsModelInputAndLayerNames() throws IOException {
        CompiledModel m = build("keywords.model", """
                model static {
                    input class: float[4]
                    h = Dense(3, name="public")(class)
                    h = Dense(3, name="int")(h)
                    output Dense(2, name="System", activation=softmax)(h)
                    compile(loss=sparse_categorical_crossentropy, optimizer=adam, metrics=[accuracy])
                }
                """);
        assertEquals("class", m.spec().inputs().get(0).name());
        assertEquals(List.of("public.kernel", "public.bias", "int.kernel", "int.bias", "System.kernel", "System.bias"),
                m.spec().params().stream().map(ModelSpec.ParamSpec::key).toList());
        m.initialize(1);
        assertEquals(6, m.weights().size());
    }

    @Test
    void modelNamesThatAreRuntimeClassesAreRenamed() throws IOException {
        for (String name : List.of("Tensor", "Session", "Object", "Override", "Thread")) {
            CompiledModel m = build("clash.model", "sequential " + name + " {\n    input x: float[2]\n    Dense(1)\n    compile(loss=mse)\n}\n");
            assertEquals(name, m.spec().name());
        }
    }

    @Test
    void modelNamesThatAreJavaLangClassesAreRenamed() throws IOException {
        for (String name : List.of("String", "System", "Math")) {
            CompiledModel m = build("clash.model", "sequential " + name + " {\n    input x: float[2]\n    Dense(1)\n    compile(loss=mse)\n}\n");
            assertEquals(name, m.spec().name());
        }
    }

    @Test
    void aFileNameCannotInjectCode() {
        String injected = "System.setProperty(\"modelc.pwned\", \"1\");";
        String model = "sequential M {\n    input x: float[2]\n    Dense(1)\n    compile(loss=mse)\n}\n";
        for (String file : List.of("x\n" + injected + "\n\\u002f\\u002f.model", "x\\u000a" + injected + "\\u000a\\u002f\\u002f.model")) {
            String java = Compiler.compile(file, model, Compiler.Options.DEFAULT).javaFile().toString();
            assertEquals(List.of(), java.lines().filter(l -> l.contains("\\u") || l.strip().startsWith(injected)).toList(), file);
        }
    }
}
