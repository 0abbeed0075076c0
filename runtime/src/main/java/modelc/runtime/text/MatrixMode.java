package modelc.runtime.text;

/** The {@code mode} of Keras's {@code Tokenizer.texts_to_matrix} / {@code sequences_to_matrix}. */
public enum MatrixMode {
    /** 1 where the word occurs. */
    BINARY("binary"),
    /** Number of occurrences c. */
    COUNT("count"),
    /** (1 + ln c) · ln(1 + document_count / (1 + index_docs[j])). */
    TFIDF("tfidf"),
    /** c / len(sequence), the length counting entries beyond the matrix width too. */
    FREQ("freq");

    /** The Keras spelling. */
    public final String kerasName;

    MatrixMode(String kerasName) {
        this.kerasName = kerasName;
    }

    /** Parses the Keras spelling ("binary", "count", "tfidf", "freq"). */
    public static MatrixMode fromKeras(String mode) {
        for (MatrixMode m : values()) if (m.kerasName.equals(mode)) return m;
        throw new IllegalArgumentException("Unknown vectorization mode: " + mode);
    }
}
