package modelc.runtime.text;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * scikit-learn's {@code CountVectorizer} (word analyzer): term counts per document over a vocabulary sorted
 * alphabetically (by code point, as Python sorts strings), columns from 0.
 *
 * <p>Fitting follows {@code fit_transform}: count every token; set counts to 1 if binary; check
 * "max_df corresponds to &lt; documents than min_df"; keep terms with min_df threshold ≤ df ≤ max_df threshold
 * (see {@link DocFrequency} for int versus float); then, if max_features = k and more remain, the k with the
 * largest total count (document frequency when binary); "After pruning, no terms remain" if none is left.
 *
 * <p>One portable approximation: sklearn picks max_features with NumPy's non-stable argsort, whose order
 * among equal totals at the cut-off depends on NumPy's sort implementation (verified: not alphabetical). Here
 * ties are broken alphabetically (stable sort over the alphabetical order); results agree whenever the k-th
 * and (k+1)-th totals differ.
 */
public final class CountVectorizer {
    private final boolean lowercase;
    private final String tokenPattern;
    private final int ngramMin;
    private final int ngramMax;
    private final List<String> stopWords;
    private final DocFrequency minDf;
    private final DocFrequency maxDf;
    private final Integer maxFeatures;
    private final boolean binary;
    private final CountAnalyzer analyzer;

    /** term → column, in column (alphabetical) order; null until fitted. */
    private LinkedHashMap<String, Integer> vocabulary;

    private CountVectorizer(Builder b) {
        this.lowercase = b.lowercase;
        this.tokenPattern = b.tokenPattern;
        this.ngramMin = b.ngramMin;
        this.ngramMax = b.ngramMax;
        this.stopWords = b.stopWords == null ? null : List.copyOf(b.stopWords);
        this.minDf = b.minDf;
        this.maxDf = b.maxDf;
        this.maxFeatures = b.maxFeatures;
        this.binary = b.binary;
        this.analyzer = new CountAnalyzer(lowercase, tokenPattern,
                stopWords == null ? null : Set.copyOf(stopWords), ngramMin, ngramMax);
    }

    /** A vectorizer with all of scikit-learn's defaults. */
    public CountVectorizer() {
        this(builder());
    }

    public static Builder builder() {
        return new Builder();
    }

    /** scikit-learn constructor parameters, with its defaults. */
    public static final class Builder {
        private boolean lowercase = true;
        private String tokenPattern = CountAnalyzer.DEFAULT_TOKEN_PATTERN;
        private int ngramMin = 1;
        private int ngramMax = 1;
        private Collection<String> stopWords;
        private DocFrequency minDf = new DocFrequency.Count(1);
        private DocFrequency maxDf = new DocFrequency.Proportion(1.0);
        private Integer maxFeatures;
        private boolean binary;

        private Builder() {}

        public Builder lowercase(boolean lowercase) {
            this.lowercase = lowercase;
            return this;
        }

        /** A Python regex (see {@link PyRegex}); default {@code (?u)\b\w\w+\b}. */
        public Builder tokenPattern(String tokenPattern) {
            this.tokenPattern = Objects.requireNonNull(tokenPattern, "tokenPattern");
            return this;
        }

        /** Word n-gram lengths, inclusive; default (1, 1). */
        public Builder ngramRange(int min, int max) {
            this.ngramMin = min;
            this.ngramMax = max;
            return this;
        }

        /** A stop-word list (sklearn's list form; the built-in "english" list is not provided); null = none. */
        public Builder stopWords(Collection<String> stopWords) {
            this.stopWords = stopWords == null ? null : new LinkedHashSet<>(stopWords);
            return this;
        }

        public Builder minDf(DocFrequency minDf) {
            this.minDf = Objects.requireNonNull(minDf, "minDf");
            return this;
        }

        /** Python {@code min_df=<int>}: at least this many documents. */
        public Builder minDf(int documents) {
            return minDf(new DocFrequency.Count(documents));
        }

        /** Python {@code min_df=<float>}: at least this proportion of the documents. */
        public Builder minDf(double fraction) {
            return minDf(new DocFrequency.Proportion(fraction));
        }

        public Builder maxDf(DocFrequency maxDf) {
            this.maxDf = Objects.requireNonNull(maxDf, "maxDf");
            return this;
        }

        /** Python {@code max_df=<int>}: at most this many documents. */
        public Builder maxDf(int documents) {
            return maxDf(new DocFrequency.Count(documents));
        }

        /** Python {@code max_df=<float>}: at most this proportion of the documents. */
        public Builder maxDf(double fraction) {
            return maxDf(new DocFrequency.Proportion(fraction));
        }

        /** Keep at most this many terms (≥ 1), by total count; null = all. */
        public Builder maxFeatures(Integer maxFeatures) {
            if (maxFeatures != null && maxFeatures < 1) {
                throw new IllegalArgumentException("max_features must be >= 1 or null, got " + maxFeatures);
            }
            this.maxFeatures = maxFeatures;
            return this;
        }

        /** Counts become 1/0. */
        public Builder binary(boolean binary) {
            this.binary = binary;
            return this;
        }

        /** @throws IllegalArgumentException for a bad ngram range or token pattern */
        public CountVectorizer build() {
            return new CountVectorizer(this);
        }
    }

    // ---------------------------------------------------------------- fitting and transforming

    /** Learns the vocabulary; returns this. */
    public CountVectorizer fit(List<String> documents) {
        fitTransform(documents);
        return this;
    }

    /** Learns the vocabulary and returns the document-term matrix of the same documents. */
    public CountMatrix fitTransform(List<String> documents) {
        LinkedHashMap<String, Integer> seen = new LinkedHashMap<>();
        CountMatrix x = count(documents, seen, true);
        if (seen.isEmpty()) {
            throw new IllegalArgumentException("empty vocabulary; perhaps the documents only contain stop words");
        }
        int nDocs = documents.size();
        double maxDocCount = maxDf.threshold(nDocs);
        double minDocCount = minDf.threshold(nDocs);
        if (maxDocCount < minDocCount) {
            throw new IllegalArgumentException("max_df corresponds to < documents than min_df");
        }
        List<String> alphabetical = new ArrayList<>(seen.keySet());
        alphabetical.sort(PyStrings.CODE_POINT_ORDER);

        int[] df = x.documentFrequencies();
        List<String> kept = new ArrayList<>();
        for (String term : alphabetical) {
            int d = df[seen.get(term)];
            if (d <= maxDocCount && d >= minDocCount) kept.add(term);
        }
        if (maxFeatures != null && kept.size() > maxFeatures) {
            long[] totals = x.columnSums();
            List<String> byTotal = new ArrayList<>(kept);
            byTotal.sort(Comparator.comparingLong((String t) -> -totals[seen.get(t)])); // stable: ties alphabetical
            Set<String> top = Set.copyOf(byTotal.subList(0, maxFeatures));
            kept.removeIf(t -> !top.contains(t));
        }
        if (kept.isEmpty()) {
            throw new IllegalArgumentException(
                    "After pruning, no terms remain. Try a lower min_df or a higher max_df.");
        }
        LinkedHashMap<String, Integer> vocab = new LinkedHashMap<>();
        int[] newIndex = new int[seen.size()];
        Arrays.fill(newIndex, -1);
        for (String term : kept) {
            newIndex[seen.get(term)] = vocab.size();
            vocab.put(term, vocab.size());
        }
        this.vocabulary = vocab;
        return x.remapColumns(newIndex, vocab.size());
    }

    /** The document-term matrix over the fitted vocabulary; unknown terms are ignored. */
    public CountMatrix transform(List<String> documents) {
        if (vocabulary == null) throw new IllegalStateException("Vocabulary not fitted or provided");
        return count(documents, vocabulary, false);
    }

    /**
     * Counts features per document over {@code vocab}; when {@code grow}, unseen features are appended to it
     * (first-appearance order), otherwise ignored. Applies binary.
     */
    private CountMatrix count(List<String> documents, Map<String, Integer> vocab, boolean grow) {
        int[] indptr = new int[documents.size() + 1];
        IntList indices = new IntList();
        IntList data = new IntList();
        for (int r = 0; r < documents.size(); r++) {
            LinkedHashMap<Integer, Integer> counter = new LinkedHashMap<>();
            for (String feature : analyzer.analyze(documents.get(r))) {
                Integer col = vocab.get(feature);
                if (col == null) {
                    if (!grow) continue;
                    col = vocab.size();
                    vocab.put(feature, col);
                }
                counter.merge(col, 1, Integer::sum);
            }
            List<Integer> cols = new ArrayList<>(counter.keySet());
            Collections.sort(cols);
            for (int c : cols) {
                indices.add(c);
                data.add(binary ? 1 : counter.get(c));
            }
            indptr[r + 1] = indices.size();
        }
        return new CountMatrix(documents.size(), vocab.size(), indptr, indices.toArray(), data.toArray());
    }

    private static final class IntList {
        private int[] a = new int[64];
        private int n;

        void add(int v) {
            if (n == a.length) a = Arrays.copyOf(a, n * 2);
            a[n++] = v;
        }

        int size() {
            return n;
        }

        int[] toArray() {
            return Arrays.copyOf(a, n);
        }
    }

    // ---------------------------------------------------------------- state

    /** Whether a vocabulary has been fitted or loaded. */
    public boolean isFitted() {
        return vocabulary != null;
    }

    /** sklearn's {@code vocabulary_}: term → column, in column order. */
    public Map<String, Integer> vocabulary() {
        if (vocabulary == null) throw new IllegalStateException("Vocabulary not fitted or provided");
        return Collections.unmodifiableMap(vocabulary);
    }

    /** sklearn's {@code get_feature_names_out()}: the terms in column order. */
    public List<String> featureNamesOut() {
        return List.copyOf(vocabulary().keySet());
    }

    /** Installs a vocabulary (term → column 0..n-1), as when loading. */
    void restoreVocabulary(Map<String, Integer> vocab) {
        String[] byColumn = new String[vocab.size()];
        for (Map.Entry<String, Integer> e : vocab.entrySet()) {
            int c = e.getValue();
            if (c < 0 || c >= byColumn.length || byColumn[c] != null) {
                throw new IllegalArgumentException("vocabulary columns must be 0.." + (byColumn.length - 1)
                        + " without repeats; bad entry " + e);
            }
            byColumn[c] = e.getKey();
        }
        if (byColumn.length == 0) throw new IllegalArgumentException("Vocabulary is empty");
        LinkedHashMap<String, Integer> v = new LinkedHashMap<>();
        for (int c = 0; c < byColumn.length; c++) v.put(byColumn[c], c);
        this.vocabulary = v;
    }

    public boolean lowercase() {
        return lowercase;
    }

    public String tokenPattern() {
        return tokenPattern;
    }

    public int ngramMin() {
        return ngramMin;
    }

    public int ngramMax() {
        return ngramMax;
    }

    /** The stop words, or null. */
    public List<String> stopWords() {
        return stopWords;
    }

    public DocFrequency minDf() {
        return minDf;
    }

    public DocFrequency maxDf() {
        return maxDf;
    }

    /** max_features, or null. */
    public Integer maxFeatures() {
        return maxFeatures;
    }

    public boolean binary() {
        return binary;
    }
}
