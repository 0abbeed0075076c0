package modelc.compiler.cli;

import static modelc.compiler.cli.Cli.run;
import static modelc.compiler.cli.Cli.write;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code modelc summary} prints Keras 3's table, with Keras's parameter counts. */
class SummaryCommandTest {
    @TempDir
    Path dir;

    @Test
    void fashionMlpHasKerassCounts() {
        Cli.Run r = run("summary", Cli.repo().resolve("examples/fashion_mlp.model"));
        assertEquals(0, r.exit(), r::toString);
        assertEquals("""
                Model: "FashionMlp"
                ┏━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━┓
                ┃ Layer (type)                    ┃ Output Shape           ┃       Param # ┃
                ┡━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━┩
                │ rescaling (Rescaling)           │ (None, 28, 28)         │             0 │
                ├─────────────────────────────────┼────────────────────────┼───────────────┤
                │ flatten (Flatten)               │ (None, 784)            │             0 │
                ├─────────────────────────────────┼────────────────────────┼───────────────┤
                │ dense (Dense)                   │ (None, 256)            │       200,960 │
                ├─────────────────────────────────┼────────────────────────┼───────────────┤
                │ dense_1 (Dense)                 │ (None, 128)            │        32,896 │
                ├─────────────────────────────────┼────────────────────────┼───────────────┤
                │ dense_2 (Dense)                 │ (None, 10)             │         1,290 │
                └─────────────────────────────────┴────────────────────────┴───────────────┘
                 Total params: 235,146 (918.54 KB)
                 Trainable params: 235,146 (918.54 KB)
                 Non-trainable params: 0 (0.00 B)
                """, r.out());
        assertEquals("", r.err());
    }

    /** Recurrent layers count as Keras counts them: GRU reset_after 3u(F+u+2), LSTM 4(Fu+u²+u), Bidirectional twice its layer. */
    @Test
    void recurrentLayersHaveKerassCounts() {
        Path m = write(dir.resolve("rnn.model"), """
                sequential Rnns {
                    input t: int[20]
                    Embedding(1000, 64, mask_zero=true)
                    GRU(64, return_sequences=true)
                    GRU(4, reset_after=false, return_sequences=true)
                    Bidirectional(LSTM(16, return_sequences=true))
                    SimpleRNN(8, return_sequences=true)
                    TimeDistributed(Dense(5, activation=softmax))
                    compile(loss=sparse_categorical_crossentropy, optimizer=adam)
                }
                """);
        Cli.Run r = run("summary", m);
        assertEquals(0, r.exit(), r::toString);
        String out = r.out();
        // GRU(64) on 64 features: 3·64·(64 + 64 + 2) = 24,960; GRU(4), reset_after=false, on 64: 3·(64·4 + 16 + 4) = 828;
        // LSTM(16) on 4: 4·(4·16 + 256 + 16) = 1,344, twice; SimpleRNN(8) on 32: 256 + 64 + 8 = 328; Dense(5) on 8: 45.
        for (String row : new String[] {"│ gru (GRU)                       │ (None, 20, 64)         │        24,960 │",
                "│ gru_1 (GRU)                     │ (None, 20, 4)          │           828 │",
                "│ bidirectional (Bidirectional)   │ (None, 20, 32)         │         2,688 │",
                "│ simple_rnn (SimpleRNN)          │ (None, 20, 8)          │           328 │",
                "│ time_distributed                │ (None, 20, 5)          │            45 │"}) {
            assertEquals(true, out.contains(row), () -> "missing row\n" + row + "\nin\n" + out);
        }
        assertEquals(true, out.contains(" Total params: 92,849 "), out);
    }

    /** A functional model that is a plain chain gets Keras's sequential table, with its input as the first row. */
    @Test
    void aDenseWithoutBiasCountsOnlyItsKernel() {
        Path m = write(dir.resolve("nobias.model"), """
                model NoBias {
                    input x: float[10]
                    h = Dense(5, use_bias=false, name="proj")(x)
                    output Dense(3, activation=softmax)(h)
                    compile(loss=categorical_crossentropy, optimizer=adam)
                }
                """);
        Cli.Run r = run("summary", m);
        assertEquals(0, r.exit(), r::toString);
        assertEquals("""
                Model: "NoBias"
                ┏━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━┓
                ┃ Layer (type)                    ┃ Output Shape           ┃       Param # ┃
                ┡━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━┩
                │ x (InputLayer)                  │ (None, 10)             │             0 │
                ├─────────────────────────────────┼────────────────────────┼───────────────┤
                │ proj (Dense)                    │ (None, 5)              │            50 │
                ├─────────────────────────────────┼────────────────────────┼───────────────┤
                │ dense (Dense)                   │ (None, 3)              │            18 │
                └─────────────────────────────────┴────────────────────────┴───────────────┘
                 Total params: 68 (272.00 B)
                 Trainable params: 68 (272.00 B)
                 Non-trainable params: 0 (0.00 B)
                """, r.out());
    }

    /**
     * A layer called twice makes the model a graph: Keras's "Connected to" column lists every call's
     * input as {@code layer[call][tensor]}, and rows follow the order the layers run in.
     */
    @Test
    void aSharedLayerListsEveryCall() {
        Path m = write(dir.resolve("shared.model"), """
                model Shared {
                    input x: float[4]
                    tower = Dense(4, activation=relu, name="tower")
                    h = tower(tower(Dense(4)(x)))
                    output Dense(1, activation=sigmoid)(h)
                    compile(loss=binary_crossentropy, optimizer=adam)
                }
                """);
        Cli.Run r = run("summary", m);
        assertEquals(0, r.exit(), r::toString);
        assertEquals("""
                Model: "Shared"
                ┏━━━━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━━━━━━━━━━┓
                ┃ Layer (type)               ┃ Output Shape           ┃    Param # ┃ Connected to               ┃
                ┡━━━━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━━━━━━━┩
                │ x (InputLayer)             │ (None, 4)              │          0 │ -                          │
                ├────────────────────────────┼────────────────────────┼────────────┼────────────────────────────┤
                │ dense (Dense)              │ (None, 4)              │         20 │ x[0][0]                    │
                ├────────────────────────────┼────────────────────────┼────────────┼────────────────────────────┤
                │ tower (Dense)              │ (None, 4)              │         20 │ dense[0][0], tower[0][0]   │
                ├────────────────────────────┼────────────────────────┼────────────┼────────────────────────────┤
                │ dense_1 (Dense)            │ (None, 1)              │          5 │ tower[1][0]                │
                └────────────────────────────┴────────────────────────┴────────────┴────────────────────────────┘
                 Total params: 45 (180.00 B)
                 Trainable params: 45 (180.00 B)
                 Non-trainable params: 0 (0.00 B)
                """, r.out());
    }
}
