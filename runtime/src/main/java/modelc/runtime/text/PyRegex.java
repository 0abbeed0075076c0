package modelc.runtime.text;

import java.util.regex.Pattern;

/**
 * Compiles a Python {@code re} pattern (as used in scikit-learn's {@code token_pattern}) for
 * {@link java.util.regex}, keeping Python's Unicode meaning of the word classes.
 *
 * <p>Python's {@code \w} is "letter, number or underscore" ({@link PyStrings#isWordChar}), which is not the
 * JDK's {@code UNICODE_CHARACTER_CLASS} {@code \w} (that one adds combining marks and connector punctuation
 * and drops No). So {@code \w \W \b \B} are rewritten into explicit classes and look-arounds; the rest of the
 * pattern is handed to {@code java.util.regex} with {@link Pattern#UNICODE_CHARACTER_CLASS} (so {@code \d} is
 * Nd as in Python; {@code \s} is Unicode White_Space, which differs from Python's {@code str.isspace} only for
 * U+001C..U+001F). Syntax that only one of the two engines knows is not translated.
 */
public final class PyRegex {
    private PyRegex() {}

    /**
     * A letter outside the BMP, written literally. It adds nothing to the classes below (it is already
     * \p{L}), but java.util.regex only steps back over surrogate pairs in look-behinds when the pattern text
     * itself holds a supplementary character; without it {@code \b} would fall between the two halves of
     * an astral letter such as U+1D400.
     */
    private static final String ASTRAL_LETTER = new String(Character.toChars(0x1D400));

    /** Python's {@code \w} as a Java class: letters, numbers (Nd, Nl, No) and '_'. */
    static final String WORD = "[\\p{L}\\p{N}_" + ASTRAL_LETTER + "]";
    static final String NON_WORD = "[^\\p{L}\\p{N}_" + ASTRAL_LETTER + "]";
    static final String BOUNDARY = "(?:(?<=" + WORD + ")(?!" + WORD + ")|(?<!" + WORD + ")(?=" + WORD + "))";
    static final String NON_BOUNDARY = "(?:(?<=" + WORD + ")(?=" + WORD + ")|(?<!" + WORD + ")(?!" + WORD + "))";

    /** Compiles a Python pattern; see the class comment for what is translated. */
    public static Pattern compile(String pythonPattern) {
        return Pattern.compile(translate(pythonPattern), Pattern.UNICODE_CHARACTER_CLASS);
    }

    /** The Java source of a Python pattern (visible for tests). */
    static String translate(String p) {
        StringBuilder out = new StringBuilder(p.length() + 32);
        boolean inClass = false;
        for (int i = 0; i < p.length(); i++) {
            char c = p.charAt(i);
            if (c == '\\' && i + 1 < p.length()) {
                char e = p.charAt(++i);
                switch (e) {
                    case 'w' -> out.append(WORD);
                    case 'W' -> out.append(NON_WORD);
                    case 'b' -> out.append(inClass ? "\\x08" : BOUNDARY); // inside a class, Python's \b is backspace
                    case 'B' -> {
                        if (inClass) throw new IllegalArgumentException("bad escape \\B in a character class");
                        out.append(NON_BOUNDARY);
                    }
                    default -> out.append(c).append(e);
                }
            } else {
                if (c == '[' && !inClass) {
                    inClass = true;
                    out.append(c);
                    // a ']' right after '[' or '[^' is a literal in Python
                    if (i + 1 < p.length() && p.charAt(i + 1) == '^') out.append(p.charAt(++i));
                    if (i + 1 < p.length() && p.charAt(i + 1) == ']') {
                        out.append("\\]");
                        i++;
                    }
                } else if (c == '[') {
                    out.append("\\["); // nested '[' is a literal in Python, a union in Java
                } else if (c == ']' && inClass) {
                    inClass = false;
                    out.append(c);
                } else if (!inClass && c == '(' && p.startsWith("(?P<", i)) {
                    out.append("(?<"); // named group
                    i += 3;
                } else if (!inClass && c == '(' && p.startsWith("(?P=", i)) {
                    int close = p.indexOf(')', i);
                    if (close < 0) throw new IllegalArgumentException("missing ), unterminated name");
                    out.append("\\k<").append(p, i + 4, close).append('>'); // named back-reference
                    i = close;
                } else if (inClass && c == '&' && i + 1 < p.length() && p.charAt(i + 1) == '&') {
                    out.append("\\&"); // Java's class intersection operator is literal text in Python
                } else {
                    out.append(c);
                }
            }
        }
        return out.toString();
    }
}
