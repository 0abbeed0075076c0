package modelc.runtime.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/** Expected values are CPython 3.11 results. */
class PyStringsTest {

    @Test
    void finalSigmaFollowsCPython() {
        // cases where the JDK's String.toLowerCase disagrees with CPython
        assertEquals("\u03b1\u03c3:\u03b2", PyStrings.lower("ΑΣ:Β"));
        assertEquals("\u03b1\u03c2_\u03b2", PyStrings.lower("ΑΣ_Β"));
        assertEquals("\u03b1\u03c2\u02b0", PyStrings.lower("ΑΣʰ"));
        assertEquals("\u02b0\u03c3", PyStrings.lower("ʰΣ"));
        assertEquals("\u03b1\u03c2\u2010\u03b2", PyStrings.lower("ΑΣ‐Β"));
        assertEquals("\u03b1\u03c3\u00b7\u03b2", PyStrings.lower("ΑΣ·Β"));
        // cases where they agree
        assertEquals("\u03bf\u03b4\u03bf\u03c2", PyStrings.lower("ΟΔΟΣ"));
        assertEquals("\u03c3", PyStrings.lower("Σ"));
        assertEquals("\u03c3\u03c2", PyStrings.lower("ΣΣ"));
        assertEquals("\u03b1\u03c3\u03b1", PyStrings.lower("ΑΣΑ"));
        assertEquals("i\u0307stanbul", PyStrings.lower("İSTANBUL"));
    }

    @Test
    void lowerWithoutSigmaIsTheJdkRootLower() {
        String s = "ÀÉÎ Straße ǅ ΩMEGA Ⅻ 𝐀";
        assertEquals(s.toLowerCase(Locale.ROOT), PyStrings.lower(s));
    }

    @Test
    void literalSplitKeepsEmptyPieces() {
        assertEquals(List.of("a", "", "b", ""), PyStrings.split("a  b ", " "));
        assertEquals(List.of("a.b"), PyStrings.split("a.b", ".."));
    }

    @Test
    void codePointsKeepSurrogatePairs() {
        assertEquals(List.of("a", "😀", "b"), PyStrings.codePoints("a😀b"));
        assertEquals(3, PyStrings.length("a😀b"));
    }

    @Test
    void orderIsByCodePointNotUtf16() {
        List<String> words = new ArrayList<>(List.of("😀x", "ｚz", "éclair", "zeta", "ab"));
        words.sort(PyStrings.CODE_POINT_ORDER);
        assertEquals(List.of("ab", "zeta", "éclair", "ｚz", "😀x"), words); // Python's sorted()
        assertTrue(PyStrings.compare("ab", "abc") < 0);
        assertEquals(0, PyStrings.compare("😀", "😀"));
    }

    @Test
    void wordCharactersArePythons() {
        assertTrue(PyStrings.isWordChar('a'));
        assertTrue(PyStrings.isWordChar('_'));
        assertTrue(PyStrings.isWordChar('²')); // No
        assertTrue(PyStrings.isWordChar('①')); // No
        assertTrue(PyStrings.isWordChar(0x1D400)); // astral letter
        assertFalse(PyStrings.isWordChar(0x0301)); // combining acute (Mn)
        assertFalse(PyStrings.isWordChar(0x203F)); // undertie (Pc)
        assertFalse(PyStrings.isWordChar('\''));
    }
}
