package modelc.runtime.text;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * Keras's (legacy) {@code keras.preprocessing.text.Tokenizer}, same behaviour and same quirks.
 *
 * <ul>
 *   <li>{@link #fitOnTexts} accumulates: document_count, word_counts (insertion-ordered), word_docs; then
 *       rebuilds word_index by count descending, ties in first-appearance order (Python's stable sort), from
 *       1; the oov token, if set, is forced to 1. word_index holds every word: num_words only matters when
 *       converting.</li>
 *   <li>Conversions keep index i only if num_words is unset (null or 0) or i &lt; num_words, so num_words = N
 *       keeps indices 1..N−1; other and unknown words become the oov index, or are dropped without one.</li>
 *   <li>One deliberate difference: Keras fills word_docs from {@code set(tokens)}, whose iteration order
 *       depends on Python's string hash seed; here a document's words are counted in first-appearance order,
 *       which fixes the (otherwise random) order of word_docs and index_docs. Counts are identical.</li>
 * </ul>
 *
 * <p>Not thread-safe while fitting. Serialise with {@link TokenizerJson} (Keras's {@code to_json} format).
 */
public final class Tokenizer {
    private final Integer numWords;
    private final String filters;
    private final boolean lower;
    private final String split;
    private final boolean charLevel;
    private final String oovToken;
    private final Function<String, List<String>> analyzer;

    int documentCount;
    final LinkedHashMap<String, Integer> wordCounts = new LinkedHashMap<>();
    final LinkedHashMap<String, Integer> wordDocs = new LinkedHashMap<>();
    final LinkedHashMap<Integer, Integer> indexDocs = new LinkedHashMap<>();
    final LinkedHashMap<String, Integer> wordIndex = new LinkedHashMap<>();
    final LinkedHashMap<Integer, String> indexWord = new LinkedHashMap<>();

    /** A tokenizer with all of Keras's defaults. */
    public Tokenizer() {
        this(builder());
    }

    private Tokenizer(Builder b) {
        this.numWords = b.numWords;
        this.filters = b.filters;
        this.lower = b.lower;
        this.split = b.split;
        this.charLevel = b.charLevel;
        this.oovToken = b.oovToken;
        this.analyzer = b.analyzer;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Keras constructor arguments, with Keras's defaults. */
    public static final class Builder {
        private Integer numWords;
        private String filters = TextSplitter.DEFAULT_FILTERS;
        private boolean lower = true;
        private String split = " ";
        private boolean charLevel;
        private String oovToken;
        private Function<String, List<String>> analyzer;

        private Builder() {}

        /** Keep indices below this when converting; null or 0 = no limit (Keras treats 0 like None). */
        public Builder numWords(Integer numWords) {
            if (numWords != null && numWords < 0) throw new IllegalArgumentException("num_words must be >= 0");
            this.numWords = numWords;
            return this;
        }

        public Builder filters(String filters) {
            this.filters = Objects.requireNonNull(filters, "filters");
            return this;
        }

        public Builder lower(boolean lower) {
            this.lower = lower;
            return this;
        }

        public Builder split(String split) {
            this.split = Objects.requireNonNull(split, "split");
            return this;
        }

        /** Every code point is a token (spaces included); filters and split are not applied. */
        public Builder charLevel(boolean charLevel) {
            this.charLevel = charLevel;
            return this;
        }

        public Builder oovToken(String oovToken) {
            this.oovToken = oovToken;
            return this;
        }

        /**
         * Replaces {@code text_to_word_sequence} for non-char-level texts (Keras's {@code analyzer}); lower,
         * filters and split are then not applied. Like in Keras it is not serialised.
         */
        public Builder analyzer(Function<String, List<String>> analyzer) {
            this.analyzer = analyzer;
            return this;
        }

        public Tokenizer build() {
            return new Tokenizer(this);
        }
    }

    // ---------------------------------------------------------------- fitting

    /** Keras {@code fit_on_texts} with string texts. */
    public void fitOnTexts(Iterable<String> texts) {
        for (String text : texts) countDocument(tokenize(text));
        rebuildIndex();
    }

    /** Keras {@code fit_on_texts} with pre-split texts (lists of tokens; lower-cased if {@code lower}). */
    public void fitOnTokenLists(Iterable<? extends List<String>> tokenLists) {
        for (List<String> tokens : tokenLists) countDocument(lowerTokens(tokens));
        rebuildIndex();
    }

    /** Keras {@code fit_on_sequences}: adds documents and index_docs counts only (used by tfidf). */
    public void fitOnSequences(int[][] sequences) {
        documentCount += sequences.length;
        for (int[] seq : sequences) {
            LinkedHashSet<Integer> distinct = new LinkedHashSet<>();
            for (int i : seq) distinct.add(i);
            for (int i : distinct) indexDocs.merge(i, 1, Integer::sum);
        }
    }

    private void countDocument(List<String> tokens) {
        documentCount++;
        for (String w : tokens) wordCounts.merge(w, 1, Integer::sum);
        for (String w : new LinkedHashSet<>(tokens)) wordDocs.merge(w, 1, Integer::sum);
    }

    /** word_index / index_word / index_docs exactly as Keras rebuilds them after each fit. */
    private void rebuildIndex() {
        List<Map.Entry<String, Integer>> byCount = new ArrayList<>(wordCounts.entrySet());
        byCount.sort((a, b) -> Integer.compare(b.getValue(), a.getValue())); // List.sort is stable
        List<String> sortedVocabulary = new ArrayList<>(byCount.size() + 1);
        if (oovToken != null) sortedVocabulary.add(oovToken);
        for (Map.Entry<String, Integer> e : byCount) sortedVocabulary.add(e.getKey());
        // Python's dict(zip(...)): a repeated key (an oov token that is also a real word) keeps its first
        // position and takes the last index, leaving index 1 unassigned - as in Keras.
        wordIndex.clear();
        for (int k = 0; k < sortedVocabulary.size(); k++) wordIndex.put(sortedVocabulary.get(k), k + 1);
        indexWord.clear();
        for (Map.Entry<String, Integer> e : wordIndex.entrySet()) indexWord.put(e.getValue(), e.getKey());
        for (Map.Entry<String, Integer> e : wordDocs.entrySet()) indexDocs.put(wordIndex.get(e.getKey()), e.getValue());
    }

    // ---------------------------------------------------------------- converting

    /** The tokens Keras would see for one text (char-level, analyzer or {@code text_to_word_sequence}). */
    public List<String> tokenize(String text) {
        if (charLevel) return PyStrings.codePoints(lower ? PyStrings.lower(text) : text);
        if (analyzer != null) return analyzer.apply(text);
        return TextSplitter.textToWordSequence(text, filters, lower, split);
    }

    private List<String> lowerTokens(List<String> tokens) {
        if (!lower) return tokens;
        List<String> out = new ArrayList<>(tokens.size());
        for (String t : tokens) out.add(PyStrings.lower(t));
        return out;
    }

    /** Keras {@code texts_to_sequences}. */
    public int[][] textsToSequences(List<String> texts) {
        int[][] out = new int[texts.size()][];
        for (int i = 0; i < out.length; i++) out[i] = tokensToSequence(tokenize(texts.get(i)));
        return out;
    }

    /** One text of {@link #textsToSequences}. */
    public int[] textToSequence(String text) {
        return tokensToSequence(tokenize(text));
    }

    /** Keras {@code texts_to_sequences} with pre-split texts. */
    public int[][] tokenListsToSequences(List<? extends List<String>> tokenLists) {
        int[][] out = new int[tokenLists.size()][];
        for (int i = 0; i < out.length; i++) out[i] = tokensToSequence(lowerTokens(tokenLists.get(i)));
        return out;
    }

    private int[] tokensToSequence(List<String> tokens) {
        Integer oovIndex = oovToken == null ? null : wordIndex.get(oovToken);
        int[] vect = new int[tokens.size()];
        int n = 0;
        for (String w : tokens) {
            Integer i = wordIndex.get(w);
            if (i != null && !overLimit(i)) {
                vect[n++] = i;
            } else if (oovToken != null && (i == null || oovIndex != null)) {
                vect[n++] = requireOovIndex(oovIndex);
            }
        }
        return n == vect.length ? vect : Arrays.copyOf(vect, n);
    }

    /** Keras {@code sequences_to_texts}: words joined by one space; ids without a word → oov word or dropped. */
    public List<String> sequencesToTexts(int[][] sequences) {
        Integer oovIndex = oovToken == null ? null : wordIndex.get(oovToken);
        List<String> texts = new ArrayList<>(sequences.length);
        for (int[] seq : sequences) {
            List<String> words = new ArrayList<>(seq.length);
            for (int num : seq) {
                String word = indexWord.get(num);
                if (word != null && !overLimit(num)) {
                    words.add(word);
                } else if (oovToken != null && (word == null || oovIndex != null)) {
                    String oovWord = indexWord.get(requireOovIndex(oovIndex));
                    if (oovWord == null) throw new IllegalStateException("no word for the oov index " + oovIndex);
                    words.add(oovWord);
                }
            }
            texts.add(String.join(" ", words));
        }
        return texts;
    }

    private boolean overLimit(int index) {
        return numWords != null && numWords != 0 && index >= numWords;
    }

    private int requireOovIndex(Integer oovIndex) {
        // Keras appends None here (unusable output); fail instead.
        if (oovIndex == null) throw new IllegalStateException("oov_token is set but the tokenizer is not fitted");
        return oovIndex;
    }

    /** Keras {@code texts_to_matrix}: {@link #textsToSequences} then {@link #sequencesToMatrix}. */
    public double[][] textsToMatrix(List<String> texts, MatrixMode mode) {
        return sequencesToMatrix(textsToSequences(texts), mode);
    }

    /** {@link #textsToMatrix(List, MatrixMode)} with the Keras mode name. */
    public double[][] textsToMatrix(List<String> texts, String mode) {
        return textsToMatrix(texts, MatrixMode.fromKeras(mode));
    }

    /**
     * Keras {@code sequences_to_matrix}: n × width, width = num_words if set, else len(word_index) + 1;
     * indices ≥ width are skipped. See {@link MatrixMode} for the values.
     */
    public double[][] sequencesToMatrix(int[][] sequences, MatrixMode mode) {
        int width;
        if (numWords == null || numWords == 0) {
            if (wordIndex.isEmpty()) {
                throw new IllegalStateException(
                        "Specify a dimension (`num_words` argument), or fit on some text data first.");
            }
            width = wordIndex.size() + 1;
        } else {
            width = numWords;
        }
        if (mode == MatrixMode.TFIDF && documentCount == 0) {
            throw new IllegalStateException("Fit the Tokenizer on some data before using tfidf mode.");
        }
        return SequenceMatrix.build(sequences, width, mode, documentCount, indexDocs);
    }

    /** {@link #sequencesToMatrix(int[][], MatrixMode)} with the Keras mode name. */
    public double[][] sequencesToMatrix(int[][] sequences, String mode) {
        return sequencesToMatrix(sequences, MatrixMode.fromKeras(mode));
    }

    // ---------------------------------------------------------------- state

    /** num_words as configured (null = none). */
    public Integer numWords() {
        return numWords;
    }

    public String filters() {
        return filters;
    }

    public boolean lower() {
        return lower;
    }

    public String split() {
        return split;
    }

    public boolean charLevel() {
        return charLevel;
    }

    /** The oov token, or null. */
    public String oovToken() {
        return oovToken;
    }

    /** Number of texts (and sequences) fitted. */
    public int documentCount() {
        return documentCount;
    }

    /** word → occurrences, in first-appearance order. */
    public Map<String, Integer> wordCounts() {
        return Collections.unmodifiableMap(wordCounts);
    }

    /** word → number of documents containing it. */
    public Map<String, Integer> wordDocs() {
        return Collections.unmodifiableMap(wordDocs);
    }

    /** index → number of documents containing it. */
    public Map<Integer, Integer> indexDocs() {
        return Collections.unmodifiableMap(indexDocs);
    }

    /** word → index (from 1), in index order. */
    public Map<String, Integer> wordIndex() {
        return Collections.unmodifiableMap(wordIndex);
    }

    /** index → word. */
    public Map<Integer, String> indexWord() {
        return Collections.unmodifiableMap(indexWord);
    }
}
