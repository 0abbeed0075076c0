package modelc.runtime.text;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A fitted {@link CountVectorizer} as JSON. scikit-learn has no JSON form (it pickles), so this mirrors its
 * names: {@code {"class_name": "CountVectorizer", "config": {lowercase, token_pattern, ngram_range,
 * stop_words, max_df, min_df, max_features, binary}, "vocabulary": {term: column}}} where config holds
 * {@code get_params()} values and vocabulary is {@code vocabulary_}. min_df/max_df keep their Python type:
 * {@code 1} (a count) and {@code 1.0} (a proportion) are different settings. Written in Python's
 * {@code json.dumps} style, so {@code json.loads} in Python reads it directly.
 */
public final class CountVectorizerJson {
    private CountVectorizerJson() {}

    public static String toJson(CountVectorizer v) {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("lowercase", v.lowercase());
        config.put("token_pattern", v.tokenPattern());
        config.put("ngram_range", List.of(v.ngramMin(), v.ngramMax()));
        config.put("stop_words", v.stopWords());
        config.put("max_df", dfValue(v.maxDf()));
        config.put("min_df", dfValue(v.minDf()));
        config.put("max_features", v.maxFeatures());
        config.put("binary", v.binary());
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("class_name", "CountVectorizer");
        root.put("config", config);
        root.put("vocabulary", v.vocabulary());
        return PyJson.dumps(root);
    }

    /** @throws IllegalArgumentException if the text is not such a document */
    public static CountVectorizer fromJson(String json) {
        Map<String, Object> root = TokenizerJson.asObject(TokenizerJson.parse(json, "CountVectorizer JSON"),
                "the document");
        Object className = root.get("class_name");
        if (className != null && !"CountVectorizer".equals(className)) {
            throw new IllegalArgumentException("not a CountVectorizer: class_name is " + className);
        }
        CountVectorizer v = builder(TokenizerJson.asObject(root.get("config"), "\"config\"")).build();
        Map<String, Integer> vocab = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : TokenizerJson.asObject(root.get("vocabulary"), "\"vocabulary\"").entrySet()) {
            vocab.put(e.getKey(), TokenizerJson.toInt(e.getValue(), "vocabulary"));
        }
        v.restoreVocabulary(vocab);
        return v;
    }

    /** A builder with the settings of {@code config} ({@code get_params()} names); unknown keys are rejected. */
    static CountVectorizer.Builder builder(Map<String, Object> config) {
        CountVectorizer.Builder b = CountVectorizer.builder();
        for (Map.Entry<String, Object> e : config.entrySet()) {
            Object value = e.getValue();
            switch (e.getKey()) {
                case "lowercase" -> b.lowercase(TokenizerJson.asBoolean(value, "lowercase"));
                case "token_pattern" -> b.tokenPattern(TokenizerJson.asString(value, "token_pattern"));
                case "ngram_range" -> {
                    if (!(value instanceof List<?> range) || range.size() != 2) {
                        throw new IllegalArgumentException("ngram_range is not a pair: " + value);
                    }
                    b.ngramRange(TokenizerJson.toInt(range.get(0), "ngram_range"),
                            TokenizerJson.toInt(range.get(1), "ngram_range"));
                }
                case "stop_words" -> b.stopWords(value == null ? null : stringList(value));
                case "max_df" -> b.maxDf(dfFrom(value, "max_df"));
                case "min_df" -> b.minDf(dfFrom(value, "min_df"));
                case "max_features" -> b.maxFeatures(value == null ? null : TokenizerJson.toInt(value, "max_features"));
                case "binary" -> b.binary(TokenizerJson.asBoolean(value, "binary"));
                default -> throw new IllegalArgumentException("unknown CountVectorizer setting: " + e.getKey());
            }
        }
        return b;
    }

    private static Object dfValue(DocFrequency df) {
        return switch (df) {
            case DocFrequency.Count c -> c.documents();
            case DocFrequency.Proportion p -> p.fraction();
        };
    }

    private static DocFrequency dfFrom(Object value, String what) {
        if (value instanceof Long) return new DocFrequency.Count(TokenizerJson.toInt(value, what));
        if (value instanceof Double d) return new DocFrequency.Proportion(d);
        throw new IllegalArgumentException(what + " is not a number: " + value);
    }

    private static List<String> stringList(Object value) {
        if (!(value instanceof List<?> list)) throw new IllegalArgumentException("stop_words is not a list: " + value);
        List<String> out = new ArrayList<>(list.size());
        for (Object o : list) out.add(TokenizerJson.asString(o, "stop word"));
        return out;
    }
}
