package modelc.maven.generate;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the last run generated, per model (keyed by its path under the source directory): the digest
 * of its inputs and the files made from it. Kept as a small text file under target/maven-status:
 * <pre>
 * modelc-status 1
 * model	spam/filter.model	3f2a…	com.acme.spam.SpamFilter
 * source	/abs/target/generated-sources/modelc/com/acme/spam/SpamFilter.java
 * resource	/abs/target/generated-resources/modelc/com/acme/spam/SpamFilter.safetensors
 * </pre>
 * A missing, unreadable or older-format file reads as empty, which makes every model stale.
 */
public final class BuildStatus {
    static final String HEADER = "modelc-status 1";

    /** One model's record. */
    public record Entry(String digest, String qualifiedName, List<Path> sources, List<Path> resources) {
        public Entry {
            sources = List.copyOf(sources);
            resources = List.copyOf(resources);
        }

        Entry withResources(List<Path> copies) {
            return new Entry(digest, qualifiedName, sources, copies);
        }

        List<Path> outputs() {
            List<Path> all = new ArrayList<>(sources);
            all.addAll(resources);
            return all;
        }
    }

    private BuildStatus() {}

    public static Map<String, Entry> load(Path file) {
        Map<String, Entry> entries = new TreeMap<>();
        List<String> lines;
        try {
            if (!Files.isRegularFile(file)) return entries;
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return entries;
        }
        if (lines.isEmpty() || !lines.get(0).equals(HEADER)) return entries;
        String key = null;
        String[] head = null;
        List<Path> sources = new ArrayList<>();
        List<Path> resources = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split("\t", -1);
            switch (f[0]) {
                case "model" -> {
                    if (f.length != 4) return new TreeMap<>();
                    if (key != null) entries.put(key, new Entry(head[2], head[3], sources, resources));
                    key = f[1];
                    head = f;
                    sources = new ArrayList<>();
                    resources = new ArrayList<>();
                }
                case "source", "resource" -> {
                    if (key == null || f.length != 2) return new TreeMap<>();
                    (f[0].equals("source") ? sources : resources).add(Path.of(f[1]));
                }
                default -> {
                    if (!line.isBlank()) return new TreeMap<>();
                }
            }
        }
        if (key != null) entries.put(key, new Entry(head[2], head[3], sources, resources));
        return entries;
    }

    public static void save(Path file, Map<String, Entry> entries) throws IOException {
        StringBuilder sb = new StringBuilder(HEADER).append('\n');
        for (Map.Entry<String, Entry> e : new TreeMap<>(entries).entrySet()) {
            Entry v = e.getValue();
            sb.append("model\t").append(e.getKey()).append('\t').append(v.digest()).append('\t').append(v.qualifiedName()).append('\n');
            for (Path p : v.sources()) sb.append("source\t").append(p).append('\n');
            for (Path p : v.resources()) sb.append("resource\t").append(p).append('\n');
        }
        Files.createDirectories(file.toAbsolutePath().getParent());
        String text = sb.toString();
        if (Files.isRegularFile(file) && Files.readString(file, StandardCharsets.UTF_8).equals(text)) return;
        Files.writeString(file, text, StandardCharsets.UTF_8);
    }

    /** A mutable copy, ordered by model path. */
    static Map<String, Entry> copy(Map<String, Entry> entries) {
        return new LinkedHashMap<>(new TreeMap<>(entries));
    }
}
