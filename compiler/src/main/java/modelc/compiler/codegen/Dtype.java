package modelc.compiler.codegen;

import com.palantir.javapoet.ArrayTypeName;
import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.TypeName;

/** The element type generated code computes in: float32 by default, float64 for gradient checks. */
public enum Dtype {
    F32("float", "Float", "f32"), F64("double", "Double", "f64");

    public final String java;
    private final String boxed;
    public final String flag;

    Dtype(String java, String boxed, String flag) {
        this.java = java;
        this.boxed = boxed;
        this.flag = flag;
    }

    public static Dtype parse(String s) {
        return switch (s.toLowerCase()) {
            case "f32", "float32", "float" -> F32;
            case "f64", "float64", "double" -> F64;
            default -> throw new IllegalArgumentException("dtype must be f32 or f64, got " + s);
        };
    }

    public TypeName type() {
        return this == F32 ? TypeName.FLOAT : TypeName.DOUBLE;
    }

    public ArrayTypeName array() {
        return ArrayTypeName.of(type());
    }

    /** The boxed class's simple name: {@code Float} or {@code Double}. */
    public String boxed() {
        return boxed;
    }

    public ClassName vector() {
        return ClassName.get("jdk.incubator.vector", boxed + "Vector");
    }

    /** A literal of this type: {@code 0.5f} or {@code 0.5}. */
    public String lit(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            String s = Long.toString((long) v);
            return this == F32 ? s + "f" : s + ".0";
        }
        String s = Double.toString(v);
        return this == F32 ? s + "f" : s;
    }

    /** A cast from a double expression to this type, when needed. */
    public String cast(String expr) {
        return this == F32 ? "(float) (" + expr + ")" : expr;
    }

    /** The name of the gemm entry point in the runtime. */
    public String gemm() {
        return this == F32 ? "sgemm" : "dgemm";
    }
}
