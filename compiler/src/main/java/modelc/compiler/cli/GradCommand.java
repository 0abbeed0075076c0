package modelc.compiler.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import modelc.runtime.Tensor;
import modelc.runtime.data.Dataset;
import modelc.runtime.io.SafeTensors;
import modelc.runtime.train.ModelSpec;
import modelc.runtime.train.Session;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * One training step's forward and backward pass, without an update: the public way to compare
 * modelc with Keras or PyTorch. W: every weight under its key. B: one tensor per input (by name)
 * and {@code target}. G: {@code loss}, {@code output}, {@code grad.<key>} per trainable weight.
 */
@Command(name = "grad", mixinStandardHelpOptions = true,
        description = "Forward and backward pass on one batch (training mode, dropout off); writes loss, output and gradients.")
final class GradCommand implements Callable<Integer> {
    @Mixin
    ModelOptions model;

    @Option(names = "--weights", required = true, description = "safetensors with every weight of the model")
    Path weights;

    @Option(names = "--batch", required = true, description = "safetensors with one tensor per input, and 'target'")
    Path batch;

    @Option(names = "--out", required = true, description = "safetensors to write: loss, output, grad.<key>")
    Path out;

    @Override
    public Integer call() throws IOException {
        Loaded l = model.load(batch, weights);
        l.loadWeights(weights);
        Map<String, Tensor> b = SafeTensors.read(batch);
        Dataset data = batchDataset(l.model().spec(), b, batch);
        Session s = l.model().newSession(data.size());
        s.load(data, null, 0, data.size());
        double loss = s.gradStep(data.size());
        Map<String, Tensor> g = new LinkedHashMap<>();
        boolean f64 = l.model().spec().dtype().equals("f64");
        g.put("loss", f64 ? Tensor.of(new double[] {loss}) : Tensor.of(new float[] {(float) loss}));
        g.put("output", s.output(data.size()));
        g.putAll(s.gradients());
        SafeTensors.write(out, g, Map.of("format", "modelc-grad", "model", l.model().spec().name()));
        System.out.println("loss " + loss + "; wrote " + g.size() + " tensors to " + out);
        return 0;
    }

    /** Checks the batch file against the model's inputs and target, naming what is wrong. */
    static Dataset batchDataset(ModelSpec spec, Map<String, Tensor> b, Path file) {
        Map<String, Tensor> features = new LinkedHashMap<>();
        for (ModelSpec.InputSpec in : spec.inputs()) {
            Tensor t = b.get(in.name());
            if (t == null) throw new Main.UserError(file + " has no tensor '" + in.name() + "' for the model's input of that name");
            checkShape(file, in.name(), t, in.shape());
            if (in.integer() && t.dtype().isFloat()) throw new Main.UserError(file + ": input '" + in.name() + "' must be I32 or I64, got " + t.dtype());
            features.put(in.name(), t);
        }
        Tensor target = b.get("target");
        if (target == null) throw new Main.UserError(file + " has no 'target' tensor");
        checkShape(file, "target", target, spec.target().shape());
        if (spec.target().sparse() && target.dtype().isFloat()) {
            throw new Main.UserError(file + ": a sparse target holds class indices (I32 or I64), got " + target.dtype());
        }
        for (String k : b.keySet()) {
            if (!k.equals("target") && spec.inputs().stream().noneMatch(i -> i.name().equals(k))) {
                throw new Main.UserError(file + " has a tensor '" + k + "' that is neither a model input nor 'target'");
            }
        }
        for (Map.Entry<String, Tensor> e : b.entrySet()) {
            if (e.getValue().dim(0) != target.dim(0)) {
                throw new Main.UserError(file + ": '" + e.getKey() + "' holds " + e.getValue().dim(0) + " samples but 'target' holds "
                        + target.dim(0) + "; every tensor of a batch needs the same first axis");
            }
        }
        return new Dataset(features, target);
    }

    private static void checkShape(Path file, String name, Tensor t, int[] perSample) {
        int[] shape = t.shape();
        boolean ok = shape.length == perSample.length + 1;
        for (int i = 0; ok && i < perSample.length; i++) ok = shape[i + 1] == perSample[i];
        if (!ok) {
            StringBuilder expected = new StringBuilder("[batch");
            for (int d : perSample) expected.append(", ").append(d);
            throw new Main.UserError(file + ": '" + name + "' has shape " + java.util.Arrays.toString(shape) + ", expected " + expected + "]");
        }
    }
}
