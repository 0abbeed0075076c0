package modelc.runtime.kernels;

/** Helpers of the generated image augmentation kernels (RandomTranslation). */
public final class Augment {
    private Augment() {}

    /**
     * Where position {@code i} of an axis of {@code n} reads from under a fill mode, as Keras
     * documents them for {@code abcd}: 0 reflect ({@code dcba|abcd|dcba}), 1 wrap
     * ({@code abcd|abcd|abcd}), 2 mirror ({@code cdcb|abcd|cbab}), 3 nearest ({@code aaaa|abcd|dddd}),
     * 4 constant ({@code kkkk|abcd|kkkk}: -1 outside, for the fill value).
     */
    public static int index(int i, int n, int mode) {
        if (i >= 0 && i < n) return i;
        return switch (mode) {
            case 0 -> {
                int k = Math.floorMod(i, 2 * n);
                yield k < n ? k : 2 * n - 1 - k;
            }
            case 1 -> Math.floorMod(i, n);
            case 2 -> {
                if (n == 1) yield 0;
                int k = Math.floorMod(i, 2 * n - 2);
                yield k < n ? k : 2 * n - 2 - k;
            }
            case 3 -> i < 0 ? 0 : n - 1;
            default -> -1;
        };
    }
}
