package modelc.compiler.diag;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import modelc.compiler.Compiler;
import modelc.compiler.ir.ParamInfo;
import modelc.compiler.resolve.Layer;
import modelc.compiler.resolve.ModelIR;
import modelc.runtime.train.ModelSpec;
import modelc.runtime.train.OptimizerConfig;
import org.junit.jupiter.api.Test;

/**
 * What the resolver accepts besides Keras 3's own spellings: the Keras 2 aliases of the course
 * material, Python's booleans, option values as bare names or strings, qualified constructors.
 */
class AcceptedSpellingsTest {

    static ModelIR compile(String source) {
        return Compiler.compile("ok.model", source, Compiler.Options.DEFAULT).model();
    }

    static String sequential(String layers, String compile) {
        return "sequential M {\n    input x: float[4]\n" + layers.indent(4) + "    " + compile + "\n}\n";
    }

    @Test
    void keras2LrIsLearningRate() {
        OptimizerConfig o = compile(sequential("Dense(2)", "compile(loss=mse, optimizer=Adam(lr=0.01))")).training().optimizer();
        assertEquals("adam", o.kind());
        assertEquals(0.01, o.learningRate());
        assertEquals(0.9, o.beta1());
        assertEquals(0.999, o.beta2());
        assertEquals(1e-7, o.epsilon());
    }

    @Test
    void optimizersByNameGetKerasDefaults() {
        assertEquals(0.001, compile(sequential("Dense(2)", "compile(loss=mse, optimizer=adam)")).training().optimizer().learningRate());
        assertEquals(0.01, compile(sequential("Dense(2)", "compile(loss=mse, optimizer=\"sgd\")")).training().optimizer().learningRate());
        OptimizerConfig rms = compile(sequential("Dense(2)", "compile(loss=mse)")).training().optimizer();
        assertEquals("rmsprop", rms.kind(), "Keras's compile() defaults to rmsprop");
        assertEquals(0.9, rms.rho());
        OptimizerConfig adamw = compile(sequential("Dense(2)", "compile(loss=mse, optimizer=AdamW())")).training().optimizer();
        assertEquals(0.004, adamw.weightDecay());
        OptimizerConfig positional = compile(sequential("Dense(2)", "compile(loss=mse, optimizer=AdamW(0.01, 0.1))")).training().optimizer();
        assertEquals(0.01, positional.learningRate());
        assertEquals(0.1, positional.weightDecay(), "AdamW's second argument is weight_decay, as in Keras");
        assertEquals(0.9, positional.beta1());
    }

    @Test
    void qualifiedConstructorsAreAccepted() {
        OptimizerConfig o = compile(sequential("Dense(2)",
                "compile(loss=keras.losses.MeanSquaredError(), optimizer=keras.optimizers.SGD(learning_rate=0.1, momentum=0.9, nesterov=True))"))
                .training().optimizer();
        assertEquals("sgd", o.kind());
        assertEquals(0.9, o.momentum());
        assertTrue(o.nesterov());
    }

    @Test
    void keras2AccIsAccuracyChosenAsKerasDoes() {
        ModelIR sparse = compile(sequential("Dense(3, activation=softmax)",
                "compile(loss=sparse_categorical_crossentropy, optimizer=adam, metrics=[\"acc\"])"));
        assertEquals(List.of(new ModelSpec.MetricSpec("acc", "sparse_categorical_accuracy")), sparse.metrics());
        ModelIR binary = compile(sequential("Dense(1, activation=sigmoid)",
                "compile(loss=binary_crossentropy, optimizer=adam, metrics=[accuracy])"));
        assertEquals(List.of(new ModelSpec.MetricSpec("accuracy", "binary_accuracy")), binary.metrics());
        ModelIR categorical = compile(sequential("Dense(3, activation=softmax)",
                "compile(loss=categorical_crossentropy, optimizer=adam, metrics=[accuracy, mse, mae])"));
        assertEquals(List.of(new ModelSpec.MetricSpec("accuracy", "categorical_accuracy"),
                new ModelSpec.MetricSpec("mse", "mean_squared_error"), new ModelSpec.MetricSpec("mae", "mean_absolute_error")),
                categorical.metrics());
    }

    @Test
    void keras2NbEpochIsEpochs() {
        assertEquals(7, compile(sequential("Dense(2)", "compile(loss=mse)\n    fit(nb_epoch=7)")).training().fit().epochs());
    }

    @Test
    void keras2InputShapeArgumentsAreAcceptedOnAnyLayer() {
        ModelIR m = compile("""
                sequential M {
                    input image: float[28, 28]
                    Flatten(input_shape=(28, 28))
                    Dense(16, input_dim=784, activation="relu")
                    Dropout(0.2, input_shape=(16,))
                    Dense(10, activation=softmax)
                    compile(loss=sparse_categorical_crossentropy, optimizer=adam)
                }
                """);
        assertEquals(List.of("flatten", "dense", "dropout", "dense_1"), m.layers().stream().map(Layer::name).toList());
    }

    @Test
    void keras2InputLengthIsAcceptedByEmbedding() {
        ModelIR m = compile("""
                sequential Text {
                    input tokens: int[100]
                    Embedding(10000, 8, input_length=100)
                    Convolution1D(4, 3, input_shape=(100, 8))
                    GlobalAveragePooling1D()
                    Dense(1, activation=sigmoid)
                    compile(optimizer=rmsprop, loss=binary_crossentropy, metrics=["acc"])
                }
                """);
        assertEquals(List.of("embedding.embeddings [10000, 8]", "conv1d.kernel [3, 8, 4]", "conv1d.bias [4]", "dense.kernel [4, 1]",
                "dense.bias [1]"), m.graph().paramInfos().stream().map(p -> p.key() + " " + p.shape()).toList());
    }

    @Test
    void optionValuesAreBareNamesOrStringsAndBooleansArePythonsToo() {
        ModelIR bare = compile(sequential("Dense(2, activation=relu, use_bias=false, kernel_initializer=he_normal)", "compile(loss=mse)"));
        ModelIR quoted = compile(sequential("Dense(2, activation=\"relu\", use_bias=False, kernel_initializer='he_normal')", "compile(loss=\"mse\")"));
        assertEquals(keys(bare), keys(quoted));
        assertEquals(List.of("dense.kernel"), keys(bare));
        assertEquals("he_normal", bare.graph().paramInfos().get(0).init().name());
    }

    @Test
    void activationsTakeKerasArguments() {
        compile(sequential("""
                Dense(2, activation=leaky_relu(negative_slope=0.1))
                Dense(2, activation=leaky_relu(alpha=0.1))
                Dense(2, activation=elu(alpha=0.5))
                Dense(2, activation=gelu(approximate=True))
                Activation(swish)
                Activation("log_softmax")""", "compile(loss=mse)"));
    }

    @Test
    void lossesAreNamesOrConstructors() {
        var l = compile(sequential("Dense(3)", "compile(loss=SparseCategoricalCrossentropy(from_logits=True), optimizer=adam)"))
                .training().loss();
        assertTrue(l.fromLogits());
        var b = compile(sequential("Dense(1)", "compile(loss=BinaryCrossentropy(label_smoothing=0.1), optimizer=adam)")).training().loss();
        assertFalse(b.fromLogits());
        assertEquals(0.1, b.labelSmoothing());
    }

    @Test
    void statementsEndAtANewlineOrASemicolonAndCommentsAreIgnored() {
        ModelIR m = compile("""
                # a comment in Python's style
                model M {   // and in Java's
                    input a: float[4]; input b: float[4]
                    /* a block
                       comment */
                    h = Dense(4,
                              activation=relu)(a) + Dense(4)(b)
                    output Dense(1, activation=sigmoid)(h)
                    compile(loss=binary_crossentropy, optimizer=Adam(learning_rate=1e-3))
                }
                """);
        assertEquals(List.of("dense", "dense_1", "dense_2"), m.layers().stream().map(Layer::name).toList());
    }

    /** Keras's automatic names, numbered in the order Python would construct the layers. */
    @Test
    void layersAreNamedAsKerasNamesThem() {
        ModelIR m = compile("""
                model M {
                    input x: float[3]
                    h = Dense(1)(Dense(4, name="hidden")(Dense(5)(x)))
                    output Activation(sigmoid)(h)
                    compile(loss=binary_crossentropy)
                }
                """);
        assertEquals(List.of("dense", "hidden", "dense_1", "activation"), m.layers().stream().map(Layer::name).toList());
        assertEquals(List.of("dense_1.kernel [3, 5]", "dense_1.bias [5]", "hidden.kernel [5, 4]", "hidden.bias [4]",
                "dense.kernel [4, 1]", "dense.bias [1]"),
                m.graph().paramInfos().stream().map(p -> p.key() + " " + p.shape()).toList());
    }

    private static List<String> keys(ModelIR m) {
        return m.graph().paramInfos().stream().map(ParamInfo::key).toList();
    }
}
