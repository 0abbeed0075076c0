package modelc.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import modelc.compiler.codegen.Target;
import org.apache.maven.plugin.MojoFailureException;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The goals' target parameter")
class ParametersTest {
    @Test
    @DisplayName("vector is the default; scalar is accepted in any case; anything else fails the build and says what is allowed")
    void target() throws MojoFailureException {
        assertEquals(Target.VECTOR, Parameters.target(null));
        assertEquals(Target.VECTOR, Parameters.target("vector"));
        assertEquals(Target.SCALAR, Parameters.target("scalar"));
        assertEquals(Target.SCALAR, Parameters.target(" Scalar "));
        MojoFailureException e = assertThrows(MojoFailureException.class, () -> Parameters.target("simd"));
        assertEquals("modelc: target must be vector or scalar, got 'simd'", e.getMessage());
    }
}
