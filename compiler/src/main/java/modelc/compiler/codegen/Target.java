package modelc.compiler.codegen;

/**
 * What the generated kernels run on: the Vector API ({@code jdk.incubator.vector}, which needs
 * {@code --add-modules jdk.incubator.vector} where the classes are compiled and run), or plain
 * Java loops that need nothing but the runtime jar. {@link Simd} is where the choice is applied.
 */
public enum Target {
    VECTOR("vector"), SCALAR("scalar");

    public final String flag;

    Target(String flag) {
        this.flag = flag;
    }

    public static Target parse(String s) {
        return switch (s.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "vector" -> VECTOR;
            case "scalar" -> SCALAR;
            default -> throw new IllegalArgumentException("target must be vector or scalar, got " + s);
        };
    }
}
