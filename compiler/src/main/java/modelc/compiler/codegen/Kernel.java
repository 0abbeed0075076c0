package modelc.compiler.codegen;

import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.MethodSpec;

/** One node's generated kernel: a static method, and the statement that calls it from a step method. */
record Kernel(MethodSpec method, CodeBlock call) {}
