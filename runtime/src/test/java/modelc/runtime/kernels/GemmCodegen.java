package modelc.runtime.kernels;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Generates the GEMM sources that are not written by hand:
 * <ol>
 *   <li>the micro-kernels inside {@code SgemmImpl.java} (between the GENERATED markers), one per
 *       tile in {@link GemmParams#TILES}, with the register tile unrolled into named locals and the
 *       K loop rolled;</li>
 *   <li>{@code DgemmImpl.java}, the whole of {@code SgemmImpl.java} with float replaced by
 *       double;</li>
 *   <li>{@code ScalarDgemm.java}, the whole of {@code ScalarSgemm.java} (the GEMM in plain loops)
 *       with float replaced by double.</li>
 * </ol>
 * Run from the repository root (it only needs GemmParams, so it works even while the kernels do
 * not compile):
 * <pre>
 * javac --add-modules jdk.incubator.vector -d /tmp/gemmgen \
 *     runtime/src/main/java/modelc/runtime/kernels/GemmParams.java \
 *     runtime/src/test/java/modelc/runtime/kernels/GemmCodegen.java
 * java --add-modules jdk.incubator.vector -cp /tmp/gemmgen modelc.runtime.kernels.GemmCodegen
 * </pre>
 * or run {@code GemmCodegenTest} with {@code -Dmodelc.gemm.regenerate=true}. {@code GemmCodegenTest}
 * fails while the checked-in files differ from what this produces.
 */
public final class GemmCodegen {
    static final String BEGIN = "    // ---- BEGIN GENERATED MICRO-KERNELS (GemmCodegen: edit the generator, not this block) ----\n";
    static final String END = "    // ---- END GENERATED MICRO-KERNELS ----\n";
    /** The first line of a file generated from {@code master} by {@link #toDouble}. */
    static String doubleHeader(String master) {
        return "// GENERATED from " + master + " by GemmCodegen (runtime tests): do not edit.\n";
    }

    public static void main(String[] args) throws IOException {
        Path dir = sourceDir();
        for (Map.Entry<Path, String> e : generate(dir).entrySet()) {
            Files.writeString(e.getKey(), e.getValue(), StandardCharsets.UTF_8);
            System.out.println("wrote " + e.getKey());
        }
    }

    /** The kernels' source directory, from the repository root or from the runtime module. */
    static Path sourceDir() {
        Path rel = Path.of("src/main/java/modelc/runtime/kernels");
        if (Files.isDirectory(rel)) return rel;
        Path fromRoot = Path.of("runtime").resolve(rel);
        if (Files.isDirectory(fromRoot)) return fromRoot;
        throw new IllegalStateException("run from the repository root or the runtime module");
    }

    /** File → expected content. */
    static Map<Path, String> generate(Path dir) throws IOException {
        Path master = dir.resolve("SgemmImpl.java");
        String src = Files.readString(master, StandardCharsets.UTF_8);
        int b = src.indexOf(BEGIN), e = src.indexOf(END);
        if (b < 0 || e < b) throw new IllegalStateException("GENERATED markers not found in " + master);
        String floatSrc = src.substring(0, b + BEGIN.length()) + kernels() + src.substring(e);
        Map<Path, String> out = new LinkedHashMap<>();
        out.put(master, floatSrc);
        out.put(dir.resolve("DgemmImpl.java"), doubleHeader("SgemmImpl.java") + toDouble(floatSrc));
        String scalar = Files.readString(dir.resolve("ScalarSgemm.java"), StandardCharsets.UTF_8);
        out.put(dir.resolve("ScalarDgemm.java"), doubleHeader("ScalarSgemm.java") + toDouble(scalar));
        return out;
    }

    /** float → double, textually. The master avoids words that would be mangled by this. */
    static String toDouble(String s) {
        return s.replace("Float", "Double").replace("float", "double")
                .replace("SGEMM", "DGEMM").replace("Sgemm", "Dgemm").replace("sgemm", "dgemm")
;
    }

    static String kernels() {
        StringBuilder sb = new StringBuilder();
        sb.append("""

                /**
                 * The micro-kernel of the configured tile: C[MR×NR at ci] (+)= A·B over kc steps, where step
                 * p reads A's MR values at a[ai + p*MR ...] (a packed panel) and B's NR values at
                 * b[bi + p*bs ...]. MR and NV are constants, so C2 folds this dispatch away.
                 */
                static void kernel(int kc, float[] a, int ai, float[] b, int bi, int bs, float[] c, int ci, int ldc,
                                   boolean beta) {
            """);
        dispatch(sb, "k", "(kc, a, ai, b, bi, bs, c, ci, ldc, beta);");
        sb.append("""

                /**
                 * As {@link #kernel}, but A is read in place from MR rows of a row-major matrix: step p reads
                 * a[ai + r*lda + p] for r < MR.
                 */
                static void kernelRows(int kc, float[] a, int ai, int lda, float[] b, int bi, int bs, float[] c,
                                       int ci, int ldc, boolean beta) {
            """);
        dispatch(sb, "kr", "(kc, a, ai, lda, b, bi, bs, c, ci, ldc, beta);");
        sb.append("""

                /** Any generated kernel by its tile; {@code lda < 0} selects the packed-A kernel (tests only). */
                static void kernelForTest(int mr, int nv, int kc, float[] a, int ai, int lda, float[] b, int bi,
                                          int bs, float[] c, int ci, int ldc, boolean beta) {
                    switch (mr * 100 + nv) {
            """);
        for (String t : GemmParams.TILES) {
            int[] rv = parse(t);
            sb.append("            case ").append(rv[0] * 100 + rv[1]).append(" -> {\n")
                    .append("                if (lda < 0) k").append(t).append("(kc, a, ai, b, bi, bs, c, ci, ldc, beta);\n")
                    .append("                else kr").append(t).append("(kc, a, ai, lda, b, bi, bs, c, ci, ldc, beta);\n")
                    .append("            }\n");
        }
        sb.append("            default -> throw new IllegalArgumentException(mr + \"x\" + nv);\n");
        sb.append("        }\n    }\n");
        for (String t : GemmParams.TILES) {
            int[] rv = parse(t);
            sb.append(kernel(rv[0], rv[1], false));
            sb.append(kernel(rv[0], rv[1], true));
        }
        sb.append("\n");
        return sb.toString();
    }

    private static void dispatch(StringBuilder sb, String prefix, String args) {
        String sep = "        ";
        for (String t : GemmParams.TILES) {
            int[] rv = parse(t);
            sb.append(sep).append("if (MR == ").append(rv[0]).append(" && NV == ").append(rv[1]).append(") ")
                    .append(prefix).append(t).append(args).append("\n");
            sep = "        else ";
        }
        sb.append(sep).append("throw new AssertionError(\"no kernel for tile \" + MR + \"x\" + NV);\n    }\n");
    }

    static int[] parse(String t) {
        String[] p = t.split("x");
        return new int[] {Integer.parseInt(p[0]), Integer.parseInt(p[1])};
    }

    /**
     * One micro-kernel: R rows × V vectors of accumulators as named locals, K loop rolled. A is a
     * packed panel (step R), or with {@code rows} R rows of a matrix read in place (stride lda).
     */
    static String kernel(int r, int v, boolean rows) {
        StringBuilder sb = new StringBuilder();
        String name = (rows ? "kr" : "k") + r + "x" + v;
        sb.append("\n    /** ").append(r).append("×").append(v).append("-vector tile").append(rows ? ", A rows in place" : "")
                .append(": ").append(r * v).append(" accumulators, ").append(v).append(" B vectors. */\n");
        sb.append("    private static void ").append(name).append("(int kc, float[] a, int ai, ")
                .append(rows ? "int lda, " : "").append("float[] b, int bi, int bs,\n")
                .append("            float[] c, int ci, int ldc, boolean beta) {\n");
        for (int i = 0; i < r; i++) {
            sb.append("        FloatVector");
            for (int j = 0; j < v; j++) {
                sb.append(j == 0 ? " " : ", ").append(acc(i, j)).append(" = FloatVector.zero(S)");
            }
            sb.append(";\n");
        }
        if (rows) {
            for (int i = 1; i < r; i++) {
                sb.append("        int a").append(i).append(" = ai + ").append(i == 1 ? "lda" : i + " * lda").append(";\n");
            }
            sb.append("        for (int p = 0; p < kc; p++, bi += bs) {\n");
        } else {
            sb.append("        for (int p = 0; p < kc; p++, ai += ").append(r).append(", bi += bs) {\n");
        }
        for (int j = 0; j < v; j++) {
            sb.append("            FloatVector b").append(j).append(" = FloatVector.fromArray(S, b, bi")
                    .append(col(j)).append(");\n");
        }
        sb.append("            FloatVector av;\n");
        for (int i = 0; i < r; i++) {
            String idx = rows ? (i == 0 ? "ai + p" : "a" + i + " + p") : (i == 0 ? "ai" : "ai + " + i);
            sb.append("            av = FloatVector.broadcast(S, a[").append(idx).append("]);");
            for (int j = 0; j < v; j++) {
                sb.append(" ").append(acc(i, j)).append(" = av.fma(b").append(j).append(", ")
                        .append(acc(i, j)).append(");");
            }
            sb.append("\n");
        }
        sb.append("        }\n");
        sb.append("        if (beta) {\n");
        for (int i = 0; i < r; i++) {
            String row = i == 0 ? "ci" : "ci + " + (i == 1 ? "ldc" : i + " * ldc");
            sb.append("            ");
            for (int j = 0; j < v; j++) {
                if (j > 0) sb.append(" ");
                sb.append(acc(i, j)).append(" = ").append(acc(i, j)).append(".add(FloatVector.fromArray(S, c, ")
                        .append(row).append(col(j)).append("));");
            }
            sb.append("\n");
        }
        sb.append("        }\n");
        for (int i = 0; i < r; i++) {
            String row = i == 0 ? "ci" : "ci + " + (i == 1 ? "ldc" : i + " * ldc");
            sb.append("        ");
            for (int j = 0; j < v; j++) {
                if (j > 0) sb.append(" ");
                sb.append(acc(i, j)).append(".intoArray(c, ").append(row).append(col(j)).append(");");
            }
            sb.append("\n");
        }
        sb.append("    }\n");
        return sb.toString();
    }

    private static String acc(int i, int j) {
        return "c" + i + "_" + j;
    }

    private static String col(int j) {
        return j == 0 ? "" : j == 1 ? " + L" : " + " + j + " * L";
    }
}
