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
 * arguments (dropout's seed and step, a loss's batch total).
 */
record Kernel(MethodSpec method, List<Node> operands, boolean batched, List<String> extra) {
    /** The call with each operand where the plan put it and the part's rows {@code n}. */
    CodeBlock call(Function<Node, Operand> ref) {
        return call(ref, "n");
    }

    /** The call with operands placed by {@code ref} and {@code rows} as the row count. */
    CodeBlock call(Function<Node, Operand> ref, String rows) {
        List<String> args = new ArrayList<>();
        for (Node o : operands) {
            Operand op = ref.apply(o);
            args.add(op.array());
            args.add(op.offset());
        }
        if (batched) args.add(rows);
        args.addAll(extra);
        return CodeBlock.of("$L($L)", method.name(), String.join(", ", args));
    }
}
