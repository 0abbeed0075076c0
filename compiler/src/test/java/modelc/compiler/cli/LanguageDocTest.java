package modelc.compiler.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every example that docs/language.md marks as a complete file ({@code ```model}) is accepted by {@code modelc summary}. */
class LanguageDocTest {
    @TempDir
    Path dir;

    @Test
    void everyDocumentedModelCompiles() throws IOException {
        String doc = Files.readString(Cli.repo().resolve("docs/language.md"));
        Matcher m = Pattern.compile("```model\\n(.*?)```", Pattern.DOTALL).matcher(doc);
        List<String> failures = new ArrayList<>();
        int count = 0;
        while (m.find()) {
            Path file = Cli.write(dir.resolve("example" + ++count + ".model"), m.group(1));
            Cli.Run r = Cli.run("summary", file);
            if (r.exit() != 0) failures.add(m.group(1) + r.err());
        }
        assertTrue(count >= 5, "found " + count + " examples");
        assertEquals(List.of(), failures);
    }
}
