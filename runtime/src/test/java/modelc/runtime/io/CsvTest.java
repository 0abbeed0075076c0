package modelc.runtime.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import modelc.runtime.DType;
import modelc.runtime.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvTest {
    @TempDir
    Path dir;

    @Test
    void readsQuotedFieldsCrlfAndBlankLines() throws Exception {
        CsvTable t = Csv.read(file("\uFEFFa, \"b,with comma\",\"say \"\"c\"\"\",label\r\n"
                + "1, 2.5 ,-3e2,0\r\n\r\n\"4\",.5,NaN,1\n7,8,-inf,\"2\"\n"));
        assertEquals(List.of("a", "b,with comma", "say \"c\"", "label"), t.columns());
        assertEquals(3, t.rows());
        assertEquals(-300, t.value(0, "say \"c\""));
        assertTrue(Double.isNaN(t.value(1, "say \"c\"")));
        assertEquals(Double.NEGATIVE_INFINITY, t.value(2, "say \"c\""));

        Tensor x = t.matrix(List.of("a", "b,with comma"));
        assertArrayEquals(new int[] {3, 2}, x.shape());
        assertArrayEquals(new float[] {1, 2.5f, 4, 0.5f, 7, 8}, x.floats());
        Tensor labels = t.vector("label");
        assertEquals(DType.I32, labels.dtype());
        assertArrayEquals(new int[] {0, 1, 2}, (int[]) labels.data());
        assertEquals(DType.F32, t.vector("b,with comma").dtype());
    }

    @Test
    void quotedFieldsMaySpanLines() throws Exception {
        CsvTable t = Csv.read(file("\"first\nname\",y\n1,\"2\r\n\"\n"));
        assertEquals(List.of("first\nname", "y"), t.columns());
        assertEquals(1, t.rows());
        assertEquals(2, t.value(0, "y"));
    }

    @Test
    void errorsNameFileLineAndColumn() throws Exception {
        assertProblem(file("x,y\n1,2\n3,oops\n"), "line 3, column 2 ('y'): 'oops' is not a number");
        assertProblem(file("\"a\nb\",y\n1,2\n3,oops\n"), "line 4, column 2 ('y'): 'oops' is not a number");
        assertProblem(file("x,y\n1,\n"), "line 2, column 2 ('y'): empty cell");
        assertProblem(file("x,y\n1,2,3\n"), "line 2: 3 fields, but the header has 2 columns");
        assertProblem(file("x,x\n1,2\n"), "column name 'x' appears twice");
        assertProblem(file(""), "empty file");
        assertProblem(file("x,y\n\"1,2\n"), "line 2: unterminated quoted field");
        assertProblem(file("x,y\n\"1\"2,3\n"), "line 2: unexpected '2' after a closing quote");
        assertProblem(file("x,y\n0x10,1e\n"), "'0x10' is not a number");
        Path latin1 = dir.resolve("l.csv");
        Files.write(latin1, new byte[] {'x', '\n', (byte) 0xe9, '\n'});
        assertProblem(latin1, "not valid UTF-8");
    }

    @Test
    void unknownColumnNamesTheColumns() throws Exception {
        CsvTable t = Csv.read(file("x,y\n1,2\n"));
        String message = assertThrows(IllegalArgumentException.class, () -> t.vector("label")).getMessage();
        assertTrue(message.contains("no column 'label' (columns: [x, y])"), message);
    }

    private int count;

    private Path file(String text) throws Exception {
        Path file = dir.resolve("t" + count++ + ".csv");
        Files.writeString(file, text);
        return file;
    }

    private static void assertProblem(Path file, String problem) {
        FormatException e = assertThrows(FormatException.class, () -> Csv.read(file));
        assertEquals(file, e.file());
        assertTrue(e.problem().contains(problem), e.getMessage());
    }
}
