package modelc.runtime.text;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Expected strings are CPython's json.dumps / repr output. */
class PyJsonTest {

    @Test
    void floatsLikePythonRepr() {
        assertEquals("1.0", PyJson.floatRepr(1.0));
        assertEquals("0.5", PyJson.floatRepr(0.5));
        assertEquals("0.1", PyJson.floatRepr(0.1));
        assertEquals("0.0001", PyJson.floatRepr(1e-4));
        assertEquals("1e-05", PyJson.floatRepr(1e-5));
        assertEquals("1.5e-07", PyJson.floatRepr(1.5e-7));
        assertEquals("1000000000000000.0", PyJson.floatRepr(1e15));
        assertEquals("1e+16", PyJson.floatRepr(1e16));
        assertEquals("1.2345e+100", PyJson.floatRepr(1.2345e100));
        assertEquals("123.456", PyJson.floatRepr(123.456));
        assertEquals("-0.0", PyJson.floatRepr(-0.0));
        assertEquals("0.30000000000000004", PyJson.floatRepr(0.1 + 0.2));
    }

    @Test
    void stringsAndContainersLikeJsonDumps() {
        Map<Object, Object> m = new LinkedHashMap<>();
        m.put(1, "caf\u00e9 \"q\" \\ \t\u0001\u007f😀");
        m.put("k", Arrays.asList(true, null, 3L, 2.5));
        assertEquals("{\"1\": \"caf\\u00e9 \\\"q\\\" \\\\ \\t\\u0001\\u007f\\ud83d\\ude00\", "
                + "\"k\": [true, null, 3, 2.5]}", PyJson.dumps(m));
    }
}
