package modelc.bench;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import modelc.bench.models.FashionMlp;
import modelc.bench.models.GruText;
import modelc.bench.models.LstmText;
import modelc.bench.models.TextGru;
import modelc.runtime.Tensor;
import modelc.runtime.data.Dataset;
import modelc.runtime.train.CompiledModel;
import modelc.runtime.train.ModelSpec;

/**
 * The models the whole-step benchmarks run, generated at build time by modelc's Maven plugin
 * (bench/pom.xml: examples/fashion_mlp.model, examples/text_gru.model, bench/models/*.model, all in
 * package {@code modelc.bench.models}), and fixed synthetic batches of their input shapes.
 */
final class BenchModels {
    private BenchModels() {}

    /** A freshly initialised model, by the stem of its {@code .model} file. */
    static CompiledModel create(String name) {
        CompiledModel m = switch (name) {
            case "fashion_mlp" -> new FashionMlp();
            case "text_gru" -> new TextGru();
            case "lstm_text" -> new LstmText();
            case "gru_text" -> new GruText();
            default -> throw new IllegalArgumentException("no benchmark model " + name);
        };
        m.initialize(1);
        return m;
    }

    /**
     * {@code n} samples: float inputs are pixels in [0, 256) (the course MLP rescales by 1/255),
     * integer inputs are token ids in [1, vocabulary) with no padding, so every time step is real
     * work; targets are random classes (sparse) or random 0/1.
     */
    static Dataset batch(ModelSpec spec, int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        Map<String, Tensor> features = new LinkedHashMap<>();
        for (ModelSpec.InputSpec in : spec.inputs()) {
            int[] shape = new int[in.shape().length + 1];
            shape[0] = n;
            System.arraycopy(in.shape(), 0, shape, 1, in.shape().length);
            if (in.integer()) {
                int[] x = new int[n * in.size()];
                int vocabulary = vocabulary(spec);
                for (int i = 0; i < x.length; i++) x[i] = 1 + r.nextInt(vocabulary - 1);
                features.put(in.name(), Tensor.of(x, shape));
            } else {
                float[] x = new float[n * in.size()];
                for (int i = 0; i < x.length; i++) x[i] = r.nextInt(256);
                features.put(in.name(), Tensor.of(x, shape));
            }
        }
        int[] tshape = new int[spec.target().shape().length + 1];
        tshape[0] = n;
        System.arraycopy(spec.target().shape(), 0, tshape, 1, spec.target().shape().length);
        int per = spec.target().size();
        Tensor target;
        if (spec.target().sparse()) {
            int classes = spec.outputShape()[spec.outputShape().length - 1];
            int[] t = new int[n * per];
            for (int i = 0; i < t.length; i++) t[i] = r.nextInt(classes);
            target = Tensor.of(t, tshape);
        } else {
            float[] t = new float[n * per];
            for (int i = 0; i < t.length; i++) t[i] = r.nextInt(2);
            target = Tensor.of(t, tshape);
        }
        return new Dataset(features, target);
    }

    /** Rows of the model's first embedding table: the number of distinct token ids. */
    static int vocabulary(ModelSpec spec) {
        for (ModelSpec.ParamSpec p : spec.params()) {
            if (p.key().endsWith(".embeddings")) return p.shape()[0];
        }
        throw new IllegalArgumentException(spec.name() + " has integer inputs but no embedding");
    }

    /** Row {@code i} of a float feature, as one sample. */
    static float[] floatRow(Tensor t, int i, int size) {
        float[] row = new float[size];
        System.arraycopy((float[]) t.data(), i * size, row, 0, size);
        return row;
    }

    /** Row {@code i} of an integer feature, as one sample. */
    static int[] intRow(Tensor t, int i, int size) {
        int[] row = new int[size];
        System.arraycopy((int[]) t.data(), i * size, row, 0, size);
        return row;
    }
}
