package modelc.runtime.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Expected values were produced by Keras 3.15.1's legacy Tokenizer (CPython 3.11, NumPy 2.4). */
class TokenizerTest {
    private static final List<String> TEXTS =
            List.of("The cat sat on the mat.", "The dog ate my homework!", "Cat, dog; the dog.");
    private static final List<String> WITH_UNKNOWN = List.of(
            "The cat sat on the mat.", "The dog ate my homework!", "Cat, dog; the dog.", "unknown the dog cat");

    private static Map<String, Integer> map(Object... kv) {
        Map<String, Integer> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) m.put((String) kv[i], (Integer) kv[i + 1]);
        return m;
    }

    private static Tokenizer fitted(Tokenizer t, List<String> texts) {
        t.fitOnTexts(texts);
        return t;
    }

    @Test
    void tiesKeepFirstAppearance() {
        Tokenizer t = fitted(new Tokenizer(), List.of("the cat dog", "dog the cat", "cat the dog"));
        assertEquals(map("the", 1, "cat", 2, "dog", 3), t.wordIndex());
        assertEquals(List.of("the", "cat", "dog"), List.copyOf(t.wordIndex().keySet()));
    }

    @Test
    void wordIndexByCountDescending() {
        Tokenizer t = fitted(new Tokenizer(), TEXTS);
        assertEquals(map("the", 1, "dog", 2, "cat", 3, "sat", 4, "on", 5, "mat", 6, "ate", 7, "my", 8, "homework", 9),
                t.wordIndex());
        assertEquals(map("the", 4, "cat", 2, "sat", 1, "on", 1, "mat", 1, "dog", 3, "ate", 1, "my", 1, "homework", 1),
                t.wordCounts());
        assertEquals(List.of("the", "cat", "sat", "on", "mat", "dog", "ate", "my", "homework"),
                List.copyOf(t.wordCounts().keySet()));
        assertEquals(3, t.wordDocs().get("the"));
        assertEquals(2, t.wordDocs().get("dog"));
        assertEquals(2, t.indexDocs().get(2));
        assertEquals("homework", t.indexWord().get(9));
        assertEquals(3, t.documentCount());
    }

    @Test
    void numWordsKeepsIndicesBelowIt() {
        Tokenizer t = fitted(Tokenizer.builder().numWords(3).build(), TEXTS);
        assertArrayEquals(new int[][] {{1, 1}, {1, 2}, {2, 1, 2}, {1, 2}}, t.textsToSequences(WITH_UNKNOWN));
        assertEquals(9, t.wordIndex().size()); // word_index keeps every word
        assertEquals(List.of("the dog"), t.sequencesToTexts(new int[][] {{1, 2, 3, 4, 0, 99}}));
    }

    @Test
    void numWordsWithOovToken() {
        Tokenizer t = fitted(Tokenizer.builder().numWords(4).oovToken("<OOV>").build(), TEXTS);
        assertEquals(map("<OOV>", 1, "the", 2, "dog", 3, "cat", 4, "sat", 5, "on", 6, "mat", 7, "ate", 8, "my", 9,
                "homework", 10), t.wordIndex());
        assertArrayEquals(new int[][] {{2, 1, 1, 1, 2, 1}, {2, 3, 1, 1, 1}, {1, 3, 2, 3}, {1, 2, 3, 1}},
                t.textsToSequences(WITH_UNKNOWN));
        assertArrayEquals(new int[] {1, 2, 3, 1}, t.textToSequence("unknown the dog cat")); // 'cat' (4) → oov
        assertEquals(List.of("<OOV> the dog <OOV> <OOV> <OOV>"),
                t.sequencesToTexts(new int[][] {{1, 2, 3, 4, 0, 99}}));
    }

    @Test
    void unknownWordsAreDroppedWithoutOov() {
        Tokenizer t = fitted(new Tokenizer(), TEXTS);
        assertArrayEquals(new int[][] {{1, 2, 3}, {}}, t.textsToSequences(List.of("zebra THE dog, cat!", "??")));
        assertEquals(List.of("the dog cat", ""), t.sequencesToTexts(new int[][] {{1, 0, 2, 3, 42}, {}}));
    }

    @Test
    void matrixModes() {
        Tokenizer t = fitted(new Tokenizer(), TEXTS);
        List<String> docs = List.of("the the cat unknown", "", "homework dog dog dog");
        double[] zero = new double[10];
        assertMatrix(new double[][] {{0, 1, 0, 1, 0, 0, 0, 0, 0, 0}, zero, {0, 0, 1, 0, 0, 0, 0, 0, 0, 1}},
                t.textsToMatrix(docs, MatrixMode.BINARY));
        assertMatrix(new double[][] {{0, 2, 0, 1, 0, 0, 0, 0, 0, 0}, zero, {0, 0, 3, 0, 0, 0, 0, 0, 0, 1}},
                t.textsToMatrix(docs, "count"));
        assertMatrix(new double[][] {{0, 0.6666666666666666, 0, 0.3333333333333333, 0, 0, 0, 0, 0, 0}, zero,
                {0, 0, 0.75, 0, 0, 0, 0, 0, 0, 0.25}}, t.textsToMatrix(docs, "freq"));
        assertMatrix(new double[][] {{0, 0.9475118935396932, 0, 0.6931471805599453, 0, 0, 0, 0, 0, 0}, zero,
                {0, 0, 1.4546471909787544, 0, 0, 0, 0, 0, 0, 0.9162907318741551}}, t.textsToMatrix(docs, "tfidf"));
    }

    @Test
    void tfidfReferenceValue() {
        // "the": count 2 in the row, in 2 of 3 fitted documents ⇒ (1 + ln 2) · ln(1 + 3/3) = 1.1736
        Tokenizer t = fitted(new Tokenizer(), List.of("the cat", "the dog", "a bird"));
        double[][] x = t.textsToMatrix(List.of("the the"), MatrixMode.TFIDF);
        assertEquals(1.1736001944781467, x[0][1], 1e-12);
        assertEquals(0.0, x[0][0]);
    }

    @Test
    void freqCountsSkippedEntriesInTheLength() {
        Tokenizer t = fitted(Tokenizer.builder().numWords(3).build(), TEXTS);
        assertMatrix(new double[][] {{0, 0.4, 0.2}}, t.sequencesToMatrix(new int[][] {{1, 1, 2, 5, 7}}, "freq"));
    }

    @Test
    void matrixErrors() {
        Tokenizer empty = new Tokenizer();
        assertThrows(IllegalStateException.class, () -> empty.sequencesToMatrix(new int[][] {{1}}, "binary"));
        Tokenizer sized = Tokenizer.builder().numWords(5).build();
        assertMatrix(new double[][] {{0, 1, 0, 0, 0}}, sized.sequencesToMatrix(new int[][] {{1, 7}}, "binary"));
        assertThrows(IllegalStateException.class, () -> sized.sequencesToMatrix(new int[][] {{1}}, "tfidf"));
        assertThrows(IllegalArgumentException.class, () -> sized.sequencesToMatrix(new int[][] {{1}}, "bogus"));
    }

    @Test
    void charLevel() {
        Tokenizer t = fitted(Tokenizer.builder().charLevel(true).build(), List.of("Abba", "ab c"));
        assertEquals(map("a", 1, "b", 2, " ", 3, "c", 4), t.wordIndex());
        assertArrayEquals(new int[][] {{4, 1, 2}}, t.textsToSequences(List.of("CAB!")));
    }

    @Test
    void charLevelIteratesCodePoints() {
        Tokenizer t = fitted(Tokenizer.builder().charLevel(true).build(), List.of("😀a😀"));
        assertEquals(map("😀", 1, "a", 2), t.wordIndex());
    }

    @Test
    void oovTokenThatIsAlsoAWordBehavesLikeKeras() {
        Tokenizer t = fitted(Tokenizer.builder().oovToken("x").build(), List.of("y x x z"));
        assertEquals(map("x", 2, "y", 3, "z", 4), t.wordIndex());
        assertEquals(Map.of(2, "x", 3, "y", 4, "z"), t.indexWord());
        assertArrayEquals(new int[][] {{2, 3, 2}}, t.textsToSequences(List.of("x y q")));
    }

    @Test
    void refittingAccumulates() {
        Tokenizer t = new Tokenizer();
        t.fitOnTexts(List.of("a b"));
        t.fitOnTexts(List.of("b c c"));
        assertEquals(map("a", 1, "b", 2, "c", 2), t.wordCounts());
        assertEquals(map("b", 1, "c", 2, "a", 3), t.wordIndex());
        assertEquals(2, t.documentCount());
    }

    @Test
    void fitOnSequencesThenTexts() {
        Tokenizer t = new Tokenizer();
        t.fitOnSequences(new int[][] {{1, 2, 2}, {2, 3}});
        t.fitOnTexts(List.of("p q"));
        assertEquals(Map.of(1, 1, 2, 1, 3, 1), t.indexDocs());
        assertEquals(3, t.documentCount());
    }

    @Test
    void preSplitTokenLists() {
        Tokenizer t = new Tokenizer();
        t.fitOnTokenLists(List.of(List.of("Hello", "World", "hello")));
        assertEquals(map("hello", 1, "world", 2), t.wordIndex());
        assertArrayEquals(new int[][] {{1}}, t.tokenListsToSequences(List.of(List.of("HELLO", "x"))));
    }

    @Test
    void customAnalyzerAndSettings() {
        Tokenizer t = Tokenizer.builder().analyzer(s -> List.of(s.split("\\|"))).build();
        t.fitOnTexts(List.of("A|b|A"));
        assertEquals(map("A", 1, "b", 2), t.wordIndex());
        Tokenizer keepCase = fitted(Tokenizer.builder().lower(false).filters("").split(",").build(),
                List.of("Cat,cat,,CAT!"));
        assertEquals(map("Cat", 1, "cat", 2, "CAT!", 3), keepCase.wordIndex());
    }

    @Test
    void oovBeforeFittingIsAnError() {
        Tokenizer t = Tokenizer.builder().oovToken("<OOV>").build();
        assertArrayEquals(new int[][] {{}}, t.textsToSequences(List.of("")));
        assertThrows(IllegalStateException.class, () -> t.textsToSequences(List.of("word")));
    }

    static void assertMatrix(double[][] expected, double[][] actual) {
        assertEquals(expected.length, actual.length, "rows");
        for (int i = 0; i < expected.length; i++) assertArrayEquals(expected[i], actual[i], 1e-12, "row " + i);
    }
}
