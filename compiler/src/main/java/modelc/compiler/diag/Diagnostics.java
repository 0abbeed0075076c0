package modelc.compiler.diag;

import java.util.List;

/**
 * Renders diagnostics the way compilers do:
 * <pre>
 * fashion_mlp.model:5:5: error: unknown layer 'Dence'
 *     Dence(256, activation=relu)
 *     ^~~~~
 *   hint: did you mean 'Dense'?
 * </pre>
 */
public final class Diagnostics {
    private Diagnostics() {}

    public static String render(Diagnostic d, String source) {
        StringBuilder sb = new StringBuilder();
        Span s = d.span();
        sb.append(s.file()).append(':').append(s.line()).append(':').append(s.column())
                .append(": error: ").append(d.message()).append('\n');
        String line = lineOf(source, s.line());
        if (line != null) {
            sb.append("    ").append(line).append('\n');
            sb.append("    ");
            for (int i = 1; i < s.column() && i - 1 < line.length(); i++) {
                sb.append(line.charAt(i - 1) == '\t' ? '\t' : ' ');
            }
            sb.append('^');
            int width = s.endLine() == s.line() ? s.endColumn() - s.column() : line.length() - s.column() + 1;
            for (int i = 1; i < width; i++) sb.append('~');
            sb.append('\n');
        }
        if (d.hint() != null) sb.append("  hint: ").append(d.hint()).append('\n');
        return sb.toString();
    }

    public static String render(List<Diagnostic> ds, String source) {
        StringBuilder sb = new StringBuilder();
        for (Diagnostic d : ds) sb.append(render(d, source));
        return sb.toString();
    }

    private static String lineOf(String source, int lineNo) {
        if (source == null || lineNo < 1) return null;
        String[] lines = source.split("\r?\n", -1);
        return lineNo <= lines.length ? lines[lineNo - 1] : null;
    }

    /** The candidate closest to {@code name} by edit distance, or null if none is close. */
    public static String closest(String name, Iterable<String> candidates) {
        String best = null;
        int bestDist = Integer.MAX_VALUE;
        for (String c : candidates) {
            int dist = editDistance(name.toLowerCase(), c.toLowerCase());
            if (dist < bestDist) {
                bestDist = dist;
                best = c;
            }
        }
        int limit = Math.max(1, Math.min(3, name.length() / 3 + 1));
        return bestDist <= limit ? best : null;
    }

    static int editDistance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) prev[j] = j;
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev; prev = cur; cur = t;
        }
        return prev[b.length()];
    }
}
