package modelc.compiler.resolve;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import modelc.compiler.diag.CompileException;
import modelc.compiler.diag.Span;
import modelc.compiler.ir.Node;

/**
 * Keras's masks: which values carry a mask of valid time steps (a float [batch, steps] of 0 and 1,
 * made by {@code Embedding(mask_zero=true)}; [batch, steps, words] for ids of that shape) and how a
 * layer call passes them on
 * ({@code reference/keras-semantics.md} §2.9). Layers that support masking without changing the
 * steps pass the mask through; GlobalAveragePooling1D and the recurrent layers consume it (a recurrent layer with
 * return_sequences passes it on); a mask that reaches the output masks the loss and the metrics;
 * every other layer drops it, as Keras does. Where Keras would combine masks and modelc cannot yet, compilation stops.
 */
final class Masks {
    /** Keras classes whose output keeps the input's mask. */
    private static final Set<String> PASS_THROUGH = Set.of("Dense", "Activation", "Dropout", "SpatialDropout1D", "Rescaling", "LayerNormalization");
    /** Keras classes that would combine their inputs' masks. */
    private static final Set<String> MERGING = Set.of("Add", "Subtract", "Multiply", "Average", "Maximum", "Minimum", "Concatenate");

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
    void afterCall(Layer layer, List<Node> in, Node out, Span span) {
        if (PASS_THROUGH.contains(layer.kerasClass()) && in.size() == 1 && masks.containsKey(in.get(0))) {
            masks.putIfAbsent(out, masks.get(in.get(0)));
        }
        if (MERGING.contains(layer.kerasClass()) && in.stream().anyMatch(masks::containsKey)) {
            throw new CompileException(span, layer.kerasClass() + " of masked values (from mask_zero) is not supported yet");
        }
    }
}
