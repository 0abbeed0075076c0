package modelc.compiler.syntax;

import modelc.compiler.diag.Span;
import modelc.grammar.ModelCLexer;
import org.antlr.v4.runtime.ParserRuleContext;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.TokenStream;

/** Where tokens are and how to name them in a message. */
final class Tokens {
    private Tokens() {}

    /** The token's extent; a newline or the end of file is one column wide. */
    static Span span(String file, Token t) {
        int column = t.getCharPositionInLine() + 1;
        if (t.getType() == Token.EOF || t.getType() == ModelCLexer.NL) return Span.at(file, t.getLine(), column);
        String text = t.getText();
        int lastBreak = text.lastIndexOf('\n');
        if (lastBreak < 0) return new Span(file, t.getLine(), column, t.getLine(), column + text.length());
        int endLine = t.getLine() + (int) text.chars().filter(c -> c == '\n').count();
        return new Span(file, t.getLine(), column, endLine, text.length() - lastBreak);
    }

    /** From the first token of {@code ctx} to the end of its last. */
    static Span span(String file, ParserRuleContext ctx) {
        return span(file, ctx.getStart()).to(span(file, ctx.getStop()));
    }

    /** The span from the start of {@code first} to the end of {@code last}. */
    static Span span(String file, Token first, Token last) {
        return span(file, first).to(span(file, last));
    }

    /** How a message names a token that was found: {@code 'xyz'}, newline, end of file. */
    static String describe(Token t) {
        return switch (t.getType()) {
            case Token.EOF -> "end of file";
            case ModelCLexer.NL -> t.getText().isEmpty() ? "'}'" : "newline"; // the lexer's empty newline before '}'
            default -> "'" + t.getText() + "'";
        };
    }

    /** How a message names a kind of token that was expected. */
    static String describe(int type) {
        return switch (type) {
            case Token.EOF -> "end of file";
            case ModelCLexer.NL -> "newline";
            case ModelCLexer.NAME -> "a name";
            case ModelCLexer.NUMBER -> "a number";
            case ModelCLexer.STRING -> "a string";
            case ModelCLexer.TRUE -> "'true'";
            case ModelCLexer.FALSE -> "'false'";
            case ModelCLexer.NONE -> "'None'";
            case ModelCLexer.DICT_OPEN -> "'{'";
            case ModelCLexer.DICT_CLOSE -> "'}'";
            default -> ModelCLexer.VOCABULARY.getLiteralName(type);
        };
    }

    /** True when {@code t} is the first token of its line (newlines inside brackets are not tokens). */
    static boolean startsLine(TokenStream tokens, Token t) {
        return t.getTokenIndex() <= 0 || tokens.get(t.getTokenIndex() - 1).getLine() < t.getLine();
    }
}
