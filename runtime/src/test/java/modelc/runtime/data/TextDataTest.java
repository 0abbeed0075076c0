package modelc.runtime.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import modelc.runtime.io.FormatException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Raw text data: the aclImdb folder layout and CSV files with a text column. */
class TextDataTest {
    @TempDir
    Path dir;

    private void file(String path, String text) throws IOException {
        Path p = dir.resolve(path);
        Files.createDirectories(p.getParent());
        Files.writeString(p, text, StandardCharsets.UTF_8);
    }

    private void aclImdb() throws IOException {
        file("train/pos/0_9.txt", "A fine film.");
        file("train/pos/1_8.txt", "Loved it, truly.");
        file("train/pos/2_10.txt", "Best of the year.");
        file("train/neg/0_1.txt", "Dull.");
        file("train/neg/1_2.txt", "Not worth it.");
        file("train/neg/notes.md", "not a review");
        file("test/pos/0_9.txt", "Wonderful ♥");
        file("test/neg/0_3.txt", "Boring.");
    }

    @Test
    void aclImdbLayoutHasAlphabeticalClassesInterleaved() throws IOException {
        aclImdb();
        TextData.Loaded d = TextData.load(dir, List.of("review"), DataOptions.defaults(), null);
        assertEquals(List.of("neg", "pos"), d.classNames());
        assertEquals(List.of("Dull.", "A fine film.", "Not worth it.", "Loved it, truly.", "Best of the year."),
                d.train().texts().get("review"), "a file of each class in turn, .txt files only");
        assertArrayEquals(new int[] {0, 1, 0, 1, 1}, (int[]) d.train().target().data());
        assertEquals(List.of("Boring.", "Wonderful ♥"), d.test().texts().get("review"));
        assertArrayEquals(new int[] {0, 1}, (int[]) d.test().target().data());
    }

    @Test
    void aLimitKeepsEveryClassAndClassesMayBeChosen() throws IOException {
        aclImdb();
        file("train/unsup/0_0.txt", "unlabelled");
        TextData.Loaded d = TextData.load(dir, List.of("review"), DataOptions.defaults().withLimit(2), List.of("pos", "neg"));
        assertEquals(List.of("A fine film.", "Dull."), d.train().texts().get("review"));
        assertArrayEquals(new int[] {0, 1}, (int[]) d.train().target().data(), "labels follow the order given");
    }

    @Test
    void classFoldersWithoutTrainAndTestAreTheTrainingSplit() throws IOException {
        file("spam/a.txt", "win money");
        file("ham/a.txt", "see you at lunch");
        TextData.Loaded d = TextData.load(dir, List.of("mail"), DataOptions.defaults(), null);
        assertEquals(List.of("ham", "spam"), d.classNames());
        assertNull(d.test());
    }

    @Test
    void problemsNameTheFolderOrFile() throws IOException {
        aclImdb();
        var e = assertThrows(FormatException.class, () -> TextData.load(dir, List.of("review"), DataOptions.defaults(), List.of("pos", "meh")));
        assertEquals(dir.resolve("train") + ": has no folder for class 'meh'", e.getMessage());
        Files.write(dir.resolve("train/pos/bad.txt"), new byte[] {(byte) 0xff, (byte) 0xfe, 'x'});
        e = assertThrows(FormatException.class, () -> TextData.load(dir, List.of("review"), DataOptions.defaults(), null));
        assertEquals(dir.resolve("train/pos/bad.txt") + ": not valid UTF-8 text", e.getMessage());
        e = assertThrows(FormatException.class, () -> TextData.load(dir, List.of("a", "b"), DataOptions.defaults(), null));
        assertEquals(dir + ": a directory of text files feeds one text input; the model has 2 (a, b): give a CSV with a column for each",
                e.getMessage());
    }

    @Test
    void aTensorLoaderGivenTextFoldersSaysTheyAreText() throws IOException {
        aclImdb();
        var e = assertThrows(FormatException.class, () -> DataLoader.load(dir, DataOptions.defaults()));
        assertTrue(e.getMessage().endsWith("; its folders of .txt files are text data, which a model reads through a text input"
                + " (input x: text -> Tokenizer(...) -> pad_sequences(...))"), e.getMessage());
    }

    @Test
    void csvWithClassNamesOrIndices() throws IOException {
        file("t.csv", "text,label\n\"Great, really great\",pos\nawful,neg\n\"multi\nline\",pos\n");
        TextData.Loaded d = TextData.load(dir.resolve("t.csv"), List.of("review"), DataOptions.defaults(), null);
        assertEquals(List.of("neg", "pos"), d.classNames());
        assertEquals(List.of("Great, really great", "awful", "multi\nline"), d.train().texts().get("review"));
        assertArrayEquals(new int[] {1, 0, 1}, (int[]) d.train().target().data());

        file("n.csv", "review,stars\nok,3\ngood,5\n");
        d = TextData.load(dir.resolve("n.csv"), List.of("review"), DataOptions.defaults().withLabelColumn("stars"), null);
        assertEquals(List.of(), d.classNames());
        assertArrayEquals(new int[] {3, 5}, (int[]) d.train().target().data());

        var e = assertThrows(FormatException.class, () -> TextData.load(dir.resolve("n.csv"), List.of("body"), DataOptions.defaults(), null));
        assertEquals(dir.resolve("n.csv") + ": no column 'body' or 'text' for the text input 'body'; columns: review, stars", e.getMessage());
        file("u.csv", "text,label\nx,pos\ny,maybe\n");
        e = assertThrows(FormatException.class,
                () -> TextData.load(dir.resolve("u.csv"), List.of("t"), DataOptions.defaults(), List.of("neg", "pos")));
        assertEquals(dir.resolve("u.csv") + ": line 3: label 'maybe' is not one of the classes neg, pos", e.getMessage());
    }

    @Test
    void tensorInputsOfAMixedModelComeFromNumericColumns() throws IOException {
        file("mixed.csv", "id,review,stars,grid_0,grid_1,grid_2,grid_3,label\n"
                + "a,\"Fine, really.\",4,1,2,3,4,pos\n"
                + "b,Dull.,1.5,5,6,7,-8,neg\n");
        List<TextData.TensorInput> tensors = List.of(new TextData.TensorInput("stars", new int[] {1}, false),
                new TextData.TensorInput("grid", new int[] {2, 2}, true));
        assertEquals(List.of("grid_0", "grid_1", "grid_2", "grid_3"), tensors.get(1).columns());
        TextData.Loaded d = TextData.load(dir.resolve("mixed.csv"), List.of("review"), tensors, DataOptions.defaults(), null);
        assertEquals(List.of("Fine, really.", "Dull."), d.train().texts().get("review"));
        assertArrayEquals(new float[] {4, 1.5f}, (float[]) d.train().tensors().get("stars").data());
        assertArrayEquals(new int[] {2, 1}, d.train().tensors().get("stars").shape());
        assertArrayEquals(new int[] {1, 2, 3, 4, 5, 6, 7, -8}, (int[]) d.train().tensors().get("grid").data());
        assertArrayEquals(new int[] {2, 2, 2}, d.train().tensors().get("grid").shape());
        assertArrayEquals(new int[] {1, 0}, (int[]) d.train().target().data());
    }

    @Test
    void aMixedModelsColumnsMustBeThereAndHoldNumbers() throws IOException {
        List<TextData.TensorInput> stars = List.of(new TextData.TensorInput("stars", new int[] {2}, false));
        List<TextData.TensorInput> ids = List.of(new TextData.TensorInput("ids", new int[] {1}, true));
        file("missing.csv", "review,stars_0,label\nFine.,4,1\n");
        assertEquals("no column 'stars_1' for the tensor input 'stars' (float[2]: columns stars_0, stars_1); columns: review, stars_0, label",
                assertThrows(FormatException.class, () -> TextData.load(dir.resolve("missing.csv"), List.of("review"), stars,
                        DataOptions.defaults(), null)).getMessage().replace(dir.resolve("missing.csv") + ": ", ""));
        file("bad.csv", "review,stars_0,stars_1,ids,label\nFine.,4,1,3,1\n\"Dull,\nreally.\", ,2,1.5,0\nOk.,x,2,1,1\n");
        assertTrue(assertThrows(FormatException.class, () -> TextData.load(dir.resolve("bad.csv"), List.of("review"), stars,
                DataOptions.defaults(), null)).getMessage().endsWith("bad.csv: line 3, column 2 ('stars_0'): empty cell"));
        assertTrue(assertThrows(FormatException.class, () -> TextData.load(dir.resolve("bad.csv"), List.of("review"), ids,
                DataOptions.defaults(), null)).getMessage().endsWith("bad.csv: line 3, column 4 ('ids'): '1.5' is not an integer"));
        file("word.csv", "review,stars_0,stars_1,label\nFine.,4,one,1\n");
        assertEquals(dir.resolve("word.csv") + ": line 2, column 3 ('stars_1'): 'one' is not a number",
                assertThrows(FormatException.class, () -> TextData.load(dir.resolve("word.csv"), List.of("review"), stars,
                        DataOptions.defaults(), null)).getMessage());
        assertEquals(1, TextData.load(dir.resolve("bad.csv"), List.of("review"), stars, DataOptions.defaults().withLimit(1), null)
                .train().size(), "rows past --limit are not read");
        aclImdb();
        assertEquals(dir + ": class folders of .txt files hold only texts, but the model also reads the tensor input 'stars'"
                + " (float[2]): give a CSV with the columns review, stars_0, stars_1, label",
                assertThrows(FormatException.class, () -> TextData.load(dir, List.of("review"), stars, DataOptions.defaults(), null))
                        .getMessage());
    }
}
