package modelc.compiler.resolve;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import modelc.compiler.ir.Node;

/**
 * Keras's masks: which values carry a mask of valid time steps (a float [batch, steps] of 0 and 1,
 * made by {@code Embedding(mask_zero=true)}; [batch, steps, words] for ids of that shape) and how a
 * layer call passes them on
 * ({@code reference/keras-semantics.md} §2.9). Layers that support masking without changing the
 * steps pass the mask through; GlobalAveragePooling1D and the recurrent layers consume it (a recurrent layer with
 * return_sequences passes it on); the merging layers combine their inputs' masks ({@link MergeLayers});
 * a mask that reaches the output masks the loss and the metrics; every other layer drops it, as Keras does.
 */
final class Masks {
    /** Keras classes whose output keeps the input's mask. */
    private static final Set<String> PASS_THROUGH = Set.of("Dense", "Activation", "Dropout", "SpatialDropout1D", "Rescaling", "LayerNormalization",
            "BatchNormalization");

    private final Map<Node, Node> masks = new HashMap<>();

    /** The mask of {@code x}, or null. */
    Node of(Node x) {
        return masks.get(x);
    }

    /** Sets the mask of {@code x}; null removes it. */
    void set(Node x, Node mask) {
        if (mask == null) masks.remove(x);
        else masks.put(x, mask);
    }

    /** Applies Keras's propagation rule of {@code layer} after a call from {@code in} to {@code out}. */
    void afterCall(Layer layer, List<Node> in, Node out) {
        if (PASS_THROUGH.contains(layer.kerasClass()) && in.size() == 1 && masks.containsKey(in.get(0))) {
            masks.putIfAbsent(out, masks.get(in.get(0)));
        }
    }
}
