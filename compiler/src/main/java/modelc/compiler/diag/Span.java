package modelc.compiler.diag;

/** A region of a source file: 1-based line and column of its first character, and of its end (exclusive). */
public record Span(String file, int line, int column, int endLine, int endColumn) {
    public static Span at(String file, int line, int column) {
        return new Span(file, line, column, line, column + 1);
    }

    /** The span from the start of this one to the end of {@code other}. */
    public Span to(Span other) {
        return new Span(file, line, column, other.endLine, other.endColumn);
    }

    @Override
    public String toString() {
        return file + ":" + line + ":" + column;
    }
}
