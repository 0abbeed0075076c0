package modelc.runtime.train;

import java.io.PrintStream;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Keras 3's one-line-per-epoch progress (verbose=2):
 * {@code 313/313 - 2s - 6ms/step - accuracy: 0.8312 - loss: 0.4771 - val_accuracy: 0.8540 - val_loss: 0.4123}.
 * Keys are sorted alphabetically, as Keras 3 logs them.
 */
public final class Progress {
    private final PrintStream out;

    public Progress(PrintStream out) {
        this.out = out;
    }

    public void epochStart(int epoch, int epochs) {
        if (out != null && epochs > 1) out.println("Epoch " + epoch + "/" + epochs);
    }

    public void epochEnd(int steps, double seconds, Map<String, Double> logs) {
        if (out == null) return;
        StringBuilder sb = new StringBuilder();
        sb.append(steps).append('/').append(steps).append(" - ").append(Math.round(seconds)).append("s - ")
                .append(perStep(seconds / Math.max(1, steps)));
        for (Map.Entry<String, Double> e : new TreeMap<>(logs).entrySet()) {
            sb.append(" - ").append(e.getKey()).append(": ").append(format(e.getValue()));
        }
        out.println(sb);
    }

    static String perStep(double s) {
        if (s >= 1) return String.format(Locale.ROOT, "%.0fs/step", s);
        if (s >= 1e-3) return String.format(Locale.ROOT, "%.0fms/step", s * 1e3);
        return String.format(Locale.ROOT, "%.0fus/step", s * 1e6);
    }

    /** Keras's number format: 4 decimals, or scientific below 1e-3. */
    public static String format(double v) {
        if (Math.abs(v) > 1e-3 || v == 0 || Double.isNaN(v)) return String.format(Locale.ROOT, "%.4f", v);
        String s = String.format(Locale.ROOT, "%.4e", v);
        int e = s.indexOf('e');
        String mant = s.substring(0, e);
        int exp = Integer.parseInt(s.substring(e + 1));
        return mant + "e" + (exp < 0 ? "-" : "+") + String.format(Locale.ROOT, "%02d", Math.abs(exp));
    }
}
