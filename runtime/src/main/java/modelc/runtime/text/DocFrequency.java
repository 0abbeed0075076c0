package modelc.runtime.text;

/**
 * scikit-learn's {@code min_df} / {@code max_df}, whose meaning depends on the Python type: an int is an
 * absolute number of documents, a float a proportion of them. {@code max_df=1} keeps only terms found in
 * at most one document while {@code max_df=1.0} keeps everything.
 */
public sealed interface DocFrequency permits DocFrequency.Count, DocFrequency.Proportion {

    /** The threshold in documents for a corpus of {@code nDocs} (sklearn: the int, or value · n_docs). */
    double threshold(int nDocs);

    /** An absolute document count (a Python int), ≥ 1 as sklearn requires. */
    record Count(int documents) implements DocFrequency {
        public Count {
            if (documents < 1) throw new IllegalArgumentException("an int min_df/max_df must be >= 1, got " + documents);
        }

        @Override
        public double threshold(int nDocs) {
            return documents;
        }
    }

    /** A proportion of the documents (a Python float) in [0.0, 1.0]. */
    record Proportion(double fraction) implements DocFrequency {
        public Proportion {
            if (!(fraction >= 0.0 && fraction <= 1.0)) {
                throw new IllegalArgumentException("a float min_df/max_df must be in [0.0, 1.0], got " + fraction);
            }
        }

        @Override
        public double threshold(int nDocs) {
            return fraction * nDocs;
        }
    }

    /** Python int {@code n}. */
    static DocFrequency count(int n) {
        return new Count(n);
    }

    /** Python float {@code f}. */
    static DocFrequency proportion(double f) {
        return new Proportion(f);
    }
}
