package modelc.runtime.text;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * scikit-learn's word analyzer ({@code CountVectorizer.build_analyzer()} with {@code analyzer="word"}):
 * lower-case (Python {@code str.lower}), {@code re.findall(token_pattern)}, drop stop words, word n-grams.
 *
 * <p>With the default pattern {@code (?u)\b\w\w+\b} a token is a run of two or more Python word characters
 * (letters, numbers, '_'): single characters are dropped, apostrophes and other punctuation split words
 * ("don't" → "don"), "cat_dog" stays whole.
 */
public final class CountAnalyzer {
    /** scikit-learn's default {@code token_pattern}. */
    public static final String DEFAULT_TOKEN_PATTERN = "(?u)\\b\\w\\w+\\b";

    private final boolean lowercase;
    private final Pattern pattern;
    private final Set<String> stopWords;
    private final int minN;
    private final int maxN;

    /**
     * @param tokenPattern a Python regex, compiled with {@link PyRegex}; with one capturing group the group is
     *                     the token (as {@code re.findall}); more than one group is an error as in sklearn
     * @param stopWords    words removed after tokenising, before n-grams; null for none
     * @param minN         smallest n-gram length, ≥ 1
     * @param maxN         largest n-gram length, ≥ minN
     */
    public CountAnalyzer(boolean lowercase, String tokenPattern, Set<String> stopWords, int minN, int maxN) {
        if (minN < 1) throw new IllegalArgumentException("ngram_range lower boundary must be >= 1, got " + minN);
        if (minN > maxN) {
            throw new IllegalArgumentException("Invalid value for ngram_range=(" + minN + ", " + maxN
                    + ") lower boundary larger than the upper boundary.");
        }
        this.lowercase = lowercase;
        this.pattern = PyRegex.compile(tokenPattern);
        if (pattern.matcher("").groupCount() > 1) {
            throw new IllegalArgumentException(
                    "More than 1 capturing group in token pattern. Only a single group should be captured.");
        }
        this.stopWords = stopWords == null ? null : Set.copyOf(stopWords);
        this.minN = minN;
        this.maxN = maxN;
    }

    /** The features of one document, in order, with repeats. */
    public List<String> analyze(String doc) {
        return ngrams(removeStopWords(tokenize(lowercase ? PyStrings.lower(doc) : doc)));
    }

    /** {@code re.findall(token_pattern, doc)}. */
    List<String> tokenize(String doc) {
        List<String> tokens = new ArrayList<>();
        Matcher m = pattern.matcher(doc);
        boolean group = m.groupCount() == 1;
        while (m.find()) {
            String t = group ? m.group(1) : m.group();
            tokens.add(t == null ? "" : t);
        }
        return tokens;
    }

    private List<String> removeStopWords(List<String> tokens) {
        if (stopWords == null) return tokens;
        List<String> kept = new ArrayList<>(tokens.size());
        for (String t : tokens) if (!stopWords.contains(t)) kept.add(t);
        return kept;
    }

    /** sklearn's {@code _word_ngrams}: all n-grams of each n from minN to maxN in turn, joined by a space. */
    private List<String> ngrams(List<String> tokens) {
        if (maxN == 1) return tokens;
        List<String> out = new ArrayList<>();
        int n0 = minN;
        if (minN == 1) {
            out.addAll(tokens);
            n0 = 2;
        }
        int count = tokens.size();
        for (int n = n0; n <= Math.min(maxN, count); n++) {
            for (int i = 0; i + n <= count; i++) out.add(String.join(" ", tokens.subList(i, i + n)));
        }
        return out;
    }
}
