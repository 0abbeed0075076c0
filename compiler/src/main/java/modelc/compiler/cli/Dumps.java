package modelc.compiler.cli;

import modelc.compiler.Compiler;
import modelc.compiler.ir.Node;
import modelc.compiler.lower.Storage;

/** {@code --dump=ast|ir|grad-ir|plan}: what each stage of the pipeline produced, as text. */
final class Dumps {
    private Dumps() {}

    static String dump(Compiler.Result r, String what) {
        return switch (what) {
            case "ast" -> r.program().toString() + "\n";
            case "ir" -> r.model().graph().dump(r.model().graph().forwardNodes());
            case "grad-ir" -> r.model().graph().dump(r.schedule().backward());
            case "plan" -> {
                StringBuilder sb = new StringBuilder();
                sb.append("arena: ").append(r.plan().fixedSize()).append(" fixed + ").append(r.plan().perSampleSize())
                        .append(" per sample; params ").append(r.plan().paramSize()).append('\n');
                for (Node n : r.schedule().training()) {
                    sb.append(n).append(' ').append(n.op().name()).append(" -> ")
                            .append(r.plan().has(n) ? r.plan().of(n) : "fused, not stored").append('\n');
                }
                yield sb.toString();
            }
            default -> throw new Main.UserError("--dump takes ast, ir, grad-ir or plan, not '" + what + "'");
        };
    }
}
