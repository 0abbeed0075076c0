package modelc.maven.generate;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Finds the model files under a source directory with Ant-style include and exclude patterns, as
 * Maven's own plugins do: {@code **} matches any number of directories (none too), {@code *} and
 * {@code ?} stay within one path segment.
 */
public final class ModelScanner {
    private final List<Pattern> includes;
    private final List<Pattern> excludes;

    public ModelScanner(List<String> includes, List<String> excludes) {
        this.includes = (includes.isEmpty() ? List.of("**/*.model") : includes).stream().map(ModelScanner::compile).toList();
        this.excludes = excludes.stream().map(ModelScanner::compile).toList();
    }

    /** The matching regular files under {@code root}, sorted; none if {@code root} does not exist. */
    public List<Path> scan(Path root) throws IOException {
        if (!Files.isDirectory(root)) return List.of();
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(Files::isRegularFile)
                    .filter(f -> matches(relative(root, f)))
                    .sorted()
                    .toList();
        }
    }

    /** {@code file}'s path under {@code root} with forward slashes, the form patterns and status keys use. */
    public static String relative(Path root, Path file) {
        return root.relativize(file).toString().replace(java.io.File.separatorChar, '/');
    }

    boolean matches(String relativePath) {
        return includes.stream().anyMatch(p -> p.matcher(relativePath).matches())
                && excludes.stream().noneMatch(p -> p.matcher(relativePath).matches());
    }

    /** An Ant pattern as a regular expression over forward-slash paths. */
    static Pattern compile(String antPattern) {
        String p = antPattern.trim().replace('\\', '/');
        if (p.endsWith("/")) p += "**";
        StringBuilder re = new StringBuilder();
        for (int i = 0; i < p.length(); i++) {
            char c = p.charAt(i);
            if (p.startsWith("**/", i)) {
                re.append("(?:[^/]*/)*");
                i += 2;
            } else if (p.startsWith("**", i)) {
                re.append(".*");
                i += 1;
            } else if (c == '*') {
                re.append("[^/]*");
            } else if (c == '?') {
                re.append("[^/]");
            } else {
                re.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(re.toString());
    }
}
