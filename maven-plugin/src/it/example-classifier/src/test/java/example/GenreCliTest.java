package example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import example.model.GenreNetPredictor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class GenreCliTest {
    @Test
    void theBundledModelReadsRawTextOfHeldOutPassages() throws Exception {
        GenreNetPredictor predictor = GenreNetPredictor.load();
        assertEquals(List.of("press", "prose"), predictor.text().classNames());
        int right = 0, all = 0;
        for (String genre : List.of("press", "prose")) {
            try (Stream<Path> files = Files.list(Path.of("data/genre/test", genre))) {
                for (Path f : files.toList()) {
                    all++;
                    if (predictor.predictLabel(Files.readString(f)).equals(genre)) right++;
                }
            }
        }
        assertEquals(20, all);
        assertTrue(right >= 15, right + " of " + all + " held-out passages right");
    }
}
