package modelc.compiler.lower;

/**
 * Where a value lives in generated code: in the parameter array, in the gradient array (a
 * parameter's final gradient, written in place), or in the arena at {@code fixed + perSample·capacity}.
 * A reshape shares its input's storage.
 */
public sealed interface Storage {
    record Param(String key, int offset) implements Storage {}

    record Grad(String key, int offset) implements Storage {}

    /** {@code fixed + perSample * capacity} floats into the arena. */
    record Arena(int fixed, int perSample) implements Storage {}
}
