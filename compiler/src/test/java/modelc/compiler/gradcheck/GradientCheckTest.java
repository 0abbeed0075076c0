package modelc.compiler.gradcheck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import modelc.compiler.codegen.Dtype;
import modelc.compiler.testing.Models;
import modelc.runtime.Rng;
import modelc.runtime.Tensor;
import modelc.runtime.data.Dataset;
import modelc.runtime.train.CompiledModel;
import modelc.runtime.train.ModelSpec;
import modelc.runtime.train.Session;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every op and layer against central finite differences: the model is generated in float64, its
 * analytic gradients (the generated backward pass) must match (L(w+h) - L(w-h)) / 2h for every
 * weight to a relative error below 1e-6. The error of an entry is relative to the larger of the
 * two values, floored at 1e-3 of the largest gradient of that weight tensor, so that entries near
 * zero are judged by the finite differences' absolute accuracy rather than by their own size.
 */
class GradientCheckTest {
    private static final String MSE = "compile(loss=mse, optimizer=sgd)";
    private static final int TOKENS = 7;
    private static final String SCCE = "compile(loss=sparse_categorical_crossentropy, optimizer=adam)";

    static Stream<Arguments> cases() {
        Stream.Builder<Arguments> s = Stream.builder();
        for (String act : new String[] {"linear", "relu", "relu6", "leaky_relu", "elu", "selu", "gelu", "gelu(approximate=true)",
                "sigmoid", "hard_sigmoid", "tanh", "softsign", "softplus", "swish", "silu", "mish", "exponential",
                "leaky_relu(negative_slope=0.1)", "elu(alpha=0.5)"}) {
            s.add(Arguments.of("activation " + act, Models.sequential("4", "Dense(5, activation=" + act + ")\nDense(2)", MSE)));
        }
        s.add(Arguments.of("Activation layer and softmax", Models.sequential("4", "Dense(5)\nActivation(tanh)\nDense(3)\nActivation(softmax)", SCCE)));
        s.add(Arguments.of("log_softmax", Models.sequential("4", "Dense(3, activation=log_softmax)", MSE)));
        s.add(Arguments.of("Dense without bias", Models.sequential("4", "Dense(3, use_bias=false)", MSE)));
        s.add(Arguments.of("Dense on 3-D input", Models.sequential("3, 4", "Dense(5, activation=tanh)\nFlatten()\nDense(2)", MSE)));
        s.add(Arguments.of("Flatten, Reshape, Rescaling", Models.sequential("2, 6",
                "Rescaling(0.5, offset=0.25)\nReshape((3, 4))\nFlatten()\nDense(3, activation=sigmoid)", MSE)));
        s.add(Arguments.of("Dropout (masks fixed by seed and step)", Models.sequential("6", "Dropout(0.4)\nDense(5, activation=tanh)\nDropout(0.3)\nDense(2)", MSE)));
        s.add(Arguments.of("sparse categorical crossentropy", Models.sequential("4", "Dense(4, activation=softmax)", SCCE)));
        s.add(Arguments.of("sparse categorical crossentropy from logits", Models.sequential("4", "Dense(4)",
                "compile(loss=SparseCategoricalCrossentropy(from_logits=true), optimizer=adam)")));
        s.add(Arguments.of("categorical crossentropy", Models.sequential("4", "Dense(3, activation=softmax)", "compile(loss=categorical_crossentropy, optimizer=adam)")));
        s.add(Arguments.of("categorical crossentropy, logits, smoothing", Models.sequential("4", "Dense(3)",
                "compile(loss=CategoricalCrossentropy(from_logits=true, label_smoothing=0.1), optimizer=adam)")));
        s.add(Arguments.of("binary crossentropy", Models.sequential("4", "Dense(2, activation=sigmoid)", "compile(loss=binary_crossentropy, optimizer=adam)")));
        s.add(Arguments.of("binary crossentropy, logits, smoothing", Models.sequential("4", "Dense(1)",
                "compile(loss=BinaryCrossentropy(from_logits=true, label_smoothing=0.2), optimizer=adam)")));
        s.add(Arguments.of("mean absolute error", Models.sequential("4", "Dense(3)", "compile(loss=mae, optimizer=adam)")));
        s.add(Arguments.of("formulas: + - * / and fan-out", """
                model F {
                    input x: float[4]
                    a = Dense(3, activation=tanh)(x)
                    b = Dense(3, activation=sigmoid)(x)
                    h = a * b + a - (1 - b) / (b + 1) + a * a
                    output Dense(2)(h)
                    compile(loss=mse, optimizer=sgd)
                }
                """));
        s.add(Arguments.of("broadcasting [batch, 4] with [batch, 1]", """
                model B {
                    input x: float[4]
                    a = Dense(4, activation=tanh)(x)
                    gate = Dense(1, activation=sigmoid)(x)
                    output Dense(2)(a * gate + gate)
                    compile(loss=mse, optimizer=sgd)
                }
                """));
        s.add(Arguments.of("shared layer applied twice", """
                model S {
                    input x: float[3]
                    d = Dense(3, activation=tanh)
                    output Dense(1)(d(d(x)))
                    compile(loss=mse, optimizer=sgd)
                }
                """));
        s.add(Arguments.of("layer written as a formula (DESIGN.md's Highway)", """
                layer Highway(units) {
                    call(x: [d]) {
                        W_H = param([d, units]);  b_H = param([units], init=zeros)
                        W_T = param([d, units]);  b_T = param([units], init=constant(-1))
                        H = relu(x @ W_H + b_H)
                        T = sigmoid(x @ W_T + b_T)
                        return H * T + x * (1 - T)
                    }
                }
                sequential H {
                    input x: float[3]
                    Highway(3)
                    Highway(3)
                    Dense(2)
                    compile(loss=mse, optimizer=sgd)
                }
                """));
        sequenceCases(s);
        mergeCases(s);
        recurrentCases(s);
        imageCases(s);
        regularizerCases(s);
        classWeightCases(s);
        timeDistributedCases(s);
        batchNormalizationCases(s);
        return s.build();
    }

    /** TimeDistributed of layers that act across a step's own axes: the steps folded into the batch (issue 5). */
    private static void timeDistributedCases(Stream.Builder<Arguments> s) {
        s.add(Arguments.of("TimeDistributed(Conv2D), (MaxPooling2D), (Flatten) of video frames into an LSTM", Models.sequential("3, 5, 4, 2", """
                TimeDistributed(Conv2D(3, 2, activation=tanh))
                TimeDistributed(MaxPooling2D())
                TimeDistributed(Flatten())
                LSTM(3)
                Dense(2)""", MSE)));
        s.add(Arguments.of("TimeDistributed(Conv1D), (GlobalMaxPooling1D) of the words of each sentence into a GRU", """
                model T {
                    input words: int[3, 6]
                    e = Embedding(7, 3)(words)
                    c = TimeDistributed(Conv1D(4, 3, padding=same, activation=tanh))(e)
                    output Dense(2)(GRU(3)(TimeDistributed(GlobalMaxPooling1D())(c)))
                    compile(loss=mse, optimizer=sgd)
                }
                """));
        s.add(Arguments.of("TimeDistributed(LSTM) of masked words, a GRU over the sentences (hierarchical)", """
                model T {
                    input words: int[3, 5]
                    e = Embedding(7, 3, mask_zero=true)(words)
                    output Dense(2)(GRU(2)(TimeDistributed(LSTM(3))(e)))
                    compile(loss=mse, optimizer=sgd)
                }
                """));
        s.add(Arguments.of("TimeDistributed(GlobalAveragePooling1D) of masked words (each sentence's mask)", """
                model T {
                    input words: int[3, 5]
                    e = TimeDistributed(Dense(3, activation=tanh))(Embedding(7, 4, mask_zero=true)(words))
                    output Dense(2)(Flatten()(TimeDistributed(GlobalAveragePooling1D())(e)))
                    compile(loss=mse, optimizer=sgd)
                }
                """));
        s.add(Arguments.of("TimeDistributed padding, strided Conv1D, pooling, upsampling, cropping, Reshape", Models.sequential("3, 6, 4", """
                TimeDistributed(ZeroPadding1D(1))
                TimeDistributed(Conv1D(3, 2, strides=2, activation=tanh))
                TimeDistributed(AveragePooling1D(2, padding=same))
                TimeDistributed(UpSampling1D(2))
                TimeDistributed(Cropping1D((1, 0)))
                TimeDistributed(Reshape((-1,)))
                Flatten()
                Dense(2)""", MSE)));
        s.add(Arguments.of("TimeDistributed(DepthwiseConv2D), (SeparableConv2D), (Conv2DTranspose), (GlobalAveragePooling2D)", Models.sequential("2, 5, 4, 3", """
                TimeDistributed(DepthwiseConv2D(2, depth_multiplier=2, activation=tanh))
                TimeDistributed(SeparableConv2D(3, 2, padding=same, activation=tanh))
                TimeDistributed(Conv2DTranspose(2, 2, strides=2, activation=tanh))
                TimeDistributed(GlobalAveragePooling2D())
                Flatten()
                Dense(2)""", MSE)));
        s.add(Arguments.of("TimeDistributed of a layer definition holding a Dot (the product per step, the batch folded)", """
                layer SelfSim() {
                    call(x: [t, d]) {
                        return Dot(axes=2)([x, x])
                    }
                }
                model T {
                    input x: float[3, 4, 2]
                    s = TimeDistributed(SelfSim())(x)
                    output Dense(2)(Flatten()(s))
                    compile(loss=mse, optimizer=sgd)
                }
                """));
        s.add(Arguments.of("TimeDistributed(BatchNormalization) of features: statistics per step", Models.sequential("4, 3", """
                TimeDistributed(Dense(3, use_bias=false))
                TimeDistributed(BatchNormalization(momentum=0.5))
                Activation(tanh)
                Flatten()
                Dense(2)""", MSE)));
        s.add(Arguments.of("TimeDistributed(BatchNormalization) of frames: statistics per step over rows and columns", Models.sequential("3, 4, 3, 2", """
                TimeDistributed(Conv2D(3, 2, padding=same, use_bias=false))
                TimeDistributed(BatchNormalization(scale=false))
                Activation(tanh)
                TimeDistributed(Flatten())
                SimpleRNN(2)
                Dense(2)""", MSE)));
        s.add(Arguments.of("TimeDistributed(GRU sequences backwards), TimeDistributed(Bidirectional(LSTM)), TimeDistributed(RNN(LSTMCell))", Models.sequential("3, 4, 2", """
                TimeDistributed(GRU(3, return_sequences=true, go_backwards=true))
                TimeDistributed(Bidirectional(LSTM(2)))
                TimeDistributed(Reshape((2, 2)))
                TimeDistributed(RNN(LSTMCell(2)))
                Flatten()
                Dense(2)""", MSE)));
        s.add(Arguments.of("Dropout: TimeDistributed(LSTM(dropout, recurrent_dropout)), TimeDistributed(SpatialDropout1D) (masks fixed by seed and step)",
                Models.sequential("3, 5, 2", """
                TimeDistributed(SpatialDropout1D(0.3))
                TimeDistributed(LSTM(3, dropout=0.3, recurrent_dropout=0.2))
                Dropout(0.2)
                Flatten()
                Dense(2)""", MSE)));
        s.add(Arguments.of("Dropout: GRU(dropout, recurrent_dropout) sequences, Bidirectional(LSTM(dropout)) backwards, SimpleRNN(dropout)"
                + " (input dropout applied to the whole sequence before the loop)", Models.sequential("5, 3", """
                GRU(3, dropout=0.4, recurrent_dropout=0.3, return_sequences=true)
                Bidirectional(LSTM(2, dropout=0.3, return_sequences=true, go_backwards=true))
                SimpleRNN(2, dropout=0.5)
                Dense(2)""", MSE)));
        s.add(Arguments.of("Dropout: per-gate masks (Keras's implementation 1): LSTM(dropout, recurrent_dropout) sequences,"
                + " GRU(reset_after=false, recurrent_dropout), GRU(dropout, implementation=1)", Models.sequential("5, 3", """
                LSTM(3, dropout=0.3, recurrent_dropout=0.4, return_sequences=true)
                GRU(3, reset_after=false, recurrent_dropout=0.5, return_sequences=true)
                GRU(2, dropout=0.4, implementation=1)
                Dense(2)""", MSE)));
        s.add(Arguments.of("Dropout: Dropout(noise_shape=(None, 1, 3)), (None, 4, 1), (1, None, None) (shared draws fixed by seed and step)",
                Models.sequential("4, 3", """
                Dropout(0.4, noise_shape=(None, 1, 3))
                Dense(3, activation=tanh)
                Dropout(0.3, noise_shape=(None, 4, 1))
                Dropout(0.5, noise_shape=(1, None, None))
                Flatten()
                Dense(2)""", MSE)));
        s.add(Arguments.of("Dropout: TimeDistributed(RandomFlip), (RandomTranslation), (SpatialDropout2D) of frames (draws fixed by seed and step)",
                Models.sequential("3, 4, 4, 2", """
                TimeDistributed(Conv2D(2, 2, padding=same, activation=tanh))
                TimeDistributed(RandomFlip())
                TimeDistributed(RandomTranslation(0.3, (-0.2, 0.4)))
                TimeDistributed(SpatialDropout2D(0.3))
                Flatten()
                Dense(2)""", MSE)));
        s.add(Arguments.of("nested TimeDistributed(TimeDistributed(Conv1D))", Models.sequential("2, 3, 5, 2", """
                TimeDistributed(TimeDistributed(Conv1D(2, 2, activation=tanh)))
                TimeDistributed(TimeDistributed(GlobalMaxPooling1D()))
                Flatten()
                Dense(2)""", MSE)));
        s.add(Arguments.of("TimeDistributed of a layer written in the language, with a Conv1D inside", """
                layer Gated(filters) {
                    call(x: [t, d]) {
                        g = param([d, filters])
                        return tanh(Conv1D(filters, 2, padding=same)(x)) * sigmoid(x @ g)
                    }
                }
                sequential T {
                    input x: float[3, 4, 2]
                    TimeDistributed(Gated(3))
                    Flatten()
                    Dense(2)
                    compile(loss=mse, optimizer=sgd)
                }
                """));
    }

    /**
     * BatchNormalization over an axis other than the last, and of masked sequences (Keras 3's
     * masked moments): training mode, and inference mode (trainable=false: the moving statistics).
     */
    private static void batchNormalizationCases(Stream.Builder<Arguments> s) {
        for (String mode : new String[] {"", ", trainable=false"}) {
            String name = mode.isEmpty() ? "training" : "inference";
            s.add(Arguments.of("BatchNormalization(axis=1) of [steps, features], " + name, seq("BatchNormalization(axis=1, momentum=0.8" + mode + ")")));
            s.add(Arguments.of("BatchNormalization(axis=-3), (axis=2) of images, " + name,
                    img("BatchNormalization(axis=-3" + mode + ")\nActivation(tanh)\nBatchNormalization(axis=2, center=false" + mode + ")")));
            s.add(Arguments.of("Embedding mask_zero, BatchNormalization, masked GlobalAveragePooling1D, " + name, """
                    sequential E {
                        input t: int[6]
                        Embedding(7, 3, mask_zero=true)
                        Dense(4, use_bias=false)
                        BatchNormalization(epsilon=0.01%s)
                        Activation(tanh)
                        GlobalAveragePooling1D()
                        Dense(2)
                        compile(loss=mse, optimizer=sgd)
                    }
                    """.formatted(mode)));
            s.add(Arguments.of("Embedding mask_zero, BatchNormalization(axis=1) of masked steps, GRU, " + name, """
                    sequential E {
                        input t: int[6]
                        Embedding(7, 3, mask_zero=true)
                        BatchNormalization(axis=1, scale=false%s)
                        GRU(3)
                        Dense(2)
                        compile(loss=mse, optimizer=sgd)
                    }
                    """.formatted(mode)));
            s.add(Arguments.of("Embedding mask_zero, TimeDistributed(BatchNormalization): masked statistics per step, " + name, """
                    sequential E {
                        input t: int[6]
                        Embedding(7, 3, mask_zero=true)
                        Dense(4, use_bias=false)
                        TimeDistributed(BatchNormalization(epsilon=0.01, momentum=0.8%s))
                        Activation(tanh)
                        GlobalAveragePooling1D()
                        Dense(2)
                        compile(loss=mse, optimizer=sgd)
                    }
                    """.formatted(mode)));
            s.add(Arguments.of("Embedding mask_zero of sentences, TimeDistributed(BatchNormalization): masked words per step, " + name, """
                    sequential E {
                        input t: int[3, 4]
                        Embedding(7, 3, mask_zero=true)
                        TimeDistributed(BatchNormalization(epsilon=0.01, center=false%s))
                        Activation(tanh)
                        Flatten()
                        Dense(2)
                        compile(loss=mse, optimizer=sgd)
                    }
                    """.formatted(mode)));
        }
        // Batch renormalization: r and d are Keras's stop_gradient, so finite differences of the loss agree with the
        // gradients only where r and d do not depend on the weights: on the input, or clipped to constants (rmin = rmax, dmax 0).
        s.add(Arguments.of("BatchNormalization(renorm) of the input (r, d clipped in part), then of Dense features (r, d constant)",
                Models.sequential("3", """
                        BatchNormalization(momentum=0.8, renorm=true, renorm_clipping={rmax: 2, dmax: 1})
                        Dense(4, activation=tanh)
                        BatchNormalization(epsilon=0.01, renorm=true, renorm_clipping={rmin: 1.5, rmax: 1.5, dmax: 0})
                        Dense(2)""", MSE)));
        s.add(Arguments.of("BatchNormalization(renorm, center=false, scale=false) of the input, then frozen (trainable=false)",
                Models.sequential("3", """
                        BatchNormalization(renorm=true, center=false, scale=false)
                        Dense(4, activation=tanh)
                        BatchNormalization(renorm=true, trainable=false)
                        Dense(2)""", MSE)));
        s.add(Arguments.of("BatchNormalization(axis=1, renorm) of the input (statistics per step), then over Conv1D features (r, d constant)",
                Models.sequential("4, 3", """
                        BatchNormalization(axis=1, renorm=true, renorm_clipping={rmax: 1.5, dmax: 0.5})
                        Conv1D(3, 2, activation=tanh)
                        BatchNormalization(axis=-2, renorm=true, renorm_clipping={rmin: 1.2, rmax: 1.2, dmax: 0})
                        Flatten()
                        Dense(2)""", MSE)));
        s.add(Arguments.of("TimeDistributed(BatchNormalization(renorm)) of the input: each step's r and d from the steps before's moves",
                Models.sequential("3, 2", "TimeDistributed(BatchNormalization(renorm=true, renorm_momentum=0.5, center=false))\nFlatten()\nDense(2)", MSE)));
        s.add(Arguments.of("Embedding mask_zero, BatchNormalization(renorm) with masked statistics (r, d constant)", """
                sequential E {
                    input t: int[6]
                    Embedding(7, 3, mask_zero=true)
                    Dense(4, use_bias=false)
                    BatchNormalization(epsilon=0.01, renorm=true, renorm_clipping={rmin: 0.7, rmax: 0.7, dmax: 0})
                    Activation(tanh)
                    GlobalAveragePooling1D()
                    Dense(2)
                    compile(loss=mse, optimizer=sgd)
                }
                """));
        s.add(Arguments.of("TimeDistributed(BatchNormalization(axis=1)) of frames: statistics per step and row", Models.sequential("3, 4, 3, 2", """
                TimeDistributed(Conv2D(3, 2, padding=same, use_bias=false))
                TimeDistributed(BatchNormalization(axis=1, momentum=0.5))
                Activation(tanh)
                Flatten()
                Dense(2)""", MSE)));
    }

    /** A model of one float input [6, 5, 2]: Conv2D(4, 2, same, tanh), then {@code layers}, Flatten, Dense(2). */
    private static String img(String layers) {
        return Models.sequential("6, 5, 2", "Conv2D(4, 2, padding=same, activation=tanh)\n" + layers + "\nFlatten()\nDense(2)", MSE);
    }

    /** Convolutions, pooling, padding and batch statistics over rows and columns (issue 6). */
    private static void imageCases(Stream.Builder<Arguments> s) {
        for (String conv : new String[] {"Conv2D(3, 3)", "Conv2D(3, (2, 3), padding=same)", "Conv2D(3, 3, strides=2, padding=same)",
                "Conv2D(3, (3, 2), strides=(2, 1))", "Conv2D(3, 2, dilation_rate=(2, 1), padding=same)", "Conv2D(3, 1)",
                "Conv2D(4, 2, groups=2, use_bias=false)", "Conv2D(2, 1, strides=2)"}) {
            s.add(Arguments.of(conv, img(conv.substring(0, conv.length() - 1) + ", activation=tanh)")));
        }
        for (String layer : new String[] {"MaxPooling2D()", "MaxPooling2D((3, 2), strides=1, padding=same)", "AveragePooling2D(2, padding=same)",
                "AveragePooling2D((2, 3), strides=(1, 2))", "GlobalAveragePooling2D(keepdims=true)", "GlobalMaxPooling2D(keepdims=true)",
                "ZeroPadding2D(((1, 0), (2, 1)))\nConv2D(2, 2, activation=tanh)", "ZeroPadding2D()\nMaxPooling2D(3)", "Cropping2D(((1, 0), (0, 2)))",
                "UpSampling2D((2, 1))\nConv2D(2, 2, strides=2, activation=tanh)",
                "BatchNormalization()", "BatchNormalization(center=false, momentum=0.9)\nConv2D(2, 2, activation=tanh)\nBatchNormalization(scale=false)",
                "Conv2D(3, 2, kernel_regularizer=l2(0.05), bias_regularizer=l1(0.02))\nBatchNormalization(gamma_regularizer=l2(0.1), beta_regularizer=l1(0.1))"}) {
            s.add(Arguments.of(layer.replace("\n", " → "), img(layer)));
        }
        for (String layer : new String[] {"ZeroPadding1D((2, 1))", "Cropping1D(2)", "UpSampling1D(3)"}) {
            s.add(Arguments.of(layer, seq(layer)));
        }
        s.add(Arguments.of("residual block written as a layer of built-in layers, called twice", """
                layer Residual(filters) {
                    call(x) {
                        h = tanh(BatchNormalization()(Conv2D(filters, 3, padding=same, use_bias=false)(x)))
                        return tanh(Conv2D(filters, 2, padding=same)(h) + x)
                    }
                }
                model R {
                    input x: float[4, 3, 2]
                    r = Residual(2)
                    output Dense(2)(Flatten()(r(r(x))))
                    compile(loss=mse, optimizer=sgd)
                }
                """));
        s.add(Arguments.of("BatchNormalization of Dense features", Models.sequential("4",
                "Dense(5)\nBatchNormalization(epsilon=0.01)\nActivation(tanh)\nDense(2)", MSE)));
        s.add(Arguments.of("Dropout: SpatialDropout2D (masks fixed by seed and step)", img("SpatialDropout2D(0.4)")));
        s.add(Arguments.of("Dropout: RandomFlip, RandomTranslation bilinear reflect (draws fixed by seed and step)",
                img("RandomFlip()\nRandomTranslation(0.3, (-0.2, 0.4))")));
        s.add(Arguments.of("Dropout: RandomTranslation nearest, constant and wrap fills (draws fixed by seed and step)",
                img("RandomTranslation(0.4, 0.4, fill_mode=constant, fill_value=0.5, interpolation=nearest)\n"
                        + "RandomFlip(horizontal)\nRandomTranslation((-0.5, 0.5), 0.3, fill_mode=wrap)\nRandomTranslation(0.3, 0.3, fill_mode=mirror)")));
        depthwiseAndTransposedCases(s);
    }

    /** DepthwiseConv, SeparableConv and ConvTranspose over one and two spatial axes (issue 6). */
    private static void depthwiseAndTransposedCases(Stream.Builder<Arguments> s) {
        for (String layer : new String[] {"DepthwiseConv2D(3)", "DepthwiseConv2D((2, 3), strides=2, padding=same, depth_multiplier=2)",
                "DepthwiseConv2D(2, dilation_rate=(2, 1), padding=same, use_bias=false)", "DepthwiseConv2D(2, strides=2, dilation_rate=2, padding=same)",
                "SeparableConv2D(3, 3, padding=same, depth_multiplier=2)", "SeparableConv2D(3, (2, 3), strides=(2, 1), use_bias=false)",
                "Conv2DTranspose(3, 3)", "Conv2DTranspose(3, 3, strides=2, padding=same)", "Conv2DTranspose(3, (3, 2), strides=(2, 3))",
                "Conv2DTranspose(2, (2, 3), strides=2, padding=same, output_padding=1)", "Conv2DTranspose(3, 2, dilation_rate=2, padding=same)",
                "Conv2DTranspose(3, 1, use_bias=false)"}) {
            s.add(Arguments.of(layer, img(layer.substring(0, layer.length() - 1) + ", activation=tanh)")));
        }
        for (String layer : new String[] {"DepthwiseConv1D(3, depth_multiplier=2)", "SeparableConv1D(3, 3, padding=same, strides=2)",
                "Conv1DTranspose(3, 3, strides=2, padding=same, output_padding=1)"}) {
            s.add(Arguments.of(layer, seq(layer.substring(0, layer.length() - 1) + ", activation=tanh)")));
        }
        // Six channels: vector lanes and a scalar tail along the channels.
        s.add(Arguments.of("DepthwiseConv2D on 6 channels, then Conv2DTranspose(6) (MobileNet-style block, reversed)", Models.sequential("5, 4, 6",
                "DepthwiseConv2D(3, padding=same, activation=tanh)\nConv2D(6, 1, activation=tanh)\nConv2DTranspose(6, 2, strides=2, activation=tanh)"
                        + "\nFlatten()\nDense(2)", MSE)));
        s.add(Arguments.of("regularizers: DepthwiseConv2D and SeparableConv2D", img(
                "DepthwiseConv2D(2, activation=tanh, depthwise_regularizer=l2(0.05), bias_regularizer=l1(0.02))\n"
                        + "SeparableConv2D(2, 2, activation=tanh, depthwise_regularizer=l1(0.03), pointwise_regularizer=l2(0.04))")));
    }

    /** fit(class_weight=...) (issue 6): each sample's loss and gradient weighed by its target's class. */
    private static void classWeightCases(Stream.Builder<Arguments> s) {
        s.add(Arguments.of("class weights: sparse categorical crossentropy", Models.sequential("4", "Dense(4, activation=softmax)",
                SCCE + "\nfit(class_weight={0: 0.5, 1: 2.0, 3: 4.0})")));
        s.add(Arguments.of("class weights: categorical crossentropy from logits (argmax of one-hot)", Models.sequential("4", "Dense(3)",
                "compile(loss=CategoricalCrossentropy(from_logits=true), optimizer=adam)\nfit(class_weight={1: 3.0, 2: 0.25})")));
        s.add(Arguments.of("class weights: binary crossentropy, one sigmoid unit", Models.sequential("4", "Dense(1, activation=sigmoid)",
                "compile(loss=binary_crossentropy, optimizer=adam)\nfit(class_weight={0: 1.0, 1: 5.0})")));
        s.add(Arguments.of("class weights and ignore_class", Models.sequential("4", "Dense(4, activation=softmax)",
                "compile(loss=SparseCategoricalCrossentropy(ignore_class=2), optimizer=adam)\nfit(class_weight={0: 3.0, 1: 0.5})")));
    }

    /** Weight penalties (issue 6): the loss gains l1·Σ|w| + l2·Σw², the gradient l1·sign(w) + 2·l2·w. */
    private static void regularizerCases(Stream.Builder<Arguments> s) {
        s.add(Arguments.of("regularizers: Dense kernel l1_l2, bias l2, string l1", Models.sequential("4",
                "Dense(5, activation=tanh, kernel_regularizer=l1_l2(l1=0.03, l2=0.02), bias_regularizer=l2(0.05))\n"
                        + "Dense(2, kernel_regularizer=\"l1\", bias_regularizer=L1(0.02))", MSE)));
        s.add(Arguments.of("regularizers: Embedding, Conv1D, LSTM recurrent, LayerNormalization", """
                sequential R {
                    input t: int[6]
                    Embedding(7, 4, embeddings_regularizer=regularizers.l2(0.03))
                    Conv1D(3, 2, activation=tanh, kernel_regularizer=l1(0.01), bias_regularizer=l2(0.1))
                    LSTM(3, kernel_regularizer=l2(0.02), recurrent_regularizer=l1_l2(l1=0.01, l2=0.04), bias_regularizer=l1(0.05))
                    LayerNormalization(gamma_regularizer=l2(0.1), beta_regularizer=l1(0.1))
                    Dense(2)
                    compile(loss=mse, optimizer=sgd)
                }
                """));
        // Activity penalties (l1·Σ|y| + l2·Σy²)/batch on layer outputs, in the graph: their gradients flow into the layers below.
        s.add(Arguments.of("activity regularizers: Dense l1_l2, string l2", Models.sequential("4",
                "Dense(5, activation=tanh, activity_regularizer=l1_l2(l1=0.03, l2=0.02))\n"
                        + "Dense(3, activity_regularizer=\"l2\")\nDense(2)", MSE)));
        s.add(Arguments.of("activity regularizers: Conv1D l2, LSTM return_state (each output), Bidirectional(GRU) concat", """
                model A {
                    input x: float[6, 3]
                    c = Conv1D(3, 2, activation=tanh, activity_regularizer=l2(0.05))(x)
                    out, h, st = LSTM(3, return_sequences=true, return_state=true, activity_regularizer=l1_l2(l1=0.02, l2=0.03))(c)
                    b = Bidirectional(GRU(2, activity_regularizer=L1(0.04)))(out)
                    output Dense(2)(Concatenate()([h, b]))
                    compile(loss=mse, optimizer=sgd)
                }
                """));
        s.add(Arguments.of("activity regularizers: Bidirectional merge_mode sum and mul, each direction before the merge", """
                model A {
                    input x: float[5, 3]
                    s = Bidirectional(GRU(3, return_sequences=true, activity_regularizer=l1_l2(l1=0.02, l2=0.05)), merge_mode="sum")(x)
                    out, fh, fc, bh, bc = Bidirectional(LSTM(2, return_state=true, activity_regularizer=l2(0.1)), merge_mode="mul")(s)
                    output Dense(2)(Concatenate()([out, fh, bc]))
                    compile(loss=mse, optimizer=sgd)
                }
                """));
        s.add(Arguments.of("activity regularizers: a shared layer, penalised at each call", """
                model S {
                    input x: float[3]
                    d = Dense(3, activation=tanh, activity_regularizer=l1_l2(l1=0.05, l2=0.1))
                    output Dense(1)(d(d(x)))
                    compile(loss=mse, optimizer=sgd)
                }
                """));
        // The steps of a model with batch statistics run in phases, and a masked loss in two passes: both call the loss method.
        s.add(Arguments.of("activity regularizers: with BatchNormalization (phased steps)", Models.sequential("4",
                "Dense(5, activation=tanh, activity_regularizer=l1_l2(l1=0.02, l2=0.04))\nBatchNormalization()\n"
                        + "Dense(2, activity_regularizer=l1(0.03))", MSE)));
        s.add(Arguments.of("activity regularizers: masked sequence, masked loss", """
                sequential A {
                    input t: int[6]
                    Embedding(7, 4, mask_zero=true)
                    LSTM(3, return_sequences=true, activity_regularizer=l2(0.05))
                    Dense(2, activation=tanh, activity_regularizer=l1_l2(l1=0.01, l2=0.02))
                    compile(loss=mse, optimizer=sgd)
                }
                """));
        s.add(Arguments.of("regularizers: Bidirectional(GRU), TimeDistributed(Dense), param(regularizer=)", """
                layer Scale(units) {
                    call(x: [d]) {
                        W = param([d, units], regularizer=l2(0.05))
                        return tanh(x @ W)
                    }
                }
                sequential R {
                    input x: float[5, 3]
                    Bidirectional(GRU(3, return_sequences=true, kernel_regularizer=L2(l2=0.02), recurrent_regularizer=l1(0.03)))
                    TimeDistributed(Dense(2, kernel_regularizer=l1_l2(l1=0.01, l2=0.01)))
                    Flatten()
                    Scale(2)
                    compile(loss=mse, optimizer=sgd)
                }
                """));
    }

    /** A model of one float input [7, 4]: Dense(3, tanh), then {@code layers}, Flatten, Dense(2). */
    private static String seq(String layers) {
        return Models.sequential("7, 4", "Dense(3, activation=tanh)\n" + layers + "\nFlatten()\nDense(2)", MSE);
    }

    /** Recurrent layers through time (issue 5): at least 5 steps, dropout off. */
    private static void recurrentCases(Stream.Builder<Arguments> s) {
        for (String layer : new String[] {"SimpleRNN(4)", "SimpleRNN(4, activation=relu, go_backwards=true)", "LSTM(3)",
                "LSTM(3, go_backwards=true, use_bias=false)", "GRU(3)", "GRU(3, reset_after=false)", "GRU(3, use_bias=false)"}) {
            s.add(Arguments.of(layer + ", last state", Models.sequential("6, 3", layer + "\nDense(2)", MSE)));
        }
        for (String layer : new String[] {"SimpleRNN(4, return_sequences=true)", "SimpleRNN(4, return_sequences=true, go_backwards=true)", "LSTM(3, return_sequences=true)", "LSTM(3, return_sequences=true, go_backwards=true)",
                "GRU(3, return_sequences=true)"}) {
            s.add(Arguments.of(layer + ", TimeDistributed(Dense)", Models.sequential("5, 3", layer + "\nTimeDistributed(Dense(2))", MSE)));
        }
        s.add(Arguments.of("stacked LSTM and GRU", Models.sequential("5, 3", "LSTM(4, return_sequences=true)\nGRU(3)\nDense(2)", MSE)));
        for (String mode : new String[] {"concat", "sum", "mul", "ave"}) {
            s.add(Arguments.of("Bidirectional(LSTM) merge " + mode, Models.sequential("5, 3",
                    "Bidirectional(LSTM(3, return_sequences=true), merge_mode=" + mode + ")\nTimeDistributed(Dense(2))", MSE)));
        }
        s.add(Arguments.of("Bidirectional(GRU), last states", Models.sequential("6, 2", "Bidirectional(GRU(3))\nDense(2)", MSE)));
        for (String layer : new String[] {"SimpleRNN(3)", "LSTM(3)", "GRU(3)", "GRU(3, go_backwards=true)"}) {
            s.add(Arguments.of("Embedding mask_zero, " + layer, """
                    sequential M {
                        input t: int[6]
                        Embedding(7, 4, mask_zero=true)
                        %s
                        Dense(2)
                        compile(loss=mse, optimizer=sgd)
                    }
                    """.formatted(layer)));
        }
        s.add(Arguments.of("masked loss: mask_zero, GRU sequences, TimeDistributed softmax", """
                sequential M {
                    input t: int[6]
                    Embedding(7, 4, mask_zero=true)
                    GRU(3, return_sequences=true)
                    TimeDistributed(Dense(3, activation=softmax))
                    compile(loss=sparse_categorical_crossentropy, optimizer=adam)
                }
                """));
        s.add(Arguments.of("ignore_class: SimpleRNN sequences, per-step targets", Models.sequential("5, 3",
                "SimpleRNN(4, return_sequences=true)\nTimeDistributed(Dense(3, activation=softmax))",
                "compile(loss=SparseCategoricalCrossentropy(ignore_class=1), optimizer=adam)")));
        s.add(Arguments.of("mask and ignore_class, sum over steps", """
                sequential M {
                    input t: int[6]
                    Embedding(7, 4, mask_zero=true)
                    LSTM(3, return_sequences=true)
                    Dense(3)
                    compile(loss=SparseCategoricalCrossentropy(from_logits=true, ignore_class=2, reduction=sum_over_steps), optimizer=adam)
                }
                """));
        String elman = """
                cell Elman(units) {
                    state h: [units]
                    step(x: [d]) {
                        W = param([units + d, units]);  b = param([units], init=zeros)
                        h = tanh(concat(h, x) @ W + b)
                        return h
                    }
                }
                """;
        s.add(Arguments.of("cell Elman (DESIGN.md), RNN sequences", elman + Models.sequential("6, 3",
                "RNN(Elman(4), return_sequences=true)\nTimeDistributed(Dense(2))", MSE)));
        s.add(Arguments.of("cell Elman, go_backwards, last state", elman + Models.sequential("6, 3", "RNN(Elman(3), go_backwards=true)\nDense(2)", MSE)));
        s.add(Arguments.of("cell with two states and an output that is not a state, masked", """
                cell Gated(units) {
                    state h: [units]
                    state c: [units]
                    step(x: [d]) {
                        Wg = param([d + units, units]);  bg = param([units], init=constant(-1))
                        Wc = param([d + units, units]);  V = param([units, 2])
                        g = sigmoid(concat(x, h) @ Wg + bg)
                        c = g * c + (1 - g) * tanh(concat(x, h) @ Wc)
                        h = tanh(c) * g
                        return h @ V
                    }
                }
                sequential M {
                    input t: int[6]
                    Embedding(7, 4, mask_zero=true)
                    RNN(Gated(3), return_sequences=true)
                    Dense(2)
                    compile(loss=mse, optimizer=sgd)
                }
                """));
        s.add(Arguments.of("return_state: LSTM output, h and c", """
                model S {
                    input x: float[6, 3]
                    out, h, c = LSTM(3, return_sequences=true, return_state=true)(x)
                    output Dense(2)(Concatenate()([h, c, Flatten()(out)]))
                    compile(loss=mse, optimizer=sgd)
                }
                """));
        s.add(Arguments.of("return_state: masked Bidirectional(GRU) and a cell", elman + """
                model S {
                    input t: int[6]
                    e = Embedding(7, 4, mask_zero=true)(t)
                    out, fh, bh = Bidirectional(GRU(3, return_state=true))(e)
                    seq, h = RNN(Elman(2), return_sequences=true, return_state=true)(e)
                    output Dense(2)(Concatenate()([out, fh, bh, h, Flatten()(seq)]))
                    compile(loss=mse, optimizer=sgd)
                }
                """));
        s.add(Arguments.of("initial_state: an encoder's final states start a decoder", """
                model Seq2Seq {
                    input src: float[5, 3]
                    input dst: float[4, 2]
                    enc, h, c = LSTM(3, return_state=true)(src)
                    dec = LSTM(3, return_sequences=true)(dst, initial_state=[h, c])
                    g = GRU(3, go_backwards=true)(dst, initial_state=h)
                    output TimeDistributed(Dense(2))(dec) + RepeatVector(4)(Dense(2)(g))
                    compile(loss=mse, optimizer=sgd)
                }
                """));
        s.add(Arguments.of("LayerNormalization", Models.sequential("5", "Dense(6, activation=tanh)\nLayerNormalization()\nDense(2)", MSE)));
        s.add(Arguments.of("LayerNormalization on sequences, no center, epsilon", Models.sequential("4, 5",
                "LayerNormalization(epsilon=0.01, center=false)\nFlatten()\nDense(2)", MSE)));
        s.add(Arguments.of("layer_norm inside a cell (a layer-normalised Elman cell)", """
                cell NormElman(units) {
                    state h: [units]
                    step(x: [d]) {
                        W = param([units + d, units]);  gamma = param([units], init=ones);  beta = param([units], init=zeros)
                        h = tanh(layer_norm(concat(h, x) @ W) * gamma + beta)
                        return h
                    }
                }
                """ + Models.sequential("6, 3", "RNN(NormElman(4), return_sequences=true)\nTimeDistributed(Dense(2))", MSE)));
        s.add(Arguments.of("Masking before LSTM, masked sequence loss", """
                sequential M {
                    input x: float[6, 3]
                    Masking(mask_value=0.5)
                    LSTM(3, return_sequences=true)
                    TimeDistributed(Dense(2))
                    compile(loss=mse, optimizer=sgd)
                }
                """));
        s.add(Arguments.of("TimeDistributed(LayerNormalization), TimeDistributed(Embedding) of words per step", """
                model T {
                    input w: int[4, 3]
                    e = TimeDistributed(Embedding(7, 2))(w)
                    h = GRU(3, return_sequences=true)(Reshape((4, 6))(e))
                    output TimeDistributed(Dense(2))(TimeDistributed(LayerNormalization())(h))
                    compile(loss=mse, optimizer=sgd)
                }
                """));
        for (String cell : new String[] {"SimpleRNNCell(3)", "LSTMCell(3)", "GRUCell(3)"}) {
            s.add(Arguments.of("RNN(" + cell + ")", Models.sequential("5, 3", "RNN(" + cell + ")\nDense(2)", MSE)));
        }
        s.add(Arguments.of("masked Bidirectional(GRU) sequences (zero output at masked steps)", """
                sequential M {
                    input t: int[6]
                    Embedding(7, 4, mask_zero=true)
                    Bidirectional(GRU(3, return_sequences=true))
                    TimeDistributed(Dense(2))
                    compile(loss=mse, optimizer=sgd)
                }
                """));
        s.add(Arguments.of("Dropout in LSTM and GRU, one mask per sequence (fixed by seed and step)", Models.sequential("5, 3",
                "LSTM(3, dropout=0.3, recurrent_dropout=0.4, return_sequences=true)\nGRU(2, dropout=0.2, recurrent_dropout=0.5)\nDense(2)", MSE)));
        s.add(Arguments.of("recurrent dropout set (off in grad)", Models.sequential("5, 3",
                "LSTM(3, dropout=0.2, recurrent_dropout=0.3)\nDense(2)", MSE)));
    }

    /** Dot over every kind of axis, with and without normalize, and the merging layers on masked values (issue 4). */
    private static void mergeCases(Stream.Builder<Arguments> s) {
        s.add(Arguments.of("Dot: axes 2, 1, (1, 2), -1 and (2, 1) of a rank-4 input", """
                model D {
                    input x: float[4, 3]
                    input v: float[5]
                    a = Dense(5, activation=tanh)(x)
                    b = Dense(5)(x)
                    s = Dot(axes=2)([a, b])
                    t = Dot(axes=1)([a, Dense(2)(x)])
                    u = Dot(axes=(1, 2))([Dense(5)(v), a])
                    w = Dot(axes=-1)([Dense(3)(v), Dense(3, activation=tanh)(v)])
                    q = Dot(axes=(2, 1))([Reshape((2, 3, 2))(Dense(12)(v)), Reshape((3, 2))(Dense(6)(v))])
                    output Dense(2)(Concatenate()([Flatten()(s), Flatten()(t), u, w, Flatten()(q)]))
                    compile(loss=mse, optimizer=sgd)
                }
                """));
        s.add(Arguments.of("Dot(normalize=true): last, first and middle axes", """
                model N {
                    input x: float[4, 3]
                    input v: float[6]
                    a = Dense(5, activation=tanh)(x)
                    b = Dense(5)(x)
                    s = Dot(axes=2, normalize=true)([a, b])
                    t = Dot(axes=(1, -2), normalize=true)([a, Dense(3)(x)])
                    r = Reshape((2, 3, 4))(Dense(24)(v))
                    u = Dot(axes=(2, 2), normalize=true)([r, Reshape((4, 3, 2))(Dense(24, activation=tanh)(v))])
                    w = Dot(axes=1, normalize=true)([Dense(4)(v), Dense(4, activation=tanh)(v)])
                    output Dense(2)(Concatenate()([Flatten()(s), Flatten()(t), Flatten()(u), w]))
                    compile(loss=mse, optimizer=sgd)
                }
                """));
        s.add(Arguments.of("masked merges: Add, Subtract, Multiply, Average, Maximum, Minimum, Concatenate into masked means", """
                model M {
                    input a: int[6]
                    input b: int[6]
                    ea = Embedding(7, 3, mask_zero=true)(a)
                    eb = Embedding(7, 3, mask_zero=true)(b)
                    ec = Dense(3, activation=tanh)(Embedding(7, 3)(a))
                    h = Concatenate()([
                        GlobalAveragePooling1D()(Add()([ea, eb])),
                        GlobalAveragePooling1D()(Subtract()([ea, eb])),
                        GlobalAveragePooling1D()(Multiply()([ea, eb, ea])),
                        GlobalAveragePooling1D()(Multiply()([ec, ea])),
                        GlobalAveragePooling1D()(Average()([ea, eb])),
                        GlobalAveragePooling1D()(Maximum()([ea, eb])),
                        GlobalAveragePooling1D()(Minimum()([ea, ec, eb])),
                        GlobalAveragePooling1D()(Concatenate()([ea, eb])),
                        GlobalAveragePooling1D()(Concatenate(axis=1)([ea, ec]))])
                    output Dense(2)(h)
                    compile(loss=mse, optimizer=sgd)
                }
                """));
        s.add(Arguments.of("masked merge into a GRU and a masked per-step loss", """
                model R {
                    input a: int[6]
                    input b: int[6]
                    h = Add()([Embedding(7, 3, mask_zero=true)(a), Embedding(7, 3, mask_zero=true)(b)])
                    output TimeDistributed(Dense(2))(GRU(3, return_sequences=true)(h))
                    compile(loss=mse, optimizer=sgd)
                }
                """));
    }

    /** Embeddings, 1-D convolutions, pooling, merging and reshaping layers (issue 4). */
    private static void sequenceCases(Stream.Builder<Arguments> s) {
        s.add(Arguments.of("Embedding, Flatten, Dense", """
                sequential E {
                    input t: int[6]
                    Embedding(7, 3)
                    Flatten()
                    Dense(2, activation=sigmoid)
                    compile(loss=binary_crossentropy, optimizer=rmsprop)
                }
                """));
        s.add(Arguments.of("Embedding shared by two inputs, Add", """
                model E {
                    input a: int[6]
                    input b: int[6]
                    e = Embedding(9, 3, input_length=6)
                    h = Add()([e(a), e(b)])
                    output Dense(2)(Flatten()(h))
                    compile(loss=mse, optimizer=sgd)
                }
                """));
        s.add(Arguments.of("Embedding mask_zero, Dropout, masked GlobalAveragePooling1D", """
                sequential E {
                    input t: int[6]
                    Embedding(7, 4, mask_zero=true)
                    Dense(3, activation=tanh)
                    GlobalAveragePooling1D()
                    Dense(2)
                    compile(loss=mse, optimizer=sgd)
                }
                """));
        for (String conv : new String[] {"Conv1D(5, 3)", "Conv1D(5, 4, padding=same)", "Conv1D(5, 3, padding=same, strides=2)",
                "Conv1D(5, 2, padding=causal, dilation_rate=2)", "Conv1D(4, 3, strides=3, use_bias=false)", "Conv1D(5, 1)",
                "Conv1D(6, 3, padding=same, groups=3)"}) {
            s.add(Arguments.of(conv, seq(conv.replace(")", ", activation=tanh)"))));
        }
        for (String pool : new String[] {"MaxPooling1D()", "MaxPooling1D(3, strides=1, padding=same)", "MaxPooling1D(2, padding=same)",
                "AveragePooling1D(2)", "AveragePooling1D(3, strides=2, padding=same)", "AveragePooling1D(4, strides=1, padding=same)",
                "GlobalAveragePooling1D(keepdims=true)", "GlobalMaxPooling1D(keepdims=true)"}) {
            s.add(Arguments.of(pool, seq(pool)));
        }
        s.add(Arguments.of("GlobalAveragePooling1D and GlobalMaxPooling1D", Models.sequential("7, 4",
                "Conv1D(3, 2, activation=tanh)\nGlobalMaxPooling1D()\nRepeatVector(3)\nGlobalAveragePooling1D()\nDense(2)", MSE)));
        s.add(Arguments.of("RepeatVector and Permute", Models.sequential("4",
                "Dense(3, activation=tanh)\nRepeatVector(5)\nPermute((2, 1))\nDense(2, activation=tanh)\nFlatten()\nDense(2)", MSE)));
        s.add(Arguments.of("Concatenate on the feature and the step axis", """
                model C {
                    input x: float[5, 4]
                    a = Dense(3, activation=tanh)(x)
                    b = Dense(2, activation=tanh)(x)
                    h = Concatenate()([a, b, a])
                    k = Concatenate(axis=1)([h, Conv1D(8, 2, activation=tanh)(x)])
                    output Dense(2)(Flatten()(k))
                    compile(loss=mse, optimizer=sgd)
                }
                """));
        s.add(Arguments.of("Add, Subtract, Multiply, Average, Maximum, Minimum", """
                model M {
                    input x: float[4]
                    a = Dense(3, activation=tanh)(x)
                    b = Dense(3, activation=sigmoid)(x)
                    c = Dense(3)(x)
                    h = Concatenate()([Add()([a, b, c]), Subtract()([a, b]), Multiply()([a, c]), Average()([a, b, c]),
                                       Maximum()([a, b]), Minimum()([b, c])])
                    output Dense(2)(h)
                    compile(loss=mse, optimizer=sgd)
                }
                """));
        s.add(Arguments.of("Dropout: SpatialDropout1D (masks fixed by seed and step)", seq("SpatialDropout1D(0.4)")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void analyticGradientsMatchFiniteDifferences(String name, String source) {
        CompiledModel m = Models.load(source, Dtype.F64);
        int n = 5;
        boolean dropout = name.startsWith("Dropout");  // otherwise gradStep runs without dropout, as `modelc grad` does
        checkGradients(name, m, randomBatch(m.spec(), n), n, dropout);
    }

    /**
     * Recurrences skip the masked steps at the start of a batch (sequences padded in front, as
     * pad_sequences pads them; for a recurrence that runs backwards, padded behind), and those whose
     * outputs at masked steps are zeros (Bidirectional's halves) also the masked steps at the end: the
     * gradients over such a batch still match finite differences, and each row's output is the output
     * it has in a batch of its own, where a different number of steps is skipped.
     */
    @ParameterizedTest(name = "{0}, padding {1}")
    @MethodSource("skippedSteps")
    void maskedStepsAtEitherEndAreSkippedExactly(String layers, String padding) {
        // a whole model (its input t: int[9]), or the layers after a masking Embedding
        String source = layers.startsWith("model ") ? layers : """
                sequential M {
                    input t: int[9]
                    Embedding(7, 4, mask_zero=true)
                    %s
                    compile(loss=mse, optimizer=sgd)
                }
                """.formatted(layers);
        CompiledModel m = Models.load(source, Dtype.F64);
        m.setWeights(randomWeights(m.spec()));
        int n = 4;
        int[] lengths = {5, 2, 6, 3};  // the batch's longest is 6 of 9: 3 steps are masked in every row
        Dataset batch = randomBatch(m.spec(), n);
        double[] tokens = batch.features().get("t").doubles();
        for (int r = 0; r < n; r++) {
            for (int i = 0; i < 9; i++) {
                // "both": two steps of padding in front of every row, the rest behind
                boolean pad = switch (padding) {
                    case "pre" -> i < 9 - lengths[r];
                    case "post" -> i >= lengths[r];
                    default -> i < 2 || i >= 2 + lengths[r];
                };
                tokens[r * 9 + i] = pad ? 0 : 1 + Math.floorMod(Rng.bits(6, 1, r, i, 0), TOKENS - 1);
            }
        }
        Dataset padded = new Dataset(Map.of("t", Tensor.of(tokens, n, 9)), batch.target());
        checkGradients(layers, m, padded, n, false);
        Session all = m.newSession(n), one = m.newSession(1);
        all.load(padded, null, 0, n);
        all.predictStep(n);
        double[] together = all.output(n).doubles();
        int per = together.length / n;
        for (int r = 0; r < n; r++) {
            one.load(padded, new int[] {r}, 0, 1);
            one.predictStep(1);
            double[] alone = one.output(1).doubles();
            for (int j = 0; j < per; j++) {
                assertEquals(alone[j], together[r * per + j], 1e-12, layers + ": row " + r + ", output " + j);
            }
        }
    }

    static Stream<Arguments> skippedSteps() {
        Stream.Builder<Arguments> s = Stream.builder();
        for (String layers : new String[] {"LSTM(3)\nDense(2)", "GRU(3)\nDense(2)", "SimpleRNN(3, return_sequences=true)\nTimeDistributed(Dense(2))",
                "GRU(3, go_backwards=true)\nDense(2)", "Bidirectional(LSTM(3, return_sequences=true))\nTimeDistributed(Dense(2))",
                "LSTM(3, return_sequences=true)\nGRU(2)\nDense(2)", "Bidirectional(GRU(3, return_sequences=true), merge_mode=sum)\nGRU(2)\nDense(2)",
                // the gradient of an activity penalty reaches the skipped steps' outputs too
                "LSTM(3, activity_regularizer=l1_l2(l1=0.02, l2=0.05))\nDense(2)",
                "GRU(3, return_sequences=true, activity_regularizer=l2(0.05))\nTimeDistributed(Dense(2))",
                // h leaves through the sequence (every step of it read, the masked ones too) and through return_state (two
                // stacked gradients), c through return_state
                """
                model R {
                    input t: int[9]
                    e = Embedding(7, 4, mask_zero=true)(t)
                    y, h, c = LSTM(3, return_sequences=true, return_state=true)(e)
                    output Dense(2)(Concatenate()([Flatten()(y), h, c]))
                    compile(loss=mse, optimizer=sgd)
                }
                """}) {
            s.add(Arguments.of(layers, "pre"));
            s.add(Arguments.of(layers, "post"));
            s.add(Arguments.of(layers, "both"));
        }
        return s.build();
    }

    /** The session's gradients on {@code batch} against fourth-order central differences of its loss. */
    private static void checkGradients(String name, CompiledModel m, Dataset batch, int n, boolean dropout) {
        Map<String, Tensor> w = randomWeights(m.spec());
        m.setWeights(w);
        Session s = m.newSession(n);
        s.setSeed(42);
        s.load(batch, null, 0, n);
        s.gradStep(n, dropout);
        Map<String, Tensor> grads = s.gradients();
        double worst = 0;
        String where = "";
        // A fourth-order central difference: truncation error O(h^4), so h can be large enough that
        // the rounding error of the loss (about 1e-16 |L| / h) stays far below the tolerance, even for
        // the small gradients of weights deep in a recurrence.
        double h = 1e-4;
        for (ModelSpec.ParamSpec p : m.spec().params()) {
            if (!p.trainable()) continue;
            double[] values = w.get(p.key()).doubles();
            double[] analytic = grads.get("grad." + p.key()).doubles();
            double scale = 0;
            for (double a : analytic) scale = Math.max(scale, Math.abs(a));
            double floor = Math.max(1e-9, 1e-3 * scale);
            for (int i = 0; i < values.length; i++) {
                double orig = values[i];
                double[] at = new double[4];
                double[] offsets = {2 * h, h, -h, -2 * h};
                for (int k = 0; k < 4; k++) {
                    values[i] = orig + offsets[k];
                    m.setWeights(w);
                    at[k] = s.gradStep(n, dropout);
                }
                values[i] = orig;
                double numeric = (-at[0] + 8 * at[1] - 8 * at[2] + at[3]) / (12 * h);
                double err = Math.abs(numeric - analytic[i]) / Math.max(floor, Math.max(Math.abs(numeric), Math.abs(analytic[i])));
                if (err > worst) {
                    worst = err;
                    where = p.key() + "[" + i + "]: analytic " + analytic[i] + ", numeric " + numeric;
                }
            }
        }
        assertTrue(worst < 1e-6, name + ": max relative error " + worst + " at " + where);
    }

    static Map<String, Tensor> randomWeights(ModelSpec spec) {
        Map<String, Tensor> w = new LinkedHashMap<>();
        int k = 0;
        for (ModelSpec.ParamSpec p : spec.params()) {
            double[] v = new double[p.size()];
            for (int i = 0; i < v.length; i++) v[i] = 0.6 * Rng.normal(3, k, i, 0, 0);
            w.put(p.key(), Tensor.of(v, p.shape()));
            k++;
        }
        return w;
    }

    static Dataset randomBatch(ModelSpec spec, int n) {
        Map<String, Tensor> f = new LinkedHashMap<>();
        int k = 0;
        for (ModelSpec.InputSpec in : spec.inputs()) {
            double[] x = new double[n * in.size()];
            // Integer inputs are token ids: [0, TOKENS) fits every Embedding above; 0 is the padding of mask_zero.
            for (int i = 0; i < x.length; i++) x[i] = in.integer() ? Math.floorMod(Rng.bits(5, 6, k, i, 0), TOKENS) : Rng.normal(5, 1, i, 0, 0);
            k++;
            f.put(in.name(), Tensor.of(x, prepend(n, in.shape())));
        }
        int per = spec.target().size();
        int classes = spec.outputShape()[spec.outputShape().length - 1];
        Tensor target;
        if (spec.target().sparse()) {
            int[] t = new int[n * per];
            for (int i = 0; i < t.length; i++) t[i] = (int) Math.floorMod(Rng.bits(5, 2, i, 0, 0), (long) classes);
            target = Tensor.of(t, prepend(n, spec.target().shape()));
        } else if (spec.loss().contains("crossentropy")) {
            double[] t = new double[n * per];
            boolean categorical = spec.loss().startsWith("categorical");
            for (int r = 0; r < n * per / classes; r++) {
                int hot = (int) Math.floorMod(Rng.bits(5, 3, r, 0, 0), (long) classes);
                for (int j = 0; j < classes; j++) {
                    t[r * classes + j] = categorical ? (j == hot ? 1 : 0) : (Rng.uniform(5, 4, r, j, 0) < 0.5 ? 0 : 1);
                }
            }
            target = Tensor.of(t, prepend(n, spec.target().shape()));
        } else {
            double[] t = new double[n * per];
            for (int i = 0; i < t.length; i++) t[i] = Rng.normal(5, 5, i, 0, 0);
            target = Tensor.of(t, prepend(n, spec.target().shape()));
        }
        return new Dataset(f, target);
    }

    private static int[] prepend(int n, int[] shape) {
        int[] s = new int[shape.length + 1];
        s[0] = n;
        System.arraycopy(shape, 0, s, 1, shape.length);
        return s;
    }
}
