package modelc.runtime.data;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;
import modelc.runtime.Tensor;
import modelc.runtime.io.Csv;
import modelc.runtime.io.FormatException;

/**
 * Raw texts with their labels, for models with {@code text} inputs:
 * <ul>
 * <li>a directory laid out as Keras's {@code text_dataset_from_directory} reads it (the aclImdb layout):
 *     {@code train/<class>/*.txt} and optionally {@code test/<class>/*.txt}, or the class folders directly;
 *     classes are the folder names in alphabetical order (label 0, 1, ...) unless given; files are read as
 *     UTF-8, in file-name order, and the classes interleaved (a file of each class in turn) so that a
 *     {@code --limit} keeps every class;</li>
 * <li>a .csv file with a text column (the input's name, or {@code text}) and a label column: labels that
 *     are all integers are class indices, other labels are class names (numbered in alphabetical order).</li>
 * </ul>
 * A model with one text input takes it from the folder layout; several text inputs need a CSV with a
 * column per input. A model that also has tensor inputs (a text and numeric features, say) needs a CSV too,
 * with numeric columns for each tensor input (see {@link TensorInput#columns()}).
 */
public final class TextData {
    /**
     * One split: each text input's texts, each tensor input's values (samples along the first axis), and the
     * target (null for texts to predict).
     */
    public record Split(Map<String, List<String>> texts, Map<String, Tensor> tensors, Tensor target) {
        /** A split of texts only. */
        public Split(Map<String, List<String>> texts, Tensor target) {
            this(texts, Map.of(), target);
        }

        public int size() {
            return texts.values().iterator().next().size();
        }
    }

    /**
     * A tensor input of a model that also reads text: its name, its shape per sample, and whether it takes
     * integers. Its values come from CSV columns, named as {@link #columns()} says.
     */
    public record TensorInput(String name, int[] shape, boolean integer) {
        /** Values per sample. */
        public int size() {
            int n = 1;
            for (int s : shape) n *= s;
            return n;
        }

        /**
         * The CSV columns holding the input, one per value: {@code name} for a single value, else {@code name_0} to
         * {@code name_<size-1>} (the values in row-major order for a shape of more than one axis).
         */
        public List<String> columns() {
            if (size() == 1) return List.of(name);
            List<String> out = new ArrayList<>();
            for (int i = 0; i < size(); i++) out.add(name + "_" + i);
            return out;
        }

        @Override
        public String toString() {
            return (integer ? "int" : "float") + java.util.Arrays.toString(shape);
        }
    }

    /** The training split, the test split (or null) and the class names (empty if the labels were numbers). */
    public record Loaded(Split train, Split test, List<String> classNames) {}

    private TextData() {}

    /** As {@link #load(Path, List, List, DataOptions, List)} for a model whose inputs are all text. */
    public static Loaded load(Path path, List<String> inputs, DataOptions options, List<String> classNames) throws IOException {
        return load(path, inputs, List.of(), options, classNames);
    }

    /**
     * @param inputs     the model's text inputs, by name
     * @param tensors    the model's other inputs, read from numeric CSV columns
     * @param classNames the class folders (or CSV label values) to use, in label order; null = all, alphabetical
     */
    public static Loaded load(Path path, List<String> inputs, List<TensorInput> tensors, DataOptions options, List<String> classNames)
            throws IOException {
        Loaded data = loadSplits(path, inputs, tensors, options, classNames);
        if (options.testFile() == null) return data;
        Loaded test = loadSplits(options.testFile(), inputs, tensors, options, data.classNames().isEmpty() ? classNames : data.classNames());
        if (test.test() != null) {
            throw new FormatException(options.testFile(), "has a train/test split of its own; a separate test file must hold only the test data");
        }
        return new Loaded(data.train(), test.train(), data.classNames());
    }

    private static Loaded loadSplits(Path path, List<String> inputs, List<TensorInput> tensors, DataOptions options, List<String> classNames)
            throws IOException {
        if (Files.isDirectory(path)) {
            if (!tensors.isEmpty()) throw new FormatException(path, "class folders of .txt files hold only texts, but the model also reads "
                    + describe(tensors) + ": give a CSV with the columns " + String.join(", ", csvColumns(inputs, tensors, options.labelColumn())));
            return folders(path, inputs, options.limit(), classNames);
        }
        if (!Files.exists(path)) throw new FormatException(path, "no such file or directory");
        if (path.getFileName().toString().toLowerCase().endsWith(".csv")) return csv(path, inputs, tensors, options, classNames);
        throw new FormatException(path, tensors.isEmpty()
                ? "text data must be a .csv file (a text column and a label column) or a directory of class folders of .txt files"
                        + " (train/<class>/*.txt, test/<class>/*.txt)"
                : "the data of a model with text and tensor inputs must be a .csv file with the columns "
                        + String.join(", ", csvColumns(inputs, tensors, options.labelColumn())));
    }

    /** "the tensor input 'stars' (float[2])", or several such. */
    private static String describe(List<TensorInput> tensors) {
        List<String> each = tensors.stream().map(t -> "'" + t.name() + "' (" + t + ")").toList();
        return "the tensor input" + (each.size() == 1 ? " " : "s ") + String.join(", ", each);
    }

    /** The columns a CSV for these inputs needs: each text input's, each tensor input's, the label. */
    private static List<String> csvColumns(List<String> inputs, List<TensorInput> tensors, String label) {
        List<String> out = new ArrayList<>(inputs);
        for (TensorInput t : tensors) out.addAll(t.columns());
        out.add(label);
        return out;
    }

    private static Loaded folders(Path dir, List<String> inputs, int limit, List<String> given) throws IOException {
        if (inputs.size() != 1) {
            throw new FormatException(dir, "a directory of text files feeds one text input; the model has " + inputs.size()
                    + " (" + String.join(", ", inputs) + "): give a CSV with a column for each");
        }
        Path train = Files.isDirectory(dir.resolve("train")) ? dir.resolve("train") : dir;
        Path test = train == dir ? null : dir.resolve("test");
        List<String> classes = given != null ? given : classFolders(train);
        if (classes.isEmpty()) {
            throw new FormatException(train, "no class folders: expected " + train + "/<class>/*.txt for each class");
        }
        Split trainSplit = folderSplit(train, inputs.getFirst(), classes, limit);
        Split testSplit = test != null && Files.isDirectory(test) ? folderSplit(test, inputs.getFirst(), classes, limit) : null;
        return new Loaded(trainSplit, testSplit, classes);
    }

    private static List<String> classFolders(Path dir) throws IOException {
        try (Stream<Path> list = Files.list(dir)) {
            return list.filter(Files::isDirectory).map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private static Split folderSplit(Path dir, String input, List<String> classes, int limit) throws IOException {
        List<List<Path>> files = new ArrayList<>();
        for (String c : classes) {
            Path folder = dir.resolve(c);
            if (!Files.isDirectory(folder)) throw new FormatException(dir, "has no folder for class '" + c + "'");
            try (Stream<Path> list = Files.list(folder)) {
                files.add(list.filter(p -> Files.isRegularFile(p) && p.getFileName().toString().endsWith(".txt")).sorted().toList());
            }
            if (files.getLast().isEmpty()) throw new FormatException(folder, "holds no .txt files");
        }
        List<String> texts = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        for (int i = 0; texts.size() < limit; i++) {
            boolean any = false;
            for (int c = 0; c < classes.size() && texts.size() < limit; c++) {
                if (i >= files.get(c).size()) continue;
                texts.add(read(files.get(c).get(i)));
                labels.add(c);
                any = true;
            }
            if (!any) break;
        }
        return new Split(Map.of(input, texts), Tensor.of(labels.stream().mapToInt(Integer::intValue).toArray(), labels.size()));
    }

    private static String read(Path file) throws IOException {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(java.nio.ByteBuffer.wrap(Files.readAllBytes(file))).toString();
        } catch (CharacterCodingException e) {
            throw new FormatException(file, "not valid UTF-8 text");
        }
    }

    private static Loaded csv(Path file, List<String> inputs, List<TensorInput> tensors, DataOptions options, List<String> given)
            throws IOException {
        Csv.TextTable table = Csv.readText(file);
        int n = Math.min(table.rows().size(), options.limit());
        Map<String, List<String>> texts = new LinkedHashMap<>();
        for (String input : inputs) {
            String column = table.columns().contains(input) ? input : inputs.size() == 1 && table.columns().contains("text") ? "text" : null;
            if (column == null) {
                throw new FormatException(file, "no column '" + input + "'" + (inputs.size() == 1 ? " or 'text'" : "")
                        + " for the text input '" + input + "'; columns: " + String.join(", ", table.columns()));
            }
            texts.put(input, table.column(column).subList(0, n));
        }
        Map<String, Tensor> values = new LinkedHashMap<>();
        for (TensorInput t : tensors) {
            for (String column : t.columns()) {
                if (!table.columns().contains(column)) {
                    throw new FormatException(file, "no column '" + column + "' for the tensor input '" + t.name() + "' (" + t + ": "
                            + (t.size() == 1 ? "column " : "columns ") + String.join(", ", t.columns()) + "); columns: "
                            + String.join(", ", table.columns()));
                }
            }
            int[] shape = new int[t.shape().length + 1];
            shape[0] = n;
            System.arraycopy(t.shape(), 0, shape, 1, t.shape().length);
            values.put(t.name(), table.numbers(t.columns(), n, shape, t.integer()));
        }
        String label = options.labelColumn();
        if (!table.columns().contains(label)) return new Loaded(new Split(texts, values, null), null, List.of());
        List<String> cells = table.column(label).subList(0, n).stream().map(String::strip).toList();
        boolean integers = given == null && cells.stream().allMatch(s -> s.matches("[+-]?\\d+"));
        if (integers) {
            int[] y = cells.stream().mapToInt(Integer::parseInt).toArray();
            return new Loaded(new Split(texts, values, Tensor.of(y, n)), null, List.of());
        }
        boolean numbers = given == null && cells.stream().allMatch(s -> s.matches("[+-]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][+-]?\\d+)?"));
        if (numbers) {
            float[] y = new float[n];
            for (int i = 0; i < n; i++) y[i] = Float.parseFloat(cells.get(i));
            return new Loaded(new Split(texts, values, Tensor.of(y, n)), null, List.of());
        }
        List<String> classes = given != null ? given : List.copyOf(new TreeSet<>(cells));
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = classes.indexOf(cells.get(i));
            if (y[i] < 0) {
                throw new FormatException(file, "line " + table.lines()[i] + ": label '" + cells.get(i) + "' is not one of the classes "
                        + String.join(", ", classes));
            }
        }
        return new Loaded(new Split(texts, values, Tensor.of(y, n)), null, classes);
    }
}
