package modelc.runtime.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import modelc.runtime.Tensor;
import modelc.runtime.io.Json;
import org.junit.jupiter.api.Test;

/** Expected token ids and tf-idf values were produced by Keras 3.15.1 (legacy Tokenizer, pad_sequences). */
class TextPipelineTest {
    private static final List<String> TEXTS = List.of("The cat sat on the mat.", "The dog ate my homework!", "Cat, dog; the dog.");

    @Test
    void tokenizerThenPadSequencesGivesKerasIds() {
        TextPipeline p = TextPipeline.parse("{\"tokenizer\": {\"num_words\": 5}, \"pad_sequences\": {\"maxlen\": 6}}");
        assertEquals(TextPipeline.Form.SEQUENCES, p.form());
        assertTrue(p.integer());
        assertEquals(6, p.width());
        TextPipeline.Fitted f = p.fit(TEXTS);
        Tensor x = f.encode(List.of("The cat sat on the mat.", "The dog ate my homework!", "Cat, dog; the dog.",
                "the unknown cat sat sat sat sat sat sat"));
        assertArrayEquals(new int[] {4, 6}, x.shape());
        assertArrayEquals(new int[] {0, 0, 1, 3, 4, 1, 0, 0, 0, 0, 1, 2, 0, 0, 3, 2, 1, 2, 4, 4, 4, 4, 4, 4}, (int[]) x.data());
        assertEquals(4, f.maxId(), "num_words=5 keeps ids below 5");
    }

    @Test
    void padSequencesSettings() {
        TextPipeline p = TextPipeline.parse("{\"tokenizer\": {\"num_words\": 5}, \"pad_sequences\": {\"maxlen\": 3,"
                + " \"padding\": \"post\", \"truncating\": \"post\", \"value\": 9}}");
        int[] out = new int[9];
        TextPipeline.Fitted f = p.fit(TEXTS);
        for (int i = 0; i < 3; i++) f.encode(TEXTS.get(i), out, 3 * i);
        assertArrayEquals(new int[] {1, 3, 4, 1, 2, 9, 3, 2, 1}, out);
    }

    @Test
    void oovToken() {
        TextPipeline.Fitted f = TextPipeline.parse("{\"tokenizer\": {\"num_words\": 5, \"oov_token\": \"<oov>\"},"
                + " \"pad_sequences\": {\"maxlen\": 4}}").fit(TEXTS);
        int[] out = new int[4];
        f.encode("the zebra dog", out, 0);
        assertArrayEquals(new int[] {0, 2, 1, 3}, out);
    }

    @Test
    void textsToMatrixTfidf() {
        TextPipeline p = TextPipeline.parse("{\"tokenizer\": {\"num_words\": 5}, \"texts_to_matrix\": {\"mode\": \"tfidf\"}}");
        assertEquals(5, p.width());
        assertFalse(p.integer());
        Tensor x = p.fit(TEXTS).encode(List.of("the dog the cat", "nothing"));
        float[] expected = {0f, 0.947512f, 0.693147f, 0.693147f, 0f, 0f, 0f, 0f, 0f, 0f};
        assertArrayEquals(expected, (float[]) x.data(), 1e-6f);
    }

    @Test
    void countVectorizerRowsAreAsWideAsMaxFeatures() {
        List<String> docs = List.of("apple banana apple", "banana cherry", "cherry cherry date");
        TextPipeline three = TextPipeline.parse("{\"count_vectorizer\": {\"max_features\": 3}}");
        // totals: cherry 3, apple 2, banana 2, date 1; the top 3 in alphabetical columns
        assertArrayEquals(new float[] {1, 0, 2}, (float[]) three.fit(docs).encode(List.of("apple cherry cherry zebra")).data());
        TextPipeline five = TextPipeline.parse("{\"count_vectorizer\": {\"max_features\": 5, \"binary\": true}}");
        TextPipeline.Fitted f = five.fit(docs);
        assertEquals(4, f.vocabularySize());
        assertArrayEquals(new float[] {1, 0, 0, 1, 0}, (float[]) f.encode(List.of("date apple apple")).data(),
                "a fifth column past the fitted vocabulary stays 0");
    }

    @Test
    void savedAndRestoredGivesTheSameRows() {
        TextPipeline p = TextPipeline.parse("{\"tokenizer\": {\"num_words\": 5}, \"pad_sequences\": {\"maxlen\": 6}}");
        TextPipeline.Fitted f = p.fit(TEXTS);
        Object saved = Json.parse(Json.write(f.toJsonValue()));
        TextPipeline.Fitted back = p.restore(saved);
        assertArrayEquals((int[]) f.encode(TEXTS).data(), (int[]) back.encode(TEXTS).data());

        TextPipeline c = TextPipeline.parse("{\"count_vectorizer\": {\"max_features\": 4, \"min_df\": 1, \"max_df\": 0.9}}");
        TextPipeline.Fitted fc = c.fit(List.of("a bb cc", "bb dd", "cc ee ff"));
        TextPipeline.Fitted backC = c.restore(Json.parse(Json.write(fc.toJsonValue())));
        assertArrayEquals((float[]) fc.encode(List.of("bb cc cc")).data(), (float[]) backC.encode(List.of("bb cc cc")).data());
    }

    @Test
    void restoringUnderOtherSettingsSaysWhatDiffers() {
        TextPipeline.Fitted f = TextPipeline.parse("{\"tokenizer\": {\"num_words\": 5}, \"pad_sequences\": {\"maxlen\": 6}}").fit(TEXTS);
        Object saved = Json.parse(Json.write(f.toJsonValue()));
        var e = assertThrows(IllegalArgumentException.class,
                () -> TextPipeline.parse("{\"tokenizer\": {\"num_words\": 50}, \"pad_sequences\": {\"maxlen\": 6}}").restore(saved));
        assertEquals("it was fitted with num_words=5, the model says 50", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> TextPipeline.parse("{\"tokenizer\": {\"num_words\": 5}, \"pad_sequences\": {\"maxlen\": 7}}").restore(saved));
        assertEquals("it has pad_sequences {\"maxlen\":6}, the model says {\"maxlen\":7}", e.getMessage());
    }

    @Test
    void descriptionsThatGiveNoFixedShapeAreRefused() {
        assertEquals("pad_sequences needs maxlen= so the input has a fixed length", assertThrows(IllegalArgumentException.class,
                () -> TextPipeline.parse("{\"tokenizer\": {}, \"pad_sequences\": {}}")).getMessage());
        assertEquals("a CountVectorizer needs max_features= so the input has a fixed width", assertThrows(IllegalArgumentException.class,
                () -> TextPipeline.parse("{\"count_vectorizer\": {\"min_df\": 2}}")).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> TextPipeline.parse("{\"tokenizer\": {\"num_words\": 5}}"))
                .getMessage().startsWith("a Tokenizer gives sequences of different lengths"));
        assertEquals("Unrecognized keyword argument: num_wrds", assertThrows(IllegalArgumentException.class,
                () -> TextPipeline.parse("{\"tokenizer\": {\"num_wrds\": 5}, \"pad_sequences\": {\"maxlen\": 2}}")).getMessage());
        assertEquals(Map.of("tokenizer", Map.of("num_words", 5L), "pad_sequences", Map.of("maxlen", 2L)),
                Json.parse(TextPipeline.parse("{\"tokenizer\": {\"num_words\": 5}, \"pad_sequences\": {\"maxlen\": 2}}").json()));
    }
}
