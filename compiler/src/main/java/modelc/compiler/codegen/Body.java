package modelc.compiler.codegen;

import com.palantir.javapoet.CodeBlock;

/** Writes a method body statement by statement, with JavaPoet doing the indentation. */
final class Body {
    private final CodeBlock.Builder b = CodeBlock.builder();

    Body stmt(String s) {
        b.addStatement("$L", s);
        return this;
    }

    Body open(String header) {
        b.beginControlFlow("$L", header);
        return this;
    }

    Body mid(String header) {
        b.nextControlFlow("$L", header);
        return this;
    }

    Body close() {
        b.endControlFlow();
        return this;
    }

    Body comment(String c) {
        b.add("// $L\n", c);
        return this;
    }

    CodeBlock build() {
        return b.build();
    }
}
