package modelc.runtime.text;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class PyRegexTest {

    private static List<String> findAll(String pythonPattern, String text) {
        Matcher m = PyRegex.compile(pythonPattern).matcher(text);
        List<String> out = new ArrayList<>();
        while (m.find()) out.add(m.group());
        return out;
    }

    @Test
    void wordClassExcludesCombiningMarks() {
        // Python: re.findall(r"(?u)\b\w\w+\b", "cafe\u0301 x² ab") == ['cafe', 'x²', 'ab']
        assertEquals(List.of("cafe", "x²", "ab"), findAll("(?u)\\b\\w\\w+\\b", "cafe\u0301 x² ab"));
    }

    @Test
    void negatedWordClassInsideAClass() {
        // Python: re.findall(r"[^\W\d]+", "Ab1cd e2 x__y") == ['Ab', 'cd', 'e', 'x__y']
        assertEquals(List.of("Ab", "cd", "e", "x__y"), findAll("[^\\W\\d]+", "Ab1cd e2 x__y"));
    }

    @Test
    void boundaryAroundAstralLetters() {
        assertEquals(List.of("𝐀𝐁", "ok"), findAll("\\b\\w+\\b", "𝐀𝐁 ok"));
    }

    @Test
    void namedGroupsAndLiteralBrackets() {
        assertEquals(List.of("aa", "bb"), findAll("(?P<c>\\w)(?P=c)", "aa ab bb"));
        assertEquals(List.of("]", "a"), findAll("[]a]", "]xa"));
        Pattern.compile(PyRegex.translate("[a[]")); // '[' inside a class is literal in Python
        assertEquals(List.of("[", "a"), findAll("[a[]", "[xa"));
    }
}
