package modelc.compiler.ir;

/**
 * Elementwise functions of one argument. Each is computed by {@code modelc.runtime.kernels.Act.<name>(x, a)}
 * and differentiated by {@code Act.<name>Grad(x, y, dy, a)}, where {@code a} is the function's
 * parameter ({@link #defaultParam}) and {@code y} its output. Formulas follow Keras 3
 * ({@code reference/keras-semantics.md} §2b).
 */
public enum UnaryFn {
    RELU("relu", 0),
    RELU6("relu6", 0),
    LEAKY_RELU("leakyRelu", 0.2),
    ELU("elu", 1.0),
    SELU("selu", 0),
    GELU("gelu", 0),
    GELU_TANH("geluTanh", 0),
    SIGMOID("sigmoid", 0),
    HARD_SIGMOID("hardSigmoid", 0),
    TANH("tanh", 0),
    SOFTSIGN("softsign", 0),
    SOFTPLUS("softplus", 0),
    SWISH("swish", 0),
    MISH("mish", 0),
    EXP("exp", 0),
    LOG("log", 0),
    SQRT("sqrt", 0),
    RSQRT("rsqrt", 0),
    SQUARE("square", 0),
    ABS("abs", 0),
    NEG("neg", 0);

    /** The method name in the runtime's {@code Act} class. */
    public final String method;
    public final double defaultParam;

    UnaryFn(String method, double defaultParam) {
        this.method = method;
        this.defaultParam = defaultParam;
    }
}
