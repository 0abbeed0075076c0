package modelc.compiler.resolve;

import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.LinkedHashMap;
import java.util.Map;
import modelc.compiler.diag.CompileException;
import modelc.compiler.diag.Diagnostics;
import modelc.compiler.syntax.Parser;

/** What the layer tests share: resolving a source, a one-input sequential model, shapes and counts, errors. */
final class LayerChecks {
    private LayerChecks() {}

    static ModelIR resolve(String source) {
        return Resolver.resolve(Parser.parse("t.model", source));
    }

    /** A sequential model of one input of type {@code input} (such as {@code float[9, 4]}) and the given layer lines. */
    static String sequential(String input, String layers) {
        return "sequential T {\n    input x: " + input + "\n" + layers.indent(4) + "    compile(loss=mse, optimizer=adam)\n}\n";
    }

    /** Each layer's Keras output shape and parameter count (its sublayers' included), as {@code name (None, 16, 32) 1312}. */
    static Map<String, String> layers(ModelIR m) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Layer l : m.layers()) {
            long params = l.allWeights().stream().mapToLong(w -> ((modelc.compiler.ir.Op.Param) w.op()).info().size()).sum();
            out.put(l.name(), l.outputs().get(0).type().kerasShape() + " " + params);
        }
        return out;
    }

    /** The rendered diagnostics of a source that must not compile. */
    static String error(String source) {
        CompileException e = assertThrows(CompileException.class, () -> resolve(source));
        return Diagnostics.render(e.diagnostics(), source);
    }
}
