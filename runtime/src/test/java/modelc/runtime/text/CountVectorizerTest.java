package modelc.runtime.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Expected values were produced by scikit-learn 1.9.1 (CPython 3.11). */
class CountVectorizerTest {
    static final List<String> DOCS =
            List.of("The cat sat on the mat.", "The dog ate my homework!", "Cat, dog; cat_dog don't stop a I");
    static final List<String> ALL_FEATURES =
            List.of("ate", "cat", "cat_dog", "dog", "don", "homework", "mat", "my", "on", "sat", "stop", "the");
    static final int[][] ALL_COUNTS = {
            {0, 1, 0, 0, 0, 0, 1, 0, 1, 1, 0, 2},
            {1, 0, 0, 1, 0, 1, 0, 1, 0, 0, 0, 1},
            {0, 1, 1, 1, 1, 0, 0, 0, 0, 0, 1, 0}};
    static final List<String> RARE = List.of("ate", "cat_dog", "don", "homework", "mat", "my", "on", "sat", "stop");
    static final int[][] RARE_COUNTS = {
            {0, 0, 0, 0, 1, 0, 1, 1, 0},
            {1, 0, 0, 1, 0, 1, 0, 0, 0},
            {0, 1, 1, 0, 0, 0, 0, 0, 1}};
    static final List<String> COMMON = List.of("cat", "dog", "the");
    static final int[][] COMMON_COUNTS = {{1, 0, 2}, {0, 1, 1}, {1, 1, 0}};

    private static void assertFit(CountVectorizer.Builder b, List<String> names, int[][] counts) {
        CountVectorizer v = b.build();
        CountMatrix x = v.fitTransform(DOCS);
        assertEquals(names, v.featureNamesOut());
        assertArrayEquals(counts, x.toDenseInt());
    }

    @Test
    void referenceExample() {
        CountVectorizer v = new CountVectorizer();
        CountMatrix x = v.fitTransform(DOCS);
        assertEquals(ALL_FEATURES, v.featureNamesOut());
        assertArrayEquals(ALL_COUNTS, x.toDenseInt());
        assertEquals(11, v.vocabulary().get("the"));
        assertEquals(3, x.rows());
        assertEquals(12, x.cols());
        assertEquals(2, x.get(0, 11));
        assertArrayEquals(new float[] {0, 1, 0, 0, 0, 0, 1, 0, 1, 1, 0, 2}, x.toDense()[0]);
        assertArrayEquals(new int[] {1, 6, 8, 9, 11}, x.rowIndices(0));
        assertArrayEquals(new int[] {1, 1, 1, 1, 2}, x.rowCounts(0));
    }

    @Test
    void transformIgnoresUnknownTerms() {
        CountVectorizer v = new CountVectorizer().fit(DOCS);
        assertArrayEquals(new int[][] {{0, 1, 0, 1, 0, 0, 0, 0, 0, 0, 0, 2}, new int[12]},
                v.transform(List.of("the THE zebra cat-dog", "")).toDenseInt());
    }

    @Test
    void maxDfIntIsACountFloatIsAProportion() {
        assertFit(CountVectorizer.builder().maxDf(1), RARE, RARE_COUNTS);
        assertFit(CountVectorizer.builder().maxDf(0.5), RARE, RARE_COUNTS);
        assertFit(CountVectorizer.builder().maxDf(1.0), ALL_FEATURES, ALL_COUNTS);
        assertFit(CountVectorizer.builder().maxDf(new DocFrequency.Count(2)), ALL_FEATURES, ALL_COUNTS);
    }

    @Test
    void minDfIntIsACountFloatIsAProportion() {
        assertFit(CountVectorizer.builder().minDf(2), COMMON, COMMON_COUNTS);
        assertFit(CountVectorizer.builder().minDf(0.5), COMMON, COMMON_COUNTS);
        assertFit(CountVectorizer.builder().minDf(1), ALL_FEATURES, ALL_COUNTS);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CountVectorizer.builder().minDf(1.0).build().fit(DOCS));
        assertEquals("After pruning, no terms remain. Try a lower min_df or a higher max_df.", e.getMessage());
    }

    @Test
    void maxFeaturesAndBinary() {
        assertFit(CountVectorizer.builder().maxFeatures(3), COMMON, COMMON_COUNTS);
        assertFit(CountVectorizer.builder().maxFeatures(3).binary(true), COMMON, new int[][] {{1, 0, 1}, {0, 1, 1}, {1, 1, 0}});
        assertFit(CountVectorizer.builder().binary(true), ALL_FEATURES, new int[][] {
                {0, 1, 0, 0, 0, 0, 1, 0, 1, 1, 0, 1},
                {1, 0, 0, 1, 0, 1, 0, 1, 0, 0, 0, 1},
                {0, 1, 1, 1, 1, 0, 0, 0, 0, 0, 1, 0}});
    }

    @Test
    void maxFeaturesTiesAreBrokenAlphabetically() {
        // 30 terms w00..w29 once, w05 and w17 three times. NumPy's argsort kept w00-w06, w08, w09, w17 here;
        // the portable rule keeps w17, w05 and then the alphabetically first of the tied terms.
        List<String> docs = new ArrayList<>();
        for (int i = 0; i < 30; i++) docs.add(String.format("w%02d", i));
        docs.add("w05 w17");
        docs.add("w05 w17");
        CountVectorizer v = CountVectorizer.builder().maxFeatures(10).build();
        v.fit(docs);
        assertEquals(List.of("w00", "w01", "w02", "w03", "w04", "w05", "w06", "w07", "w08", "w17"),
                v.featureNamesOut());
    }

    @Test
    void ngramsAndStopWords() {
        assertFit(CountVectorizer.builder().ngramRange(1, 2).minDf(2), COMMON, COMMON_COUNTS);
        CountVectorizer v = CountVectorizer.builder().ngramRange(2, 3).build();
        v.fit(DOCS);
        assertEquals(List.of("ate my", "ate my homework", "cat dog", "cat dog cat_dog", "cat sat", "cat sat on",
                "cat_dog don", "cat_dog don stop", "dog ate", "dog ate my", "dog cat_dog", "dog cat_dog don",
                "don stop", "my homework", "on the", "on the mat", "sat on", "sat on the", "the cat", "the cat sat",
                "the dog", "the dog ate", "the mat"), v.featureNamesOut());
        assertFit(CountVectorizer.builder().stopWords(List.of("the", "cat")),
                List.of("ate", "cat_dog", "dog", "don", "homework", "mat", "my", "on", "sat", "stop"),
                new int[][] {{0, 0, 0, 0, 0, 1, 0, 1, 1, 0}, {1, 0, 1, 0, 1, 0, 1, 0, 0, 0},
                        {0, 1, 1, 1, 0, 0, 0, 0, 0, 1}});
    }

    @Test
    void sklearnErrors() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CountVectorizer.builder().minDf(3).maxDf(2).build().fit(DOCS));
        assertEquals("max_df corresponds to < documents than min_df", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> CountVectorizer.builder().minDf(0.9).maxDf(0.5).build().fit(DOCS));
        assertEquals("max_df corresponds to < documents than min_df", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> CountVectorizer.builder().minDf(3).build().fit(DOCS));
        assertEquals("After pruning, no terms remain. Try a lower min_df or a higher max_df.", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new CountVectorizer().fit(List.of("a b c", "I !")));
        assertEquals("empty vocabulary; perhaps the documents only contain stop words", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> CountVectorizer.builder().ngramRange(2, 1).build());
        assertThrows(IllegalArgumentException.class, () -> CountVectorizer.builder().minDf(0));
        assertThrows(IllegalArgumentException.class, () -> CountVectorizer.builder().maxDf(1.5));
        assertThrows(IllegalArgumentException.class, () -> CountVectorizer.builder().maxFeatures(0));
        assertThrows(IllegalArgumentException.class,
                () -> CountVectorizer.builder().tokenPattern("(a)(b)").build());
        CountVectorizer unfitted = new CountVectorizer();
        assertFalse(unfitted.isFitted());
        assertThrows(IllegalStateException.class, () -> unfitted.transform(DOCS));
    }

    @Test
    void unicodeTokensFollowPythonsWordClass() {
        List<String> docs = List.of("Café cafe\u0301 naïve x² ab½ ①② 𝐀𝐁 ΟΔΟΣ hello_world Ünïcödé",
                "ﬁne ǅemal İstanbul 12 3 a1");
        CountVectorizer v = new CountVectorizer();
        CountMatrix x = v.fitTransform(docs);
        assertEquals(List.of("12", "a1", "ab\u00bd", "cafe", "caf\u00e9", "hello_world", "na\u00efve", "stanbul",
                "x\u00b2", "\u00fcn\u00efc\u00f6d\u00e9", "\u01c6emal", "\u03bf\u03b4\u03bf\u03c2", "\u2460\u2461",
                "\ufb01ne", "\ud835\udc00\ud835\udc01"), v.featureNamesOut());
        assertArrayEquals(new int[][] {{0, 0, 1, 1, 1, 1, 1, 0, 1, 1, 0, 1, 1, 0, 1},
                {1, 1, 0, 0, 0, 0, 0, 1, 0, 0, 1, 0, 0, 1, 0}}, x.toDenseInt());
    }

    @Test
    void vocabularyIsInCodePointOrder() {
        CountVectorizer v = CountVectorizer.builder().tokenPattern("\\S+").build();
        v.fit(List.of("zeta éclair \uD83D\uDE00x \uFF5Az ab"));
        assertEquals(List.of("ab", "zeta", "éclair", "\uFF5Az", "\uD83D\uDE00x"), v.featureNamesOut());
    }

    @Test
    void customPatterns() {
        CountVectorizer v = CountVectorizer.builder().tokenPattern("(?u)\\b(\\w)\\w*\\b").build();
        v.fit(DOCS);
        assertEquals(List.of("a", "c", "d", "h", "i", "m", "o", "s", "t"), v.featureNamesOut()); // the group
        CountVectorizer neg = CountVectorizer.builder().tokenPattern("[^\\W\\d]+").lowercase(false).build();
        neg.fit(List.of("Ab1cd e2", "x__y"));
        assertEquals(List.of("Ab", "cd", "e", "x__y"), neg.featureNamesOut());
    }
}
