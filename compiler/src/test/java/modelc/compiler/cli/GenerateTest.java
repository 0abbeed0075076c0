package modelc.compiler.cli;

import static modelc.compiler.cli.Cli.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code modelc predict --generate} samples tokens from a next-token model, reproducibly for a seed. */
class GenerateTest {
    @TempDir
    Path dir;

    @Test
    void samplesAfterThePromptReproducibly() {
        Path model = Cli.write(dir.resolve("lm.model"), """
                sequential Lm {
                    input chars: int[8]
                    Embedding(6, 4)
                    GRU(5, return_sequences=true)
                    TimeDistributed(Dense(6, activation=softmax))
                    compile(loss=sparse_categorical_crossentropy, optimizer=adam)
                }
                """);
        Path vocab = Cli.write(dir.resolve("vocabulary.txt"), "<pad>\n<unk>\na\nb\n\\n\n \n");
        Path weights = dir.resolve("w.safetensors");
        assertEquals(0, run("init", model, "--out", weights).exit());
        Cli.Run a = run("predict", model, "--weights", weights, "--generate", 30, "--vocabulary", vocab, "--prompt", "ab a", "--seed", 3);
        assertEquals(0, a.exit(), a::toString);
        String text = a.out().stripTrailing();
        assertTrue(text.startsWith("ab a"), text);
        assertTrue(text.chars().allMatch(c -> "ab \n<padunk>".indexOf(c) >= 0), text);
        assertEquals(a.out(), run("predict", model, "--weights", weights, "--generate", 30, "--vocabulary", vocab, "--prompt", "ab a", "--seed", 3).out());
        assertNotEquals(a.out(), run("predict", model, "--weights", weights, "--generate", 30, "--vocabulary", vocab, "--prompt", "ab a", "--seed", 4).out());
        Cli.Run bad = run("predict", model, "--weights", weights, "--generate", 5, "--vocabulary", vocab, "--temperature", 0);
        assertEquals(1, bad.exit(), bad::toString);
        assertTrue(bad.err().contains("--temperature must be positive"), bad.err());
    }
}
