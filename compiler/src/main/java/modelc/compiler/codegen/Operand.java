package modelc.compiler.codegen;

/** An array and an offset expression as they appear at a kernel's call site: {@code a, oDense} or {@code p, P_DENSE_KERNEL}. */
record Operand(String array, String offset) {}
