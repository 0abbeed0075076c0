/*
 * The .model language: layer and cell definitions and one model, in Keras vocabulary.
 *
 * Statements end at a newline or ';'. The lexer drops newlines inside '(' and '[' so calls and
 * lists can span lines; '{' and '}' reset that count, because brackets never contain blocks and
 * an unclosed '(' must not swallow the rest of the file. The lexer also puts an empty newline
 * before every '}', so the last statement of a block ends like the others: { return x }.
 *
 * A '{' inside brackets right after '=', '(', '[', ',' or ':' opens a dict instead, as in Python's
 * fit(class_weight={0: 1.0, 1: 3.0}): the lexer makes it DICT_OPEN and its '}' DICT_CLOSE, which
 * count as brackets and get no newline before them.
 */
grammar ModelC;

tokens { DICT_OPEN, DICT_CLOSE }

@lexer::members {
    /** How many '(' and '[' are open; a newline inside them does not end a statement. */
    private int bracketDepth;
    /** A '}' held back while the empty newline in front of it is emitted. */
    private Token heldBrace;
    /** The dict tokens (declared in tokens {}, which a combined grammar gives the parser only). */
    public static final int DICT_OPEN = ModelCParser.DICT_OPEN, DICT_CLOSE = ModelCParser.DICT_CLOSE;
    /** The type of the token emitted last. */
    private int lastType = -1;
    /** The bracket depth inside each dict still open, innermost first. */
    private final java.util.ArrayDeque<Integer> dicts = new java.util.ArrayDeque<>();

    @Override
    public Token nextToken() {
        Token t = nextWithNewlineBeforeBrace();
        lastType = t.getType();
        return t;
    }

    /** True if the '{' being lexed opens a dict: inside brackets, where an expression starts. */
    private boolean opensDict() {
        return bracketDepth > 0 && (lastType == ASSIGN || lastType == LPAREN || lastType == LBRACKET || lastType == COMMA
                || lastType == COLON);
    }

    private void openBrace() {
        if (opensDict()) {
            setType(DICT_OPEN);
            dicts.push(++bracketDepth);
        } else {
            bracketDepth = 0;
            dicts.clear();
        }
    }

    private void closeBrace() {
        if (!dicts.isEmpty() && dicts.peek() == bracketDepth) {
            setType(DICT_CLOSE);
            dicts.pop();
            bracketDepth--;
        } else {
            bracketDepth = 0;
            dicts.clear();
        }
    }

    private Token nextWithNewlineBeforeBrace() {
        if (heldBrace != null) {
            Token brace = heldBrace;
            heldBrace = null;
            return brace;
        }
        Token next = super.nextToken();
        if (next.getType() != RBRACE) return next;
        heldBrace = next;
        return _factory.create(_tokenFactorySourcePair, NL, "", DEFAULT_TOKEN_CHANNEL,
                next.getStartIndex(), next.getStartIndex() - 1, next.getLine(), next.getCharPositionInLine());
    }
}

// ---------------------------------------------------------------- declarations

program
    : (decl | end)* EOF
    ;

decl
    : modelDecl
    | classDecl
    ;

/** model Name { ... } or sequential Name { ... } */
modelDecl
    : kind=(MODEL | SEQUENTIAL) name NL* block
    ;

/** layer Name(params) { methods } or cell Name(params) { states and methods } */
classDecl
    : kind=(LAYER | CELL) name params? NL* '{' (member | end)* '}'
    ;

params
    : '(' (param (',' param)* ','?)? ')'
    ;

param
    : name ('=' expr)?
    ;

member
    : stateDecl end
    | method
    ;

method
    : name '(' (typedParam (',' typedParam)* ','?)? ')' NL* block
    ;

typedParam
    : name (':' shape)?
    ;

block
    : '{' (stmt? end)* '}'
    ;

/** What ends a statement. */
end
    : NL
    | ';'
    ;

// ---------------------------------------------------------------- statements

stmt
    : INPUT name ':' dtype=name shape? (',' arg)* ('->' expr)* (',' arg)*   # inputStmt
    | stateDecl                                         # stateStmt
    | OUTPUT (name '=')? expr                           # outputStmt
    | RETURN expr (',' expr)*                           # returnStmt
    | name (',' name)* '=' expr                         # assignStmt
    | expr                                              # exprStmt
    ;

stateDecl
    : STATE name ':' shape
    ;

/** [d, units], [28, 28], [None], [..., d] */
shape
    : '[' (expr (',' expr)* ','?)? ']'
    ;

// ---------------------------------------------------------------- expressions

/** Alternatives listed first bind tighter: calls and attributes, '**', unary, '* / @', '+ -'. */
expr
    : expr '(' args? ')'                            # call
    | expr '.' anyName                              # attribute
    | <assoc=right> expr op='**' expr               # binary
    | op=('-' | '+') expr                           # unary
    | expr op=('*' | '/' | '@') expr                # binary
    | expr op=('+' | '-') expr                      # binary
    | NUMBER                                        # number
    | STRING                                        # string
    | (TRUE | FALSE)                                # bool
    | NONE                                          # none
    | '...'                                         # ellipsis
    | name                                          # nameExpr
    | '[' (expr (',' expr)* ','?)? ']'              # list
    | DICT_OPEN (dictEntry (',' dictEntry)* ','?)? DICT_CLOSE   # dict
    | '(' (expr (',' expr)* trailing=','?)? ')'     # parens
    ;

args
    : arg (',' arg)* ','?
    ;

/** key: value in a dict. */
dictEntry
    : expr ':' expr
    ;

arg
    : (name '=')? expr
    ;

/** Declaration keywords are ordinary names wherever a name is expected. */
name
    : NAME | MODEL | SEQUENTIAL | LAYER | CELL
    ;

/** After '.' every keyword is a name: model.output, layer.input. */
anyName
    : name | INPUT | OUTPUT | STATE | RETURN
    ;

// ---------------------------------------------------------------- tokens

MODEL      : 'model' ;
SEQUENTIAL : 'sequential' ;
LAYER      : 'layer' ;
CELL       : 'cell' ;
INPUT      : 'input' ;
OUTPUT     : 'output' ;
STATE      : 'state' ;
RETURN     : 'return' ;
TRUE       : 'true' | 'True' ;
FALSE      : 'false' | 'False' ;
NONE       : 'None' | 'null' ;

NL    : ('\r'? '\n' | '\r') { if (bracketDepth > 0) skip(); } ;
SEMI  : ';' ;
COMMA : ',' ;
COLON : ':' ;

LPAREN   : '(' { bracketDepth++; } ;
RPAREN   : ')' { if (bracketDepth > 0) bracketDepth--; } ;
LBRACKET : '[' { bracketDepth++; } ;
RBRACKET : ']' { if (bracketDepth > 0) bracketDepth--; } ;
LBRACE   : '{' { openBrace(); } ;
RBRACE   : '}' { closeBrace(); } ;

ELLIPSIS : '...' ;
ARROW    : '->' ;
POW      : '**' ;
PLUS     : '+' ;
MINUS    : '-' ;
STAR     : '*' ;
SLASH    : '/' ;
AT       : '@' ;
ASSIGN   : '=' ;
DOT      : '.' ;

NUMBER
    : DIGITS ('.' DIGITS?)? EXPONENT?
    | '.' DIGITS EXPONENT?
    ;

NAME : [a-zA-Z_] [a-zA-Z_0-9]* ;

STRING
    : '"' (~["\\\r\n] | '\\' .)* '"'
    | '\'' (~['\\\r\n] | '\\' .)* '\''
    ;

/** A string that reaches the end of its line; the parser reports it. */
UNCLOSED_STRING
    : '"' (~["\\\r\n] | '\\' .)*
    | '\'' (~['\\\r\n] | '\\' .)*
    ;

LINE_COMMENT      : ('//' | '#') ~[\r\n]* -> skip ;
/** Skipped when closed; an unclosed one reaches the parser, which reports it. */
BLOCK_COMMENT     : '/*' .*? ('*/' | EOF) { if (getText().length() >= 4 && getText().endsWith("*/")) skip(); } ;
LINE_CONTINUATION : '\\' [ \t]* ('\r'? '\n' | '\r') -> skip ;
WS                : [ \t\f]+ -> skip ;

/** Any other character; the parser reports it as unexpected. */
ERROR_CHAR : . ;

fragment DIGITS   : [0-9] ('_'? [0-9])* ;
fragment EXPONENT : [eE] [+-]? DIGITS ;
