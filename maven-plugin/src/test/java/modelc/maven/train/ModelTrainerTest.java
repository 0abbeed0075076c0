package modelc.maven.train;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import modelc.compiler.codegen.Dtype;
import modelc.compiler.codegen.Target;
import modelc.runtime.io.SafeTensors;
import org.apache.maven.plugin.logging.SystemStreamLog;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("The train goal's work: a model and a CSV in, weights beside the model out, and no retraining while they are fresh")
class ModelTrainerTest {
    static final String MODEL = """
            sequential Pairs {
                input x: float[2]
                Dense(4, activation=relu)
                Dense(2, activation=softmax)
                compile(loss=sparse_categorical_crossentropy, optimizer=adam, metrics=[accuracy])
                fit(epochs=2, batch_size=8)
            }
            """;

    @TempDir
    Path dir;

    final List<String> lines = new ArrayList<>();

    Path setUp() throws IOException {
        Path model = dir.resolve("pairs.model");
        Files.writeString(model, MODEL);
        StringBuilder csv = new StringBuilder("a,b,label\n");
        for (int i = 0; i < 40; i++) csv.append(i % 5).append(',').append(i % 3).append(',').append(i % 2).append('\n');
        Files.writeString(dir.resolve("pairs.csv"), csv);
        return model;
    }

    ModelTrainer.Outcome train(Path model, List<String> jvmArgs, boolean force) throws Exception {
        return train(model, Target.VECTOR, jvmArgs, force);
    }

    ModelTrainer.Outcome train(Path model, Target target, List<String> jvmArgs, boolean force) throws Exception {
        TrainRequest r = new TrainRequest(model, dir.resolve("pairs.csv"), dir.resolve("pairs.safetensors"), dir.resolve("work"),
                dir.resolve("status/train.status"), Dtype.F32, target, 0, 0, 1, 1, 0, "label", jvmArgs, force, "compiler-1");
        return new ModelTrainer(r, new SystemStreamLog() {
            @Override
            public void info(CharSequence content) {
                lines.add(content.toString());
            }
        }).run();
    }

    @Test
    @DisplayName("trains in this JVM when it has the Vector API module; an unchanged second run does not train")
    void trainsThenIsUpToDate() throws Exception {
        Path model = setUp();
        assertTrue(ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent(), "surefire runs with the module");
        assertTrue(train(model, List.of(), false).trained());
        assertFalse(lines.stream().anyMatch(l -> l.contains("forked JVM")), lines.toString());
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("Epoch 2/2")), lines.toString());
        assertNotNull(SafeTensors.read(dir.resolve("pairs.safetensors")).get("dense.kernel"));

        assertFalse(train(model, List.of(), false).trained());
        assertTrue(train(model, List.of(), true).trained(), "force retrains");
        Files.writeString(model, MODEL.replace("Dense(4", "Dense(6"));
        assertTrue(train(model, List.of(), false).trained(), "an edited model is retrained");
    }

    @Test
    @DisplayName("with jvmArgs it trains in a forked JVM, whose output reaches the log")
    void forks() throws Exception {
        Path model = setUp();
        assertTrue(train(model, List.of("-Xmx256m"), false).trained());
        assertTrue(lines.stream().anyMatch(l -> l.contains("in a forked JVM with --add-modules jdk.incubator.vector")), lines.toString());
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("Epoch 2/2")), lines.toString());
        assertTrue(Files.isRegularFile(dir.resolve("pairs.safetensors")));
    }

    @Test
    @DisplayName("target scalar trains in a forked JVM without the Vector API module; changing the target retrains")
    void scalarForksWithoutTheModule() throws Exception {
        Path model = setUp();
        assertTrue(train(model, Target.SCALAR, List.of("-Xmx256m"), false).trained());
        assertTrue(lines.stream().anyMatch(l -> l.contains("(in a forked JVM)")), lines.toString());
        assertFalse(lines.stream().anyMatch(l -> l.contains("--add-modules")), lines.toString());
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("Epoch 2/2")), lines.toString());
        assertNotNull(SafeTensors.read(dir.resolve("pairs.safetensors")).get("dense.kernel"));
        assertFalse(train(model, Target.SCALAR, List.of("-Xmx256m"), false).trained());
        assertTrue(train(model, List.of(), false).trained(), "the vector target's weights are made anew");
    }

    @Test
    @DisplayName("a compile error in the model is returned as a failure, not thrown")
    void compileError() throws Exception {
        Path model = setUp();
        Files.writeString(model, MODEL.replace("Dense(2", "Dence(2"));
        ModelTrainer.Outcome outcome = train(model, List.of(), false);
        assertFalse(outcome.trained());
        assertTrue(outcome.failure().headlines().get(0).startsWith(model.toAbsolutePath() + ":4:"), outcome.failure().headlines().toString());
    }
}
