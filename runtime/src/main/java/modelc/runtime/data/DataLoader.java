package modelc.runtime.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import modelc.runtime.Tensor;
import modelc.runtime.io.Csv;
import modelc.runtime.io.CsvTable;
import modelc.runtime.io.FormatException;
import modelc.runtime.io.Idx;
import modelc.runtime.io.Npy;
import modelc.runtime.io.SafeTensors;

/**
 * Loads a dataset, choosing the format by the path:
 * <ul>
 * <li>a directory of MNIST-style IDX files (train-images-idx3-ubyte, train-labels-idx1-ubyte and optionally
 *     t10k-images-idx3-ubyte, t10k-labels-idx1-ubyte, each possibly with ".gz"): feature "x", F32 raw pixel
 *     values of shape [n, rows, cols]; target I32 [n];</li>
 * <li>a .csv file: feature "x", F32 [n, columns] of every column but the label column; target the label
 *     column, I32 if all its values are integers, else F32;</li>
 * <li>a .safetensors file: tensor "target" is the target, every other tensor a feature of that name;</li>
 * <li>a directory of .npy files, or one with train/ and test/ subdirectories of them: target.npy is the
 *     target, every other name.npy a feature "name".</li>
 * </ul>
 * A missing label column, "target" tensor or target.npy gives a dataset without a target (data to predict on).
 * Every problem is reported as a {@link FormatException} naming the file or directory.
 */
public final class DataLoader {
    private static final String TRAIN_IMAGES = "train-images-idx3-ubyte";
    private static final String TRAIN_LABELS = "train-labels-idx1-ubyte";
    private static final String TEST_IMAGES = "t10k-images-idx3-ubyte";
    private static final String TEST_LABELS = "t10k-labels-idx1-ubyte";
    private static final String TARGET = "target";

    private DataLoader() {}

    public static LoadedData load(Path path, DataOptions options) throws IOException {
        LoadedData data = loadSplits(path, options);
        Dataset test = data.test();
        if (options.testFile() != null) {
            LoadedData separate = loadSplits(options.testFile(), options);
            if (separate.test() != null) {
                throw new FormatException(options.testFile(), "has a train/test split of its own;"
                        + " a separate test file must hold only the test data");
            }
            test = separate.train();
        }
        return new LoadedData(data.train(), test);
    }

    private static LoadedData loadSplits(Path path, DataOptions options) throws IOException {
        if (Files.isDirectory(path)) {
            if (find(path, TRAIN_IMAGES) != null || find(path, TRAIN_LABELS) != null
                    || find(path, TEST_IMAGES) != null || find(path, TEST_LABELS) != null) {
                return new LoadedData(idx(path, TRAIN_IMAGES, TRAIN_LABELS, options.limit()),
                        find(path, TEST_IMAGES) == null && find(path, TEST_LABELS) == null ? null
                                : idx(path, TEST_IMAGES, TEST_LABELS, options.limit()));
            }
            if (Files.isDirectory(path.resolve("train"))) {
                Path test = path.resolve("test");
                return new LoadedData(npy(path.resolve("train"), options.limit()),
                        Files.isDirectory(test) ? npy(test, options.limit()) : null);
            }
            return new LoadedData(npy(path, options.limit()), null);
        }
        if (!Files.exists(path)) throw new FormatException(path, "no such file or directory");
        String name = path.getFileName().toString().toLowerCase();
        if (name.endsWith(".csv")) return new LoadedData(csv(path, options), null);
        if (name.endsWith(".safetensors")) return new LoadedData(safetensors(path, options.limit()), null);
        throw new FormatException(path, "unknown kind of data: expected a .csv or .safetensors file,"
                + " or a directory of MNIST-style IDX files or of .npy files");
    }

    private static Dataset idx(Path dir, String imagesName, String labelsName, int limit) throws IOException {
        Path imagesFile = find(dir, imagesName);
        Path labelsFile = find(dir, labelsName);
        if (imagesFile == null || labelsFile == null) {
            String missing = imagesFile == null ? imagesName : labelsName;
            String present = imagesFile == null ? labelsFile.getFileName().toString() : imagesFile.getFileName().toString();
            throw new FormatException(dir, "found " + present + " but not " + missing + " or " + missing + ".gz");
        }
        Tensor images = Idx.read(imagesFile);
        Tensor labels = Idx.read(labelsFile);
        if (images.rank() < 2) {
            throw new FormatException(imagesFile, "expected images of shape [n, rows, cols], found " + images);
        }
        if (labels.rank() != 1 || labels.dtype().isFloat()) {
            throw new FormatException(labelsFile, "expected integer labels of shape [n], found " + labels);
        }
        if (images.dim(0) != labels.dim(0)) {
            throw new FormatException(dir, imagesFile.getFileName() + " has " + images.dim(0) + " images but "
                    + labelsFile.getFileName() + " has " + labels.dim(0) + " labels");
        }
        int n = Math.min(images.dim(0), limit);
        int[] shape = images.shape();
        shape[0] = n;
        int count = Math.toIntExact(Tensor.numel(shape));
        float[] pixels = new float[count];
        for (int i = 0; i < count; i++) pixels[i] = (float) images.getDouble(i);
        int[] targets = new int[n];
        for (int i = 0; i < n; i++) targets[i] = labels.getInt(i);
        return Dataset.of(Tensor.of(pixels, shape), Tensor.of(targets, n));
    }

    /** {@code dir/base}, else {@code dir/base.gz}, else null. */
    private static Path find(Path dir, String base) {
        for (Path p : List.of(dir.resolve(base), dir.resolve(base + ".gz"))) {
            if (Files.isRegularFile(p)) return p;
        }
        return null;
    }

    private static Dataset csv(Path file, DataOptions options) throws IOException {
        CsvTable table = Csv.read(file);
        String label = options.labelColumn();
        List<String> featureColumns = table.columns().stream().filter(c -> !c.equals(label)).toList();
        if (featureColumns.isEmpty()) throw new FormatException(file, "no feature columns besides '" + label + "'");
        Tensor target = table.has(label) ? table.vector(label) : null;
        return dataset(file, Map.of("x", table.matrix(featureColumns)), target, options.limit());
    }

    private static Dataset safetensors(Path file, int limit) throws IOException {
        Map<String, Tensor> features = new LinkedHashMap<>(SafeTensors.read(file));
        Tensor target = features.remove(TARGET);
        if (features.isEmpty()) throw new FormatException(file, "no feature tensors besides '" + TARGET + "'");
        return dataset(file, features, target, limit);
    }

    private static Dataset npy(Path dir, int limit) throws IOException {
        List<Path> files;
        try (Stream<Path> list = Files.list(dir)) {
            files = list.filter(p -> p.getFileName().toString().endsWith(".npy") && Files.isRegularFile(p))
                    .sorted().toList();
        }
        Map<String, Tensor> features = new LinkedHashMap<>();
        Tensor target = null;
        for (Path file : files) {
            String name = file.getFileName().toString();
            name = name.substring(0, name.length() - ".npy".length());
            Tensor t = Npy.read(file);
            if (name.equals(TARGET)) target = t;
            else features.put(name, t);
        }
        if (features.isEmpty()) {
            throw new FormatException(dir, "no data found: expected MNIST-style IDX files (" + TRAIN_IMAGES + "[.gz], "
                    + TRAIN_LABELS + "[.gz], optionally " + TEST_IMAGES + "[.gz], " + TEST_LABELS + "[.gz]), or "
                    + "feature .npy files (name.npy, plus target.npy), or train/ and test/ directories of them"
                    + (hasTextFolders(dir) ? "; its folders of .txt files are text data, which a model reads through a text input"
                    + " (input x: text -> Tokenizer(...) -> pad_sequences(...))" : ""));
        }
        return dataset(dir, features, target, limit);
    }

    /** Whether {@code dir} has a subfolder holding .txt files (text data in a folder per class). */
    private static boolean hasTextFolders(Path dir) throws IOException {
        try (Stream<Path> list = Files.list(dir)) {
            for (Path sub : list.filter(Files::isDirectory).toList()) {
                try (Stream<Path> files = Files.list(sub)) {
                    if (files.anyMatch(f -> f.getFileName().toString().endsWith(".txt"))) return true;
                }
            }
        }
        return false;
    }

    private static Dataset dataset(Path where, Map<String, Tensor> features, Tensor target, int limit)
            throws FormatException {
        Dataset data;
        try {
            data = new Dataset(features, target);
        } catch (IllegalArgumentException e) {
            throw new FormatException(where, e.getMessage());
        }
        return data.size() > limit ? data.slice(0, limit) : data;
    }
}
