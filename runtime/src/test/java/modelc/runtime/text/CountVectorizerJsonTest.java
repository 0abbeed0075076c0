package modelc.runtime.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class CountVectorizerJsonTest {

    @Test
    void documentLayout() {
        CountVectorizer v = CountVectorizer.builder().minDf(2).build().fit(CountVectorizerTest.DOCS);
        assertEquals("{\"class_name\": \"CountVectorizer\", \"config\": {\"lowercase\": true, \"token_pattern\": "
                + "\"(?u)\\\\b\\\\w\\\\w+\\\\b\", \"ngram_range\": [1, 1], \"stop_words\": null, \"max_df\": 1.0, "
                + "\"min_df\": 2, \"max_features\": null, \"binary\": false}, "
                + "\"vocabulary\": {\"cat\": 0, \"dog\": 1, \"the\": 2}}", CountVectorizerJson.toJson(v));
    }

    @Test
    void roundTripKeepsSettingsAndBehaviour() {
        CountVectorizer v = CountVectorizer.builder().lowercase(false).ngramRange(1, 2).stopWords(List.of("a", "The"))
                .minDf(0.0).maxDf(3).maxFeatures(40).binary(true).build().fit(CountVectorizerTest.DOCS);
        String json = CountVectorizerJson.toJson(v);
        CountVectorizer back = CountVectorizerJson.fromJson(json);
        assertEquals(json, CountVectorizerJson.toJson(back));
        assertEquals(v.featureNamesOut(), back.featureNamesOut());
        assertEquals(new DocFrequency.Proportion(0.0), back.minDf());
        assertEquals(new DocFrequency.Count(3), back.maxDf());
        List<String> probe = List.of("The cat ate the cat", "dog DOG unknown", "");
        assertArrayEquals(v.transform(probe).toDenseInt(), back.transform(probe).toDenseInt());
    }

    @Test
    void intAndFloatThresholdsStayDistinct() {
        CountVectorizer asCount = CountVectorizer.builder().maxDf(1).build().fit(CountVectorizerTest.DOCS);
        CountVectorizer asFraction = CountVectorizer.builder().maxDf(1.0).build().fit(CountVectorizerTest.DOCS);
        assertEquals(new DocFrequency.Count(1), CountVectorizerJson.fromJson(CountVectorizerJson.toJson(asCount)).maxDf());
        assertEquals(new DocFrequency.Proportion(1.0),
                CountVectorizerJson.fromJson(CountVectorizerJson.toJson(asFraction)).maxDf());
    }

    @Test
    void rejectsBadDocuments() {
        assertThrows(IllegalArgumentException.class, () -> CountVectorizerJson.fromJson("{\"config\": {}}"));
        assertThrows(IllegalArgumentException.class, () -> CountVectorizerJson.fromJson(
                "{\"config\": {}, \"vocabulary\": {\"a\": 0, \"b\": 0}}"));
        assertThrows(IllegalArgumentException.class, () -> CountVectorizerJson.fromJson(
                "{\"config\": {\"min_df\": \"2\"}, \"vocabulary\": {\"a\": 0}}"));
        assertThrows(IllegalArgumentException.class, () -> CountVectorizerJson.fromJson(
                "{\"class_name\": \"Tokenizer\", \"config\": {}, \"vocabulary\": {\"a\": 0}}"));
    }
}
