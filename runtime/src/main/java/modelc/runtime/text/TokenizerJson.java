package modelc.runtime.text;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import modelc.runtime.io.Json;

/**
 * A fitted {@link Tokenizer} as JSON, in the format of Keras's {@code tokenizer.to_json()} /
 * {@code tokenizer_from_json}: {@code {"class_name": "Tokenizer", "config": {num_words, filters, lower,
 * split, char_level, oov_token, document_count, word_counts, word_docs, index_docs, index_word,
 * word_index}}}, where the last five are themselves JSON documents stored as strings (index keys as
 * strings), written with Python's {@code json.dumps} conventions. So a file written by Keras loads here and
 * one written here loads in Keras. A custom analyzer is not serialised (as in Keras).
 */
public final class TokenizerJson {
    private TokenizerJson() {}

    private static final Set<String> STATE_KEYS =
            Set.of("word_counts", "word_docs", "index_docs", "index_word", "word_index");
    /** The keys of a fitted tokenizer's config besides its settings. */
    private static final Set<String> FITTED_KEYS =
            Set.of("document_count", "word_counts", "word_docs", "index_docs", "index_word", "word_index");

    /** Keras's {@code to_json()}. */
    public static String toJson(Tokenizer t) {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("num_words", t.numWords());
        config.put("filters", t.filters());
        config.put("lower", t.lower());
        config.put("split", t.split());
        config.put("char_level", t.charLevel());
        config.put("oov_token", t.oovToken());
        config.put("document_count", t.documentCount());
        config.put("word_counts", PyJson.dumps(t.wordCounts));
        config.put("word_docs", PyJson.dumps(t.wordDocs));
        config.put("index_docs", PyJson.dumps(t.indexDocs));
        config.put("index_word", PyJson.dumps(t.indexWord));
        config.put("word_index", PyJson.dumps(t.wordIndex));
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("class_name", "Tokenizer");
        root.put("config", config);
        return PyJson.dumps(root);
    }

    /**
     * Keras's {@code tokenizer_from_json}. Missing settings take Keras's defaults; the five state entries
     * are required (as strings holding JSON, or as plain objects). Unknown settings are rejected, as
     * Keras's constructor does.
     *
     * @throws IllegalArgumentException if the text is not such a document
     */
    public static Tokenizer fromJson(String json) {
        Object parsed = parse(json, "tokenizer JSON");
        Map<String, Object> root = asObject(parsed, "the document");
        Object className = root.get("class_name");
        if (className != null && !"Tokenizer".equals(className)) {
            throw new IllegalArgumentException("not a Tokenizer: class_name is " + className);
        }
        Map<String, Object> config = asObject(root.get("config"), "\"config\"");
        for (String key : STATE_KEYS) {
            if (!config.containsKey(key)) throw new IllegalArgumentException("\"config\" has no \"" + key + "\"");
        }
        int documentCount = config.containsKey("document_count") ? toInt(config.get("document_count"), "document_count") : 0;
        Tokenizer.Builder b = builder(config, FITTED_KEYS);
        Tokenizer t = b.build();
        t.documentCount = documentCount;
        for (Map.Entry<String, Object> e : state(config, "word_counts").entrySet()) {
            t.wordCounts.put(e.getKey(), toInt(e.getValue(), "word_counts"));
        }
        for (Map.Entry<String, Object> e : state(config, "word_docs").entrySet()) {
            t.wordDocs.put(e.getKey(), toInt(e.getValue(), "word_docs"));
        }
        for (Map.Entry<String, Object> e : state(config, "index_docs").entrySet()) {
            t.indexDocs.put(intKey(e.getKey(), "index_docs"), toInt(e.getValue(), "index_docs"));
        }
        for (Map.Entry<String, Object> e : state(config, "index_word").entrySet()) {
            t.indexWord.put(intKey(e.getKey(), "index_word"), asString(e.getValue(), "index_word"));
        }
        for (Map.Entry<String, Object> e : state(config, "word_index").entrySet()) {
            t.wordIndex.put(e.getKey(), toInt(e.getValue(), "word_index"));
        }
        return t;
    }

    /**
     * A builder with the settings of {@code config} (Keras's constructor arguments); keys in {@code alsoAllowed}
     * are skipped, any other unknown key is rejected, as Keras's constructor does.
     */
    static Tokenizer.Builder builder(Map<String, Object> config, Set<String> alsoAllowed) {
        Tokenizer.Builder b = Tokenizer.builder();
        for (Map.Entry<String, Object> e : config.entrySet()) {
            Object v = e.getValue();
            switch (e.getKey()) {
                case "num_words", "nb_words" -> b.numWords(v == null ? null : toInt(v, e.getKey()));
                case "filters" -> b.filters(v == null ? "" : asString(v, "filters"));
                case "lower" -> b.lower(asBoolean(v, "lower"));
                case "split" -> b.split(asString(v, "split"));
                case "char_level" -> b.charLevel(asBoolean(v, "char_level"));
                case "oov_token" -> b.oovToken(v == null ? null : asString(v, "oov_token"));
                default -> {
                    if (!alsoAllowed.contains(e.getKey())) {
                        throw new IllegalArgumentException("Unrecognized keyword argument: " + e.getKey());
                    }
                }
            }
        }
        return b;
    }

    private static Map<String, Object> state(Map<String, Object> config, String key) {
        Object v = config.get(key);
        if (v instanceof String s) v = parse(s, "\"" + key + "\"");
        return asObject(v, "\"" + key + "\"");
    }

    static Object parse(String json, String what) {
        try {
            return Json.parse(json);
        } catch (Json.SyntaxException e) {
            throw new IllegalArgumentException(what + " is not valid JSON: " + e.getMessage(), e);
        }
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> asObject(Object v, String what) {
        if (v instanceof Map<?, ?> m) return (Map<String, Object>) m;
        throw new IllegalArgumentException(what + " is not a JSON object");
    }

    static String asString(Object v, String what) {
        if (v instanceof String s) return s;
        throw new IllegalArgumentException(what + " is not a string: " + v);
    }

    static boolean asBoolean(Object v, String what) {
        if (v instanceof Boolean b) return b;
        throw new IllegalArgumentException(what + " is not a boolean: " + v);
    }

    static int toInt(Object v, String what) {
        if (v instanceof Long l && l >= Integer.MIN_VALUE && l <= Integer.MAX_VALUE) return l.intValue();
        throw new IllegalArgumentException(what + ": not an int: " + v);
    }

    private static int intKey(String key, String what) {
        try {
            return Integer.parseInt(key.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(what + ": key is not an int: " + key, e);
        }
    }
}
