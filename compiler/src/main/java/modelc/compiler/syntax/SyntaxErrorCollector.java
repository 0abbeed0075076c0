package modelc.compiler.syntax;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import modelc.compiler.diag.Diagnostic;
import modelc.grammar.ModelCLexer;
import org.antlr.v4.runtime.BaseErrorListener;
import org.antlr.v4.runtime.Parser;
import org.antlr.v4.runtime.RecognitionException;
import org.antlr.v4.runtime.Recognizer;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.TokenStream;

/**
 * Collects the parser's errors as diagnostics at the offending token, one per line.
 *
 * <p>Newlines inside brackets do not end statements, so a forgotten ')' lets a call run on into
 * the following lines and the parser only stumbles later. When the error is at the start of a
 * line below a '(' or '[' that is still open, or at the end of the file with any bracket open,
 * the diagnostic points at that bracket instead, the way Python says "'(' was never closed".
 */
final class SyntaxErrorCollector extends BaseErrorListener {
    private final String file;
    private final List<Diagnostic> diagnostics = new ArrayList<>();

    SyntaxErrorCollector(String file) {
        this.file = file;
    }

    List<Diagnostic> diagnostics() {
        return diagnostics;
    }

    @Override
    public void syntaxError(Recognizer<?, ?> recognizer, Object offendingSymbol, int line, int column,
                            String message, RecognitionException e) {
        Token found = (Token) offendingSymbol;
        TokenStream tokens = ((Parser) recognizer).getInputStream();
        Token open = innermostOpenBracket(tokens, found);
        Diagnostic d = open != null && ranOn(open, found, tokens)
                ? new Diagnostic(Tokens.span(file, open), "'" + open.getText() + "' was never closed",
                        "at " + found.getLine() + ":" + (found.getCharPositionInLine() + 1) + ": " + message)
                : new Diagnostic(Tokens.span(file, found), message);
        if (diagnostics.stream().noneMatch(earlier -> earlier.span().line() == d.span().line())) diagnostics.add(d);
    }

    /** Whether the parser stumbled only because {@code open} was never closed. */
    private static boolean ranOn(Token open, Token found, TokenStream tokens) {
        if (found.getType() == Token.EOF) return true;
        return open.getType() != ModelCLexer.LBRACE && open.getLine() < found.getLine()
                && Tokens.startsLine(tokens, found) && !closedFrom(tokens, found);
    }

    /** Whether a ')' or ']' from {@code t} on closes a bracket opened before it, ahead of the next brace. */
    private static boolean closedFrom(TokenStream tokens, Token t) {
        int depth = 0;
        for (int i = t.getTokenIndex(); i < tokens.size(); i++) {
            switch (tokens.get(i).getType()) {
                case ModelCLexer.LPAREN, ModelCLexer.LBRACKET, ModelCLexer.DICT_OPEN -> depth++;
                case ModelCLexer.RPAREN, ModelCLexer.RBRACKET, ModelCLexer.DICT_CLOSE -> {
                    if (depth-- == 0) return true;
                }
                case ModelCLexer.LBRACE, ModelCLexer.RBRACE, Token.EOF -> {
                    return false;
                }
                default -> { }
            }
        }
        return false;
    }

    /** The innermost '(', '[' or '{' still open before {@code t}; a block's '}' also closes brackets, as in the lexer. */
    private static Token innermostOpenBracket(TokenStream tokens, Token t) {
        Deque<Token> open = new ArrayDeque<>();
        for (int i = 0; i < t.getTokenIndex(); i++) {
            Token token = tokens.get(i);
            switch (token.getType()) {
                case ModelCLexer.LPAREN, ModelCLexer.LBRACKET, ModelCLexer.DICT_OPEN, ModelCLexer.LBRACE -> open.push(token);
                case ModelCLexer.RPAREN, ModelCLexer.RBRACKET, ModelCLexer.DICT_CLOSE -> {
                    if (!open.isEmpty() && open.peek().getType() != ModelCLexer.LBRACE) open.pop();
                }
                case ModelCLexer.RBRACE -> {
                    while (!open.isEmpty() && open.peek().getType() != ModelCLexer.LBRACE) open.pop();
                    open.poll();
                }
                default -> { }
            }
        }
        return open.peek();
    }
}
