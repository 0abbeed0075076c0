package modelc.runtime.text;

import java.util.ArrayList;
import java.util.List;

/**
 * Keras's {@code text_to_word_sequence}: lower-case, replace every filter character by the split string,
 * split on it, drop empty pieces.
 *
 * <p>Verified example: {@code "Hello, World!! it's  a\ttest"} → {@code [hello, world, it's, a, test]}. The
 * apostrophe, CR and non-ASCII whitespace are not default filters, so {@code "don't\r\nstop"} →
 * {@code ["don't\r", "stop"]}.
 */
public final class TextSplitter {
    private TextSplitter() {}

    /** Keras's default filters: {@code !"#$%&()*+,-./:;<=>?@[\]^_`{|}~} plus TAB and LF. */
    public static final String DEFAULT_FILTERS = "!\"#$%&()*+,-./:;<=>?@[\\]^_`{|}~\t\n";

    /** With Keras's defaults: {@link #DEFAULT_FILTERS}, lower-casing, split on " ". */
    public static List<String> textToWordSequence(String text) {
        return textToWordSequence(text, DEFAULT_FILTERS, true, " ");
    }

    /**
     * @param text    the text
     * @param filters characters (code points) to replace by {@code split}
     * @param lower   lower-case first, with Python's {@code str.lower} ({@link PyStrings#lower})
     * @param split   the separator; non-empty (Python raises "empty separator" otherwise)
     */
    public static List<String> textToWordSequence(String text, String filters, boolean lower, String split) {
        if (split == null || split.isEmpty()) throw new IllegalArgumentException("empty separator");
        if (lower) text = PyStrings.lower(text);
        String replaced = replaceFilters(text, filters, split);
        List<String> words = new ArrayList<>();
        for (String piece : PyStrings.split(replaced, split)) {
            if (!piece.isEmpty()) words.add(piece);
        }
        return words;
    }

    /** Python's {@code text.translate(str.maketrans({c: split for c in filters}))}. */
    static String replaceFilters(String text, String filters, String split) {
        if (filters == null || filters.isEmpty()) return text;
        StringBuilder out = new StringBuilder(text.length());
        int i = 0;
        while (i < text.length()) {
            int cp = text.codePointAt(i);
            if (filters.indexOf(cp) >= 0) out.append(split);
            else out.appendCodePoint(cp);
            i += Character.charCount(cp);
        }
        return out.toString();
    }
}
