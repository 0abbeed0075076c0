package modelc.compiler.syntax;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import modelc.compiler.diag.CompileException;
import modelc.compiler.diag.Diagnostics;
import org.junit.jupiter.api.Test;

/** Syntax errors name the file, line and column, say what was expected, and show the line with a caret. */
class SyntaxErrorsTest {

    private static String errors(String source) {
        CompileException e = assertThrows(CompileException.class, () -> Parser.parse("bad.model", source));
        return Diagnostics.render(e.diagnostics(), source);
    }

    @Test
    void aMissingColonInAnInputIsNamed() {
        assertEquals("""
                bad.model:2:13: error: expected ':' but found 'float'
                        input x float[3]
                                ^~~~~
                """, errors("sequential M {\n    input x float[3]\n}\n"));
    }

    @Test
    void aParenthesisLeftOpenIsReportedWhereItOpens() {
        assertEquals("""
                bad.model:3:10: error: '(' was never closed
                        Dense(10,
                             ^
                  hint: at 5:5: expected ',' or ')' but found 'Dense'
                """, errors("""
                sequential M {
                    input x: float[3]
                    Dense(10,
                    Dense(1)
                    Dense(2)
                }
                """));
    }

    @Test
    void aParenthesisLeftOpenOnTheLastLineOfABlock() {
        assertEquals("""
                bad.model:2:10: error: '(' was never closed
                        Dense(10,
                             ^
                  hint: at 3:1: expected ')' but found '}'
                """, errors("sequential M {\n    Dense(10,\n}\n"));
    }

    @Test
    void aBraceLeftOpenIsReportedAtTheEndOfTheFile() {
        assertEquals("""
                bad.model:1:9: error: '{' was never closed
                    model M {
                            ^
                  hint: at 3:1: unexpected end of file
                """, errors("model M {\n    x = a\n"));
    }

    @Test
    void aDictEntryNeedsAColonAndTheDictItsBrace() {
        assertEquals("""
                bad.model:2:33: error: expected ':' but found '3.0'
                        fit(class_weight={0: 1.0, 1 3.0})
                                                    ^~~
                """, errors("model M {\n    fit(class_weight={0: 1.0, 1 3.0})\n}\n"));
        assertEquals("""
                bad.model:2:37: error: expected ',' or '}' but found ')'
                        fit(class_weight={0: 1.0, 1: 3.0)
                                                        ^
                """, errors("model M {\n    fit(class_weight={0: 1.0, 1: 3.0)\n}\n"));
    }

    @Test
    void aMissingCommaInAMultiLineCallIsReportedWhereItIsMissing() {
        assertEquals("""
                bad.model:4:9: error: expected ',' or ')' but found 'optimizer'
                            optimizer=adam)
                            ^~~~~~~~~
                """, errors("""
                model M {
                    compile(loss=mse,
                        metrics=[mae]
                        optimizer=adam)
                }
                """));
    }

    @Test
    void twoStatementsOnALineNeedASemicolon() {
        assertEquals("""
                bad.model:2:11: error: expected newline or ';' but found 'y'
                        x = 1 y = 2
                              ^
                """, errors("model M {\n    x = 1 y = 2\n}\n"));
    }

    @Test
    void aMissingExpressionIsNamed() {
        assertEquals("""
                bad.model:2:8: error: expected an expression but found newline
                        x =
                           ^
                """, errors("model M {\n    x =\n}\n"));
    }

    @Test
    void onlyDeclarationsMayStandAtTopLevel() {
        assertEquals("""
                bad.model:1:1: error: expected 'model', 'sequential', 'layer' or 'cell' but found 'x'
                    x = Dense(3)
                    ^
                """, errors("x = Dense(3)\n"));
    }

    @Test
    void strayCharactersAndUnterminatedLiteralsAreLexicalErrors() {
        assertEquals("""
                bad.model:2:9: error: unexpected character '$'
                        x = $
                            ^
                bad.model:3:9: error: unterminated string
                        y = "abc
                            ^~~~
                """, errors("model M {\n    x = $\n    y = \"abc\n}\n"));
        assertEquals("""
                bad.model:2:1: error: unterminated comment: '/*' has no '*/'
                    /* the end
                    ^~~~~~~~~~
                """, errors("model M {}\n/* the end\n"));
    }

    @Test
    void everySyntaxErrorIsReportedOnce() {
        assertEquals("""
                bad.model:2:11: error: expected newline or ';' but found 'b'
                        x = a b
                              ^
                bad.model:3:9: error: expected an expression but found ')'
                        y = )
                            ^
                """, errors("model M {\n    x = a b\n    y = )\n}\n"));
    }

    @Test
    void aFileHoldsOneModel() {
        assertEquals("""
                bad.model:5:1: error: a file holds one model; 'First' was defined at line 1
                    sequential Second {
                    ^~~~~~~~~~~~~~~~~
                """, errors("model First {\n    output x\n}\n\nsequential Second {\n}\n"));
    }

    @Test
    void aLayerHasNoState() {
        assertEquals("""
                bad.model:2:5: error: a layer has no state; declare 'state' in a cell
                        state h: [4]
                        ^~~~~~~~~~~~
                """, errors("layer L {\n    state h: [4]\n    call(x) { return x }\n}\n"));
    }

    @Test
    void keywordArgumentsComeLastAndOnce() {
        assertEquals("""
                bad.model:2:28: error: positional argument follows keyword argument
                        Dense(activation=relu, 4)
                                               ^
                bad.model:3:20: error: keyword argument 'units' repeated
                        Dense(units=4, units=5)
                                       ^~~~~
                """, errors("model M {\n    Dense(activation=relu, 4)\n    Dense(units=4, units=5)\n}\n"));
    }
}
