package modelc.compiler.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import modelc.compiler.ir.Node;
import modelc.compiler.ir.Op;
import modelc.compiler.ir.ParamInfo;
import modelc.compiler.resolve.Layer;
import modelc.compiler.resolve.ModelIR;

/**
 * Keras 3's {@code model.summary()} table: layer names and classes, output shapes, parameter
 * counts, totals with sizes. Functional models add Keras's "Connected to" column and input rows.
 */
public final class Summary {
    private Summary() {}

    public static String render(ModelIR m) {
        boolean functional = !m.sequential();
        int[] widths = functional ? new int[] {26, 22, 10, 26} : new int[] {31, 22, 13};
        String[] head = functional ? new String[] {"Layer (type)", "Output Shape", "Param #", "Connected to"}
                : new String[] {"Layer (type)", "Output Shape", "Param #"};
        List<String[]> rows = new ArrayList<>();
        if (functional) {
            for (Node in : m.graph().inputs().values()) {
                rows.add(new String[] {((Op.Input) in.op()).inputName() + " (InputLayer)", in.type().kerasShape(), "0", "-"});
            }
        }
        long trainable = 0, frozen = 0;
        for (Layer l : m.layers()) {
            long count = 0;
            for (Node w : l.weights().values()) {
                ParamInfo p = ((Op.Param) w.op()).info();
                count += p.size();
                if (p.trainable()) trainable += p.size();
                else frozen += p.size();
            }
            String shape = l.outputs().isEmpty() ? "?" : l.outputs().get(0).type().kerasShape();
            String cell = l.name() + " (" + l.kerasClass() + ")";
            if (functional) {
                String from = l.callInputs().isEmpty() ? "-" : l.callInputs().get(0).stream()
                        .map(n -> producer(m, n) + "[0][0]").collect(Collectors.joining(", "));
                rows.add(new String[] {cell, shape, String.format(Locale.ROOT, "%,d", count), from});
            } else {
                rows.add(new String[] {cell, shape, String.format(Locale.ROOT, "%,d", count)});
            }
        }
        StringBuilder sb = new StringBuilder();
        sb.append("Model: \"").append(m.name()).append("\"\n");
        sb.append(rule('┏', '━', '┳', '┓', widths));
        sb.append(line('┃', head, widths, true));
        sb.append(rule('┡', '━', '╇', '┩', widths));
        for (int i = 0; i < rows.size(); i++) {
            sb.append(line('│', rows.get(i), widths, false));
            sb.append(i + 1 < rows.size() ? rule('├', '─', '┼', '┤', widths) : rule('└', '─', '┴', '┘', widths));
        }
        long total = trainable + frozen;
        sb.append(String.format(Locale.ROOT, " Total params: %,d (%s)%n", total, bytes(total * 4)));
        sb.append(String.format(Locale.ROOT, " Trainable params: %,d (%s)%n", trainable, bytes(trainable * 4)));
        sb.append(String.format(Locale.ROOT, " Non-trainable params: %,d (%s)%n", frozen, bytes(frozen * 4)));
        return sb.toString();
    }

    /** The name Keras shows for the layer (or input) that produced {@code n}. */
    private static String producer(ModelIR m, Node n) {
        if (n.op() instanceof Op.Input in) return in.inputName();
        return n.layer().isEmpty() ? "?" : n.layer();
    }

    private static String rule(char left, char fill, char mid, char right, int[] widths) {
        StringBuilder sb = new StringBuilder().append(left);
        for (int i = 0; i < widths.length; i++) {
            sb.append(String.valueOf(fill).repeat(widths[i] + 2)).append(i + 1 < widths.length ? mid : right);
        }
        return sb.append('\n').toString();
    }

    private static String line(char bar, String[] cells, int[] widths, boolean header) {
        StringBuilder sb = new StringBuilder().append(bar);
        for (int i = 0; i < widths.length; i++) {
            String c = cells[i].length() > widths[i] ? cells[i].substring(0, widths[i] - 1) + "…" : cells[i];
            boolean right = i == 2;
            String pad = " ".repeat(widths[i] - c.length());
            sb.append(' ').append(right ? pad + c : c + pad).append(' ').append(bar);
        }
        return sb.append('\n').toString();
    }

    /** Keras's size: 1024-based units with two decimals. */
    static String bytes(long b) {
        String[] units = {"B", "KB", "MB", "GB", "TB"};
        double v = b;
        int u = 0;
        while (v >= 1024 && u + 1 < units.length) {
            v /= 1024;
            u++;
        }
        return String.format(Locale.ROOT, "%.2f %s", v, units[u]);
    }
}
