package example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class FlowerClassifierTest {
    @Test
    void theWeightsTrainedAtBuildTimeClassifyTheData() throws Exception {
        FlowerClassifier classifier = new FlowerClassifier();
        List<String> rows = Files.readAllLines(Path.of("data/flowers.csv"));
        int right = 0;
        for (String row : rows.subList(1, rows.size())) {
            String[] f = row.split(",");
            float[] x = new float[4];
            for (int i = 0; i < 4; i++) x[i] = Float.parseFloat(f[i]);
            if (classifier.classify(x).equals(FlowerClassifier.KINDS[Integer.parseInt(f[4])])) right++;
        }
        double accuracy = right / (double) (rows.size() - 1);
        assertTrue(accuracy > 0.9, "accuracy " + accuracy);
    }

    @Test
    void oneClassifierServesManyThreads() throws Exception {
        FlowerClassifier classifier = new FlowerClassifier();
        float[] setosa = {5.0f, 3.4f, 1.5f, 0.2f};
        try (var pool = Executors.newFixedThreadPool(4)) {
            List<Future<String>> answers = new java.util.ArrayList<>();
            for (int i = 0; i < 64; i++) answers.add(pool.submit(() -> classifier.classify(setosa)));
            for (Future<String> a : answers) assertEquals("setosa", a.get());
        }
    }

    @Test
    void theCommandLinePrintsAKindPerFlower() throws Exception {
        var out = new java.io.ByteArrayOutputStream();
        var old = System.out;
        System.setOut(new java.io.PrintStream(out, true));
        try {
            FlowerCli.main(new String[] {"5.0,3.4,1.5,0.2", "6.6,3.0,5.6,2.0"});
        } finally {
            System.setOut(old);
        }
        List<String> lines = out.toString().lines().toList();
        assertEquals(2, lines.size(), out.toString());
        assertTrue(lines.get(0).contains("-> setosa"), lines.get(0));
        assertTrue(lines.get(1).contains("-> virginica"), lines.get(1));
    }
}
