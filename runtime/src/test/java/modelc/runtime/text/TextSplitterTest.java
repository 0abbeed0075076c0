package modelc.runtime.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Expected values were produced by Keras 3.15.1's text_to_word_sequence (CPython 3.11). */
class TextSplitterTest {

    @Test
    void referenceExample() {
        assertEquals(List.of("hello", "world", "it's", "a", "test"),
                TextSplitter.textToWordSequence("Hello, World!! it's  a\ttest"));
    }

    @Test
    void carriageReturnIsNotAFilter() {
        assertEquals(List.of("don't\r", "stop"), TextSplitter.textToWordSequence("don't\r\nstop"));
    }

    @Test
    void customFiltersSplitAndNoLowering() {
        assertEquals(List.of("A", "b", "C", "d"), TextSplitter.textToWordSequence("A-b,,C--d", ",", false, "-"));
        assertEquals(List.of("a", "b"), TextSplitter.textToWordSequence("a::b", ":", true, "::"));
    }

    @Test
    void pythonLowerIncludingFinalSigmaAndDottedI() {
        assertEquals(List.of("\u03bf\u03b4\u03bf\u03c2", "\u03b1\u03c3", "\u03b2", "\u03b1\u03c2\u02b0",
                        "i\u0307stanbul", "\u00e7a\u011f"),
                TextSplitter.textToWordSequence("ΟΔΟΣ ΑΣ:Β ΑΣʰ İstanbul ÇAĞ"));
    }

    @Test
    void astralFilterCharacter() {
        assertEquals(List.of("hi", "there", "x"), TextSplitter.textToWordSequence("hi😀there😀 X", "😀", true, " "));
    }

    @Test
    void emptyTextAndOnlyFilters() {
        assertEquals(List.of(), TextSplitter.textToWordSequence(""));
        assertEquals(List.of(), TextSplitter.textToWordSequence("!!! ... \t\n"));
    }

    @Test
    void emptySplitIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> TextSplitter.textToWordSequence("a b", "", true, ""));
    }
}
