package modelc.bench;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import modelc.bench.models.FashionMlpPredictor;
import modelc.bench.models.TextGruPredictor;
import modelc.bench.models.FashionMlp;
import modelc.bench.models.TextGru;
import modelc.runtime.Predictor;
import modelc.runtime.Tensor;
import modelc.runtime.data.Dataset;
import modelc.runtime.train.CompiledModel;
import modelc.runtime.train.Session;

/**
 * Not JMH. Bytes allocated per call of the calls TrainStepBench and PredictorBench time, counted
 * exactly: the heap bytes allocated by every thread of the JVM
 * ({@code ThreadMXBean.getTotalThreadAllocatedBytes}) across all the calls of a time window,
 * divided by the calls. JMH's {@code -prof gc} spreads its own per-iteration allocations over the
 * ops of the iteration, which is hundreds of bytes per op for calls that take 10-100 ms; this has
 * no such floor. Each case warms up, then prints several consecutive windows, which shows whether
 * an allocation is steady or goes away once a method reaches C2.
 *
 * <pre>java --add-modules jdk.incubator.vector -cp ... modelc.bench.AllocationCheck [warmup s] [window s] [windows] [case ...]</pre>
 * Cases: {@code train:MODEL:BATCH:THREADS} (MODEL as in TrainStepBench), {@code predict:fashion_mlp:1},
 * {@code predict:fashion_mlp:256}, {@code predict:text_gru:1}, {@code predict:text_gru:256}.
 */
public final class AllocationCheck {
    private AllocationCheck() {}

    public static void main(String[] args) {
        double warmup = args.length > 0 ? Double.parseDouble(args[0]) : 5;
        double window = args.length > 1 ? Double.parseDouble(args[1]) : 2;
        int windows = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        List<String> cases = new ArrayList<>();
        for (int i = 3; i < args.length; i++) cases.add(args[i]);
        if (cases.isEmpty()) {
            cases = List.of("train:fashion_mlp:32:1", "train:fashion_mlp:256:1", "train:fashion_mlp:256:2",
                    "train:lstm_text:32:1", "predict:fashion_mlp:1", "predict:fashion_mlp:256",
                    "predict:text_gru:1", "predict:text_gru:256");
        }
        for (String c : cases) run(c, warmup, window, windows);
    }

    private static void run(String name, double warmup, double window, int windows) {
        String[] p = name.split(":");
        Runnable call;
        AutoCloseable resource = null;
        if (p[0].equals("train")) {
            int batch = Integer.parseInt(p[2]);
            CompiledModel m = BenchModels.create(p[1]);
            Session s = m.newSession(batch, Integer.parseInt(p[3]));
            s.setSeed(1);
            s.load(BenchModels.batch(m.spec(), batch, 42), null, 0, batch);
            call = () -> s.trainStep(batch);
            resource = s;
        } else {
            call = predictCall(p[1], Integer.parseInt(p[2]));
        }
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long end = System.nanoTime() + (long) (warmup * 1e9);
        long warmCalls = 0;
        while (System.nanoTime() < end) {
            call.run();
            warmCalls++;
        }
        StringBuilder out = new StringBuilder(String.format(Locale.ROOT, "%-26s after %,d warm-up calls:", name, warmCalls));
        for (int w = 0; w < windows; w++) {
            long calls = 0;
            long t0 = System.nanoTime();
            end = t0 + (long) (window * 1e9);
            long before = mx.getTotalThreadAllocatedBytes();
            while (System.nanoTime() < end) {
                call.run();
                calls++;
            }
            long bytes = mx.getTotalThreadAllocatedBytes() - before;
            out.append(String.format(Locale.ROOT, "  %.1f B/call (%,d calls, %.3f ms/call)", (double) bytes / calls, calls,
                    (System.nanoTime() - t0) / 1e6 / calls));
        }
        System.out.println(out);
        if (resource != null) {
            try {
                resource.close();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** The call PredictorBench times for this model and batch, on a predictor of its own. */
    private static Runnable predictCall(String model, int batch) {
        CompiledModel m = BenchModels.create(model);
        Dataset d = BenchModels.batch(m.spec(), 256, 42);
        Tensor x = d.features().values().iterator().next();
        int size = m.spec().inputs().get(0).size();
        int outSize = m.spec().outputSize();
        switch (model) {
            case "fashion_mlp" -> {
                FashionMlpPredictor pr = FashionMlpPredictor.of((FashionMlp) m);
                float[][] samples = new float[256][];
                for (int i = 0; i < 256; i++) samples[i] = BenchModels.floatRow(x, i, size);
                if (batch == 1) {
                    float[] out = new float[outSize];
                    int[] next = {0};
                    return () -> pr.predict(samples[next[0]++ & 255], out);
                }
                float[][] out = new float[batch][outSize];
                float[][] in = java.util.Arrays.copyOf(samples, batch);
                return () -> pr.predictBatch(in, out);
            }
            case "text_gru" -> {
                TextGruPredictor pr = TextGruPredictor.of((TextGru) m);
                int[][] samples = new int[256][];
                for (int i = 0; i < 256; i++) samples[i] = BenchModels.intRow(x, i, size);
                if (batch == 1) {
                    float[] out = new float[outSize];
                    int[] next = {0};
                    return () -> pr.predict(samples[next[0]++ & 255], out);
                }
                Session s = m.newSession(Predictor.CHUNK);
                float[][] out = new float[batch][outSize];
                return () -> {
                    s.prepare(batch);
                    for (int r = 0; r < batch; r++) s.setInput(0, r, samples[r], 0);
                    s.predictStep(batch);
                    for (int r = 0; r < batch; r++) s.outputRow(r, out[r], 0);
                };
            }
            default -> throw new IllegalArgumentException("no predictor case for " + model);
        }
    }
}
