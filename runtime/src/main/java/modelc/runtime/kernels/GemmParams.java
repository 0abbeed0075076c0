package modelc.runtime.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorShape;

/**
 * Every tuning knob of the GEMM kernels in one place: the vector width, the register tile
 * (MR rows × NV vectors) and the cache blocking (KC, MC, NC), for float and for double.
 *
 * <p>All values are read once, at class initialisation, into {@code static final} fields so that
 * C2 treats them as constants. Each can be overridden by a system property (for tuning runs and
 * debugging), e.g. {@code -Dmodelc.vectorBits=0 -Dmodelc.gemm.sgemm.tile=4x3
 * -Dmodelc.gemm.sgemm.kc=256}.
 *
 * <ul>
 *   <li>{@code modelc.vectorBits}: 0 = scalar fallback (no Vector API); 128, 256 or 512 = that vector
 *       width (clamped to the widest the CPU supports); unset = the preferred species.</li>
 *   <li>{@code modelc.gemm.(s|d)gemm.tile}: register tile {@code RxV}; one of {@link #TILES}.</li>
 *   <li>{@code modelc.gemm.(s|d)gemm.(kc|mc|nc)}: cache blocks (elements). MC is rounded up to a
 *       multiple of MR, NC to a multiple of NR.</li>
 *   <li>{@code modelc.gemm.(s|d)gemm.smallm}: at most this many rows of C (m), B is not packed:
 *       read in place, or (B transposed) the product is computed transposed with B's rows read
 *       in place (see {@code SgemmImpl}); 0 always packs B.</li>
 *   <li>{@code modelc.gemm.(s|d)gemm.smalln}: at most this many columns of C (n), A (not
 *       transposed) is not packed but read in place; 0 always packs A.</li>
 *   <li>{@code modelc.gemm.(s|d)gemm.narrowb}: with A not transposed, more than smallm rows and
 *       n at most smalln (or a large A, see {@code SgemmImpl.BIG_A}), op(B) of at most this many
 *       elements (padded to whole NR panels; 256 KiB of floats by default, half of the L2 measured
 *       on) is packed whole, A's rows are read in place and every tile of C is computed over all
 *       of k at once; 0 never.</li>
 * </ul>
 *
 * <p>Defaults. 512-bit vectors (AVX-512, 32 registers): a 12×2-vector tile, KC=384, MC=192 (the
 * best configuration measured on Sapphire Rapids, see the project's vector-api-perf notes; not
 * re-measured here). Narrower vectors (AVX2 and others with 16 registers): a 4×2-vector tile,
 * KC=256, MC=144, measured on AMD EPYC (Zen 3, AVX2) in bench/README.md. Tiles with more than 8
 * accumulators spill there: C2 hoists all MR broadcasts of a k step ahead of the FMAs, so MR
 * broadcast registers are live at once (6×2 = 12 accumulators + 2 B vectors + 6 broadcasts > 16
 * registers) and one accumulator goes through the stack on every step, halving the kernel's speed.
 */
public final class GemmParams {
    private GemmParams() {}

    /** Register tiles for which a micro-kernel is generated (see {@code GemmCodegen}). */
    public static final String[] TILES = {"12x2", "8x3", "6x2", "4x3", "4x2", "3x3", "2x4", "8x1"};

    /** The widest vector the CPU supports (bits). */
    public static final int MAX_VECTOR_BITS = FloatVector.SPECIES_PREFERRED.vectorBitSize();

    /** Vector width in bits used by the kernels; 0 means the scalar fallback. */
    public static final int VECTOR_BITS = vectorBits();

    public static final int SGEMM_MR, SGEMM_NV, SGEMM_KC, SGEMM_MC, SGEMM_NC, SGEMM_SMALL_M, SGEMM_SMALL_N,
            SGEMM_NARROW_B;
    public static final int DGEMM_MR, DGEMM_NV, DGEMM_KC, DGEMM_MC, DGEMM_NC, DGEMM_SMALL_M, DGEMM_SMALL_N,
            DGEMM_NARROW_B;

    static {
        boolean wide = VECTOR_BITS >= 512;
        // float: lanes = VECTOR_BITS / 32
        int[] st = tile("sgemm", wide ? "12x2" : "4x2");
        SGEMM_MR = st[0];
        SGEMM_NV = st[1];
        SGEMM_KC = intProp("sgemm.kc", wide ? 384 : 256);
        SGEMM_MC = intProp("sgemm.mc", wide ? 192 : 144);
        SGEMM_NC = intProp("sgemm.nc", 4096);
        SGEMM_SMALL_M = intProp("sgemm.smallm", 64);
        SGEMM_SMALL_N = intProp("sgemm.smalln", 256);
        SGEMM_NARROW_B = intProp("sgemm.narrowb", 65536);
        int[] dt = tile("dgemm", wide ? "12x2" : "4x2");
        DGEMM_MR = dt[0];
        DGEMM_NV = dt[1];
        DGEMM_KC = intProp("dgemm.kc", wide ? 256 : 256);
        DGEMM_MC = intProp("dgemm.mc", wide ? 96 : 72);
        DGEMM_NC = intProp("dgemm.nc", 4096);
        DGEMM_SMALL_M = intProp("dgemm.smallm", 64);
        DGEMM_SMALL_N = intProp("dgemm.smalln", 256);
        DGEMM_NARROW_B = intProp("dgemm.narrowb", 32768);
    }

    private static int vectorBits() {
        String v = System.getProperty("modelc.vectorBits");
        if (v == null || v.isBlank()) return MAX_VECTOR_BITS;
        int bits = Integer.parseInt(v.trim());
        if (bits <= 0) return 0;
        if (bits != 128 && bits != 256 && bits != 512)
            throw new IllegalArgumentException("modelc.vectorBits must be 0, 128, 256 or 512: " + v);
        // a species wider than the hardware is not intrinsified and would be very slow
        bits = Math.min(bits, MAX_VECTOR_BITS);
        VectorShape.forBitSize(bits); // validates
        return bits;
    }

    private static int intProp(String name, int dflt) {
        String v = System.getProperty("modelc.gemm." + name);
        if (v == null || v.isBlank()) return dflt;
        int x = Integer.parseInt(v.trim());
        if (x < 0) throw new IllegalArgumentException("modelc.gemm." + name + " must be >= 0: " + v);
        return x;
    }

    private static int[] tile(String kind, String dflt) {
        String v = System.getProperty("modelc.gemm." + kind + ".tile", dflt).trim();
        for (String t : TILES) {
            if (t.equals(v)) {
                String[] p = t.split("x");
                return new int[] {Integer.parseInt(p[0]), Integer.parseInt(p[1])};
            }
        }
        throw new IllegalArgumentException("modelc.gemm." + kind + ".tile must be one of "
                + String.join(", ", TILES) + ": " + v);
    }

    /** One line describing the configuration in force, for logs and benchmark reports. */
    public static String describe() {
        if (VECTOR_BITS == 0) return "gemm: scalar (modelc.vectorBits=0)";
        return "gemm: " + VECTOR_BITS + "-bit vectors; sgemm tile " + SGEMM_MR + "x" + SGEMM_NV
                + " (" + SGEMM_MR + "x" + SGEMM_NV * (VECTOR_BITS / 32) + "), KC=" + SGEMM_KC
                + " MC=" + SGEMM_MC + " NC=" + SGEMM_NC + "; dgemm tile " + DGEMM_MR + "x" + DGEMM_NV
                + " (" + DGEMM_MR + "x" + DGEMM_NV * (VECTOR_BITS / 64) + "), KC=" + DGEMM_KC
                + " MC=" + DGEMM_MC + " NC=" + DGEMM_NC;
    }
}
