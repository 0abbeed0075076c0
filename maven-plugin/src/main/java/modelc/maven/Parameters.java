package modelc.maven;

import java.util.Locale;
import modelc.compiler.codegen.Target;
import org.apache.maven.plugin.MojoFailureException;

/** Validation of the options the goals share. */
final class Parameters {
    private Parameters() {}

    /** {@code vector} (the default, also for an unset value) or {@code scalar}, in any case. */
    static Target target(String value) throws MojoFailureException {
        String t = value == null ? "vector" : value.trim().toLowerCase(Locale.ROOT);
        return switch (t) {
            case "vector" -> Target.VECTOR;
            case "scalar" -> Target.SCALAR;
            default -> throw new MojoFailureException("modelc: target must be vector or scalar, got '" + t + "'");
        };
    }
}
