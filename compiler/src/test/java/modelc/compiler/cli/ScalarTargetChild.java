package modelc.compiler.cli;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The {@code main} that {@link ScalarTargetTest} starts in a JVM without {@code --add-modules
 * jdk.incubator.vector}: runs several {@code modelc} command lines, separated by {@code ";"}, one
 * after the other, and exits with the first failure's status.
 */
public final class ScalarTargetChild {
    private ScalarTargetChild() {}

    public static void main(String[] args) {
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()) {
            System.err.println("this JVM has jdk.incubator.vector; the test needs one without it");
            System.exit(3);
        }
        List<String> command = new ArrayList<>();
        for (String a : Arrays.copyOf(args, args.length + 1)) {
            if (a != null && !a.equals(";")) {
                command.add(a);
                continue;
            }
            int exit = Main.run(command.toArray(String[]::new));
            if (exit != 0) System.exit(exit);
            command.clear();
        }
        System.exit(0);
    }
}
