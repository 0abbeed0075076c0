package modelc.compiler.codegen;

import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.MethodSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import modelc.compiler.ir.Node;

/**
 * One node's generated kernel: a static method, and how a step method calls it: an array and an
 * offset per operand, then the rows {@code n} if the kernel is per sample, then {@code extra}
 * arguments (dropout's seed, step and random stream, a loss's batch total). {@code flushes}: the kernel itself
 * keeps subnormal values out of what it stores (a fused group in a backward loop's step).
 * {@code shifts}: elements the call adds to each operand's offset (none if empty), so that a kernel
 * that reads from a fixed place in an operand (a slice's start) is the same code wherever it reads.
 *
 * <p>A kernel whose per-sample operands have time steps folded into the batch (TimeDistributed;
 * {@link modelc.compiler.ir.TensorType#batchFactor}) runs on {@code factor} rows per sample: its
 * call passes {@code n * factor} rows, the first row {@code row0 * factor} and the batch's total
 * {@code total * factor}, and the kernel itself is the same code as for a batch of that many rows.
 */
record Kernel(MethodSpec method, List<Node> operands, boolean batched, List<String> extra, boolean flushes, List<Integer> shifts) {
    Kernel {
        factor(operands, method.name());
        if (!shifts.isEmpty() && shifts.size() != operands.size()) throw new IllegalArgumentException(method.name() + ": a shift per operand");
    }

    /** The same call to another method: one shared by the nodes whose kernels are the same code ({@link SameCode}). */
    Kernel calling(MethodSpec shared) {
        return new Kernel(shared, operands, batched, extra, flushes, shifts);
    }

    /** The call with each operand where the plan put it and the part's rows {@code n}. */
    CodeBlock call(Function<Node, Operand> ref) {
        return call(ref, "n");
    }

    /** The call with operands placed by {@code ref} and {@code rows} samples. */
    CodeBlock call(Function<Node, Operand> ref, String rows) {
        int factor = factor(operands, method.name());
        List<String> args = new ArrayList<>();
        for (int i = 0; i < operands.size(); i++) {
            Operand op = ref.apply(operands.get(i));
            int shift = shifts.isEmpty() ? 0 : shifts.get(i);
            args.add(op.array());
            args.add(shift == 0 ? op.offset() : op.offset() + " + " + shift);
        }
        if (batched) args.add(times(rows, factor));
        for (String e : extra) args.add(e.equals("row0") || e.equals("total") ? times(e, factor) : e);
        return CodeBlock.of("$L($L)", method.name(), String.join(", ", args));
    }

    private static String times(String rows, int factor) {
        return factor == 1 ? rows : rows + " * " + factor;
    }

    /** The rows per sample that the per-sample operands share (1 if none is folded). */
    static int factor(List<Node> operands, String kernel) {
        int f = 0;
        for (Node o : operands) {
            if (!o.type().isBatched()) continue;
            int k = o.type().batchFactor();
            if (f != 0 && f != k) throw new IllegalStateException(kernel + " mixes values of " + f + " and " + k + " rows per sample");
            f = k;
        }
        return Math.max(f, 1);
    }
}
