package modelc.runtime.train;

/**
 * A Keras callback of {@code fit(callbacks=[...])}, with Keras's defaults:
 * {@code early_stopping} (monitor val_loss, min_delta 0, patience 0, restore_best_weights false, baseline none (NaN),
 * start_from_epoch 0),
 * {@code reduce_lr_on_plateau} (monitor val_loss, factor 0.1, patience 10, min_delta 1e-4,
 * cooldown 0, min_lr 0) and {@code model_checkpoint} (filepath, monitor val_loss, save_best_only).
 * {@code mode} is "min" or "max" ("auto" resolves to max for accuracy-like metrics).
 */
public record CallbackSpec(String kind, String monitor, String mode, double minDelta, int patience, boolean restoreBestWeights,
                           double factor, int cooldown, double minLr, String filepath, boolean saveBestOnly, double baseline,
                           int startFromEpoch) {

    /** Without EarlyStopping's {@code baseline} (NaN: none) and {@code start_from_epoch} (0). */
    public CallbackSpec(String kind, String monitor, String mode, double minDelta, int patience, boolean restoreBestWeights,
                        double factor, int cooldown, double minLr, String filepath, boolean saveBestOnly) {
        this(kind, monitor, mode, minDelta, patience, restoreBestWeights, factor, cooldown, minLr, filepath, saveBestOnly, Double.NaN, 0);
    }

    /** True when a larger monitored value is better. */
    public boolean maximize() {
        return mode.equals("max") || (mode.equals("auto") && (monitor.endsWith("acc") || monitor.endsWith("accuracy")));
    }
}
