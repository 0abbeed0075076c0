package modelc.runtime.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** Expected values from keras.utils.pad_sequences. */
class SequencesTest {
    private static final int[][] SEQS = {{1, 2, 3, 4, 5}, {6, 7}};

    @Test
    void preIsTheDefault() {
        assertArrayEquals(new int[][] {{3, 4, 5}, {0, 6, 7}}, Sequences.padSequences(SEQS, 3));
    }

    @Test
    void postPost() {
        assertArrayEquals(new int[][] {{1, 2, 3}, {6, 7, 0}}, Sequences.padSequences(SEQS, 3, "post", "post", 0));
    }

    @Test
    void mixedModesAndValue() {
        assertArrayEquals(new int[][] {{0, 0, 1, 2, 3}, {0, 0, 0, 6, 7}},
                Sequences.padSequences(new int[][] {{1, 2, 3}, {6, 7}}, 5, "pre", "post", 0));
        assertArrayEquals(new int[][] {{3, 4, 5}, {6, 7, -1}}, Sequences.padSequences(SEQS, 3, "post", "pre", -1));
    }

    @Test
    void maxlenDefaultsToLongestAndEmptyRowsArePadding() {
        assertArrayEquals(new int[][] {{1, 2, 3, 4, 5}, {0, 0, 0, 6, 7}, {0, 0, 0, 0, 0}},
                Sequences.padSequences(new int[][] {{1, 2, 3, 4, 5}, {6, 7}, {}}));
        assertArrayEquals(new int[][] {{9, 9}}, Sequences.padSequences(new int[][] {{}}, 2, "pre", "pre", 9));
        assertArrayEquals(new int[0][], Sequences.padSequences(new int[0][]));
    }

    @Test
    void inputIsNotModified() {
        int[][] in = {{1, 2, 3}};
        int[][] out = Sequences.padSequences(in, 3);
        out[0][0] = 42;
        assertArrayEquals(new int[] {1, 2, 3}, in[0]);
    }

    @Test
    void badModes() {
        assertThrows(IllegalArgumentException.class, () -> Sequences.padSequences(SEQS, 3, "middle", "pre", 0));
        assertThrows(IllegalArgumentException.class, () -> Sequences.padSequences(SEQS, 3, "pre", "both", 0));
        assertThrows(IllegalArgumentException.class, () -> Sequences.padSequences(SEQS, -1, "pre", "pre", 0));
    }
}
