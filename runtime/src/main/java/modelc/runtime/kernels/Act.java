package modelc.runtime.kernels;

/**
 * Scalar reference forms of the elementwise functions, in double precision: {@code f(x, a)} and its
 * derivative {@code fGrad(x, y, dy, a) = f'(x)·dy} where {@code y = f(x, a)} and {@code a} is the
 * function's constant (leaky_relu's slope, elu's alpha; ignored elsewhere). Formulas follow Keras 3
 * (JAX backend). Generated code calls these where it has no vector form, and in loop tails.
 */
public final class Act {
    private Act() {}

    private static final double SELU_SCALE = 1.0507009873554804934193349852946;
    private static final double SELU_ALPHA = 1.6732632423543772848170429916717;
    private static final double SQRT_2 = Math.sqrt(2.0);
    private static final double INV_SQRT_2PI = 1.0 / Math.sqrt(2.0 * Math.PI);
    private static final double GELU_C = Math.sqrt(2.0 / Math.PI);

    public static double relu(double x, double a) { return x > 0 ? x : 0; }
    public static double reluGrad(double x, double y, double dy, double a) { return x > 0 ? dy : 0; }

    public static double relu6(double x, double a) { return Math.min(Math.max(x, 0), 6); }
    public static double relu6Grad(double x, double y, double dy, double a) { return x > 0 && x < 6 ? dy : 0; }

    public static double leakyRelu(double x, double a) { return x >= 0 ? x : a * x; }
    public static double leakyReluGrad(double x, double y, double dy, double a) { return x >= 0 ? dy : a * dy; }

    public static double elu(double x, double a) { return x > 0 ? x : a * Math.expm1(x); }
    public static double eluGrad(double x, double y, double dy, double a) { return x > 0 ? dy : dy * a * Math.exp(x); }

    public static double selu(double x, double a) { return SELU_SCALE * (x > 0 ? x : SELU_ALPHA * Math.expm1(x)); }
    public static double seluGrad(double x, double y, double dy, double a) {
        return dy * SELU_SCALE * (x > 0 ? 1 : SELU_ALPHA * Math.exp(x));
    }

    /** The exact form: x·Φ(x) = 0.5·x·(1 + erf(x/√2)). */
    public static double gelu(double x, double a) { return 0.5 * x * (1 + erf(x / SQRT_2)); }
    public static double geluGrad(double x, double y, double dy, double a) {
        return dy * (0.5 * (1 + erf(x / SQRT_2)) + x * Math.exp(-0.5 * x * x) * INV_SQRT_2PI);
    }

    /** The tanh approximation: 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))). */
    public static double geluTanh(double x, double a) {
        return 0.5 * x * (1 + Math.tanh(GELU_C * (x + 0.044715 * x * x * x)));
    }
    public static double geluTanhGrad(double x, double y, double dy, double a) {
        double t = Math.tanh(GELU_C * (x + 0.044715 * x * x * x));
        return dy * (0.5 * (1 + t) + 0.5 * x * (1 - t * t) * GELU_C * (1 + 3 * 0.044715 * x * x));
    }

    public static double sigmoid(double x, double a) { return 1 / (1 + Math.exp(-x)); }
    public static double sigmoidGrad(double x, double y, double dy, double a) { return dy * y * (1 - y); }

    /** Keras 3: relu6(x + 3) / 6. */
    public static double hardSigmoid(double x, double a) { return Math.min(Math.max(x + 3, 0), 6) / 6; }
    public static double hardSigmoidGrad(double x, double y, double dy, double a) { return x > -3 && x < 3 ? dy / 6 : 0; }

    public static double tanh(double x, double a) { return Math.tanh(x); }
    public static double tanhGrad(double x, double y, double dy, double a) { return dy * (1 - y * y); }

    public static double softsign(double x, double a) { return x / (1 + Math.abs(x)); }
    public static double softsignGrad(double x, double y, double dy, double a) {
        double d = 1 + Math.abs(x);
        return dy / (d * d);
    }

    public static double softplus(double x, double a) { return Math.log1p(Math.exp(-Math.abs(x))) + Math.max(x, 0); }
    public static double softplusGrad(double x, double y, double dy, double a) { return dy * sigmoid(x, 0); }

    public static double swish(double x, double a) { return x * sigmoid(x, 0); }
    public static double swishGrad(double x, double y, double dy, double a) {
        double s = sigmoid(x, 0);
        return dy * (s + x * s * (1 - s));
    }

    public static double mish(double x, double a) { return x * Math.tanh(softplus(x, 0)); }
    public static double mishGrad(double x, double y, double dy, double a) {
        double t = Math.tanh(softplus(x, 0));
        return dy * (t + x * (1 - t * t) * sigmoid(x, 0));
    }

    public static double exp(double x, double a) { return Math.exp(x); }
    public static double expGrad(double x, double y, double dy, double a) { return dy * y; }

    public static double log(double x, double a) { return Math.log(x); }
    public static double logGrad(double x, double y, double dy, double a) { return dy / x; }

    public static double sqrt(double x, double a) { return Math.sqrt(x); }
    public static double sqrtGrad(double x, double y, double dy, double a) { return dy * 0.5 / y; }

    public static double rsqrt(double x, double a) { return 1 / Math.sqrt(x); }
    public static double rsqrtGrad(double x, double y, double dy, double a) { return dy * -0.5 * y * y * y; }

    public static double square(double x, double a) { return x * x; }
    public static double squareGrad(double x, double y, double dy, double a) { return dy * 2 * x; }

    public static double abs(double x, double a) { return Math.abs(x); }
    public static double absGrad(double x, double y, double dy, double a) { return x > 0 ? dy : x < 0 ? -dy : 0; }

    public static double neg(double x, double a) { return -x; }
    public static double negGrad(double x, double y, double dy, double a) { return -dy; }

    /**
     * The error function to about 1e-15 relative: its Maclaurin series for |x| < 2.5 and the
     * Lentz continued fraction of erfc beyond.
     */
    public static double erf(double x) {
        double ax = Math.abs(x);
        if (ax < 2.5) {
            double x2 = x * x, term = x, sum = x;
            for (int n = 1; n < 100; n++) {
                term *= -x2 / n;
                double t = term / (2 * n + 1);
                sum += t;
                if (Math.abs(t) < 1e-17 * Math.abs(sum)) break;
            }
            return 2 / Math.sqrt(Math.PI) * sum;
        }
        double r = 1 - erfcLarge(ax);
        return x < 0 ? -r : r;
    }

    /** erfc(x) for x ≥ 2.5: exp(-x²)/√π · 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + ...)))). */
    private static double erfcLarge(double x) {
        double tiny = 1e-300;
        double f = x, c = x, d = 0;
        for (int k = 1; k < 200; k++) {
            double ak = k / 2.0;
            d = x + ak * d;
            d = d == 0 ? tiny : d;
            c = x + ak / c;
            c = c == 0 ? tiny : c;
            d = 1 / d;
            double delta = c * d;
            f *= delta;
            if (Math.abs(delta - 1) < 1e-16) break;
        }
        return Math.exp(-x * x) / Math.sqrt(Math.PI) / f;
    }
}
