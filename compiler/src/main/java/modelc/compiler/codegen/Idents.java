package modelc.compiler.codegen;

import java.util.HashSet;
import java.util.Set;
import javax.lang.model.SourceVersion;

/**
 * Java identifiers made from names in a {@code .model} file. Only letters, digits and '_' survive;
 * anything else becomes '_', and keywords get a trailing '_'. Text never reaches generated source
 * unvalidated: identifiers pass through here, strings through JavaPoet's {@code $S} escaping.
 */
public final class Idents {
    private final Set<String> used = new HashSet<>();

    public static String sanitize(String name) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            sb.append((c < 128 && Character.isLetterOrDigit(c)) || c == '_' ? c : '_');
        }
        if (sb.isEmpty() || Character.isDigit(sb.charAt(0))) sb.insert(0, '_');
        String s = sb.toString();
        return SourceVersion.isKeyword(s) ? s + "_" : s;
    }

    /** {@code dense_1.kernel} to {@code DENSE_1_KERNEL}. */
    public static String constant(String name) {
        return sanitize(name.replace('.', '_')).toUpperCase();
    }

    /** {@code FashionMlp} stays, {@code fashion_mlp} becomes {@code FashionMlp}. */
    public static String className(String name) {
        StringBuilder sb = new StringBuilder();
        boolean up = true;
        for (char c : sanitize(name).toCharArray()) {
            if (c == '_') {
                up = true;
                continue;
            }
            sb.append(up ? Character.toUpperCase(c) : c);
            up = false;
        }
        String s = sb.isEmpty() ? "Model" : sb.toString();
        return Character.isDigit(s.charAt(0)) ? "M" + s : s;
    }

    /** A unique identifier based on {@code base}: {@code base}, {@code base_2}, {@code base_3}, ... */
    public String unique(String base) {
        String s = sanitize(base);
        String name = s;
        for (int k = 2; !used.add(name); k++) name = s + "_" + k;
        return name;
    }
}
