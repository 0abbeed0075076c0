package modelc.compiler.syntax;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import modelc.compiler.diag.Span;
import org.junit.jupiter.api.Test;

/** The examples of DESIGN.md, verbatim, parse to the expected trees. */
class DesignExamplesTest {
    static final String TEXT_INCEPTION = """
            // functional form
            model TextInception {
                input tokens: int[500]                      // dtype float or int; per-sample shape, batch implicit
                x  = Embedding(10000, 30)(tokens)
                b3 = GlobalAveragePooling1D()(Conv1D(50, 3, activation=relu, padding=same)(x))
                b5 = GlobalAveragePooling1D()(Conv1D(50, 5, activation=relu, padding=same)(x))
                b7 = GlobalAveragePooling1D()(Conv1D(50, 7, activation=relu, padding=same)(x))
                h  = Concatenate()([b3, b5, b7])
                h  = Dense(50, activation=relu)(Dropout(0.3)(h))
                output Dense(1, activation=sigmoid)(Dropout(0.3)(h))
                compile(loss=binary_crossentropy, optimizer=adam, metrics=[accuracy])
                fit(epochs=10, batch_size=32, validation_split=0.2)
            }
            """;

    static final String EMBEDDING_BAG = """
            // sequential form
            sequential EmbeddingBag {
                input tokens: int[100]
                Embedding(10000, 8)
                Flatten()
                Dense(1, activation=sigmoid)
                compile(optimizer=rmsprop, loss=binary_crossentropy, metrics=[accuracy])
            }
            """;

    static final String HIGHWAY = """
            // a layer written as math: the compiler derives its gradient
            layer Highway(units) {
                call(x: [d]) {                               // d binds to the input's last dimension
                    W_H = param([d, units]);  b_H = param([units], init=zeros)
                    W_T = param([d, units]);  b_T = param([units], init=constant(-1))
                    H = relu(x @ W_H + b_H)
                    T = sigmoid(x @ W_T + b_T)
                    return H * T + x * (1 - T)
                }
            }
            """;

    static final String ELMAN = """
            // a recurrent cell written as math: RNN(...) unrolls it over time, BPTT is derived
            cell Elman(units) {
                state h: [units]
                step(x: [d]) {
                    W = param([units + d, units]);  b = param([units], init=zeros)
                    h = tanh(concat(h, x) @ W + b)
                    return h
                }
            }
            """;

    @Test
    void textInceptionIsAFunctionalModelOfTenStatements() {
        Ast.ModelDecl model = Parser.parse("text_inception.model", TEXT_INCEPTION).model();

        assertEquals("model", model.kind());
        assertEquals("TextInception", model.name());
        assertEquals(10, model.body().size());
        Ast.InputDecl input = assertInstanceOf(Ast.InputDecl.class, model.body().get(0));
        assertEquals("tokens", input.name());
        assertEquals("int", input.dtype());
        assertEquals("[500]", Sexpr.of(input.dims()));
        assertEquals(List.of(), input.pipeline());
    }

    @Test
    void textInceptionCallsLayersThenTheirResults() {
        List<Ast.Stmt> body = Parser.parse("text_inception.model", TEXT_INCEPTION).model().body();

        Ast.Assign x = assertInstanceOf(Ast.Assign.class, body.get(1));
        assertEquals(List.of("x"), x.targets());
        assertEquals("(call (call Embedding 10000 30) tokens)", Sexpr.of(x.value()));
        assertEquals(new Span("text_inception.model", 4, 5, 4, 38), x.span());
        assertEquals("(call (call GlobalAveragePooling1D) (call (call Conv1D 50 3 activation=relu padding=same) x))",
                Sexpr.of(((Ast.Assign) body.get(2)).value()));
        assertEquals("(call (call Concatenate) [b3 b5 b7])", Sexpr.of(((Ast.Assign) body.get(5)).value()));

        Ast.Output output = assertInstanceOf(Ast.Output.class, body.get(7));
        assertNull(output.name());
        assertEquals("(call (call Dense 1 activation=sigmoid) (call (call Dropout 0.3) h))", Sexpr.of(output.value()));
    }

    @Test
    void textInceptionEndsWithCompileAndFit() {
        List<Ast.Stmt> body = Parser.parse("text_inception.model", TEXT_INCEPTION).model().body();

        assertEquals("(call compile loss=binary_crossentropy optimizer=adam metrics=[accuracy])",
                Sexpr.of(((Ast.ExprStmt) body.get(8)).expr()));
        assertEquals("(call fit epochs=10 batch_size=32 validation_split=0.2)",
                Sexpr.of(((Ast.ExprStmt) body.get(9)).expr()));
    }

    @Test
    void embeddingBagIsASequentialModelOfLayerLines() {
        Ast.ModelDecl model = Parser.parse("embedding_bag.model", EMBEDDING_BAG).model();

        assertEquals("sequential", model.kind());
        assertEquals("EmbeddingBag", model.name());
        assertEquals(List.of("(call Embedding 10000 8)", "(call Flatten)", "(call Dense 1 activation=sigmoid)",
                        "(call compile optimizer=rmsprop loss=binary_crossentropy metrics=[accuracy])"),
                model.body().stream().skip(1).map(s -> Sexpr.of(((Ast.ExprStmt) s).expr())).toList());
    }

    @Test
    void highwayIsALayerWithOneCallMethod() {
        Ast.Program program = Parser.parse("highway.model", HIGHWAY);

        assertNull(program.model());
        Ast.LayerDecl highway = program.layers().getFirst();
        assertEquals("Highway", highway.name());
        assertEquals(List.of("units"), highway.params().stream().map(Ast.ParamDecl::name).toList());
        Ast.MethodDecl call = highway.methods().getFirst();
        assertEquals("call", call.name());
        assertEquals("x", call.params().getFirst().name());
        assertEquals("[d]", Sexpr.of(call.params().getFirst().shape()));
    }

    @Test
    void highwaySplitsLinesAtSemicolons() {
        List<Ast.Stmt> body = Parser.parse("highway.model", HIGHWAY).layers().getFirst().methods().getFirst().body();

        assertEquals(List.of("W_H", "b_H", "W_T", "b_T", "H", "T"),
                body.subList(0, 6).stream().map(s -> ((Ast.Assign) s).targets().getFirst()).toList());
        assertEquals("(call param [units] init=(call constant (- 1)))", Sexpr.of(((Ast.Assign) body.get(3)).value()));
        assertEquals("(call relu (+ (@ x W_H) b_H))", Sexpr.of(((Ast.Assign) body.get(4)).value()));
        Ast.Return ret = assertInstanceOf(Ast.Return.class, body.get(6));
        assertEquals("[(+ (* H T) (* x (- 1 T)))]", Sexpr.of(ret.values()));
    }

    @Test
    void elmanIsACellWithStateAndAStep() {
        Ast.CellDecl elman = Parser.parse("elman.model", ELMAN).cells().getFirst();

        assertEquals("Elman", elman.name());
        Ast.StateDecl h = elman.states().getFirst();
        assertEquals("h", h.name());
        assertEquals("[units]", Sexpr.of(h.dims()));
        Ast.MethodDecl step = elman.methods().getFirst();
        assertEquals("step", step.name());
        assertEquals(4, step.body().size());
        assertEquals("(call param [(+ units d) units])", Sexpr.of(((Ast.Assign) step.body().getFirst()).value()));
        assertEquals("(call tanh (+ (@ (call concat h x) W) b))", Sexpr.of(((Ast.Assign) step.body().get(2)).value()));
    }

    @Test
    void aFileHoldsLayersCellsAndOneModel() {
        Ast.Program program = Parser.parse("all.model", HIGHWAY + ELMAN + TEXT_INCEPTION);

        assertEquals("all.model", program.file());
        assertEquals(1, program.layers().size());
        assertEquals(1, program.cells().size());
        assertEquals("TextInception", program.model().name());
    }
}
