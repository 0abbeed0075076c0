package modelc.runtime.io;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A file that cannot be read as what it claims to be: truncated, corrupt, of the wrong format, or
 * inconsistent. The message starts with the file and then says what is wrong with it.
 */
public final class FormatException extends IOException {
    private final Path file;
    private final String problem;

    public FormatException(Path file, String problem) {
        this(file, problem, null);
    }

    public FormatException(Path file, String problem, Throwable cause) {
        super(file + ": " + problem, cause);
        this.file = file;
        this.problem = problem;
    }

    /** The file (or directory) at fault. */
    public Path file() { return file; }

    /** What is wrong, without the file name. */
    public String problem() { return problem; }
}
