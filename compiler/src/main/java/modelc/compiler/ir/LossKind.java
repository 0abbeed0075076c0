package modelc.compiler.ir;

/** Keras's losses, reduced as Keras does ("sum_over_batch_size": the mean over samples). */
public enum LossKind {
    BINARY_CROSSENTROPY("binary_crossentropy"),
    CATEGORICAL_CROSSENTROPY("categorical_crossentropy"),
    SPARSE_CATEGORICAL_CROSSENTROPY("sparse_categorical_crossentropy"),
    MEAN_SQUARED_ERROR("mean_squared_error"),
    MEAN_ABSOLUTE_ERROR("mean_absolute_error");

    public final String kerasName;

    LossKind(String kerasName) {
        this.kerasName = kerasName;
    }

    /** Sparse losses take integer class targets with the prediction's shape minus its last axis. */
    public boolean sparseTarget() {
        return this == SPARSE_CATEGORICAL_CROSSENTROPY;
    }
}
