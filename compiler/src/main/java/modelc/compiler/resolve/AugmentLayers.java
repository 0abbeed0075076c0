package modelc.compiler.resolve;

import java.util.List;
import java.util.Map;
import java.util.Set;
import modelc.compiler.diag.CompileException;
import modelc.compiler.diag.Span;
import modelc.compiler.ir.Graph;
import modelc.compiler.ir.Node;
import modelc.compiler.ir.Op;
import modelc.compiler.ir.TensorType;

/**
 * Keras's image augmentation layers, active in training steps only (like Dropout), each draw
 * keyed by the seed, the step, the sample and the layer: RandomFlip and RandomTranslation.
 */
final class AugmentLayers {
    private AugmentLayers() {}

    static void register(Map<String, LayerLibrary.Factory> lib) {
        lib.put("RandomFlip", AugmentLayers::randomFlip);
        lib.put("RandomTranslation", AugmentLayers::randomTranslation);
    }

    private static Node image(Node x, String what, Span s) {
        TensorType t = x.type();
        if (t.rank() != 4 || !t.isBatched()) {
            throw new CompileException(s, what + " needs an input of shape (batch, rows, columns, channels), got " + t.kerasShape());
        }
        return x;
    }

    /** RandomFlip(mode="horizontal_and_vertical", seed=None): each sample flipped with probability 1/2 along each axis of the mode. */
    private static Layer randomFlip(Args a, LayerLibrary.Context ctx) {
        a.bind(List.of("mode", "seed", "data_format", "name"), Map.of(), CoreLayers.INPUT_SHAPE_ARGS);
        a.option("data_format", "channels_last", Set.of("channels_last"));
        String mode = a.option("mode", "horizontal_and_vertical", Set.of("horizontal", "vertical", "horizontal_and_vertical"));
        boolean horizontal = !mode.equals("vertical"), vertical = !mode.equals("horizontal");
        int stream = ctx.nextStream();
        return new Layer("RandomFlip", ctx.name("RandomFlip", a), a.span()) {
            protected Node lower(Graph g, List<Node> in, Span s) {
                return g.add(new Op.RandomFlip(horizontal, vertical, stream), List.of(image(single(in, s), "RandomFlip", s)), name(), s);
            }
        };
    }

    /**
     * RandomTranslation(height_factor, width_factor, fill_mode="reflect", interpolation="bilinear",
     * seed=None, fill_value=0.0): a factor f shifts by U(−f, f) of the axis's size, a pair (lo, hi)
     * by U(lo, hi); both in [−1, 1].
     */
    private static Layer randomTranslation(Args a, LayerLibrary.Context ctx) {
        a.bind(List.of("height_factor", "width_factor", "fill_mode", "interpolation", "seed", "fill_value", "data_format", "name"),
                Map.of(), CoreLayers.INPUT_SHAPE_ARGS);
        a.option("data_format", "channels_last", Set.of("channels_last"));
        double[] hf = factor(a, "height_factor"), wf = factor(a, "width_factor");
        String fill = a.option("fill_mode", "reflect", Set.of("reflect", "wrap", "mirror", "nearest", "constant"));
        boolean bilinear = a.option("interpolation", "bilinear", Set.of("bilinear", "nearest")).equals("bilinear");
        double fillValue = a.number("fill_value", 0);
        int stream = ctx.nextStream();
        return new Layer("RandomTranslation", ctx.name("RandomTranslation", a), a.span()) {
            protected Node lower(Graph g, List<Node> in, Span s) {
                Node x = image(single(in, s), "RandomTranslation", s);
                return g.add(new Op.RandomTranslation(hf[0], hf[1], wf[0], wf[1], fill, fillValue, bilinear, stream, false), List.of(x), name(), s);
            }
        };
    }

    private static double[] factor(Args a, String name) {
        Val v = a.require(name);
        double lo, hi;
        if (v instanceof Val.Seq seq && seq.items().size() == 2 && seq.items().stream().allMatch(i -> i instanceof Val.Num)) {
            lo = ((Val.Num) seq.items().get(0)).value();
            hi = ((Val.Num) seq.items().get(1)).value();
        } else if (v instanceof Val.Num num) {
            lo = -Math.abs(num.value());
            hi = Math.abs(num.value());
        } else {
            throw a.typeError(name, v, "a number or a pair (lower, upper)");
        }
        if (lo > hi || lo < -1 || hi > 1) {
            throw new CompileException(v.span(), a.callee() + ": " + name + " must lie in [-1, 1] with lower <= upper, got " + v);
        }
        return new double[] {lo, hi};
    }
}
