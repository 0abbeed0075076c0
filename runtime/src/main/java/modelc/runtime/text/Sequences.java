package modelc.runtime.text;

import java.util.Arrays;

/**
 * Keras's {@code pad_sequences} for integer sequences (dtype int32).
 *
 * <p>Verified: {@code [[1,2,3,4,5],[6,7]]}, maxlen 3 → {@code [[3,4,5],[0,6,7]]}; with padding and
 * truncating "post" → {@code [[1,2,3],[6,7,0]]}.
 */
public final class Sequences {
    private Sequences() {}

    public static final String PRE = "pre";
    public static final String POST = "post";

    /** Keras defaults: maxlen = longest, padding and truncating "pre", value 0. */
    public static int[][] padSequences(int[][] sequences) {
        return padSequences(sequences, null, PRE, PRE, 0);
    }

    /** Keras defaults except maxlen. */
    public static int[][] padSequences(int[][] sequences, Integer maxlen) {
        return padSequences(sequences, maxlen, PRE, PRE, 0);
    }

    /**
     * @param sequences  the sequences (rows may be empty: they become all {@code value})
     * @param maxlen     output length; null = length of the longest sequence
     * @param padding    "pre" (pad at the start, right-align) or "post" (pad at the end)
     * @param truncating "pre" (keep the last maxlen items) or "post" (keep the first maxlen)
     * @param value      the padding value
     * @return a new {@code int[sequences.length][maxlen]}
     */
    public static int[][] padSequences(int[][] sequences, Integer maxlen, String padding, String truncating,
                                       int value) {
        boolean padPost = isPost(padding, "Padding");
        boolean truncPost = isPost(truncating, "Truncating");
        int len;
        if (maxlen != null) {
            if (maxlen < 0) throw new IllegalArgumentException("maxlen must be >= 0, got " + maxlen);
            len = maxlen;
        } else {
            len = 0;
            for (int[] s : sequences) len = Math.max(len, s.length);
        }
        int[][] x = new int[sequences.length][len];
        for (int i = 0; i < sequences.length; i++) pad(sequences[i], padPost, truncPost, value, x[i], 0, len);
        return x;
    }

    /**
     * One row of {@link #padSequences(int[][], Integer, String, String, int)}: {@code s} padded or cut to
     * {@code len} values, written to {@code out[offset .. offset + len)}.
     */
    public static void padRow(int[] s, int len, String padding, String truncating, int value, int[] out, int offset) {
        pad(s, isPost(padding, "Padding"), isPost(truncating, "Truncating"), value, out, offset, len);
    }

    private static void pad(int[] s, boolean padPost, boolean truncPost, int value, int[] out, int offset, int len) {
        int kept = Math.min(s.length, len);
        int from = truncPost ? 0 : s.length - kept;
        int to = padPost ? 0 : len - kept;
        Arrays.fill(out, offset, offset + len, value);
        System.arraycopy(s, from, out, offset + to, kept);
    }

    private static boolean isPost(String mode, String what) {
        if (PRE.equals(mode)) return false;
        if (POST.equals(mode)) return true;
        throw new IllegalArgumentException(what + " type \"" + mode + "\" not understood");
    }
}
