package modelc.compiler.cli;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import modelc.runtime.Rng;
import modelc.runtime.Tensor;
import modelc.runtime.data.Dataset;
import modelc.runtime.train.CompiledModel;
import modelc.runtime.train.ModelSpec;
import modelc.runtime.train.Session;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Trains on synthetic data of the model's input shapes and prints throughput as one JSON line. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Measures training and inference throughput on synthetic data; prints one JSON line.")
final class BenchCommand implements Callable<Integer> {
    @Mixin
    ModelOptions model;

    @Option(names = "--batch-size", defaultValue = "32")
    int batch;

    @Option(names = "--threads", defaultValue = "1", split = ",", description = "threads a batch is split across;"
            + " several (--threads 1,2) are measured in alternating rounds in one run, each line with its ratio to the first")
    List<Integer> threads;

    @Option(names = "--seconds", defaultValue = "5", description = "seconds of measurement for each figure")
    double seconds;

    @Option(names = "--weights", description = "start from these weights (safetensors) instead of the initialisation")
    java.nio.file.Path weights;

    @Option(names = "--filled", defaultValue = "1", description = "the fraction of each token sequence (integer input) that"
            + " holds tokens; the steps before them are padding (0), as pad_sequences pads shorter sequences (default: 1)")
    double filled;

    @Option(names = "--padding", defaultValue = "pre", description = "where --filled puts the padding: pre (before the tokens,"
            + " pad_sequences' default) or post (after them)")
    String padding;

    @Override
    public Integer call() throws IOException {
        if (batch < 1) throw new Main.UserError("--batch-size must be at least 1, got " + batch);
        for (int t : threads) if (t < 1) throw new Main.UserError("--threads must be at least 1, got " + t);
        if (!(filled > 0 && filled <= 1)) throw new Main.UserError("--filled must be in (0, 1], got " + filled);
        if (!padding.equals("pre") && !padding.equals("post")) throw new Main.UserError("--padding must be pre or post, got " + padding);
        Loaded l = model.load();
        CompiledModel m = l.model();
        m.initialize(1);
        if (weights != null) l.loadWeights(weights);
        Dataset data = synthetic(m.spec(), batch, vocabularies(l.result().model()), filled, padding.equals("post"));
        int k = threads.size();
        Session[] train = new Session[k], infer = new Session[k];
        Runnable[] trainSteps = new Runnable[k], inferSteps = new Runnable[k];
        for (int i = 0; i < k; i++) {
            Session s = train[i] = m.newSession(batch, threads.get(i));
            s.load(data, null, 0, batch);
            trainSteps[i] = () -> s.trainStep(batch);
        }
        com.sun.management.ThreadMXBean tb = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long tid = Thread.currentThread().threadId();
        // With several thread counts, each round also times the same count of threads doing plain arithmetic: on a
        // shared machine the cores a round gets vary, and this says how much of a second core was there to use.
        probe = k > 1 ? new Probe(threads.stream().mapToInt(Integer::intValue).max().orElse(1)) : null;
        double[][] trainRates = rates(trainSteps, batch);
        double[][] trainProbe = probeRates;
        long[] bytesPerStep = new long[k];
        for (int i = 0; i < k; i++) {
            long before = tb.getThreadAllocatedBytes(tid);
            int steps = 100;
            for (int j = 0; j < steps; j++) train[i].trainStep(batch);
            bytesPerStep[i] = (tb.getThreadAllocatedBytes(tid) - before) / steps;
        }
        Session one = m.newSession(1);
        one.load(data, null, 0, 1);
        double inferB1 = rates(new Runnable[] {() -> one.predictStep(1)}, 1)[0][0];
        for (int i = 0; i < k; i++) {
            Session s = infer[i] = m.newSession(batch, threads.get(i));
            s.load(data, null, 0, batch);
            inferSteps[i] = () -> s.predictStep(batch);
        }
        double[][] inferRates = rates(inferSteps, batch);
        if (probe != null) probe.close();
        long peak = 0;
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            if (p.getType() == MemoryType.HEAP) peak += p.getPeakUsage().getUsed();
        }
        for (int i = 0; i < k; i++) {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("model", m.spec().name());
            out.put("batch_size", batch);
            out.put("threads", train[i].threads());
            out.put("train_samples_per_s", median(trainRates[i]));
            out.put("infer_b1_samples_per_s", inferB1);
            out.put("infer_samples_per_s", median(inferRates[i]));
            out.put("train_bytes_per_step", bytesPerStep[i]);
            out.put("peak_heap_bytes", peak);
            if (k > 1) {
                out.put("rounds", trainRates[i].length);
                out.put("train_ratio_to_first", ratios(trainRates[i], trainRates[0]));
                out.put("cpu_probe_ratio_to_first", ratios(trainProbe[i], trainProbe[0]));
                out.put("train_ratio_per_probe_ratio", perProbe(trainRates[i], trainRates[0], trainProbe[i], trainProbe[0]));
                out.put("infer_ratio_to_first", ratios(inferRates[i], inferRates[0]));
            }
            StringBuilder sb = new StringBuilder("{");
            out.forEach((key, v) -> sb.append(sb.length() > 1 ? ", " : "").append('"').append(key).append("\": ")
                    .append(v instanceof RawJson j ? j.text() : v instanceof String s ? '"' + s.replace("\"", "\\\"") + '"' : v instanceof Double d ? String.format(Locale.ROOT, "%.1f", d) : v));
            System.out.println(sb.append('}'));
        }
        return 0;
    }

    /**
     * Samples per second of each step in rounds: each warms up (see {@link #warmUp}), then the steps take turns in
     * rounds of about a quarter second (one round of all the time when there is one step), so a change in the
     * machine's load falls on all of them alike. Returns each step's rate in each round.
     */
    private double[][] rates(Runnable[] steps, int samplesPerStep) {
        for (Runnable step : steps) warmUp(step);
        int rounds = steps.length == 1 ? 1 : Math.max(3, (int) Math.round(seconds / 0.25));
        long perRound = (long) (seconds * 1e9 / rounds);
        double[][] out = new double[steps.length][rounds];
        probeRates = new double[steps.length][rounds];
        for (int r = 0; r < rounds; r++) {
            for (int i = 0; i < steps.length; i++) {
                if (probe != null) probeRates[i][r] = probe.rate(threads.get(i));
                out[i][r] = stepsPerSecond(steps[i], perRound) * samplesPerStep;
            }
        }
        return out;
    }

    /**
     * Runs {@code step} for at least a third of the measuring time and until the JIT has settled: until a half-second
     * round is no more than 3% faster than the best before it (at most 60 s). The kernels of a recurrent step are
     * called hundreds of times per step, and the optimising compiler reaches them only after seconds of queueing.
     */
    private void warmUp(Runnable step) {
        long start = System.nanoTime(), min = start + (long) (seconds * 1e9 / 3), max = start + 60_000_000_000L;
        double best = 0;
        while (true) {
            double rate = stepsPerSecond(step, 500_000_000L);
            if (System.nanoTime() >= max || (System.nanoTime() >= min && rate <= best * 1.03)) return;
            best = Math.max(best, rate);
        }
    }

    /** Runs {@code step} over and over for {@code nanos}; the steps per second. */
    private static double stepsPerSecond(Runnable step, long nanos) {
        long t0 = System.nanoTime(), end = t0 + nanos;
        long n = 0;
        while (System.nanoTime() < end) {
            step.run();
            n++;
        }
        return n / ((System.nanoTime() - t0) / 1e9);
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    private Probe probe;
    private double[][] probeRates;

    /**
     * Threads doing plain dependent floating-point arithmetic (no memory traffic) for 50 ms: their total rate, in
     * operations per second, tells what share of the cores a round had.
     */
    private static final class Probe implements AutoCloseable {
        private final java.util.concurrent.ExecutorService pool;

        Probe(int threads) {
            pool = java.util.concurrent.Executors.newFixedThreadPool(threads, r -> {
                Thread t = new Thread(r, "modelc-bench-probe");
                t.setDaemon(true);
                return t;
            });
        }

        double rate(int threads) {
            java.util.List<java.util.concurrent.Future<Long>> f = new java.util.ArrayList<>();
            long t0 = System.nanoTime();
            for (int i = 0; i < threads; i++) f.add(pool.submit(Probe::spin));
            long ops = 0;
            try {
                for (java.util.concurrent.Future<Long> x : f) ops += x.get();
            } catch (InterruptedException | java.util.concurrent.ExecutionException e) {
                throw new IllegalStateException(e);
            }
            return ops / ((System.nanoTime() - t0) / 1e9);
        }

        private static long spin() {
            long end = System.nanoTime() + 50_000_000L, ops = 0;
            double a = 1, b = 1, c = 1, d = 1;
            while (System.nanoTime() < end) {
                for (int i = 0; i < 10_000; i++) {
                    a = Math.fma(a, 0.9999999, 1e-7);
                    b = Math.fma(b, 0.9999998, 1e-7);
                    c = Math.fma(c, 0.9999997, 1e-7);
                    d = Math.fma(d, 0.9999996, 1e-7);
                }
                ops += 40_000;
            }
            if (a + b + c + d == 42) System.out.print("");
            return ops;
        }

        @Override
        public void close() {
            pool.shutdownNow();
        }
    }

    /** The median and quartiles of the round-by-round (a[r] / b[r]) / (pa[r] / pb[r]), as a JSON object. */
    private static RawJson perProbe(double[] a, double[] b, double[] pa, double[] pb) {
        double[] x = new double[a.length];
        for (int i = 0; i < x.length; i++) x[i] = (a[i] / b[i]) / (pa[i] / pb[i]);
        double[] one = new double[x.length];
        Arrays.fill(one, 1);
        return ratios(x, one);
    }

    /** JSON text written as it is. */
    private record RawJson(String text) {}

    /** The median and quartiles of the round-by-round ratios a[r] / b[r], as a JSON object. */
    private static RawJson ratios(double[] a, double[] b) {
        double[] r = new double[a.length];
        for (int i = 0; i < r.length; i++) r[i] = a[i] / b[i];
        Arrays.sort(r);
        return new RawJson(String.format(Locale.ROOT, "{\"median\": %.3f, \"q1\": %.3f, \"q3\": %.3f}",
                median(r), r[(r.length - 1) / 4], r[(3 * (r.length - 1) + 3) / 4]));
    }

    /** For each integer input, the smallest vocabulary of the Embeddings that read it (token ids must stay below it). */
    static Map<String, Integer> vocabularies(modelc.compiler.resolve.ModelIR ir) {
        Map<String, Integer> out = new LinkedHashMap<>();
        for (modelc.compiler.ir.Node n : ir.graph().nodes()) {
            if (n.op() instanceof modelc.compiler.ir.Op.Gather && n.input(0).op() instanceof modelc.compiler.ir.Op.Input in) {
                out.merge(in.inputName(), n.input(1).type().dim(0).size(), Math::min);
            }
        }
        return out;
    }

    /**
     * A batch of {@code n} random samples: floats uniform in [0, 1); token ids uniform in [1, vocabulary)
     * in the last {@code filled} of each sequence's steps (its first axis), padding (0) before them (after them if
     * {@code post}); random targets.
     */
    static Dataset synthetic(ModelSpec spec, int n, Map<String, Integer> vocabularies, double filled, boolean post) {
        Map<String, Tensor> features = new LinkedHashMap<>();
        for (ModelSpec.InputSpec in : spec.inputs()) {
            int[] shape = new int[in.shape().length + 1];
            shape[0] = n;
            System.arraycopy(in.shape(), 0, shape, 1, in.shape().length);
            float[] x = new float[n * in.size()];
            int vocabulary = vocabularies.getOrDefault(in.name(), 2);
            int steps = in.shape().length == 0 ? 1 : in.shape()[0], perStep = in.size() / steps;
            int padding = steps - (int) Math.ceil(filled * steps);
            for (int i = 0; i < x.length; i++) {
                int step = (i % in.size()) / perStep;
                boolean pad = in.integer() && (post ? step >= steps - padding : step < padding);
                x[i] = pad ? 0 : in.integer() ? 1 + Math.floorMod(Rng.bits(7, 1, i, 0, 0), (long) Math.max(1, vocabulary - 1))
                        : (float) Rng.uniform(7, 1, i, 0, 0);
            }
            features.put(in.name(), Tensor.of(x, shape));
        }
        int[] tshape = new int[spec.target().shape().length + 1];
        tshape[0] = n;
        System.arraycopy(spec.target().shape(), 0, tshape, 1, spec.target().shape().length);
        int per = spec.target().size();
        Tensor target;
        if (spec.target().sparse()) {
            int classes = spec.outputShape()[spec.outputShape().length - 1];
            int[] t = new int[n * per];
            for (int i = 0; i < t.length; i++) t[i] = (int) Math.floorMod(Rng.bits(7, 2, i, 0, 0), (long) classes);
            target = Tensor.of(t, tshape);
        } else {
            float[] t = new float[n * per];
            for (int i = 0; i < t.length; i++) t[i] = Rng.uniform(7, 3, i, 0, 0) < 0.5 ? 0 : 1;
            target = Tensor.of(t, tshape);
        }
        return new Dataset(features, target);
    }
}
