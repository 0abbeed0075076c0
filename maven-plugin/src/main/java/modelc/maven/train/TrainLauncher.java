package modelc.maven.train;

import java.nio.file.Path;
import modelc.runtime.io.FormatException;
import modelc.runtime.train.CompiledModel;
import modelc.runtime.train.TrainMain;
import modelc.runtime.train.Weights;

/**
 * The main class of the JVM that the train goal forks when Maven's own JVM lacks
 * {@code jdk.incubator.vector}. Depends on the runtime only. Arguments, all required, in order:
 * model class, data, weights to write, checkpoint, epochs, batch size, seed, threads, limit, label
 * column
 * (0 for a number means "as the model file says" or "no limit").
 */
public final class TrainLauncher {
    private TrainLauncher() {}

    public static void main(String[] args) throws Exception {
        if (args.length != 10) {
            System.err.println("usage: TrainLauncher CLASS DATA WEIGHTS CHECKPOINT EPOCHS BATCH SEED THREADS LIMIT LABEL_COLUMN");
            System.exit(2);
        }
        CompiledModel model = (CompiledModel) Class.forName(args[0]).getDeclaredConstructor().newInstance();
        TrainMain.Config config = new TrainMain.Config(Path.of(args[1]), Integer.parseInt(args[4]), Integer.parseInt(args[5]),
                Long.parseLong(args[6]), Integer.parseInt(args[7]), Path.of(args[2]), Path.of(args[3]), false,
                Integer.parseInt(args[8]), args[9]);
        try {
            TrainMain.run(model, config, System.out);
        } catch (FormatException | Weights.MismatchException e) {
            System.err.println("error: " + e.getMessage());
            System.exit(1);
        }
    }
}
