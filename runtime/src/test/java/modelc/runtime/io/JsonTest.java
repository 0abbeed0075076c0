package modelc.runtime.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonTest {
    @TempDir
    Path dir;

    @Test
    void parsesAllValueKinds() {
        Object v = Json.parse(" {\"a\": [1, -2.5, 3e2, true, false, null], \"b\": {\"c\": \"x\\n\\u00e9\\\"\"}} ");
        Map<String, Object> inner = new LinkedHashMap<>();
        inner.put("c", "x\né\"");
        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("a", Arrays.asList(1L, -2.5, 300.0, true, false, null));
        expected.put("b", inner);
        assertEquals(expected, v);
        assertEquals(List.of("z", "a"), List.copyOf(((Map<?, ?>) Json.parse("{\"z\":1,\"a\":2}")).keySet()));
        assertEquals(1e19, Json.parse("10000000000000000000"));
    }

    @Test
    void writesWhatItParses() {
        String text = "{\"k\":[1,2.5,\"q\\\"\\\\\\n\\u0001é\",true,null,{}],\"e\":[]}";
        assertEquals(text, Json.write(Json.parse(text)));
        assertEquals("[1,2]", Json.write(List.of(1, 2)));
    }

    @Test
    void refusesWhatJsonCannotHold() {
        assertThrows(IllegalArgumentException.class, () -> Json.write(Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> Json.write(Map.of(1, 2)));
        assertThrows(IllegalArgumentException.class, () -> Json.write(new Object()));
    }

    @Test
    void syntaxErrorsSayWhereAndWhat() {
        Json.SyntaxException e = assertThrows(Json.SyntaxException.class, () -> Json.parse("{\n  \"a\": tru }"));
        assertEquals(2, e.line);
        assertEquals(8, e.column);
        assertMessage(() -> Json.parse("[1, 2"), "unexpected end of input");
        assertMessage(() -> Json.parse("{\"a\":1,\"a\":2}"), "duplicate key \"a\"");
        assertMessage(() -> Json.parse("\"abc"), "unterminated string");
        assertMessage(() -> Json.parse("1 2"), "after the JSON value");
        assertMessage(() -> Json.parse("[1.]"), "expected a digit");
        assertMessage(() -> Json.parse("[".repeat(1000)), "nested more than");
    }

    @Test
    void readNamesTheFile() throws Exception {
        Path file = dir.resolve("tokenizer.json");
        Files.writeString(file, "{\"vocab\": {\"a\": 0,}}");
        FormatException e = assertThrows(FormatException.class, () -> Json.read(file));
        assertTrue(e.getMessage().startsWith(file + ": bad JSON"), e.getMessage());
        Files.write(file, new byte[] {'"', (byte) 0xff, '"'});
        assertTrue(assertThrows(FormatException.class, () -> Json.read(file)).getMessage().contains("UTF-8"));
        Files.writeString(file, "{\"ok\": [\"é\"]}", StandardCharsets.UTF_8);
        assertEquals(Map.of("ok", List.of("é")), Json.read(file));
    }

    private static void assertMessage(Runnable r, String part) {
        String message = assertThrows(Json.SyntaxException.class, r::run).getMessage();
        assertTrue(message.contains(part), message);
    }
}
