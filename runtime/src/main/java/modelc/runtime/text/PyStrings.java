package modelc.runtime.text;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * The few Python {@code str} operations that Keras and scikit-learn text code relies on, reproduced exactly.
 *
 * <p>Python strings are sequences of code points while Java strings are UTF-16, so everything here works on
 * code points: iteration, ordering, and the final-sigma rule of {@code str.lower}.
 */
public final class PyStrings {
    private PyStrings() {}

    private static final int CAPITAL_SIGMA = 0x03A3;

    /** Python's {@code sorted()} order of strings: lexicographic by code point (not by UTF-16 unit). */
    public static final Comparator<String> CODE_POINT_ORDER = PyStrings::compare;

    /**
     * Python's {@code str.lower()}.
     *
     * <p>Per code point this is {@link String#toLowerCase(Locale)} with {@link Locale#ROOT} (checked against
     * CPython 3.11 / Unicode 14 for every code point: identical, including U+0130 İ → "i̇"; characters added
     * in later Unicode versions are lowercased by Java 25's newer tables). The one context-dependent mapping,
     * capital sigma Σ → final ς or σ, follows CPython's own rule ({@code handle_capital_sigma}), which differs
     * from the JDK's next to ':', U+00B7, '_', U+2010 or modifier letters, so it is done here.
     */
    public static String lower(String s) {
        if (s.indexOf(CAPITAL_SIGMA) < 0) return s.toLowerCase(Locale.ROOT);
        StringBuilder out = new StringBuilder(s.length());
        int i = 0;
        while (i < s.length()) {
            int cp = s.codePointAt(i);
            if (cp == CAPITAL_SIGMA) {
                out.append(isFinalSigma(s, i) ? 'ς' : 'σ');
            } else {
                out.append(new String(Character.toChars(cp)).toLowerCase(Locale.ROOT));
            }
            i += Character.charCount(cp);
        }
        return out.toString();
    }

    /** CPython: Σ is final when preceded by cased (skipping case-ignorables) and not followed by cased. */
    private static boolean isFinalSigma(String s, int at) {
        int j = at;
        int c = -1;
        while (j > 0) {
            c = s.codePointBefore(j);
            j -= Character.charCount(c);
            if (!isCaseIgnorable(c)) break;
            c = -1;
        }
        if (c < 0 || !isCased(c)) return false;
        j = at + 1;
        while (j < s.length()) {
            c = s.codePointAt(j);
            if (!isCaseIgnorable(c)) return !isCased(c);
            j += Character.charCount(c);
        }
        return true;
    }

    /** Unicode derived property Cased (Lowercase, Uppercase or Lt). */
    static boolean isCased(int cp) {
        return Character.isLowerCase(cp) || Character.isUpperCase(cp) || Character.isTitleCase(cp);
    }

    /** Unicode derived property Case_Ignorable (Mn, Me, Cf, Lm, Sk, Word_Break MidLetter/MidNumLet/Single_Quote). */
    static boolean isCaseIgnorable(int cp) {
        switch (Character.getType(cp)) {
            case Character.NON_SPACING_MARK, Character.ENCLOSING_MARK, Character.FORMAT,
                 Character.MODIFIER_LETTER, Character.MODIFIER_SYMBOL -> {
                return true;
            }
            default -> {
                return switch (cp) {
                    case 0x27, 0x2E, 0x3A, 0xB7, 0x387, 0x55F, 0x5F4, 0x2018, 0x2019, 0x2024, 0x2027,
                         0xFE13, 0xFE52, 0xFE55, 0xFF07, 0xFF0E, 0xFF1A -> true;
                    default -> false;
                };
            }
        }
    }

    /**
     * Python's {@code str.split(sep)} with an explicit, non-empty separator: a literal (not regex) split that
     * keeps empty pieces, e.g. {@code "a  b".split(" ") == ["a", "", "b"]}.
     */
    public static List<String> split(String s, String sep) {
        if (sep == null || sep.isEmpty()) throw new IllegalArgumentException("empty separator");
        List<String> parts = new ArrayList<>();
        int from = 0;
        int hit;
        while ((hit = s.indexOf(sep, from)) >= 0) {
            parts.add(s.substring(from, hit));
            from = hit + sep.length();
        }
        parts.add(s.substring(from));
        return parts;
    }

    /** Python's {@code list(s)}: one string per code point (a surrogate pair stays together). */
    public static List<String> codePoints(String s) {
        List<String> out = new ArrayList<>(s.length());
        int i = 0;
        while (i < s.length()) {
            int n = Character.charCount(s.codePointAt(i));
            out.add(s.substring(i, i + n));
            i += n;
        }
        return out;
    }

    /** Python's {@code len(s)}: number of code points. */
    public static int length(String s) {
        return s.codePointCount(0, s.length());
    }

    /** Python's string comparison: lexicographic by code point. */
    public static int compare(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int ca = a.codePointAt(i);
            int cb = b.codePointAt(j);
            if (ca != cb) return Integer.compare(ca, cb);
            i += Character.charCount(ca);
            j += Character.charCount(cb);
        }
        return Boolean.compare(i < a.length(), j < b.length());
    }

    /**
     * Python's Unicode {@code \w} for {@code str} patterns: {@code ch.isalnum() or ch == '_'}, i.e. letters
     * (L*), numbers (Nd, Nl, No) and underscore. Unlike Java's {@code UNICODE_CHARACTER_CLASS} {@code \w} it
     * excludes combining marks (Mn, Mc, Me), connector punctuation other than '_' and join controls, and
     * includes No (e.g. '²', '½', '①'). Checked against CPython 3.11 for every code point it knows.
     */
    public static boolean isWordChar(int cp) {
        if (cp == '_' || Character.isLetter(cp)) return true;
        int t = Character.getType(cp);
        return t == Character.DECIMAL_DIGIT_NUMBER || t == Character.LETTER_NUMBER || t == Character.OTHER_NUMBER;
    }
}
