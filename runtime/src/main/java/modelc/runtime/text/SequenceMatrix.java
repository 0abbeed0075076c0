package modelc.runtime.text;

import java.util.LinkedHashMap;
import java.util.Map;

/** The body of Keras's {@code Tokenizer.sequences_to_matrix}, given the fitted statistics it reads. */
final class SequenceMatrix {
    private SequenceMatrix() {}

    /**
     * @param width         number of columns (Keras: num_words, or len(word_index) + 1)
     * @param documentCount documents fitted (tfidf only)
     * @param indexDocs     index → number of fitted documents containing it (tfidf only)
     */
    static double[][] build(int[][] sequences, int width, MatrixMode mode, int documentCount,
                            Map<Integer, Integer> indexDocs) {
        double[][] x = new double[sequences.length][width];
        for (int i = 0; i < sequences.length; i++) {
            int[] seq = sequences[i];
            if (seq.length == 0) continue;
            Map<Integer, Integer> counts = new LinkedHashMap<>();
            for (int j : seq) {
                if (j < 0) throw new IllegalArgumentException("negative index " + j + " in sequence " + i);
                if (j >= width) continue;
                counts.merge(j, 1, Integer::sum);
            }
            for (Map.Entry<Integer, Integer> e : counts.entrySet()) {
                int j = e.getKey();
                int c = e.getValue();
                x[i][j] = switch (mode) {
                    case COUNT -> c;
                    case FREQ -> (double) c / seq.length;
                    case BINARY -> 1;
                    case TFIDF -> {
                        double tf = 1 + Math.log(c);
                        double idf = Math.log(1 + (double) documentCount / (1 + indexDocs.getOrDefault(j, 0)));
                        yield tf * idf;
                    }
                };
            }
        }
        return x;
    }
}
