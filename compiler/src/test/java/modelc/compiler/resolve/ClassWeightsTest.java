package modelc.compiler.resolve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import modelc.compiler.diag.CompileException;
import modelc.compiler.diag.Diagnostics;
import modelc.compiler.ir.Op;
import modelc.compiler.syntax.Parser;
import org.junit.jupiter.api.Test;

/**
 * {@code fit(class_weight={class: weight, ...})}, written as in Keras: which weights the loss
 * gets, and the errors for what Keras 3 cannot weigh or what would have no effect.
 */
class ClassWeightsTest {

    private static String model(String input, String layers, String loss, String fit) {
        return "sequential M {\n    input x: " + input + "\n" + layers.indent(4) + "    compile(loss=" + loss + ", optimizer=adam)\n    fit("
                + fit + ")\n}\n";
    }

    private static ModelIR resolve(String source) {
        return Resolver.resolve(Parser.parse("m.model", source));
    }

    private static String error(String source) {
        CompileException e = assertThrows(CompileException.class, () -> resolve(source));
        return Diagnostics.render(e.diagnostics(), source);
    }

    private static Map<Integer, Double> lossWeights(String source) {
        return ((Op.Loss) resolve(source).graph().loss().op()).classWeights();
    }

    @Test
    void theLossCarriesTheWeightsByClass() {
        assertEquals(Map.of(0, 1.0, 1, 3.0), lossWeights(model("float[4]", "Dense(1, activation=sigmoid)", "binary_crossentropy",
                "epochs=3, class_weight={0: 1.0, 1: 3.0}")));
        assertEquals(Map.of(2, 0.5, 0, 2.0), lossWeights(model("float[4]", "Dense(3, activation=softmax)", "categorical_crossentropy",
                "class_weight={\n        2: 0.5,\n        0: 2,\n    }")));
        assertEquals(Map.of(), lossWeights(model("float[4]", "Dense(3, activation=softmax)", "sparse_categorical_crossentropy",
                "class_weight=None")));
        // a single regression unit's class is its rounded target, which any integer can be
        assertEquals(Map.of(-2, 0.5, 7, 2.0), lossWeights(model("float[4]", "Dense(1)", "mse", "class_weight={-2: 0.5, 7: 2.0}")));
    }

    @Test
    void aPerTimeStepTargetIsRefused() {
        assertEquals("""
                m.model:6:22: error: class_weight weighs each sample by its target's class, but a target of shape (None, 5, 3) has a class per time step
                        fit(class_weight={0: 1.0})
                                         ^~~~~~~~
                  hint: Keras 3 fails on class_weight for targets of rank 3 or more
                """, error(model("float[5, 2]", "SimpleRNN(4, return_sequences=true)\nDense(3, activation=softmax)",
                "categorical_crossentropy", "class_weight={0: 1.0}")));
        assertEquals("""
                m.model:6:22: error: class_weight weighs each sample by its target's class, but a target of shape (None, 5) has a class per time step
                        fit(class_weight={0: 1.0})
                                         ^~~~~~~~
                  hint: Keras 3 would take the argmax over the time steps as the class; modelc refuses that
                """, error(model("float[5, 2]", "SimpleRNN(4, return_sequences=true)\nDense(3, activation=softmax)",
                "sparse_categorical_crossentropy", "class_weight={0: 1.0}")));
    }

    @Test
    void aClassTheTargetsCannotHaveIsRefused() {
        assertEquals("""
                m.model:5:31: error: class_weight names class 3, but the targets' classes are 0 to 2
                        fit(class_weight={0: 1.0, 3: 2.0})
                                                  ^
                  hint: a class that never occurs would have no effect
                """, error(model("float[4]", "Dense(3, activation=softmax)", "sparse_categorical_crossentropy", "class_weight={0: 1.0, 3: 2.0}")));
        assertEquals("""
                m.model:5:31: error: class_weight names class 2, but the targets' classes are 0 to 1
                        fit(class_weight={0: 1.0, 2: 2.0})
                                                  ^
                  hint: a class that never occurs would have no effect
                """, error(model("float[4]", "Dense(1, activation=sigmoid)", "binary_crossentropy", "class_weight={0: 1.0, 2: 2.0}")));
    }

    @Test
    void keysAreClassIndicesAndValuesNumbers() {
        String dense = "Dense(3, activation=softmax)", scce = "sparse_categorical_crossentropy";
        assertEquals("""
                m.model:5:22: error: fit: argument 'class_weight' must be a dict of class weights such as {0: 1.0, 1: 3.0}, got a list
                        fit(class_weight=[1.0, 2.0])
                                         ^~~~~~~~~~
                """, error(model("float[4]", dense, scce, "class_weight=[1.0, 2.0]")));
        assertEquals("""
                m.model:5:23: error: a class_weight key is a class index (an integer), got a number
                        fit(class_weight={0.5: 1.0})
                                          ^~~
                """, error(model("float[4]", dense, scce, "class_weight={0.5: 1.0}")));
        assertEquals("""
                m.model:5:31: error: class 0 is given twice in class_weight
                        fit(class_weight={0: 1.0, 0: 2.0})
                                                  ^
                """, error(model("float[4]", dense, scce, "class_weight={0: 1.0, 0: 2.0}")));
        assertEquals("""
                m.model:5:26: error: a class weight must be a number, got a string
                        fit(class_weight={0: "a"})
                                             ^~~
                """, error(model("float[4]", dense, scce, "class_weight={0: \"a\"}")));
    }
}
