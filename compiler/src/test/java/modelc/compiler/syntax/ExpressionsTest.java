package modelc.compiler.syntax;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import modelc.compiler.diag.Span;
import org.junit.jupiter.api.Test;

/** Literals, names, calls and operators, each shown as the tree it parses to. */
class ExpressionsTest {

    /** The expression statement {@code source}, alone on line 2 of a model, indented by 4. */
    private static Ast.Expr parse(String source) {
        Ast.Stmt stmt = Parser.parse("e.model", "model M {\n    " + source + "\n}\n").model().body().getFirst();
        return ((Ast.ExprStmt) stmt).expr();
    }

    private static String tree(String source) {
        return Sexpr.of(parse(source));
    }

    private static Ast.Num number(String source) {
        return (Ast.Num) parse(source);
    }

    @Test
    void numbersAreIntegralOnlyWithoutDotOrExponent() {
        assertEquals(1.0, number("1").value());
        assertTrue(number("1").integral());
        assertEquals(0.5, number("0.5").value());
        assertFalse(number("0.5").integral());
        assertEquals(0.001, number("1e-3").value());
        assertFalse(number("1e-3").integral());
        assertFalse(number("2E5").integral());
        assertEquals(0.5, number(".5").value());
        assertEquals(3.0, number("3.").value());
        assertFalse(number("3.").integral());
    }

    @Test
    void numbersMayGroupDigitsWithUnderscores() {
        Ast.Num n = number("10_000");
        assertEquals(10000.0, n.value());
        assertEquals("10000", n.text());
        assertTrue(n.integral());
    }

    @Test
    void stringsTakeEitherQuoteAndPythonEscapes() {
        assertEquals("\"relu\"", tree("\"relu\""));
        assertEquals("it's", ((Ast.Str) parse("'it\\'s'")).value());
        assertEquals("a\tb\n\"c\"\\", ((Ast.Str) parse("\"a\\tb\\n\\\"c\\\"\\\\\"")).value());
        assertEquals("\u00e9", ((Ast.Str) parse("'\\u00e9'")).value());
        assertEquals("\\d", ((Ast.Str) parse("'\\d'")).value());
    }

    @Test
    void booleansAndNoneTakeBothSpellings() {
        assertEquals("[true true false false None None]", tree("[true, True, false, False, None, null]"));
    }

    @Test
    void dotsReachIntoModulesAndObjects() {
        assertEquals("(call keras.layers.Dense 4)", tree("keras.layers.Dense(4)"));
        assertEquals("m.output", tree("m.output"));
    }

    @Test
    void callsTakePositionalThenKeywordArgumentsAndATrailingComma() {
        assertEquals("(call f a b=1)", tree("f(a, b=1,)"));
        assertEquals("(call (call Dense 4) x)", tree("Dense(4)(x)"));
        assertEquals("(call f)", tree("f()"));
    }

    @Test
    void listsAndTuplesFollowPython() {
        assertEquals("[]", tree("[]"));
        assertEquals("[a b]", tree("[a, b,]"));
        assertEquals("(tuple 3 3)", tree("(3, 3)"));
        assertEquals("(tuple a)", tree("(a,)"));
        assertEquals("(tuple)", tree("()"));
        assertEquals("a", tree("(a)"));
    }

    @Test
    void dictsFollowPythonInsideBrackets() {
        assertEquals("(call fit class_weight=(dict 0:1.0 1:3.0))", tree("fit(class_weight={0: 1.0, 1: 3.0})"));
        assertEquals("(call f (dict) [(dict a:1)] (tuple (dict \"k\":[1 2])))", tree("f({}, [{a: 1,}], ({'k': [1, 2]},))"));
        assertEquals("(call fit class_weight=(dict 0:1 1:2) epochs=3)", tree("fit(class_weight={\n    0: 1,\n    1: 2\n}, epochs=3)"));
    }

    @Test
    void powerBindsTightestAndToTheRight() {
        assertEquals("(** a (** b c))", tree("a ** b ** c"));
        assertEquals("(- (** x 2))", tree("-x ** 2"));
        assertEquals("(* (** 2 (- 1)) 3)", tree("2 ** -1 * 3"));
    }

    @Test
    void productsBindTighterThanSumsAndBothGoLeftToRight() {
        assertEquals("(+ (@ x W) b)", tree("x @ W + b"));
        assertEquals("(- (- a b) c)", tree("a - b - c"));
        assertEquals("(/ (* a b) c)", tree("a * b / c"));
        assertEquals("(* a (+ b c))", tree("a * (b + c)"));
        assertEquals("(+ (* (- a) b) (+ c))", tree("-a * b + +c"));
    }

    @Test
    void ellipsisStandsForAnyLeadingDimensions() {
        assertEquals("[... d]", tree("[..., d]"));
    }

    @Test
    void spansCoverTheWholeExpression() {
        Ast.Call call = (Ast.Call) parse("Dense(4)(x)");
        assertEquals(new Span("e.model", 2, 5, 2, 16), call.span());
        assertEquals(new Span("e.model", 2, 5, 2, 13), call.callee().span());
        assertEquals(new Span("e.model", 2, 14, 2, 15), call.args().getFirst().span());
    }
}
