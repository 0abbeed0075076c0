package modelc.runtime;

/**
 * A counter-based random generator: every number is a pure function of a key (seed, stream,
 * counters), so dropout masks can be regenerated in the backward pass, results do not depend on
 * the order of work or the number of threads, and the same seed gives the same run.
 * The mixer is SplitMix64's finaliser applied to a running combination of the key words.
 */
public final class Rng {
    private Rng() {}

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    /** 64 random bits for the key (seed, a, b, c, d). */
    public static long bits(long seed, long a, long b, long c, long d) {
        long h = mix(seed + 0x9e3779b97f4a7c15L);
        h = mix(h ^ (a + 0x9e3779b97f4a7c15L));
        h = mix(h ^ (b + 0x632be59bd9b4e019L));
        h = mix(h ^ (c + 0x8cb92ba72f3d8dd7L));
        return mix(h ^ (d + 0x3c6ef372fe94f82bL));
    }

    /** A uniform double in [0, 1) for the key. */
    public static double uniform(long seed, long a, long b, long c, long d) {
        return (bits(seed, a, b, c, d) >>> 11) * 0x1.0p-53;
    }

    /** A standard normal for the key (Box–Muller on two uniforms derived from it). */
    public static double normal(long seed, long a, long b, long c, long d) {
        double u1 = uniform(seed, a, b, c, 2 * d);
        double u2 = uniform(seed, a, b, c, 2 * d + 1);
        return Math.sqrt(-2 * Math.log1p(-u1)) * Math.cos(2 * Math.PI * u2);
    }

    /** A stable 64-bit stream id for a name (FNV-1a), so a parameter's numbers depend on its key only. */
    public static long stream(String name) {
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < name.length(); i++) {
            h ^= name.charAt(i);
            h *= 0x100000001b3L;
        }
        return h;
    }

    /**
     * The dropout decision for one element: true to keep it. Keyed by the training step, the sample's
     * row in the batch, the dropout layer's stream and the element's index within the sample.
     */
    public static boolean keep(long seed, long step, long row, long stream, long element, double rate) {
        return uniform(seed, step, row, stream, element) >= rate;
    }
}
