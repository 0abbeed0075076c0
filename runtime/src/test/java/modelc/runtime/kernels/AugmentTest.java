package modelc.runtime.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Keras's fill modes, as its documentation draws them for the row abcd. */
class AugmentTest {
    private static String extended(int mode) {
        StringBuilder s = new StringBuilder();
        for (int i = -4; i < 8; i++) {
            if (i == 0 || i == 4) s.append('|');
            int k = Augment.index(i, 4, mode);
            s.append(k < 0 ? 'k' : (char) ('a' + k));
        }
        return s.toString();
    }

    @Test
    void fillModesExtendTheRowAsKerasDocumentsThem() {
        assertEquals("dcba|abcd|dcba", extended(0));
        assertEquals("abcd|abcd|abcd", extended(1));
        assertEquals("cdcb|abcd|cbab", extended(2));
        assertEquals("aaaa|abcd|dddd", extended(3));
        assertEquals("kkkk|abcd|kkkk", extended(4));
        assertEquals(0, Augment.index(-3, 1, 2), "mirror of one pixel");
    }
}
