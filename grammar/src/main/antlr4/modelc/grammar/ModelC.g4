/*
 * The .model language: layer and cell definitions and one model, in Keras vocabulary.
 *
 * Statements end at a newline or ';'. The lexer drops newlines inside '(' and '[' so calls and
 * lists can span lines; '{' and '}' reset that count, because brackets never contain blocks and
 * an unclosed '(' must not swallow the rest of the file. The lexer also puts an empty newline
 * before every '}', so the last statement of a block ends like the others: { return x }.
 */
grammar ModelC;

@lexer::members {
    /** How many '(' and '[' are open; a newline inside them does not end a statement. */
    private int bracketDepth;
    /** A '}' held back while the empty newline in front of it is emitted. */
    private Token heldBrace;

    @Override
    public Token nextToken() {
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
    : INPUT name ':' dtype=name shape? ('->' expr)*     # inputStmt
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
    | '(' (expr (',' expr)* trailing=','?)? ')'     # parens
    ;

args
    : arg (',' arg)* ','?
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
LBRACE   : '{' { bracketDepth = 0; } ;
RBRACE   : '}' { bracketDepth = 0; } ;

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
