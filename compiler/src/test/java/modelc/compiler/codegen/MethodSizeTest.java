package modelc.compiler.codegen;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassModel;
import java.lang.classfile.MethodModel;
import java.lang.classfile.attribute.CodeAttribute;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import modelc.compiler.Compiler;
import modelc.compiler.JavaBuild;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * HotSpot does not JIT-compile methods over 8000 bytes of bytecode (HugeMethodLimit), so every
 * generated method that runs per step, kernels and step methods alike, must stay below it, also for
 * a 250-layer model.
 */
class MethodSizeTest {
    static final int HUGE_METHOD_LIMIT = 8000;
    static final java.util.Set<String> RUN_ONCE = java.util.Set.of("<clinit>", "<init>", "gradients", "optimizerState", "setOptimizerState");

    @ParameterizedTest
    @ValueSource(strings = {"fashion_mlp.model", "deep_mlp"})
    void everyGeneratedMethodIsSmallEnoughToCompile(String which) throws IOException {
        String source = which.endsWith(".model") ? Files.readString(Path.of("..", "examples", which)) : deepMlp(250);
        for (Dtype dt : Dtype.values()) {
            Compiler.Result r = Compiler.compile("m.model", source, new Compiler.Options(dt, "modelc.test"));
            Path dir = Files.createTempDirectory("modelc-size");
            JavaBuild.compile(r, dir.resolve("src"), dir.resolve("classes"));
            List<String> methods = new ArrayList<>();
            try (Stream<Path> files = Files.walk(dir.resolve("classes"))) {
                for (Path f : files.filter(p -> p.toString().endsWith(".class")).toList()) {
                    ClassModel cm = ClassFile.of().parse(f);
                    for (MethodModel m : cm.methods()) {
                        int size = m.findAttribute(java.lang.classfile.Attributes.code()).map(CodeAttribute::codeLength).orElse(0);
                        methods.add(m.methodName().stringValue());
                        // Initialisers and checkpoint/gradient exports run once per session or file, not per step.
                        if (RUN_ONCE.contains(m.methodName().stringValue())) continue;
                        assertTrue(size < HUGE_METHOD_LIMIT, cm.thisClass().asInternalName() + "." + m.methodName().stringValue()
                                + " has " + size + " bytes of bytecode");
                    }
                }
            }
            assertFalse(methods.isEmpty());
        }
    }

    /** A deep MLP: long forward and backward step methods. */
    static String deepMlp(int layers) {
        StringBuilder sb = new StringBuilder("sequential Deep {\n    input x: float[32]\n");
        for (int i = 0; i < layers; i++) sb.append("    Dense(32, activation=tanh)\n");
        sb.append("    Dense(10, activation=softmax)\n    compile(loss=sparse_categorical_crossentropy, optimizer=adam)\n}\n");
        return sb.toString();
    }
}
