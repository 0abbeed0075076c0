package modelc.runtime.kernels;

/**
 * Whether this JVM lets the runtime use the Vector API: the module {@code jdk.incubator.vector} is
 * in the boot layer only when the JVM was started with {@code --add-modules jdk.incubator.vector}.
 * Found out without touching a Vector API class, so code that checks this first runs on a JVM
 * without the module. The runtime's vector loops live in classes of their own, reached only when
 * {@link #AVAILABLE} is true; the scalar loops beside them compute the same values (and so the same
 * bits) without it. Code generated for {@code --target scalar} never needs the module; code
 * generated for the vector target does.
 */
public final class VectorApi {
    private VectorApi() {}

    /** The module's name, as {@code --add-modules} takes it. */
    public static final String MODULE = "jdk.incubator.vector";

    /** True when the Vector API can be used. */
    public static final boolean AVAILABLE = ModuleLayer.boot().findModule(MODULE).isPresent();
}
