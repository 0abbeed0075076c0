package modelc.runtime.text;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import modelc.runtime.Tensor;
import modelc.runtime.io.Json;

/**
 * How a model's text input becomes a tensor, as its {@code .model} file says:
 * <pre>
 * input review: text -> Tokenizer(num_words=10000) -> pad_sequences(maxlen=500)     // int[500]
 * input review: text -> Tokenizer(num_words=1000) -> texts_to_matrix(mode="tfidf")  // float[1000]
 * input review: text -> CountVectorizer(max_features=6000, min_df=5, max_df=0.7)    // float[6000]
 * </pre>
 * The description is JSON naming each step with its arguments as written (Keras's and scikit-learn's
 * names): {@code {"tokenizer": {"num_words": 10000}, "pad_sequences": {"maxlen": 500}}}. Unwritten
 * arguments take Keras's and scikit-learn's defaults. {@link #fit} learns a vocabulary from training texts;
 * the {@link Fitted} pipeline turns texts into rows and is saved as JSON beside the weights.
 *
 * <p>A CountVectorizer's width is its {@code max_features}, a texts_to_matrix's the tokenizer's
 * {@code num_words}: the model's input has a fixed width, and columns past a smaller fitted vocabulary stay 0.
 */
public final class TextPipeline {
    /** What a text becomes. */
    public enum Form {
        /** Token ids, padded or cut to a length (Tokenizer → pad_sequences): int. */
        SEQUENCES,
        /** One row per text over the tokenizer's words (Tokenizer → texts_to_matrix): float. */
        MATRIX,
        /** Term counts over the vectorizer's vocabulary (CountVectorizer): float. */
        COUNTS
    }

    static final String TOKENIZER = "tokenizer";
    static final String VECTORIZER = "count_vectorizer";
    static final String PAD = "pad_sequences";
    static final String MATRIX = "texts_to_matrix";
    private static final Set<String> PAD_KEYS = Set.of("maxlen", "padding", "truncating", "value");

    private final Map<String, Object> steps;
    private final Form form;
    private final int width;
    // pad_sequences settings (SEQUENCES), the matrix mode (MATRIX)
    private final String padding;
    private final String truncating;
    private final int value;
    private final MatrixMode mode;

    private TextPipeline(Map<String, Object> steps) {
        this.steps = steps;
        Iterator<Map.Entry<String, Object>> it = steps.entrySet().iterator();
        if (!it.hasNext()) throw new IllegalArgumentException("a text pipeline needs a Tokenizer or a CountVectorizer");
        Map.Entry<String, Object> first = it.next();
        Map<String, Object> a = TokenizerJson.asObject(first.getValue(), first.getKey());
        String padding = Sequences.PRE, truncating = Sequences.PRE;
        int value = 0;
        MatrixMode mode = null;
        switch (first.getKey()) {
            case TOKENIZER -> {
                Tokenizer t = TokenizerJson.builder(a, Set.of()).build();
                if (!it.hasNext()) {
                    throw new IllegalArgumentException("a Tokenizer gives sequences of different lengths; follow it with"
                            + " pad_sequences(maxlen=...) or texts_to_matrix(mode=...)");
                }
                Map.Entry<String, Object> then = it.next();
                Map<String, Object> b = TokenizerJson.asObject(then.getValue(), then.getKey());
                switch (then.getKey()) {
                    case PAD -> {
                        for (String k : b.keySet()) {
                            if (!PAD_KEYS.contains(k)) throw new IllegalArgumentException("pad_sequences has no argument " + k);
                        }
                        if (b.get("maxlen") == null) {
                            throw new IllegalArgumentException("pad_sequences needs maxlen= so the input has a fixed length");
                        }
                        this.form = Form.SEQUENCES;
                        this.width = positive(b.get("maxlen"), "maxlen");
                        if (b.containsKey("padding")) padding = TokenizerJson.asString(b.get("padding"), "padding");
                        if (b.containsKey("truncating")) truncating = TokenizerJson.asString(b.get("truncating"), "truncating");
                        if (b.containsKey("value")) value = TokenizerJson.toInt(b.get("value"), "value");
                        Sequences.padRow(new int[0], 0, padding, truncating, value, new int[0], 0); // checks the modes
                    }
                    case MATRIX -> {
                        for (String k : b.keySet()) {
                            if (!k.equals("mode")) throw new IllegalArgumentException("texts_to_matrix has no argument " + k);
                        }
                        mode = MatrixMode.fromKeras(b.containsKey("mode") ? TokenizerJson.asString(b.get("mode"), "mode") : "binary");
                        if (t.numWords() == null || t.numWords() == 0) {
                            throw new IllegalArgumentException("texts_to_matrix needs the Tokenizer's num_words= so the input has a fixed width");
                        }
                        this.form = Form.MATRIX;
                        this.width = t.numWords();
                    }
                    default -> throw new IllegalArgumentException("after a Tokenizer comes pad_sequences or texts_to_matrix, not " + then.getKey());
                }
            }
            case VECTORIZER -> {
                CountVectorizer v = CountVectorizerJson.builder(a).build();
                if (v.maxFeatures() == null) {
                    throw new IllegalArgumentException("a CountVectorizer needs max_features= so the input has a fixed width");
                }
                this.form = Form.COUNTS;
                this.width = v.maxFeatures();
            }
            default -> throw new IllegalArgumentException("a text pipeline starts with a Tokenizer or a CountVectorizer, not " + first.getKey());
        }
        if (it.hasNext()) throw new IllegalArgumentException("nothing may follow " + (form == Form.COUNTS ? "a CountVectorizer" : "the Tokenizer's next step"));
        this.padding = padding;
        this.truncating = truncating;
        this.value = value;
        this.mode = mode;
    }

    private static int positive(Object v, String what) {
        int n = TokenizerJson.toInt(v, what);
        if (n < 1) throw new IllegalArgumentException(what + " must be at least 1, got " + n);
        return n;
    }

    /**
     * The pipeline described by {@code json}.
     *
     * @throws IllegalArgumentException naming what is wrong with the description
     */
    public static TextPipeline parse(String json) {
        return new TextPipeline(TokenizerJson.asObject(TokenizerJson.parse(json, "a text pipeline"), "a text pipeline"));
    }

    /** The description, as {@link #parse} reads it. */
    public String json() {
        return Json.write(steps);
    }

    public Form form() {
        return form;
    }

    /** Values per text: the padded length, or the number of columns. */
    public int width() {
        return width;
    }

    /** Whether the rows are token ids (int) rather than floats. */
    public boolean integer() {
        return form == Form.SEQUENCES;
    }

    /**
     * Learns the vocabulary from {@code texts}, as {@code Tokenizer.fit_on_texts} or
     * {@code CountVectorizer.fit} does.
     */
    public Fitted fit(List<String> texts) {
        Map<String, Object> a = analyzerSettings();
        if (form == Form.COUNTS) return new Fitted(null, CountVectorizerJson.builder(a).build().fit(texts));
        Tokenizer t = TokenizerJson.builder(a, Set.of()).build();
        t.fitOnTexts(texts);
        return new Fitted(t, null);
    }

    /**
     * A pipeline fitted before and saved with {@link Fitted#toJsonValue()}; its settings must be this
     * description's.
     *
     * @throws IllegalArgumentException naming what is wrong or different
     */
    public Fitted restore(Object saved) {
        Map<String, Object> s = TokenizerJson.asObject(saved, "a saved text pipeline");
        String analyzer = analyzerKey();
        Map<String, Object> doc = TokenizerJson.asObject(s.get(analyzer), "its \"" + analyzer + "\"");
        Map<String, Object> config = TokenizerJson.asObject(doc.get("config"), "its \"" + analyzer + "\" config");
        for (Map.Entry<String, Object> e : analyzerSettings().entrySet()) {
            Object was = config.get(e.getKey());
            if (!sameSetting(was, e.getValue())) {
                throw new IllegalArgumentException("it was fitted with " + e.getKey() + "=" + Json.write(was)
                        + ", the model says " + Json.write(e.getValue()));
            }
        }
        for (Map.Entry<String, Object> e : steps.entrySet()) {
            if (!e.getKey().equals(analyzer) && !Objects.equals(s.get(e.getKey()), e.getValue())) {
                throw new IllegalArgumentException("it has " + e.getKey() + " " + Json.write(s.get(e.getKey()))
                        + ", the model says " + Json.write(e.getValue()));
            }
        }
        String text = Json.write(doc);
        return form == Form.COUNTS ? new Fitted(null, CountVectorizerJson.fromJson(text)) : new Fitted(TokenizerJson.fromJson(text), null);
    }

    private static boolean sameSetting(Object a, Object b) {
        if (a instanceof Number x && b instanceof Number y) return x.doubleValue() == y.doubleValue() && (a instanceof Double) == (b instanceof Double);
        return Objects.equals(a, b);
    }

    private String analyzerKey() {
        return steps.keySet().iterator().next();
    }

    private Map<String, Object> analyzerSettings() {
        return TokenizerJson.asObject(steps.get(analyzerKey()), analyzerKey());
    }

    @Override
    public String toString() {
        return json();
    }

    /** The pipeline with its vocabulary: turns texts into model inputs. Thread-safe once built. */
    public final class Fitted {
        private final Tokenizer tokenizer;
        private final CountVectorizer vectorizer;

        private Fitted(Tokenizer tokenizer, CountVectorizer vectorizer) {
            this.tokenizer = tokenizer;
            this.vectorizer = vectorizer;
        }

        public TextPipeline pipeline() {
            return TextPipeline.this;
        }

        /** Words (or terms) the fitted vocabulary holds. */
        public int vocabularySize() {
            return tokenizer != null ? tokenizer.wordIndex().size() : vectorizer.vocabulary().size();
        }

        /** The largest token id a text can become (SEQUENCES), the padding value included. */
        public int maxId() {
            int n = tokenizer.wordIndex().size();
            Integer limit = tokenizer.numWords();
            int top = limit == null || limit == 0 ? n : Math.min(n, limit - 1);
            return Math.max(top, value);
        }

        /** How many token ids the Tokenizer makes of {@code text}, before padding or cutting (SEQUENCES). */
        public int length(String text) {
            if (form != Form.SEQUENCES) throw new IllegalStateException("this pipeline gives floats");
            return tokenizer.textToSequence(text).length;
        }

        /** One text as token ids, written to {@code out[offset .. offset + width())} (SEQUENCES). */
        public void encode(String text, int[] out, int offset) {
            if (form != Form.SEQUENCES) throw new IllegalStateException("this pipeline gives floats");
            Sequences.padRow(tokenizer.textToSequence(text), width, padding, truncating, value, out, offset);
        }

        /** One text as a row of floats, written to {@code out[offset .. offset + width())} (MATRIX, COUNTS). */
        public void encode(String text, float[] out, int offset) {
            if (form == Form.SEQUENCES) throw new IllegalStateException("this pipeline gives token ids");
            java.util.Arrays.fill(out, offset, offset + width, 0f);
            if (form == Form.MATRIX) {
                double[] row = tokenizer.sequencesToMatrix(new int[][] {tokenizer.textToSequence(text)}, mode)[0];
                for (int j = 0; j < width; j++) out[offset + j] = (float) row[j];
            } else {
                CountMatrix m = vectorizer.transform(List.of(text));
                int[] cols = m.rowIndices(0), counts = m.rowCounts(0);
                for (int k = 0; k < cols.length; k++) out[offset + cols[k]] = counts[k];
            }
        }

        /** The texts as a tensor of shape [texts, width()]: int for SEQUENCES, else float. */
        public Tensor encode(List<String> texts) {
            int n = texts.size();
            if (form == Form.SEQUENCES) {
                int[] x = new int[Math.multiplyExact(n, width)];
                for (int i = 0; i < n; i++) encode(texts.get(i), x, i * width);
                return Tensor.of(x, n, width);
            }
            float[] x = new float[Math.multiplyExact(n, width)];
            for (int i = 0; i < n; i++) encode(texts.get(i), x, i * width);
            return Tensor.of(x, n, width);
        }

        /**
         * The fitted pipeline as a JSON value: the analyzer as Keras's {@code tokenizer.to_json()} (or the
         * vectorizer's config and vocabulary), then the description's other steps.
         */
        public Map<String, Object> toJsonValue() {
            Map<String, Object> out = new LinkedHashMap<>();
            String fitted = tokenizer != null ? TokenizerJson.toJson(tokenizer) : CountVectorizerJson.toJson(vectorizer);
            out.put(analyzerKey(), Json.parse(fitted));
            steps.forEach((k, v) -> {
                if (!k.equals(analyzerKey())) out.put(k, v);
            });
            return out;
        }
    }
}
