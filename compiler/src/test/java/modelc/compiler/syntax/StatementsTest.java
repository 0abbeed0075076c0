package modelc.compiler.syntax;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Where statements end, and what each kind of statement and declaration parses to. */
class StatementsTest {

    private static List<Ast.Stmt> body(String modelBody) {
        return Parser.parse("s.model", "model M {\n" + modelBody + "\n}\n").model().body();
    }

    /** Each statement in one line: assignments as "x = tree", expression statements as the tree. */
    private static List<String> lines(String modelBody) {
        return body(modelBody).stream().map(s -> switch (s) {
            case Ast.Assign a -> String.join(", ", a.targets()) + " = " + Sexpr.of(a.value());
            case Ast.ExprStmt e -> Sexpr.of(e.expr());
            default -> s.getClass().getSimpleName();
        }).toList();
    }

    @Test
    void aNewlineOrASemicolonEndsAStatement() {
        assertEquals(List.of("x = a", "y = b", "z = c"), lines("x = a\ny = b; z = c"));
    }

    @Test
    void blankLinesAndExtraSemicolonsAreHarmless() {
        assertEquals(List.of("x = a", "y = b"), lines("\n\n  x = a;;\n\n;\n  y = b;\n\n"));
    }

    @Test
    void newlinesInsideParenthesesAndBracketsContinueTheStatement() {
        assertEquals(List.of("(call compile loss=mse optimizer=adam metrics=[mae accuracy])", "(call fit)"), lines("""
                compile(
                    loss=mse,
                    optimizer=adam,
                    metrics=[
                        mae,
                        accuracy,
                    ],
                )
                fit()"""));
    }

    @Test
    void aBackslashContinuesALine() {
        assertEquals(List.of("x = (+ a b)"), lines("x = a + \\\n    b"));
    }

    @Test
    void commentsTakeThreeForms() {
        assertEquals(List.of("x = a", "y = b", "z = c"), lines("""
                x = a  // C++ style
                # Python style
                y = b  /* C style,
                          across lines */
                z = c"""));
    }

    @Test
    void theLastStatementOfABlockNeedsNoNewline() {
        Ast.Program p = Parser.parse("s.model", """
                layer Twice { call(x) { return x + x } }
                cell Id(units) { state h: [units]; step(x) { return x } }
                sequential M { input x: float[3]; Dense(3) }""");
        assertEquals(1, p.layers().getFirst().methods().getFirst().body().size());
        assertEquals(1, p.cells().getFirst().states().size());
        assertEquals(2, p.model().body().size());
    }

    @Test
    void aBraceMayOpenOnTheNextLine() {
        Ast.Program p = Parser.parse("s.model", """
                layer Twice(units)
                {
                    call(x)
                    {
                        return x + x
                    }
                }
                model M
                {
                    output x
                }
                """);
        assertEquals("Twice", p.layers().getFirst().name());
        assertEquals("M", p.model().name());
    }

    @Test
    void inputsDeclareADtypeAndAPerSampleShape() {
        List<Ast.Stmt> body = body("input tokens: int[500]\ninput x: float[28, 28]\ninput t: int[None]");
        Ast.InputDecl x = (Ast.InputDecl) body.get(1);
        assertEquals("float", x.dtype());
        assertEquals("[28 28]", Sexpr.of(x.dims()));
        assertEquals("[None]", Sexpr.of(((Ast.InputDecl) body.get(2)).dims()));
    }

    @Test
    void aTextInputHasAPreprocessingPipeline() {
        Ast.InputDecl review = (Ast.InputDecl) body(
                "input review: text -> Tokenizer(num_words=10000) -> pad_sequences(maxlen=500)").getFirst();
        assertEquals("review", review.name());
        assertEquals("text", review.dtype());
        assertEquals(List.of(), review.dims());
        assertEquals("[(call Tokenizer num_words=10000) (call pad_sequences maxlen=500)]", Sexpr.of(review.pipeline()));
    }

    @Test
    void anInputsOptionsMayFollowItsPipeline() {
        for (String decl : new String[] {"input review: text, batch_size=4 -> Tokenizer() -> pad_sequences(maxlen=8)",
                "input review: text -> Tokenizer() -> pad_sequences(maxlen=8), batch_size=4"}) {
            Ast.InputDecl review = (Ast.InputDecl) body(decl).getFirst();
            assertEquals(1, review.options().size(), decl);
            assertEquals("batch_size", review.options().getFirst().keyword(), decl);
            assertEquals("[(call Tokenizer) (call pad_sequences maxlen=8)]", Sexpr.of(review.pipeline()), decl);
        }
    }

    @Test
    void assignmentsMayUnpack() {
        assertEquals(List.of("out, h = (call (call GRU 4 return_state=true) x)"),
                lines("out, h = GRU(4, return_state=True)(x)"));
    }

    @Test
    void outputsMayBeNamed() {
        List<Ast.Stmt> body = body("output Dense(1)(h)\noutput score = Dense(1)(h)");
        assertNull(((Ast.Output) body.get(0)).name());
        assertEquals("score", ((Ast.Output) body.get(1)).name());
        assertEquals("(call (call Dense 1) h)", Sexpr.of(((Ast.Output) body.get(1)).value()));
    }

    @Test
    void returnsMayReturnSeveralValues() {
        Ast.Return ret = (Ast.Return) Parser.parse("s.model", "cell C { step(x) { return h, h } }")
                .cells().getFirst().methods().getFirst().body().getFirst();
        assertEquals("[h h]", Sexpr.of(ret.values()));
    }

    @Test
    void declarationKeywordsAreNamesInsideBodies() {
        assertEquals(List.of("layer = (call Dense 4)", "model = (call layer x)", "(call fit model=model)"),
                lines("layer = Dense(4)\nmodel = layer(x)\nfit(model=model)"));
    }

    @Test
    void layerParametersMayHaveDefaults() {
        Ast.LayerDecl foo = Parser.parse("s.model", """
                layer Foo(units, activation=relu, rate=0.5) {
                    call(x: [..., d], mask) { return x }
                }
                """).layers().getFirst();
        assertEquals(List.of("units", "activation", "rate"), foo.params().stream().map(Ast.ParamDecl::name).toList());
        assertNull(foo.params().getFirst().defaultValue());
        assertEquals("0.5", Sexpr.of(foo.params().get(2).defaultValue()));
        List<Ast.TypedParam> params = foo.methods().getFirst().params();
        assertEquals("[... d]", Sexpr.of(params.get(0).shape()));
        assertNull(params.get(1).shape());
    }

    @Test
    void aCellDeclaresStatesAmongItsMethods() {
        Ast.CellDecl lstm = Parser.parse("s.model", """
                cell Lstm(units) {
                    state h: [units]
                    step(x: [d]) { return h }
                    state c: [units]
                }
                """).cells().getFirst();
        assertEquals(List.of("h", "c"), lstm.states().stream().map(Ast.StateDecl::name).toList());
        assertInstanceOf(Ast.MethodDecl.class, lstm.methods().getFirst());
    }

    @Test
    void aFileMayHoldNoModel() {
        assertNull(Parser.parse("s.model", "// nothing yet\n").model());
    }
}
