package modelc.compiler.cli;

import java.util.ArrayList;
import java.util.Comparator;
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
        return render(m, null);
    }

    /**
     * The table of a model with {@code None} input dimensions: {@code alt} is the same model resolved at other
     * lengths, and the output dimensions that differ between the two are printed as {@code None}.
     */
    public static String render(ModelIR m, ModelIR alt) {
        boolean functional = !m.sequential();
        java.util.Map<Layer, Layer> other = new java.util.IdentityHashMap<>();
        if (alt != null) for (int i = 0; i < m.layers().size(); i++) other.put(m.layers().get(i), alt.layers().get(i));
        List<Layer> layers = new ArrayList<>(m.layers());
        if (functional) {
            // Keras lists a functional model's operations in the order they run, not the order of the text
            layers.sort(Comparator.comparingInt(l -> l.outputs().isEmpty() ? Integer.MAX_VALUE : l.outputs().get(0).id()));
        }
        boolean table4 = functional && !chain(m, layers);
        int[] widths = table4 ? new int[] {26, 22, 10, 26} : new int[] {31, 22, 13};
        String[] head = table4 ? new String[] {"Layer (type)", "Output Shape", "Param #", "Connected to"}
                : new String[] {"Layer (type)", "Output Shape", "Param #"};
        List<String[]> rows = new ArrayList<>();
        if (functional) {
            for (Node in : m.graph().inputs().values()) {
                String name = ((Op.Input) in.op()).inputName();
                String cell = name + " (InputLayer)";
                String shape = batch(m, in.type().kerasShape(alt == null ? null : alt.graph().inputs().get(name).type()));
                rows.add(table4 ? new String[] {cell, shape, "0", "-"} : new String[] {cell, shape, "0"});
            }
        }
        long trainable = 0, frozen = 0;
        for (Layer l : layers) {
            long count = 0;
            for (Node w : l.allWeights()) {
                ParamInfo p = ((Op.Param) w.op()).info();
                count += p.size();
                if (p.trainable()) trainable += p.size();
                else frozen += p.size();
            }
            Layer o = other.get(l);
            String shape = l.outputs().isEmpty() ? "?"
                    : batch(m, l.outputs().get(0).type().kerasShape(o == null || o.outputs().isEmpty() ? null : o.outputs().get(0).type()));
            String cell = l.name() + " (" + l.kerasClass() + ")";
            String params = String.format(Locale.ROOT, "%,d", count);
            if (table4) {
                String from = l.callInputs().stream().flatMap(List::stream).map(n -> producer(layers, n))
                        .collect(Collectors.joining(", "));
                rows.add(new String[] {cell, shape, params, from.isEmpty() ? "-" : from});
            } else {
                rows.add(new String[] {cell, shape, params});
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

    /**
     * Keras prints a functional model that is a plain chain (one input, each layer called once on
     * the previous one's output, nothing else computed) in the sequential table, without
     * "Connected to".
     */
    private static boolean chain(ModelIR m, List<Layer> layers) {
        if (m.graph().inputs().size() != 1) return false;
        Node previous = m.graph().inputs().values().iterator().next();
        for (Layer l : layers) {
            if (l.callInputs().size() != 1 || !l.callInputs().get(0).equals(List.of(previous))) return false;
            previous = l.outputs().get(0);
        }
        return previous == m.graph().output();
    }

    /**
     * Keras's {@code layer[call][tensor]} for the layer call (or input) that produced {@code n};
     * "?" for a value computed outside any layer ({@code a + b}), which Keras would show as an
     * operation of its own.
     */
    private static String producer(List<Layer> layers, Node n) {
        if (n.op() instanceof Op.Input in) return in.inputName() + "[0][0]";
        for (Layer l : layers) {
            for (int call = 0; call < l.outputs().size(); call++) {
                if (l.outputs().get(call) == n) return l.name() + "[" + call + "][0]";
            }
        }
        return "?";
    }

    private static String rule(char left, char fill, char mid, char right, int[] widths) {
        StringBuilder sb = new StringBuilder().append(left);
        for (int i = 0; i < widths.length; i++) {
            sb.append(String.valueOf(fill).repeat(widths[i] + 2)).append(i + 1 < widths.length ? mid : right);
        }
        return sb.append('\n').toString();
    }

    /** One table row; a cell too wide for its column wraps at spaces, as Keras's table does, and a word too wide ends in "…". */
    private static String line(char bar, String[] cells, int[] widths, boolean header) {
        List<List<String>> wrapped = new ArrayList<>();
        int height = 1;
        for (int i = 0; i < widths.length; i++) {
            wrapped.add(wrap(cells[i], widths[i]));
            height = Math.max(height, wrapped.get(i).size());
        }
        StringBuilder sb = new StringBuilder();
        for (int row = 0; row < height; row++) {
            sb.append(bar);
            for (int i = 0; i < widths.length; i++) {
                String c = row < wrapped.get(i).size() ? wrapped.get(i).get(row) : "";
                boolean right = i == 2;
                String pad = " ".repeat(widths[i] - c.length());
                sb.append(' ').append(right ? pad + c : c + pad).append(' ').append(bar);
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    private static List<String> wrap(String text, int width) {
        List<String> lines = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        for (String word : text.split(" ")) {
            if (word.length() > width) word = word.substring(0, width - 1) + "…";
            if (!cur.isEmpty() && cur.length() + 1 + word.length() > width) {
                lines.add(cur.toString());
                cur.setLength(0);
            }
            if (!cur.isEmpty()) cur.append(' ');
            cur.append(word);
        }
        lines.add(cur.toString());
        return lines;
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

    /** A shape with the batch size the inputs fix in place of its leading None, as Keras prints a model built on batch_shape. */
    private static String batch(ModelIR m, String shape) {
        int b = m.graph().fixedBatch();
        return b > 0 && shape.startsWith("(None") ? "(" + b + shape.substring("(None".length()) : shape;
    }
}
