package modelc.runtime.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import modelc.runtime.DType;
import modelc.runtime.Tensor;
import modelc.runtime.io.FormatException;
import modelc.runtime.io.Idx;
import modelc.runtime.io.Npy;
import modelc.runtime.io.SafeTensors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataLoaderTest {
    @TempDir
    Path dir;

    /** The repository's data/fashion-mnist, found from the module directory Maven runs tests in. */
    private static Path bundled() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path candidate = p.resolve("data/fashion-mnist");
            if (Files.isDirectory(candidate)) return candidate;
        }
        throw new AssertionError("data/fashion-mnist not found above " + Path.of("").toAbsolutePath());
    }

    @Test
    void loadsTheBundledFashionMnistSubset() throws Exception {
        LoadedData data = DataLoader.load(bundled(), DataOptions.defaults());
        checkSplit(data.train(), 10000);
        checkSplit(data.test(), 2000);
    }

    private static void checkSplit(Dataset split, int n) {
        assertEquals(n, split.size());
        assertEquals(List.of("x"), List.copyOf(split.features().keySet()));
        Tensor x = split.features().get("x");
        assertEquals(DType.F32, x.dtype());
        assertArrayEquals(new int[] {n, 28, 28}, x.shape());
        float max = 0;
        for (float v : x.floats()) {
            assertTrue(v >= 0 && v <= 255 && v == Math.rint(v));
            max = Math.max(max, v);
        }
        assertEquals(255, max);
        Tensor y = split.target();
        assertEquals(DType.I32, y.dtype());
        assertArrayEquals(new int[] {n}, y.shape());
        int[] counts = new int[10];
        for (int label : (int[]) y.data()) counts[label]++;  // out of range would throw
        for (int c : counts) assertTrue(c > n / 20, "every class is present");
    }

    @Test
    void limitKeepsTheFirstSamples() throws Exception {
        LoadedData all = DataLoader.load(bundled(), DataOptions.defaults());
        LoadedData few = DataLoader.load(bundled(), DataOptions.defaults().withLimit(50));
        assertEquals(50, few.train().size());
        assertEquals(50, few.test().size());
        assertArrayEquals(all.train().slice(0, 50).features().get("x").floats(), few.train().features().get("x").floats());
        assertArrayEquals((int[]) all.test().slice(0, 50).target().data(), (int[]) few.test().target().data());
    }

    @Test
    void idxProblemsNameTheFiles() throws Exception {
        Idx.write(dir.resolve("train-images-idx3-ubyte.gz"), Tensor.ofBytes(new byte[6 * 4], 6, 2, 2));
        Idx.write(dir.resolve("train-labels-idx1-ubyte"), Tensor.ofBytes(new byte[5], 5));
        assertProblem(dir, "train-images-idx3-ubyte.gz has 6 images but train-labels-idx1-ubyte has 5 labels");

        Idx.write(dir.resolve("train-labels-idx1-ubyte"), Tensor.ofBytes(new byte[6], 6));
        Idx.write(dir.resolve("t10k-images-idx3-ubyte"), Tensor.ofBytes(new byte[4], 1, 2, 2));
        assertProblem(dir, "found t10k-images-idx3-ubyte but not t10k-labels-idx1-ubyte or t10k-labels-idx1-ubyte.gz");

        Idx.write(dir.resolve("t10k-labels-idx1-ubyte.gz"), Tensor.ofBytes(new byte[] {9}, 1));
        LoadedData data = DataLoader.load(dir, DataOptions.defaults());
        assertEquals(6, data.train().size());
        assertArrayEquals(new int[] {9}, (int[]) data.test().target().data());
    }

    @Test
    void csvWithLabelColumnAndSeparateTestFile() throws Exception {
        Path train = dir.resolve("train.csv");
        Files.writeString(train, "a,species,b\n1,0,2\n3,2,4\n5,1,6\n");
        Path test = dir.resolve("test.csv");
        Files.writeString(test, "a,species,b\n7,1,8\n");
        LoadedData data = DataLoader.load(train, DataOptions.defaults().withLabelColumn("species").withTestFile(test));
        Tensor x = data.train().features().get("x");
        assertArrayEquals(new int[] {3, 2}, x.shape());
        assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, x.floats());
        assertArrayEquals(new int[] {0, 2, 1}, (int[]) data.train().target().data());
        assertArrayEquals(new float[] {7, 8}, data.test().features().get("x").floats());

        Files.writeString(train, "x,label\n1,0.5\n2,1.5\n");
        LoadedData regression = DataLoader.load(train, DataOptions.defaults());
        assertArrayEquals(new float[] {0.5f, 1.5f}, regression.train().target().floats());
        assertNull(regression.test());

        Files.writeString(train, "x,y\n1,2\n");
        assertNull(DataLoader.load(train, DataOptions.defaults()).train().target(), "no label column: data to predict on");
        Files.writeString(train, "label\n1\n");
        assertProblem(train, "no feature columns besides 'label'");
    }

    @Test
    void safetensorsFile() throws Exception {
        Path file = dir.resolve("d.safetensors");
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        tensors.put("tokens", Tensor.of(new int[] {1, 2, 3, 4, 5, 6}, 3, 2));
        tensors.put("target", Tensor.of(new float[] {1, 0, 1}, 3));
        tensors.put("mask", Tensor.ofBytes(new byte[] {1, 1, 0}, 3));
        SafeTensors.write(file, tensors);
        Dataset d = DataLoader.load(file, DataOptions.defaults().withLimit(2)).train();
        assertEquals(List.of("tokens", "mask"), List.copyOf(d.features().keySet()));
        assertEquals(2, d.size());
        assertArrayEquals(new float[] {1, 0}, d.target().floats());

        tensors.put("mask", Tensor.ofBytes(new byte[] {1, 1}, 2));
        SafeTensors.write(file, tensors);
        assertProblem(file, "tensors disagree on the number of samples: 'tokens' has 3, 'mask' has 2, 'target' has 3");
    }

    @Test
    void npyDirectories() throws Exception {
        Files.createDirectories(dir.resolve("train"));
        Files.createDirectories(dir.resolve("test"));
        Npy.write(dir.resolve("train/x.npy"), Tensor.of(new float[] {1, 2, 3, 4}, 2, 2));
        Npy.write(dir.resolve("train/target.npy"), Tensor.of(new long[] {0, 1}, 2));
        Npy.write(dir.resolve("test/x.npy"), Tensor.of(new float[] {5, 6}, 1, 2));
        LoadedData data = DataLoader.load(dir, DataOptions.defaults());
        assertEquals(2, data.train().size());
        assertArrayEquals(new long[] {0, 1}, (long[]) data.train().target().data());
        assertEquals(1, data.test().size());
        assertNull(data.test().target());

        LoadedData flat = DataLoader.load(dir.resolve("train"), DataOptions.defaults());
        assertEquals(2, flat.train().size());
        assertNull(flat.test());
    }

    @Test
    void unusablePathsSayWhatWasExpected() throws Exception {
        assertProblem(dir.resolve("missing.csv"), "no such file or directory");
        Path other = dir.resolve("data.json");
        Files.writeString(other, "{}");
        assertProblem(other, "unknown kind of data");
        Path empty = Files.createDirectories(dir.resolve("empty"));
        assertProblem(empty, "no data found: expected MNIST-style IDX files (train-images-idx3-ubyte[.gz]");
    }

    private static void assertProblem(Path path, String problem) {
        FormatException e = assertThrows(FormatException.class, () -> DataLoader.load(path, DataOptions.defaults()));
        assertTrue(e.getMessage().contains(problem), e.getMessage());
    }
}
