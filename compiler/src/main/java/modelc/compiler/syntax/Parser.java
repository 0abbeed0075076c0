package modelc.compiler.syntax;

import modelc.compiler.diag.CompileException;
import modelc.grammar.ModelCLexer;
import modelc.grammar.ModelCParser;
import org.antlr.v4.runtime.CharStreams;
import org.antlr.v4.runtime.CommonTokenStream;

/** Parses a {@code .model} file into its {@link Ast}. */
public final class Parser {
    private Parser() {}

    /**
     * @param fileName the name diagnostics show, e.g. {@code imdb.model}
     * @throws CompileException with every syntax error, each at its offending token
     */
    public static Ast.Program parse(String fileName, String source) {
        ModelCLexer lexer = new ModelCLexer(CharStreams.fromString(source, fileName));
        lexer.removeErrorListeners(); // the lexer has no errors: stray characters become tokens the parser reports
        CommonTokenStream tokens = new CommonTokenStream(lexer);
        tokens.fill(); // the error collector looks ahead for closing brackets
        ModelCParser parser = new ModelCParser(tokens);
        parser.removeErrorListeners();
        parser.setErrorHandler(new SyntaxErrorStrategy());
        SyntaxErrorCollector errors = new SyntaxErrorCollector(fileName);
        parser.addErrorListener(errors);
        ModelCParser.ProgramContext tree = parser.program();
        if (!errors.diagnostics().isEmpty()) throw new CompileException(errors.diagnostics());
        return AstBuilder.build(fileName, tree);
    }
}
