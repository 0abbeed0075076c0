package modelc.compiler.cli;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.lang.model.SourceVersion;
import modelc.compiler.Compiler;
import modelc.compiler.codegen.Dtype;
import modelc.compiler.codegen.Target;
import modelc.runtime.Tensor;
import modelc.runtime.data.DataLoader;
import modelc.runtime.data.DataOptions;
import modelc.runtime.data.Dataset;
import modelc.runtime.data.TextData;
import modelc.runtime.io.Json;
import modelc.runtime.text.TextPipeline;
import modelc.runtime.train.TextInputs;
import modelc.compiler.resolve.Resolver;
import modelc.compiler.syntax.Parser;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The model file and code-generation options every command shares. */
final class ModelOptions {
    @Parameters(index = "0", paramLabel = "MODEL", description = "the .model file")
    Path file;

    @Option(names = "--dtype", defaultValue = "f32", description = "f32 (default) or f64")
    String dtype;

    @Option(names = "--package", defaultValue = "modelc.generated", description = "Java package of the generated class")
    String packageName;

    @Option(names = "--target", defaultValue = "vector", description = {"vector (default): kernels use the Vector API, "
            + "which needs --add-modules jdk.incubator.vector where the code is compiled and run;",
            "scalar: plain loops that need no incubator module"})
    String target;

    @Option(names = "--max-length", description = "the length to generate code for where an input has a None dimension"
            + " (default: the data's, for commands that read data)")
    Integer maxLength;

    Compiler.Options options() {
        if (!packageName.isEmpty() && !SourceVersion.isName(packageName)) {
            throw new Main.UserError("--package '" + packageName + "' is not a Java package name");
        }
        try {
            return new Compiler.Options(Dtype.parse(dtype), packageName, Target.parse(target));
        } catch (IllegalArgumentException e) {
            throw new Main.UserError(e.getMessage());
        }
    }

    Compiler.Result compile() throws IOException {
        Main.currentFile(file);
        String source = read(file);
        return Compiler.compile(displayName(file), source, options().withLengths(lengths(source, null, null)));
    }

    /**
     * The length of each input's None dimension: --max-length, else for a text input padded to its longest
     * sequence the length saved beside {@code weights} (or, training, the longest of {@code data}'s training
     * texts), else the data's length on that axis; inputs left out get a compile error that says what to give.
     */
    Map<String, Integer> lengths(String source, Path data, Path weights) throws IOException {
        return lengths(source, data, weights, null);
    }

    /** As {@link #lengths(String, Path, Path)}, reading only the class folders {@code classes} of text data (null: all). */
    Map<String, Integer> lengths(String source, Path data, Path weights, List<String> classes) throws IOException {
        Map<String, Integer> variable = new LinkedHashMap<>(Compiler.variableLengthInputs(displayName(file), source));
        Map<String, Integer> lengths = new LinkedHashMap<>();
        if (variable.isEmpty()) return lengths;
        if (maxLength != null) {
            if (maxLength < 1) throw new Main.UserError("--max-length must be at least 1, got " + maxLength);
            variable.keySet().forEach(k -> lengths.put(k, maxLength));
            return lengths;
        }
        Set<String> text = Compiler.textInputs(displayName(file), source);
        if (!text.isEmpty() && variable.keySet().stream().anyMatch(text::contains)) {
            lengths.putAll(textLengths(source, text, data, weights, classes));
            variable.keySet().removeAll(text);
            if (variable.isEmpty()) return lengths;
        }
        if (data == null || !Files.exists(data)) return lengths;
        if (!text.isEmpty()) {
            throw new Main.UserError("input '" + variable.keySet().iterator().next() + "' has a None length, and the model also reads"
                    + " text, so its values come from CSV columns, a fixed number: give --max-length N");
        }
        Dataset d = DataLoader.load(data, DataOptions.defaults().withLimit(1)).train();
        for (Map.Entry<String, Integer> e : variable.entrySet()) {
            Tensor t = d.features().get(e.getKey());
            if (t == null && d.features().size() == 1) t = d.features().values().iterator().next();
            if (t == null) throw new Main.UserError(data + " has no feature '" + e.getKey() + "' to take its length from; give --max-length");
            if (t.rank() < e.getValue() + 2) {
                throw new Main.UserError(data + ": cannot take the length of input '" + e.getKey() + "' from samples of shape "
                        + java.util.Arrays.toString(java.util.Arrays.copyOfRange(t.shape(), 1, t.rank())) + "; give --max-length");
            }
            lengths.put(e.getKey(), t.dim(e.getValue() + 1));
        }
        return lengths;
    }

    /**
     * The lengths of text inputs padded to their longest sequence: as saved beside the weights (what they were
     * trained at), or for training, the most token ids the fitted Tokenizer makes of a training text.
     */
    private Map<String, Integer> textLengths(String source, Set<String> text, Path data, Path weights, List<String> classes)
            throws IOException {
        Map<String, Integer> out = new LinkedHashMap<>();
        Path saved = weights == null ? null : TextInputs.beside(weights);
        if (saved != null && Files.isRegularFile(saved)) {
            if (Json.read(saved) instanceof Map<?, ?> root && root.get("inputs") instanceof Map<?, ?> inputs) {
                for (String name : text) {
                    if (inputs.get(name) instanceof Map<?, ?> in && in.get("pad_sequences") instanceof Map<?, ?> pad
                            && pad.get("maxlen") instanceof Long n) {
                        out.put(name, n.intValue());
                    }
                }
            }
            return out;
        }
        if (data == null || !Files.exists(data)) return out;
        // the pipelines as the file describes them (at a placeholder length), fitted on the training texts
        Map<String, Integer> placeholder = new LinkedHashMap<>();
        text.forEach(k -> placeholder.put(k, 1));
        var model = Resolver.resolve(Parser.parse(displayName(file), source), placeholder);
        TextData.Loaded raw = TextData.load(data, List.copyOf(model.textInputs().keySet()), DataOptions.defaults(), classes);
        for (String name : text) {
            TextPipeline.Fitted fitted = model.textInputs().get(name).fit(raw.train().texts().get(name));
            int longest = 1;
            for (String t : raw.train().texts().get(name)) longest = Math.max(longest, fitted.length(t));
            out.put(name, longest);
        }
        return out;
    }

    /**
     * The file's name as diagnostics and generated comments show it: control characters and
     * backslashes become '?', so that neither a line break nor a Java unicode escape (a backslash,
     * 'u' and four hex digits, which javac reads even in comments) in a file name can end a comment
     * of the generated source or of the launcher.
     */
    static String displayName(Path file) {
        StringBuilder sb = new StringBuilder();
        file.getFileName().toString().codePoints()
                .forEach(c -> sb.appendCodePoint(Character.isISOControl(c) || c == '\\' ? '?' : c));
        return sb.toString();
    }

    /** The text of a {@code .model} file, or a one-line error that names it. */
    static String read(Path file) throws IOException {
        if (Files.isDirectory(file)) throw new Main.UserError(file + " is a directory, not a .model file");
        try {
            return Files.readString(file);
        } catch (CharacterCodingException e) {
            throw new Main.UserError(file + " is not UTF-8 text");
        }
    }

    Loaded load() throws IOException {
        return load(null, null);
    }

    /**
     * The compiled model, with None dimensions specialised to --max-length, to the lengths saved beside
     * {@code weights} (text inputs), or to {@code data}'s lengths.
     */
    Loaded load(Path data, Path weights) throws IOException {
        return load(data, weights, null);
    }

    /** As {@link #load(Path, Path)}, reading only the class folders {@code classes} of text data (null: all). */
    Loaded load(Path data, Path weights, List<String> classes) throws IOException {
        Main.currentFile(file);
        return Loaded.load(file, options().withLengths(lengths(read(file), data, weights, classes)));
    }
}
