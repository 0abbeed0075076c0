package modelc.compiler.codegen;

import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.MethodSpec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.lang.model.element.Modifier;
import modelc.compiler.ir.Node;
import modelc.compiler.ir.Op;
import modelc.compiler.ir.TensorType;
import modelc.compiler.lower.Fusion;

/**
 * The kernel of a fused elementwise group: one loop that loads each outside operand once per
 * element, computes every member in registers and stores only the result and the group's stored
 * members ({@link Fusion.Group#stored}). Vectorised when every member has a vector form (and the
 * target is vector, see {@link Simd}); otherwise a scalar loop over the runtime's {@code Act}
 * functions. A stored member is rounded to the element type before later members read it, so
 * they see what a kernel of its own would have written. With {@code flush} (a step of a backward
 * loop) every member's value smaller in magnitude than the smallest normal number becomes zero
 * before anything reads or stores it (see {@code Subnormals}).
 */
final class FusedKernel {
    private final Dtype dt;
    private final Simd simd;
    private final String v;

    FusedKernel(Dtype dt, Simd simd) {
        this.dt = dt;
        this.simd = simd;
        this.v = dt.vector().simpleName();
    }

    Kernel emit(Fusion.Group gr, String name, String javadoc, boolean flush) {
        List<Node> ext = gr.externals();
        Node result = gr.result();
        TensorType out = result.type();
        MethodSpec.Builder m = MethodSpec.methodBuilder(name).addModifiers(Modifier.PRIVATE, Modifier.STATIC).addJavadoc("$L", javadoc);
        Map<Node, String> arrays = new HashMap<>();
        for (int i = 0; i < ext.size(); i++) {
            String a = "in" + i;
            arrays.put(ext.get(i), a);
            m.addParameter(dt.array(), a).addParameter(int.class, a + "Off");
        }
        for (int i = 0; i < gr.stored().size(); i++) {
            arrays.put(gr.stored().get(i), "z" + i);
            m.addParameter(dt.array(), "z" + i).addParameter(int.class, "z" + i + "Off");
        }
        arrays.put(result, "y");
        m.addParameter(dt.array(), "y").addParameter(int.class, "yOff");
        boolean batched = out.isBatched() || ext.stream().anyMatch(e -> e.type().isBatched());
        if (batched) m.addParameter(int.class, "n");
        // Outside operands that repeat along leading axes are read at the column index j; a sliced
        // operand (a wider last axis) at its own row r and the slice's start.
        java.util.Set<Node> sliced = new java.util.HashSet<>();
        for (Node n : gr.nodes()) {
            if (n.op() instanceof Op.Slice) sliced.addAll(gr.throughSlices().contains(n.input(0)) ? n.input(0).inputs() : List.of(n.input(0)));
        }
        int inner = out.sampleSize();
        boolean rows = false;
        if (!sliced.isEmpty()) {
            inner = out.dim(-1).size();
            rows = true;
        }
        for (Node e : ext) {
            if (!sliced.contains(e) && !e.type().dims().equals(out.dims())) {
                inner = Fusion.prefix(e.type(), out) ? out.sampleSize() / e.type().sampleSize() : e.type().sampleSize();
                rows = true;
            }
        }
        String total = out.isBatched() ? "n * " + out.sampleSize() : Integer.toString(out.sampleSize());
        // An outside operand read only through slices is passed from its first slice's start on (Kernel.shifts): groups
        // that differ only in where their slices start are then the same code.
        Map<Node, Integer> shift = new HashMap<>();
        for (Node n : gr.nodes()) {
            if (!(n.op() instanceof Op.Slice sl)) continue;
            List<Node> read = gr.throughSlices().contains(n.input(0)) ? n.input(0).inputs() : List.of(n.input(0));
            for (Node o : read) if (ext.contains(o)) shift.merge(o, sl.start(), Math::min);
        }
        Body b = new Body();
        boolean vector = gr.nodes().stream().allMatch(n -> n.op() instanceof Op.Slice || vectorExpr(n, List.of("a", "b", "c")) != null);
        String rowCount = out.isBatched() ? "n * " + (out.sampleSize() / inner) : Integer.toString(out.sampleSize() / inner);
        b.stmt("int rows = " + (rows ? rowCount : "1"));
        b.stmt("int width = " + (rows ? Integer.toString(inner) : total));
        b.open("for (int r = 0; r < rows; r++)");
        b.stmt("int base = r * width");
        b.stmt("int j = 0");
        simd.loop(b, "j", "width", vector ? () -> body(b, gr, ext, arrays, shift, out, true, flush) : null,
                () -> body(b, gr, ext, arrays, shift, out, false, flush));
        b.close();
        m.addCode(b.build());
        List<Node> operands = new ArrayList<>(ext);
        operands.addAll(gr.stored());
        operands.add(result);
        List<Integer> shifts = operands.stream().map(o -> ext.contains(o) ? shift.getOrDefault(o, 0) : 0).toList();
        return new Kernel(m.build(), operands, batched, List.of(), flush, shifts.stream().allMatch(x -> x == 0) ? List.of() : shifts);
    }

    private void body(Body b, Fusion.Group gr, List<Node> ext, Map<Node, String> arrays, Map<Node, Integer> shift, TensorType out,
                      boolean vector, boolean flush) {
        Map<Node, String> names = new HashMap<>();
        for (Node e : ext) {
            boolean readBySlices = gr.nodes().stream().anyMatch(m -> m.op() instanceof Op.Slice
                    && (m.input(0) == e || gr.throughSlices().contains(m.input(0)) && m.input(0).inputs().contains(e)));
            if (readBySlices) continue;
            String a = arrays.get(e);
            String var = (vector ? "v" : "s") + a;
            if (Fusion.prefix(e.type(), out)) {
                // A mask: one value for the whole row.
                b.stmt(dt.java + " " + var + " = " + a + "[" + a + "Off + r]");
            } else {
                String idx = e.type().dims().equals(out.dims()) ? a + "Off + base + j" : a + "Off + j";
                b.stmt(vector ? v + " " + var + " = " + v + ".fromArray(S, " + a + ", " + idx + ")" : "double " + var + " = " + a + "[" + idx + "]");
            }
            names.put(e, var);
        }
        int k = 0;
        for (Node n : gr.nodes()) {
            List<String> ins = n.inputs().stream().map(names::get).toList();
            String var = (vector ? "t" : "u") + k++;
            String expr;
            if (n.op() instanceof Op.Slice sl && gr.throughSlices().contains(n.input(0))) {
                // A slice of a sum or product that is never stored: the same op on the slices of its operands.
                Node whole = n.input(0);
                List<String> parts = whole.inputs().stream()
                        .map(o -> sliceRead(arrays.get(o), o, whole, sl.start() - shift.getOrDefault(o, 0), vector)).toList();
                expr = vector ? vectorExpr(whole, parts) : scalarExpr(whole, parts);
            } else if (n.op() instanceof Op.Slice sl) {
                expr = sliceRead(arrays.get(n.input(0)), n.input(0), n.input(0), sl.start() - shift.getOrDefault(n.input(0), 0), vector);
            } else {
                expr = vector ? vectorExpr(n, ins) : scalarExpr(n, ins);
            }
            b.stmt((vector ? v : "double") + " " + var + " = " + expr);
            names.put(n, var);
            boolean stored = gr.stored().contains(n) || n == gr.result();
            // Slices and mask choices only move values that were flushed already.
            boolean flushes = flush && !(n.op() instanceof Op.Slice || n.op() instanceof Op.Select || n.op() instanceof Op.MaskRows);
            // Later members read a stored value as its own kernel would have written it; a flush tests the stored value.
            if (!vector && dt == Dtype.F32 && (gr.stored().contains(n) || stored && flushes)) b.stmt(var + " = (float) " + var);
            if (flushes) {
                String min = dt.boxed() + ".MIN_NORMAL";
                b.stmt(vector ? var + " = " + var + ".blend(" + lit(0) + ", " + var + ".abs().compare(VectorOperators.LT, " + min + "))"
                        : "if (Math.abs(" + var + ") < " + min + ") " + var + " = 0");
            }
            if (stored) {
                String y = arrays.get(n);
                b.stmt(vector ? var + ".intoArray(" + y + ", " + y + "Off + base + j)" : y + "[" + y + "Off + base + j] = " + dt.cast(var));
            }
        }
    }

    /**
     * Element {@code j} of the slice from {@code start} of row {@code r} of {@code o} (an operand of
     * {@code whole}'s shape), or of {@code o} itself when it is one row repeated for every row; {@code start}
     * counts from where the call's offset points (the operand's first slice).
     */
    private String sliceRead(String array, Node o, Node whole, int start, boolean vector) {
        String row = o.type().dims().equals(whole.type().dims()) ? "r * " + whole.type().dim(-1).size() + " + " : "";
        String idx = array + "Off + " + row + (start == 0 ? "" : start + " + ") + "j";
        return vector ? v + ".fromArray(S, " + array + ", " + idx + ")" : array + "[" + idx + "]";
    }

    private String lit(double x) {
        return dt.lit(x);
    }

    /** The member's value as a vector expression of its inputs' variables, or null if it has none. */
    private String vectorExpr(Node n, List<String> in) {
        String x = in.get(0);
        return switch (n.op()) {
            case Op.Binary bo -> x + "." + switch (bo.kind()) { case ADD -> "add"; case SUB -> "sub"; case MUL -> "mul"; case DIV -> "div"; }
                    + "(" + in.get(1) + ")";
            case Op.Affine a -> a.offset() == 0 ? x + ".mul(" + lit(a.scale()) + ")" : x + ".fma(" + lit(a.scale()) + ", " + lit(a.offset()) + ")";
            case Op.Select sel -> "(" + x + " != 0 ? " + in.get(1) + " : " + in.get(2) + ")";
            case Op.MaskRows mr -> "(" + x + (mr.whenSet() ? " != 0" : " == 0") + " ? " + in.get(1) + " : " + v + ".zero(S))";
            case Op.Unary u -> switch (u.fn()) {
                case RELU -> x + ".max(" + lit(0) + ")";
                case RELU6 -> x + ".max(" + lit(0) + ").min(" + lit(6) + ")";
                case LEAKY_RELU -> u.param() > 0 && u.param() < 1 ? x + ".max(" + x + ".mul(" + lit(u.param()) + "))" : null;
                case SIGMOID -> v + ".broadcast(S, " + lit(1) + ").div(" + x + ".neg().lanewise(VectorOperators.EXP).add(" + lit(1) + "))";
                case TANH -> x + ".lanewise(VectorOperators.TANH)";
                case EXP -> x + ".lanewise(VectorOperators.EXP)";
                case NEG -> x + ".neg()";
                case SQUARE -> x + ".mul(" + x + ")";
                case ABS -> x + ".abs()";
                default -> null;
            };
            case Op.UnaryGrad u -> {
                String y = in.get(1), dy = in.get(2);
                yield switch (u.fn()) {
                    case RELU -> dy + ".blend(" + lit(0) + ", " + x + ".compare(VectorOperators.LE, " + lit(0) + "))";
                    case SIGMOID -> dy + ".mul(" + y + ").mul(" + y + ".neg().add(" + lit(1) + "))";
                    case TANH -> dy + ".mul(" + y + ".mul(" + y + ").neg().add(" + lit(1) + "))";
                    case EXP -> dy + ".mul(" + y + ")";
                    case NEG -> dy + ".neg()";
                    case SQUARE -> dy + ".mul(" + x + ").mul(" + lit(2) + ")";
                    default -> null;
                };
            }
            default -> null;
        };
    }

    /** The member's value as a scalar (double) expression. */
    private static String scalarExpr(Node n, List<String> in) {
        String x = in.get(0);
        return switch (n.op()) {
            case Op.Binary bo -> x + " " + switch (bo.kind()) { case ADD -> "+"; case SUB -> "-"; case MUL -> "*"; case DIV -> "/"; } + " " + in.get(1);
            case Op.Affine a -> x + " * " + a.scale() + (a.offset() == 0 ? "" : " + " + a.offset());
            case Op.Select sel -> "(" + x + " != 0 ? " + in.get(1) + " : " + in.get(2) + ")";
            case Op.MaskRows mr -> "(" + x + (mr.whenSet() ? " != 0" : " == 0") + " ? " + in.get(1) + " : 0)";
            case Op.Unary u -> "Act." + u.fn().method + "(" + x + ", " + u.param() + ")";
            case Op.UnaryGrad u -> "Act." + u.fn().method + "Grad(" + x + ", " + in.get(1) + ", " + in.get(2) + ", " + u.param() + ")";
            default -> throw new IllegalStateException("not fusable: " + n.op());
        };
    }
}
