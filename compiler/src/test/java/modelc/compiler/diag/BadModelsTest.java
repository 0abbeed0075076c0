package modelc.compiler.diag;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import modelc.compiler.Compiler;
import org.junit.jupiter.api.Test;

/**
 * A model that parses but is wrong stops compilation with {@code file:line:col: error: ...}, the
 * source line, a caret under the culprit, and a suggestion when a name is misspelt.
 */
class BadModelsTest {

    /** What the compiler prints for {@code source}, which must not compile. */
    static String errors(String source) {
        CompileException e = assertThrows(CompileException.class, () -> Compiler.compile("bad.model", source, Compiler.Options.DEFAULT));
        return Diagnostics.render(e.diagnostics(), source);
    }

    /** A sequential model of a float[4] input with {@code layer} and a compile line. */
    static String sequential(String layer, String compile) {
        return "sequential M {\n    input x: float[4]\n    " + layer + "\n    " + compile + "\n}\n";
    }

    static String sequential(String layer) {
        return sequential(layer, "compile(loss=mse, optimizer=adam)");
    }

    @Test
    void aSyntaxErrorNamesTheLineAndColumn() {
        assertEquals("""
                bad.model:2:13: error: expected ':' but found 'float'
                        input x float[4]
                                ^~~~~
                """, errors("sequential M {\n    input x float[4]\n    Dense(1)\n    compile(loss=mse)\n}\n"));
    }

    @Test
    void aMisspeltLayerGetsTheNearestName() {
        assertEquals("""
                bad.model:3:5: error: unknown layer or function 'Dence'
                        Dence(10, activation=relu)
                        ^~~~~
                  hint: did you mean 'Dense'?
                """, errors(sequential("Dence(10, activation=relu)")));
    }

    @Test
    void aMisspeltArgumentGetsTheNearestName() {
        assertEquals("""
                bad.model:3:15: error: Dense has no argument 'activaton'
                        Dense(10, activaton=relu)
                                  ^~~~~~~~~~~~~~
                  hint: did you mean 'activation'?
                """, errors(sequential("Dense(10, activaton=relu)")));
    }

    @Test
    void anArgumentOfTheWrongTypeSaysWhatWasExpected() {
        assertEquals("""
                bad.model:3:11: error: Dense: argument 'units' must be an integer, got a string
                        Dense("ten")
                              ^~~~~
                """, errors(sequential("Dense(\"ten\")")));
        assertEquals("""
                bad.model:3:11: error: Dense: argument 'units' must be an integer, got a number
                        Dense(2.5)
                              ^~~
                """, errors(sequential("Dense(2.5)")));
        assertEquals("""
                bad.model:3:23: error: Dense: argument 'use_bias' must be true or false, got a string
                        Dense(4, use_bias="no")
                                          ^~~~
                """, errors(sequential("Dense(4, use_bias=\"no\")")));
    }

    @Test
    void tooManyPositionalArgumentsAreCounted() {
        assertEquals("""
                bad.model:3:27: error: Dropout takes at most 3 positional arguments (rate, noise_shape, seed)
                        Dropout(0.5, None, 1, 2)
                                              ^
                """, errors(sequential("Dropout(0.5, None, 1, 2)")));
    }

    @Test
    void aMissingRequiredArgumentIsNamed() {
        assertEquals("""
                bad.model:3:5: error: Dense needs the argument 'units'
                        Dense(activation=relu)
                        ^~~~~~~~~~~~~~~~~~~~~~
                """, errors(sequential("Dense(activation=relu)")));
    }

    @Test
    void anArgumentGivenTwiceIsAnError() {
        assertEquals("""
                bad.model:3:14: error: Dense got argument 'units' twice
                        Dense(4, units=4)
                                 ^~~~~~~
                """, errors(sequential("Dense(4, units=4)")));
    }

    @Test
    void aMisspeltActivationGetsTheNearestName() {
        assertEquals("""
                bad.model:3:26: error: unknown activation 'rellu'
                        Dense(10, activation=rellu)
                                             ^~~~~
                  hint: did you mean 'relu'?
                """, errors(sequential("Dense(10, activation=rellu)")));
        assertEquals("""
                bad.model:3:16: error: unknown activation 'sigmiod'
                        Activation("sigmiod")
                                   ^~~~~~~~~
                  hint: did you mean 'sigmoid'?
                """, errors(sequential("Activation(\"sigmiod\")")));
    }

    @Test
    void aMisspeltLossGetsTheNearestName() {
        assertEquals("""
                bad.model:4:18: error: unknown loss 'sparse_categorical_crossentropi'
                        compile(loss=sparse_categorical_crossentropi, optimizer=adam)
                                     ^~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
                  hint: did you mean 'sparse_categorical_crossentropy'?
                """, errors(sequential("Dense(2)", "compile(loss=sparse_categorical_crossentropi, optimizer=adam)")));
        assertEquals("""
                bad.model:4:18: error: unknown loss 'BinaryCrossEntropyy'
                        compile(loss=BinaryCrossEntropyy(), optimizer=adam)
                                     ^~~~~~~~~~~~~~~~~~~~~
                  hint: did you mean 'BinaryCrossentropy'?
                """, errors(sequential("Dense(1)", "compile(loss=BinaryCrossEntropyy(), optimizer=adam)")));
    }

    /** "adamm" is one edit from both adam and adamw; the suggestion must not depend on hash order. */
    @Test
    void aMisspeltOptimizerGetsTheSameSuggestionEveryTime() {
        assertEquals("""
                bad.model:4:33: error: unknown optimizer 'adamm'
                        compile(loss=mse, optimizer=adamm)
                                                    ^~~~~
                  hint: did you mean 'adam'?
                """, errors(sequential("Dense(2)", "compile(loss=mse, optimizer=adamm)")));
        assertEquals("""
                bad.model:4:33: error: unknown optimizer 'Adamax'
                        compile(loss=mse, optimizer=Adamax(learning_rate=0.1))
                                                    ^~~~~~~~~~~~~~~~~~~~~~~~~
                  hint: did you mean 'Adam'?
                """, errors(sequential("Dense(2)", "compile(loss=mse, optimizer=Adamax(learning_rate=0.1))")));
    }

    @Test
    void aMisspeltMetricGetsTheNearestName() {
        assertEquals("""
                bad.model:4:48: error: unknown metric 'acuracy'
                        compile(loss=mse, optimizer=adam, metrics=[acuracy])
                                                                   ^~~~~~~
                  hint: did you mean 'accuracy'?
                """, errors(sequential("Dense(2)", "compile(loss=mse, optimizer=adam, metrics=[acuracy])")));
    }

    @Test
    void aMisspeltOptimizerArgumentGetsTheNearestName() {
        assertEquals("""
                bad.model:4:38: error: Adam has no argument 'learnig_rate'
                        compile(loss=mse, optimizer=Adam(learnig_rate=0.01))
                                                         ^~~~~~~~~~~~~~~~~
                  hint: did you mean 'learning_rate'?
                """, errors(sequential("Dense(2)", "compile(loss=mse, optimizer=Adam(learnig_rate=0.01))")));
    }

    @Test
    void aMisspeltInitializerGetsTheNearestName() {
        assertEquals("""
                bad.model:3:33: error: Dense: 'he_normall' is not a valid kernel_initializer
                        Dense(4, kernel_initializer="he_normall")
                                                    ^~~~~~~~~~~~
                  hint: did you mean 'he_normal'?
                """, errors(sequential("Dense(4, kernel_initializer=\"he_normall\")")));
        assertEquals("""
                bad.model:3:33: error: unknown initializer 'GlorotUnifrom'
                        Dense(4, kernel_initializer=GlorotUnifrom())
                                                    ^~~~~~~~~~~~~~~
                  hint: did you mean 'glorot_uniform'?
                """, errors(sequential("Dense(4, kernel_initializer=GlorotUnifrom())")));
    }

    @Test
    void aShapeMismatchNamesBothShapes() {
        assertEquals("""
                bad.model:5:12: error: cannot add shapes (None, 4) and (None, 5): axis -1 has 4 vs 5
                        output a + b
                               ^~~~~
                """, errors("""
                model M {
                    input x: float[3]
                    a = Dense(4)(x)
                    b = Dense(5)(x)
                    output a + b
                    compile(loss=mse, optimizer=adam)
                }
                """));
    }

    @Test
    void aMatrixProductOfMismatchedShapesNamesBoth() {
        String err = errors("""
                model M {
                    input x: float[4]
                    h = Dense(3)(x)
                    output h @ h
                    compile(loss=mse)
                }
                """);
        assertEquals("bad.model:4:12", err.substring(0, err.indexOf(": error")));
        assertContainsBoth(err, "[batch, 3]", "by");
    }

    @Test
    void aReshapeThatCannotFitNamesTheShape() {
        assertEquals("""
                bad.model:3:13: error: cannot reshape (None, 6) to [4, -1]
                        Reshape((4, -1))
                                ^~~~~~~
                """, errors("sequential M {\n    input x: float[6]\n    Reshape((4, -1))\n    compile(loss=mse)\n}\n"));
    }

    @Test
    void anUnknownNameGetsTheNearestDefinedOne() {
        assertEquals("""
                bad.model:4:21: error: unknown name 'hh'
                        output Dense(3)(hh)
                                        ^~
                  hint: did you mean 'h'?
                """, errors("""
                model M {
                    input x: float[4]
                    h = Dense(3)(x)
                    output Dense(3)(hh)
                    compile(loss=mse)
                }
                """));
    }

    @Test
    void aLayerNameIsValidatedBeforeItCanReachJava() {
        assertEquals("""
                bad.model:3:19: error: layer name 'x"; System.exit(1); //' must be letters, digits and '_', starting with a letter or '_'
                        Dense(3, name="x\\"; System.exit(1); //")
                                      ^~~~~~~~~~~~~~~~~~~~~~~~~
                """, errors(sequential("Dense(3, name=\"x\\\"; System.exit(1); //\")")));
        assertEquals("""
                bad.model:3:19: error: layer name 'a.b' must be letters, digits and '_', starting with a letter or '_'
                        Dense(3, name="a.b")
                                      ^~~~~
                """, errors(sequential("Dense(3, name=\"a.b\")")));
    }

    @Test
    void twoLayersCannotShareAName() {
        assertEquals("""
                bad.model:4:19: error: a layer named 'a' already exists
                        Dense(4, name="a")
                                      ^~~
                """, errors("sequential M {\n    input x: float[4]\n    Dense(4, name=\"a\")\n    Dense(4, name=\"a\")\n    compile(loss=mse)\n}\n"));
    }

    @Test
    void keras2InputLengthIsNotADenseArgument() {
        String err = errors(sequential("Dense(4, input_length=10)"));
        assertEquals("bad.model:3:14: error: Dense has no argument 'input_length'", err.lines().findFirst().orElseThrow());
    }

    @Test
    void aBadConstraintPointsAtItself() {
        assertEquals("unknown constraint 'MaxNrom'", errors(sequential("Dense(4, kernel_constraint=MaxNrom(3))")).lines()
                .findFirst().orElseThrow().replaceFirst("^bad.model:3:32: error: ", ""));
        assertEquals("""
                bad.model:3:32: error: MaxNorm(max_value=3.0, axis=2): axis 2 is out of range for dense.kernel of shape (4, 4)
                        Dense(4, kernel_constraint=MaxNorm(3, axis=2))
                                                   ^~~~~~~~~~~~~~~~~~
                """, errors(sequential("Dense(4, kernel_constraint=MaxNorm(3, axis=2))")).lines().limit(3)
                .map(l -> l + "\n").collect(java.util.stream.Collectors.joining()));
    }

    @Test
    void outOfRangeValuesAreRefused() {
        assertEquals("""
                bad.model:3:13: error: Dropout rate must be in [0, 1), got 1.5
                        Dropout(1.5)
                                ^~~
                """, errors(sequential("Dropout(1.5)")));
        assertEquals("""
                bad.model:3:11: error: Dense needs a positive number of units, got 0
                        Dense(0)
                              ^
                """, errors(sequential("Dense(0)")));
        assertEquals("""
                bad.model:4:41: error: learning_rate must be positive, got -0.1
                        compile(loss=mse, optimizer=Adam(lr=-0.1))
                                                            ^~~~
                """, errors(sequential("Dense(2)", "compile(loss=mse, optimizer=Adam(lr=-0.1))")));
    }

    @Test
    void aLayerDefinedInTheLanguageChecksItsInputShape() {
        assertEquals("""
                bad.model:8:12: error: Scale expects x of rank 1 per sample, got (None, 2, 2)
                        output Scale(2)(x)
                               ^~~~~~~~~~~
                """, errors("""
                layer Scale(k) {
                    call(x: [d]) {
                        return x * k
                    }
                }
                model M {
                    input x: float[2, 2]
                    output Scale(2)(x)
                    compile(loss=mse)
                }
                """));
    }

    @Test
    void textPipelinesThatGiveNoFixedShapeOrAreMisspeltSaySo() {
        assertEquals("""
                bad.model:2:27: error: a Tokenizer gives sequences of different lengths; follow it with pad_sequences(maxlen=...) or texts_to_matrix(mode=...)
                        input review: text -> Tokenizer(num_words=100)
                                              ^~~~~~~~~~~~~~~~~~~~~~~~
                """, errors("sequential M {\n    input review: text -> Tokenizer(num_words=100)\n    Dense(1)\n    compile(loss=mse)\n}\n"));
        assertEquals("""
                bad.model:2:55: error: input 'review' is padded to its longest sequence (no maxlen): give the length to generate the code for
                        input review: text -> Tokenizer(num_words=100) -> pad_sequences()
                                                                          ^~~~~~~~~~~~~~~
                  hint: --max-length N (train takes the longest training text; evaluate and predict the length saved beside the weights), or write pad_sequences(maxlen=N)
                """, errors("sequential M {\n    input review: text -> Tokenizer(num_words=100) -> pad_sequences()\n    Dense(1)\n    compile(loss=mse)\n}\n"));
        assertEquals("""
                bad.model:2:37: error: Tokenizer has no argument 'num_wrds'
                        input review: text -> Tokenizer(num_wrds=100) -> pad_sequences(maxlen=5)
                                                        ^~~~~~~~~~~~
                  hint: did you mean 'num_words'?
                """, errors("sequential M {\n    input review: text -> Tokenizer(num_wrds=100) -> pad_sequences(maxlen=5)\n    Dense(1)\n    compile(loss=mse)\n}\n"));
        assertEquals("""
                bad.model:2:27: error: CountVectorizer needs max_features=, the input's width
                        input review: text -> CountVectorizer(min_df=2)
                                              ^~~~~~~~~~~~~~~~~~~~~~~~~
                """, errors("sequential M {\n    input review: text -> CountVectorizer(min_df=2)\n    Dense(1)\n    compile(loss=mse)\n}\n"));
        assertEquals("""
                bad.model:2:74: error: pad_sequences: 'middle' is not a valid padding
                        input review: text -> Tokenizer() -> pad_sequences(maxlen=5, padding="middle")
                                                                                             ^~~~~~~~
                  hint: expected one of post, pre
                """, errors("sequential M {\n    input review: text -> Tokenizer() -> pad_sequences(maxlen=5, padding=\"middle\")\n    Dense(1)\n    compile(loss=mse)\n}\n"));
        assertEquals("""
                bad.model:2:26: error: a preprocessing pipeline ('->') belongs to a text input
                        input x: float[4] -> Tokenizer()
                                             ^~~~~~~~~~~
                  hint: write: input x: text -> Tokenizer(...) -> pad_sequences(maxlen=...)
                """, errors("sequential M {\n    input x: float[4] -> Tokenizer()\n    Dense(1)\n    compile(loss=mse)\n}\n"));
    }

    @Test
    void anActivationCalledAsAFunctionTakesOneTensor() {
        assertEquals("""
                bad.model:3:12: error: the activation gelu(...) called as a function takes one tensor, such as gelu(x)
                        output gelu(x, approximate=True)
                               ^~~~~~~~~~~~~~~~~~~~~~~~~
                  hint: for its arguments, write Activation(gelu(...))(x)
                """, errors("model M {\n    input x: float[4]\n    output gelu(x, approximate=True)\n    compile(loss=mse)\n}\n"));
    }

    @Test
    void anInputTheOutputDoesNotUseIsAnError() {
        assertEquals("""
                bad.model:3:5: error: input 'b' is not used to compute the output
                        input b: float[4]
                        ^~~~~~~~~~~~~~~~~
                """, errors("model M {\n    input a: float[4]\n    input b: float[4]\n    output Dense(1)(a)\n    compile(loss=mse)\n}\n"));
    }

    @Test
    void aCallbackMustMonitorALoggedValue() {
        assertEquals("""
                bad.model:5:51: error: a callback monitors 'val_acc', which fit(...) does not log
                        fit(epochs=3, validation_split=0.2, callbacks=[EarlyStopping(monitor="val_acc", patience=2)])
                                                                      ^~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
                  hint: logged: loss, accuracy, val_loss, val_accuracy
                """, errors("""
                sequential M {
                    input x: float[4]
                    Dense(2, activation=softmax)
                    compile(loss=sparse_categorical_crossentropy, optimizer=adam, metrics=[accuracy])
                    fit(epochs=3, validation_split=0.2, callbacks=[EarlyStopping(monitor="val_acc", patience=2)])
                }
                """));
    }

    @Test
    void aModelWithoutCompileSaysWhatIsMissing() {
        assertEquals("""
                bad.model:1:1: error: model 'M' needs compile(loss=..., optimizer=...)
                    sequential M {
                    ^~~~~~~~~~~~~~
                """, errors("sequential M {\n    input x: float[4]\n    Dense(1)\n}\n"));
    }

    private static void assertContainsBoth(String text, String a, String b) {
        if (!text.contains(a) || !text.contains(b)) throw new AssertionError("expected '" + a + "' and '" + b + "' in:\n" + text);
    }
}
