package modelc.runtime.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The expected documents are Keras 3.15.1 {@code tokenizer.to_json()} output. {@link #ORDERED} was made with
 * word_docs filled in first-appearance order (the one documented difference); {@link #KERAS} is Keras's own
 * output, whose word_docs order came from a Python set.
 */
class TokenizerJsonTest {
    private static final List<String> TEXTS =
            List.of("The \"cat\" sat on the mat.", "Le café, c'est bon\\ 😀", "the CAT\tcafé");

    private static final String ORDERED =
            "{\"class_name\": \"Tokenizer\", \"config\": {\"num_words\": 5, \"filters\": \"!\\\"#$%&()*+,-./:;<=>"
            + "?@[\\\\]^_`{|}~\\t\\n\", \"lower\": true, \"split\": \" \", \"char_level\": false, \"oov_token\": \""
            + "<OOV>\", \"document_count\": 3, \"word_counts\": \"{\\\"the\\\": 3, \\\"cat\\\": 2, \\\"sat\\\": 1, "
            + "\\\"on\\\": 1, \\\"mat\\\": 1, \\\"le\\\": 1, \\\"caf\\\\u00e9\\\": 2, \\\"c'est\\\": 1, \\\"bon\\\""
            + ": 1, \\\"\\\\ud83d\\\\ude00\\\": 1}\", \"word_docs\": \"{\\\"the\\\": 2, \\\"cat\\\": 2, \\\"sat\\\""
            + ": 1, \\\"on\\\": 1, \\\"mat\\\": 1, \\\"le\\\": 1, \\\"caf\\\\u00e9\\\": 2, \\\"c'est\\\": 1, \\\"bo"
            + "n\\\": 1, \\\"\\\\ud83d\\\\ude00\\\": 1}\", \"index_docs\": \"{\\\"2\\\": 2, \\\"3\\\": 2, \\\"5\\\""
            + ": 1, \\\"6\\\": 1, \\\"7\\\": 1, \\\"8\\\": 1, \\\"4\\\": 2, \\\"9\\\": 1, \\\"10\\\": 1, \\\"11\\\""
            + ": 1}\", \"index_word\": \"{\\\"1\\\": \\\"<OOV>\\\", \\\"2\\\": \\\"the\\\", \\\"3\\\": \\\"cat\\\","
            + " \\\"4\\\": \\\"caf\\\\u00e9\\\", \\\"5\\\": \\\"sat\\\", \\\"6\\\": \\\"on\\\", \\\"7\\\": \\\"mat"
            + "\\\", \\\"8\\\": \\\"le\\\", \\\"9\\\": \\\"c'est\\\", \\\"10\\\": \\\"bon\\\", \\\"11\\\": \\\"\\\\"
            + "ud83d\\\\ude00\\\"}\", \"word_index\": \"{\\\"<OOV>\\\": 1, \\\"the\\\": 2, \\\"cat\\\": 3, \\\"caf"
            + "\\\\u00e9\\\": 4, \\\"sat\\\": 5, \\\"on\\\": 6, \\\"mat\\\": 7, \\\"le\\\": 8, \\\"c'est\\\": 9, \\"
            + "\"bon\\\": 10, \\\"\\\\ud83d\\\\ude00\\\": 11}\"}}";

    private static final String KERAS =
            "{\"class_name\": \"Tokenizer\", \"config\": {\"num_words\": 5, \"filters\": \"!\\\"#$%&()*+,-./:;<=>"
            + "?@[\\\\]^_`{|}~\\t\\n\", \"lower\": true, \"split\": \" \", \"char_level\": false, \"oov_token\": \""
            + "<OOV>\", \"document_count\": 3, \"word_counts\": \"{\\\"the\\\": 3, \\\"cat\\\": 2, \\\"sat\\\": 1, "
            + "\\\"on\\\": 1, \\\"mat\\\": 1, \\\"le\\\": 1, \\\"caf\\\\u00e9\\\": 2, \\\"c'est\\\": 1, \\\"bon\\\""
            + ": 1, \\\"\\\\ud83d\\\\ude00\\\": 1}\", \"word_docs\": \"{\\\"sat\\\": 1, \\\"mat\\\": 1, \\\"cat\\\""
            + ": 2, \\\"the\\\": 2, \\\"on\\\": 1, \\\"\\\\ud83d\\\\ude00\\\": 1, \\\"caf\\\\u00e9\\\": 2, \\\"le\\"
            + "\": 1, \\\"c'est\\\": 1, \\\"bon\\\": 1}\", \"index_docs\": \"{\\\"5\\\": 1, \\\"7\\\": 1, \\\"3\\\""
            + ": 2, \\\"2\\\": 2, \\\"6\\\": 1, \\\"11\\\": 1, \\\"4\\\": 2, \\\"8\\\": 1, \\\"9\\\": 1, \\\"10\\\""
            + ": 1}\", \"index_word\": \"{\\\"1\\\": \\\"<OOV>\\\", \\\"2\\\": \\\"the\\\", \\\"3\\\": \\\"cat\\\","
            + " \\\"4\\\": \\\"caf\\\\u00e9\\\", \\\"5\\\": \\\"sat\\\", \\\"6\\\": \\\"on\\\", \\\"7\\\": \\\"mat"
            + "\\\", \\\"8\\\": \\\"le\\\", \\\"9\\\": \\\"c'est\\\", \\\"10\\\": \\\"bon\\\", \\\"11\\\": \\\"\\\\"
            + "ud83d\\\\ude00\\\"}\", \"word_index\": \"{\\\"<OOV>\\\": 1, \\\"the\\\": 2, \\\"cat\\\": 3, \\\"caf"
            + "\\\\u00e9\\\": 4, \\\"sat\\\": 5, \\\"on\\\": 6, \\\"mat\\\": 7, \\\"le\\\": 8, \\\"c'est\\\": 9, \\"
            + "\"bon\\\": 10, \\\"\\\\ud83d\\\\ude00\\\": 11}\"}}";

    private static Tokenizer fitted() {
        Tokenizer t = Tokenizer.builder().numWords(5).oovToken("<OOV>").build();
        t.fitOnTexts(TEXTS);
        return t;
    }

    @Test
    void writesKerasFormatByteForByte() {
        assertEquals(ORDERED, TokenizerJson.toJson(fitted()));
    }

    @Test
    void roundTripGivesIdenticalBehaviour() {
        Tokenizer original = fitted();
        Tokenizer loaded = TokenizerJson.fromJson(TokenizerJson.toJson(original));
        assertEquals(original.wordIndex(), loaded.wordIndex());
        assertEquals(List.copyOf(original.wordCounts().keySet()), List.copyOf(loaded.wordCounts().keySet()));
        assertEquals(original.wordDocs(), loaded.wordDocs());
        assertEquals(original.indexDocs(), loaded.indexDocs());
        assertEquals(original.indexWord(), loaded.indexWord());
        assertEquals(original.documentCount(), loaded.documentCount());
        assertEquals(5, loaded.numWords());
        assertEquals("<OOV>", loaded.oovToken());
        List<String> probe = List.of("the cat café unknown", "LE bon 😀 mat");
        assertArrayEquals(original.textsToSequences(probe), loaded.textsToSequences(probe));
        for (MatrixMode m : MatrixMode.values()) {
            TokenizerTest.assertMatrix(original.textsToMatrix(probe, m), loaded.textsToMatrix(probe, m));
        }
        assertEquals(TokenizerJson.toJson(original), TokenizerJson.toJson(loaded));
    }

    @Test
    void readsWhatKerasWrote() {
        Tokenizer t = TokenizerJson.fromJson(KERAS);
        assertArrayEquals(new int[][] {{2, 3, 1, 1, 2, 1}, {1, 4, 1, 1, 1}, {2, 3, 4}, {1, 4}},
                t.textsToSequences(List.of(TEXTS.get(0), TEXTS.get(1), TEXTS.get(2), "unknown café")));
        TokenizerTest.assertMatrix(new double[][] {
                {0.0, 2.909294381957509, 1.1736001944781467, 0.6931471805599453, 0.0},
                {0.0, 3.3081064167926963, 0.0, 0.0, 0.6931471805599453},
                {0.0, 0.0, 0.6931471805599453, 0.6931471805599453, 0.6931471805599453}},
                t.textsToMatrix(TEXTS, MatrixMode.TFIDF));
        assertEquals(11, t.indexWord().size());
        assertEquals("😀", t.indexWord().get(11));
        assertEquals(KERAS, TokenizerJson.toJson(t)); // loading keeps Keras's order, so writing reproduces it
    }

    @Test
    void unfittedDefaultTokenizer() {
        String json = TokenizerJson.toJson(new Tokenizer());
        assertEquals("{\"class_name\": \"Tokenizer\", \"config\": {\"num_words\": null, \"filters\": "
                + "\"!\\\"#$%&()*+,-./:;<=>?@[\\\\]^_`{|}~\\t\\n\", \"lower\": true, \"split\": \" \", "
                + "\"char_level\": false, \"oov_token\": null, \"document_count\": 0, \"word_counts\": \"{}\", "
                + "\"word_docs\": \"{}\", \"index_docs\": \"{}\", \"index_word\": \"{}\", \"word_index\": \"{}\"}}",
                json);
        Tokenizer back = TokenizerJson.fromJson(json);
        assertNull(back.numWords());
        assertEquals(TextSplitter.DEFAULT_FILTERS, back.filters());
    }

    @Test
    void charLevelSettingsSurvive() {
        Tokenizer t = Tokenizer.builder().charLevel(true).lower(false).split("|").filters("x").build();
        t.fitOnTexts(List.of("aAb"));
        Tokenizer back = TokenizerJson.fromJson(TokenizerJson.toJson(t));
        assertEquals(true, back.charLevel());
        assertEquals(false, back.lower());
        assertEquals("|", back.split());
        assertEquals("x", back.filters());
        assertArrayEquals(new int[][] {{2, 1, 3}}, back.textsToSequences(List.of("Aab")));
    }

    @Test
    void rejectsMalformedDocuments() {
        assertThrows(IllegalArgumentException.class, () -> TokenizerJson.fromJson("{"));
        assertThrows(IllegalArgumentException.class, () -> TokenizerJson.fromJson("[]"));
        assertThrows(IllegalArgumentException.class,
                () -> TokenizerJson.fromJson("{\"class_name\": \"Other\", \"config\": {}}"));
        assertThrows(IllegalArgumentException.class,
                () -> TokenizerJson.fromJson("{\"class_name\": \"Tokenizer\", \"config\": {\"lower\": true}}"));
        String withUnknownKey = TokenizerJson.toJson(new Tokenizer()).replace("\"lower\"", "\"lowr\"");
        assertThrows(IllegalArgumentException.class, () -> TokenizerJson.fromJson(withUnknownKey));
    }
}
