package modelc.runtime.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import modelc.runtime.Tensor;
import org.junit.jupiter.api.Test;

class DatasetTest {
    private static Dataset sample() {
        Map<String, Tensor> features = new LinkedHashMap<>();
        features.put("x", Tensor.of(new float[] {0, 1, 10, 11, 20, 21, 30, 31}, 4, 2));
        features.put("id", Tensor.ofBytes(new byte[] {5, 6, 7, 8}, 4));
        return new Dataset(features, Tensor.of(new long[] {100, 101, 102, 103}, 4));
    }

    @Test
    void sliceAndTakeCopyRowsOfEveryTensor() {
        Dataset d = sample();
        assertEquals(4, d.size());
        assertEquals(List.of("x", "id"), List.copyOf(d.features().keySet()));

        Dataset s = d.slice(1, 3);
        assertEquals(2, s.size());
        assertArrayEquals(new float[] {10, 11, 20, 21}, s.features().get("x").floats());
        assertArrayEquals(new int[] {2, 2}, s.features().get("x").shape());
        assertArrayEquals(new byte[] {6, 7}, (byte[]) s.features().get("id").data());
        assertArrayEquals(new long[] {101, 102}, (long[]) s.target().data());

        Dataset t = d.take(new int[] {3, 0, 3});
        assertArrayEquals(new float[] {30, 31, 0, 1, 30, 31}, t.features().get("x").floats());
        assertArrayEquals(new long[] {103, 100, 103}, (long[]) t.target().data());

        assertEquals(0, d.slice(2, 2).size());
        assertThrows(IndexOutOfBoundsException.class, () -> d.slice(3, 5));
        assertThrows(IndexOutOfBoundsException.class, () -> d.take(new int[] {4}));
        assertThrows(UnsupportedOperationException.class, () -> d.features().clear());
    }

    @Test
    void targetIsOptional() {
        Dataset d = Dataset.of(Tensor.of(new float[6], 3, 2), null);
        assertNull(d.target());
        assertNull(d.take(new int[] {2}).target());
    }

    @Test
    void mismatchedSampleCountsNameTheTensors() {
        Map<String, Tensor> features = new LinkedHashMap<>();
        features.put("images", Tensor.of(new float[12], 6, 2));
        features.put("ids", Tensor.of(new int[6], 6));
        String message = assertThrows(IllegalArgumentException.class,
                () -> new Dataset(features, Tensor.of(new int[5], 5))).getMessage();
        assertEquals("tensors disagree on the number of samples: 'images' has 6, 'ids' has 6, 'target' has 5", message);
        assertThrows(IllegalArgumentException.class, () -> new Dataset(Map.of(), null));
        message = assertThrows(IllegalArgumentException.class,
                () -> new Dataset(Map.of("s", Tensor.of(new float[] {1})), null)).getMessage();
        assertTrue(message.contains("'s' is a scalar"), message);
    }
}
