package modelc.compiler.syntax;

import static modelc.grammar.ModelCLexer.*;

import java.util.ArrayList;
import java.util.List;
import org.antlr.v4.runtime.DefaultErrorStrategy;
import org.antlr.v4.runtime.InputMismatchException;
import org.antlr.v4.runtime.NoViableAltException;
import org.antlr.v4.runtime.Parser;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.TokenStream;
import org.antlr.v4.runtime.misc.IntervalSet;

/**
 * ANTLR's recovery with messages a person would write: "expected ':' but found 'float'",
 * "expected an expression but found newline", "unexpected '$'", instead of token-set dumps.
 */
final class SyntaxErrorStrategy extends DefaultErrorStrategy {
    private static final int MAX_ALTERNATIVES = 4;

    /** Operators that bind only after a complete expression; their presence means one just ended. */
    private static final IntervalSet INFIX_ONLY = new IntervalSet(POW, STAR, SLASH, AT);
    /** Tokens that could continue a complete expression; not worth listing after one. */
    private static final IntervalSet CONTINUATIONS = new IntervalSet(POW, STAR, SLASH, AT, PLUS, MINUS, LPAREN, DOT);
    /** Tokens that can start an expression; listed together as "an expression". */
    private static final IntervalSet EXPRESSION_START = new IntervalSet(
            NUMBER, STRING, TRUE, FALSE, NONE, ELLIPSIS, NAME, MODEL, SEQUENTIAL, LAYER, CELL, LPAREN, LBRACKET, DICT_OPEN, PLUS, MINUS);
    /** Keywords that may stand where a name is expected; a name covers them. */
    private static final IntervalSet KEYWORDS = new IntervalSet(MODEL, SEQUENTIAL, LAYER, CELL, INPUT, OUTPUT, STATE, RETURN);
    /** Ends a statement can also have; not worth listing beside a newline. */
    private static final IntervalSet STATEMENT_ENDS = new IntervalSet(RBRACE, Token.EOF);
    /** Not worth suggesting to a token that already starts a line. */
    private static final IntervalSet SEPARATORS = new IntervalSet(NL, SEMI);

    @Override
    protected void reportNoViableAlternative(Parser parser, NoViableAltException e) {
        Token found = e.getOffendingToken();
        String message = found == e.getStartToken()
                ? message(parser, parser.getExpectedTokens(), found)
                : lexicalError(found, "unexpected " + Tokens.describe(found));
        parser.notifyErrorListeners(found, message, e);
    }

    @Override
    protected void reportInputMismatch(Parser parser, InputMismatchException e) {
        parser.notifyErrorListeners(e.getOffendingToken(), message(parser, e.getExpectedTokens(), e.getOffendingToken()), e);
    }

    @Override
    protected void reportUnwantedToken(Parser parser) {
        report(parser);
    }

    @Override
    protected void reportMissingToken(Parser parser) {
        report(parser);
    }

    private void report(Parser parser) {
        if (inErrorRecoveryMode(parser)) return;
        beginErrorCondition(parser);
        Token found = parser.getCurrentToken();
        parser.notifyErrorListeners(found, message(parser, getExpectedTokens(parser), found), null);
    }

    private static String message(Parser parser, IntervalSet expected, Token found) {
        List<String> alternatives = alternatives(expected, parser.getInputStream(), found);
        String unexpected = "unexpected " + Tokens.describe(found);
        if (alternatives.isEmpty() || alternatives.size() > MAX_ALTERNATIVES) return lexicalError(found, unexpected);
        return lexicalError(found, "expected " + join(alternatives) + " but found " + Tokens.describe(found));
    }

    /** The expected tokens worth naming, most general first. */
    private static List<String> alternatives(IntervalSet expected, TokenStream tokens, Token found) {
        IntervalSet left = new IntervalSet(expected);
        if (isOnlyCloser(left) && tokens.get(found.getTokenIndex() - 1).getType() != COMMA) {
            left.add(COMMA); // ANTLR leaves a list's comma loop before it fails on the closer
        }
        List<String> names = new ArrayList<>();
        if (!left.and(INFIX_ONLY).isNil()) left = left.subtract(CONTINUATIONS);
        if (left.contains(NUMBER)) {
            left = left.subtract(EXPRESSION_START);
            names.add("an expression");
        } else if (left.contains(NAME)) {
            left = left.subtract(KEYWORDS);
        }
        if (left.contains(NL)) {
            left = left.subtract(STATEMENT_ENDS);
            if (Tokens.startsLine(tokens, found)) left = left.subtract(SEPARATORS);
        }
        for (int type : left.toList()) names.add(Tokens.describe(type));
        return names;
    }

    private static boolean isOnlyCloser(IntervalSet set) {
        return set.size() == 1 && (set.contains(RPAREN) || set.contains(RBRACKET) || set.contains(DICT_CLOSE));
    }

    /** Errors the lexer left for the parser: a stray character, an unclosed string or comment. */
    private static String lexicalError(Token found, String otherwise) {
        return switch (found.getType()) {
            case ERROR_CHAR -> "unexpected character " + Tokens.describe(found);
            case UNCLOSED_STRING -> "unterminated string";
            case BLOCK_COMMENT -> "unterminated comment: '/*' has no '*/'";
            default -> otherwise;
        };
    }

    private static String join(List<String> items) {
        if (items.size() == 1) return items.get(0);
        return String.join(", ", items.subList(0, items.size() - 1)) + " or " + items.getLast();
    }
}
