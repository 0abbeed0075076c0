package modelc.compiler.codegen;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.ParameterizedTypeName;
import java.util.regex.Pattern;
import javax.lang.model.element.Modifier;

/**
 * The one place that decides whether generated code uses the Vector API. Kernels write each loop
 * over contiguous elements through {@link #loop} or {@link #row}, giving both a vector body (over
 * the species {@code S}) and the scalar body of its tail: for {@link Target#VECTOR} both are
 * emitted, for {@link Target#SCALAR} only the scalar loop, which then covers every element. The
 * species field and the GEMM entry point follow the same switch.
 */
final class Simd {
    private static final ClassName SPECIES = ClassName.get("jdk.incubator.vector", "VectorSpecies");
    /** Vector API code that bypassed this class: the species, a vector class or the operators, by name. */
    private static final Pattern VECTOR_CODE = Pattern.compile("\\bS\\.(loopBound|length)\\(|\\(S, |\\bVectorOperators\\.|\\b(Float|Double)Vector\\b");

    private final Dtype dt;
    private final Target target;

    Simd(Dtype dt, Target target) {
        this.dt = dt;
        this.target = target;
    }

    /** True if kernels have vector bodies. */
    boolean vectorized() {
        return target == Target.VECTOR;
    }

    /**
     * The loop over {@code var} (declared and started by the caller) up to {@code len}: whole vectors
     * with {@code vector}'s statements when vectorised and {@code vector} is not null, then one
     * element at a time with {@code scalar}'s.
     */
    void loop(Body b, String var, String len, Runnable vector, Runnable scalar) {
        if (vectorized() && vector != null) {
            b.open("for (int end = S.loopBound(" + len + "); " + var + " < end; " + var + " += S.length())");
            vector.run();
            b.close();
        }
        b.open("for (; " + var + " < " + len + "; " + var + "++)");
        scalar.run();
        b.close();
    }

    /**
     * {@code len} elements of a row over index {@code j}: {@code vec} (statements separated by
     * newlines) over whole vectors, then {@code scalar} for the rest; rows shorter than 4 and the
     * scalar target get the scalar loop alone.
     */
    void row(Body b, int len, String vec, String scalar) {
        if (vectorized() && len >= 4) {
            b.open("for (int j = 0; j < S.loopBound(" + len + "); j += S.length())");
            for (String s : vec.split("\n")) b.stmt(s);
            b.close();
            b.open("for (int j = S.loopBound(" + len + "); j < " + len + "; j++)").stmt(scalar).close();
        } else {
            b.open("for (int j = 0; j < " + len + "; j++)").stmt(scalar).close();
        }
    }

    /** The runtime's GEMM entry point: {@code sgemm}/{@code dgemm}, or their plain-loop versions, which never load the Vector API. */
    String gemm() {
        return vectorized() ? dt.gemm() : dt.gemm() + "Scalar";
    }

    /** The species field {@code S} the vector bodies use, or null for the scalar target. */
    FieldSpec species() {
        if (!vectorized()) return null;
        return FieldSpec.builder(ParameterizedTypeName.get(SPECIES, dt == Dtype.F32 ? ClassName.get(Float.class) : ClassName.get(Double.class)),
                "S", Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL).initializer("$T.SPECIES_PREFERRED", dt.vector()).build();
    }

    /**
     * Fails when a scalar-target kernel still has Vector API code: a loop written without
     * {@link #loop} or {@link #row}. javac would reject it too, but less helpfully.
     */
    void checkScalar(String kernel, String code) {
        if (vectorized()) return;
        var m = VECTOR_CODE.matcher(code);
        if (m.find()) {
            throw new IllegalStateException("kernel " + kernel + " has Vector API code ('" + m.group() + "') in a target=scalar build: "
                    + "write its vector loops with Simd.loop or Simd.row, which leave them out for that target");
        }
    }
}
