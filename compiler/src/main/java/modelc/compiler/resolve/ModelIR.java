package modelc.compiler.resolve;

import java.util.List;
import java.util.Map;
import modelc.compiler.ir.Graph;
import modelc.runtime.text.TextPipeline;
import modelc.runtime.train.ModelSpec;

/**
 * A resolved model: its IR graph (forward pass, loss, and after autodiff the backward pass), the
 * layers in construction order (for the summary), and its training configuration.
 * {@code sequential} tells which form the file used; {@code sourceFile} is the {@code .model} file name;
 * {@code textInputs} holds the preprocessing of each {@code text} input, {@code noneAxes} the axis (per sample)
 * of each input's {@code None} dimension (both by input name).
 */
public record ModelIR(String name, boolean sequential, Graph graph, List<Layer> layers, TrainingConfig training,
                      List<ModelSpec.MetricSpec> metrics, String sourceFile, Map<String, TextPipeline> textInputs,
                      Map<String, Integer> noneAxes) {}
