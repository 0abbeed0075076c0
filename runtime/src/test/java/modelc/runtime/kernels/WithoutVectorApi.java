package modelc.runtime.kernels;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import modelc.runtime.Tensor;
import modelc.runtime.io.SafeTensors;
import modelc.runtime.train.OptimizerConfig;
import modelc.runtime.train.Optimizers;

/**
 * The runtime's entry points that have vector loops, on fixed inputs: {@link WithoutVectorApiTest}
 * runs this in its own JVM (with the Vector API) and in a child JVM without
 * {@code jdk.incubator.vector}, and compares the results it writes.
 */
public final class WithoutVectorApi {
    private WithoutVectorApi() {}

    public static void main(String[] args) throws IOException {
        SafeTensors.write(Path.of(args[0]), compute());
    }

    static Map<String, Tensor> compute() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        out.put("vectorApi", Tensor.of(new int[] {VectorApi.AVAILABLE ? 1 : 0}, 1));
        for (int n : new int[] {5, 37, 100}) {
            for (String kind : new String[] {"adam", "adamw"}) {
                OptimizerConfig c = OptimizerConfig.defaults(kind);
                float[] wf = new float[n], gf = new float[n];
                double[] wd = new double[n], gd = new double[n];
                for (int i = 0; i < n; i++) {
                    wf[i] = (float) Math.sin(i);
                    wd[i] = wf[i];
                    gf[i] = (float) Math.cos(3 * i);
                    gd[i] = gf[i];
                }
                float[][] sf = new float[c.slots()][n];
                double[][] sd = new double[c.slots()][n];
                for (int step = 0; step < 5; step++) {
                    Optimizers.step(c, c.learningRate(), wf, gf, sf, 1, n - 1, step, 0.5);
                    Optimizers.step(c, c.learningRate(), wd, gd, sd, 1, n - 1, step, 0.5);
                }
                out.put(kind + n + ".f32", Tensor.of(wf, n));
                out.put(kind + n + ".f64", Tensor.of(wd, n));
                out.put(kind + n + ".f32.m", Tensor.of(sf[0], n));
                out.put(kind + n + ".f32.v", Tensor.of(sf[1], n));
            }
            float[] a = new float[n], b = new float[n];
            double[] ad = new double[n], bd = new double[n];
            for (int i = 0; i < n; i++) {
                a[i] = (float) Math.sin(0.3 * i) * (i % 3 == 0 ? 1e-39f : 1f);
                b[i] = (float) Math.cos(0.7 * i);
                ad[i] = Math.sin(0.3 * i) * (i % 3 == 0 ? 1e-310 : 1);
                bd[i] = Math.cos(0.7 * i);
            }
            Subnormals.flush(a, 1, n - 1);
            Subnormals.flush(ad, 1, n - 1);
            out.put("flush" + n + ".f32", Tensor.of(a.clone(), n));
            out.put("flush" + n + ".f64", Tensor.of(ad.clone(), n));
            Optimizers.add(a, b, 2, n);
            Optimizers.add(ad, bd, 2, n);
            out.put("add" + n + ".f32", Tensor.of(a, n));
            out.put("add" + n + ".f64", Tensor.of(ad, n));
        }
        int m = 7, n = 19, k = 33;
        float[] a = new float[m * k], b = new float[k * n], c = new float[m * n], cs = new float[m * n];
        for (int i = 0; i < a.length; i++) a[i] = (float) Math.sin(i);
        for (int i = 0; i < b.length; i++) b[i] = (float) Math.cos(i);
        Gemm.sgemm(false, false, m, n, k, a, 0, k, b, 0, n, c, 0, n, false);
        Gemm.sgemmScalar(false, false, m, n, k, a, 0, k, b, 0, n, cs, 0, n, false);
        out.put("sgemm", Tensor.of(c, m, n));
        out.put("sgemmScalar", Tensor.of(cs, m, n));
        double[] dc = new double[n * m];
        double[] da = new double[a.length], db = new double[b.length];
        for (int i = 0; i < a.length; i++) da[i] = a[i];
        for (int i = 0; i < b.length; i++) db[i] = b[i];
        Gemm.dgemmScalar(true, true, n, m, k, db, 0, n, da, 0, k, dc, 0, m, false); // (A·B)ᵀ = Bᵀ·Aᵀ
        out.put("dgemmScalarTT", Tensor.of(dc, n, m));
        return out;
    }
}
