package modelc.compiler.codegen;

import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.ParameterSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Methods that are the same code under different names: equal modifiers, return type, parameters
 * (types and names, which the body refers to) and body. Their names and javadoc do not count, so
 * the nodes (or loops) whose kernels came out alike can share one method.
 */
final class SameCode {
    private SameCode() {}

    /** What makes two methods interchangeable: everything but the name and javadoc. */
    static String key(MethodSpec m) {
        StringBuilder sb = new StringBuilder();
        sb.append(m.modifiers()).append(' ').append(m.annotations()).append(' ').append(m.typeVariables()).append(' ')
                .append(m.returnType()).append('(');
        for (ParameterSpec p : m.parameters()) sb.append(p.annotations()).append(p.modifiers()).append(p.type()).append(' ').append(p.name()).append(", ");
        sb.append(m.varargs()).append(") throws ").append(m.exceptions()).append(" {\n").append(m.code()).append('}');
        return sb.toString();
    }

    /** {@code items} grouped by their methods' {@link #key}, groups and members in the order they first appear. */
    static <T> List<List<T>> groups(List<T> items, Function<T, MethodSpec> method) {
        Map<String, List<T>> by = new LinkedHashMap<>();
        for (T t : items) by.computeIfAbsent(key(method.apply(t)), k -> new ArrayList<>()).add(t);
        return List.copyOf(by.values());
    }

    /** {@code m} under another name and javadoc. */
    static MethodSpec renamed(MethodSpec m, String name, CodeBlock javadoc) {
        MethodSpec.Builder b = MethodSpec.methodBuilder(name).addJavadoc(javadoc).addModifiers(m.modifiers()).addAnnotations(m.annotations())
                .addTypeVariables(m.typeVariables()).returns(m.returnType()).addParameters(m.parameters()).varargs(m.varargs())
                .addExceptions(m.exceptions()).addCode(m.code());
        return b.build();
    }
}
