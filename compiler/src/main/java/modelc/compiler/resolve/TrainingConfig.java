package modelc.compiler.resolve;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import modelc.compiler.diag.CompileException;
import modelc.compiler.diag.Diagnostics;
import modelc.compiler.diag.Span;
import modelc.compiler.ir.LossKind;
import modelc.runtime.train.ModelSpec;
import modelc.runtime.train.CallbackSpec;
import modelc.runtime.train.LearningRateSchedule;
import modelc.runtime.train.OptimizerConfig;

/**
 * What {@code compile(...)} and {@code fit(...)} say, checked against Keras's names and arguments.
 * {@code classWeights}: {@code fit(class_weight={class: weight, ...})}, sorted by class (empty if none).
 */
public record TrainingConfig(LossSpec loss, OptimizerConfig optimizer, LearningRateSchedule schedule, List<String> metrics,
                             ModelSpec.FitConfig fit, java.util.SortedMap<Integer, Double> classWeights) {

    /** A loss with its options; {@code span} points at it in the file. */
    /**
     * A loss and its options. {@code ignoreClass}: targets of this class (one-hot targets: rows of
     * it) are missing. {@code sumOverSteps}: modelc's {@code reduction="sum_over_steps"}, the course's
     * sum over time steps and mean over sequences.
     */
    public record LossSpec(LossKind kind, boolean fromLogits, double labelSmoothing, Integer ignoreClass, boolean sumOverSteps, Span span) {}

    private static final Map<String, LossKind> LOSS_NAMES = new LinkedHashMap<>();
    static {
        LOSS_NAMES.put("binary_crossentropy", LossKind.BINARY_CROSSENTROPY);
        LOSS_NAMES.put("categorical_crossentropy", LossKind.CATEGORICAL_CROSSENTROPY);
        LOSS_NAMES.put("sparse_categorical_crossentropy", LossKind.SPARSE_CATEGORICAL_CROSSENTROPY);
        LOSS_NAMES.put("mean_squared_error", LossKind.MEAN_SQUARED_ERROR);
        LOSS_NAMES.put("mse", LossKind.MEAN_SQUARED_ERROR);
        LOSS_NAMES.put("mean_absolute_error", LossKind.MEAN_ABSOLUTE_ERROR);
        LOSS_NAMES.put("mae", LossKind.MEAN_ABSOLUTE_ERROR);
    }

    /** Ordered (here and below), so that "did you mean" picks the same name on every run. */
    private static final List<String> OPTIMIZERS = List.of("adam", "sgd", "rmsprop", "adamw");
    static final Set<String> METRICS = new java.util.LinkedHashSet<>(List.of("accuracy", "acc", "mse", "mean_squared_error", "mae",
            "mean_absolute_error", "binary_accuracy", "categorical_accuracy", "sparse_categorical_accuracy"));

    static LossSpec loss(Val v) {
        if (v instanceof Val.Str s) {
            LossKind k = LOSS_NAMES.get(s.value());
            if (k == null) throw unknown(v, "loss", s.value(), LOSS_NAMES.keySet());
            return new LossSpec(k, false, 0, null, false, v.span());
        }
        if (v instanceof Val.Ctor c) {
            LossKind k = LOSS_NAMES.get(Naming.snake(c.name()));
            if (k == null) {
                throw unknown(v, "loss", c.name(), List.of("BinaryCrossentropy", "CategoricalCrossentropy",
                        "SparseCategoricalCrossentropy", "MeanSquaredError", "MeanAbsoluteError"));
            }
            Args a = c.args();
            switch (k) {
                case BINARY_CROSSENTROPY ->
                        a.bind(List.of("from_logits", "label_smoothing", "axis", "reduction", "name"), Map.of(), Set.of());
                // ignore_class on one-hot targets is modelc's extension: a target row of that value is missing.
                case CATEGORICAL_CROSSENTROPY ->
                        a.bind(List.of("from_logits", "label_smoothing", "axis", "reduction", "name", "ignore_class"), Map.of(), Set.of());
                case SPARSE_CATEGORICAL_CROSSENTROPY ->
                        a.bind(List.of("from_logits", "ignore_class", "reduction", "name"), Map.of(), Set.of());
                default -> a.bind(List.of("reduction", "name"), Map.of(), Set.of());
            }
            Integer ignore = a.has("ignore_class") && !(a.get("ignore_class") instanceof Val.None) ? a.integer("ignore_class") : null;
            String reduction = a.option("reduction", "sum_over_batch_size", Set.of("sum_over_batch_size", "sum_over_steps"));
            if (a.has("axis") && a.integer("axis") != -1) throw new CompileException(a.get("axis").span(), "only axis=-1 is supported");
            return new LossSpec(k, a.bool("from_logits", false), a.number("label_smoothing", 0), ignore, reduction.equals("sum_over_steps"), v.span());
        }
        throw new CompileException(v.span(), "loss must be a name such as binary_crossentropy, got " + Val.kind(v));
    }

    static OptimizerConfig optimizer(Val v) {
        String kind;
        Args a = null;
        if (v instanceof Val.Str s) {
            kind = OPTIMIZERS.contains(s.value().toLowerCase()) ? s.value().toLowerCase() : null;
            if (kind == null) throw unknown(v, "optimizer", s.value(), OPTIMIZERS);
        } else if (v instanceof Val.Ctor c) {
            kind = OPTIMIZERS.contains(c.name().toLowerCase()) ? c.name().toLowerCase() : null;
            if (kind == null) throw unknown(v, "optimizer", c.name(), List.of("SGD", "RMSprop", "Adam", "AdamW"));
            a = c.args();
        } else {
            throw new CompileException(v.span(), "optimizer must be a name such as adam, got " + Val.kind(v));
        }
        OptimizerConfig d = OptimizerConfig.defaults(kind);
        if (a == null) return d;
        // Keras's positional order: AdamW takes weight_decay second, the others after their own arguments
        List<String> names = new ArrayList<>(switch (kind) {
            case "sgd" -> List.of("learning_rate", "momentum", "nesterov", "weight_decay");
            case "rmsprop" -> List.of("learning_rate", "rho", "momentum", "epsilon", "centered", "weight_decay");
            case "adamw" -> List.of("learning_rate", "weight_decay", "beta_1", "beta_2", "epsilon", "amsgrad");
            default -> List.of("learning_rate", "beta_1", "beta_2", "epsilon", "amsgrad", "weight_decay");
        });
        names.addAll(List.of("clipnorm", "clipvalue", "global_clipnorm", "name"));
        a.bind(names, Map.of("lr", "learning_rate"), Set.of());
        int clips = (a.has("clipnorm") ? 1 : 0) + (a.has("clipvalue") ? 1 : 0) + (a.has("global_clipnorm") ? 1 : 0);
        if (clips > 1) throw new CompileException(a.span(), "at most one of clipnorm, clipvalue and global_clipnorm may be set");
        double wd = a.number("weight_decay", d.weightDecay());
        if (kind.equals("adamw") && a.has("weight_decay") && wd < 0) throw new CompileException(a.get("weight_decay").span(), "weight_decay must be ≥ 0");
        double lr = a.get("learning_rate") instanceof Val.Ctor sched ? schedule(sched).initial() : positive(a, "learning_rate", d.learningRate());
        return new OptimizerConfig(kind, lr, a.number("beta_1", d.beta1()),
                a.number("beta_2", d.beta2()), a.number("epsilon", d.epsilon()), a.bool("amsgrad", false),
                a.number("momentum", 0), a.bool("nesterov", false), a.number("rho", d.rho()), a.bool("centered", false),
                wd, positive(a, "clipnorm", 0), positive(a, "clipvalue", 0), positive(a, "global_clipnorm", 0));
    }

    /** The learning rate as a schedule: the optimizer's {@code learning_rate=ExponentialDecay(...)}, or constant. */
    static LearningRateSchedule schedule(Val optimizer, OptimizerConfig config) {
        if (optimizer instanceof Val.Ctor c && c.args().get("learning_rate") instanceof Val.Ctor sched) return schedule(sched);
        return LearningRateSchedule.constant(config.learningRate());
    }

    private static LearningRateSchedule schedule(Val.Ctor c) {
        Args a = c.args();
        String kind = Naming.snake(c.name());
        switch (kind) {
            case "exponential_decay", "inverse_time_decay" -> {
                a.bind(List.of("initial_learning_rate", "decay_steps", "decay_rate", "staircase", "name"), Map.of(), Set.of());
                return new LearningRateSchedule(kind, positive(a, "initial_learning_rate", 0), positive(a, "decay_steps", 0),
                        a.number("decay_rate"), a.bool("staircase", false), 0, new double[0], new double[0]);
            }
            case "cosine_decay" -> {
                a.bind(List.of("initial_learning_rate", "decay_steps", "alpha", "name"), Map.of(), Set.of());
                return new LearningRateSchedule(kind, positive(a, "initial_learning_rate", 0), positive(a, "decay_steps", 0), 0, false,
                        a.number("alpha", 0), new double[0], new double[0]);
            }
            case "piecewise_constant_decay" -> {
                a.bind(List.of("boundaries", "values", "name"), Map.of(), Set.of());
                double[] b = numbers(a, "boundaries"), v = numbers(a, "values");
                if (v.length != b.length + 1) {
                    throw new CompileException(a.require("values").span(), "PiecewiseConstantDecay needs one more value than boundaries, got "
                            + v.length + " values for " + b.length + " boundaries");
                }
                return new LearningRateSchedule(kind, v[0], 1, 1, false, 0, b, v);
            }
            default -> throw unknown(c, "learning-rate schedule", c.name(),
                    List.of("ExponentialDecay", "InverseTimeDecay", "CosineDecay", "PiecewiseConstantDecay"));
        }
    }

    private static double[] numbers(Args a, String name) {
        if (!(a.require(name) instanceof Val.Seq s)) throw a.typeError(name, a.get(name), "a list of numbers");
        double[] out = new double[s.items().size()];
        for (int i = 0; i < out.length; i++) {
            if (!(s.items().get(i) instanceof Val.Num n)) throw a.typeError(name, s.items().get(i), "a number");
            out[i] = n.value();
        }
        return out;
    }

    private static double positive(Args a, String name, double dflt) {
        double v = a.number(name, dflt);
        if (a.has(name) && v <= 0) throw new CompileException(a.get(name).span(), name + " must be positive, got " + v);
        return v;
    }

    static List<String> metrics(Val v) {
        List<String> out = new ArrayList<>();
        List<Val> items = v instanceof Val.Seq s ? s.items() : List.of(v);
        for (Val item : items) {
            if (!(item instanceof Val.Str s)) throw new CompileException(item.span(), "a metric must be a name such as accuracy");
            if (!METRICS.contains(s.value())) throw unknown(item, "metric", s.value(), METRICS);
            out.add(s.value());
        }
        return out;
    }

    /**
     * fit(...)'s settings. A batch size fixed on the inputs ({@code fixedBatch} > 0) is fit's default
     * and the only one allowed; a model with stateful layers keeps its batches in order (shuffle off,
     * and shuffle=True refused: the rows of consecutive batches continue the same sequences).
     */
    static ModelSpec.FitConfig fit(Args a, int fixedBatch, boolean stateful, boolean variableLength) {
        a.bind(List.of("epochs", "batch_size", "validation_split", "shuffle", "verbose", "callbacks", "class_weight", "group_by_length"),
                Map.of("nb_epoch", "epochs"), Set.of());
        int epochs = a.integer("epochs", 1), batch = a.integer("batch_size", fixedBatch > 0 ? fixedBatch : 32);
        if (epochs < 1) throw new CompileException(a.get("epochs").span(), "epochs must be at least 1");
        if (batch < 1) throw new CompileException(a.get("batch_size").span(), "batch_size must be at least 1");
        if (fixedBatch > 0 && batch != fixedBatch) {
            throw new CompileException(a.get("batch_size").span(), "fit(batch_size=" + batch + ") differs from the inputs' batch_size " + fixedBatch,
                    "a model whose inputs fix the batch size runs batches of that size; leave batch_size out of fit");
        }
        if (stateful && a.bool("shuffle", false)) {
            throw new CompileException(a.get("shuffle").span(), "a model with stateful layers needs its batches in order: shuffle=True would mix"
                    + " the sequences that the rows of consecutive batches continue", "write shuffle=False, or leave it out (off for stateful models)");
        }
        double vs = a.number("validation_split", 0);
        if (vs < 0 || vs >= 1) throw new CompileException(a.get("validation_split").span(), "validation_split must be in [0, 1)");
        List<CallbackSpec> callbacks = new ArrayList<>();
        if (a.has("callbacks")) {
            Val cb = a.get("callbacks");
            for (Val item : cb instanceof Val.Seq seq ? seq.items() : List.of(cb)) callbacks.add(callback(item));
        }
        for (CallbackSpec c : callbacks) {
            if (c.monitor().startsWith("val_") && vs == 0) {
                throw new CompileException(a.span(), c.kind() + " monitors " + c.monitor() + ", which needs validation_split > 0");
            }
        }
        // modelc's own argument (HuggingFace's name, off by default as there): batches of rows of similar length, for inputs of length None
        boolean group = a.bool("group_by_length", false);
        if (group && !variableLength) {
            throw new CompileException(a.get("group_by_length").span(), "group_by_length groups rows by the length of an input declared None,"
                    + " and the model has none", "declare the sequence input's length None, as in int[None]");
        }
        if (group && !a.bool("shuffle", !stateful)) {
            throw new CompileException(a.get("group_by_length").span(), "group_by_length regroups the shuffled rows of each epoch, and"
                    + " shuffle is off", "leave shuffle on, or group_by_length out");
        }
        return new ModelSpec.FitConfig(epochs, batch, vs, a.bool("shuffle", !stateful), callbacks, group);
    }

    /**
     * {@code fit(class_weight={0: 1.0, 1: 3.0})} (after {@link #fit} bound the arguments): a weight
     * per class index, as Keras takes it; classes not named weigh 1.
     */
    static java.util.SortedMap<Integer, Double> classWeights(Args fitArgs) {
        java.util.SortedMap<Integer, Double> out = new java.util.TreeMap<>();
        if (!fitArgs.has("class_weight")) return java.util.Collections.unmodifiableSortedMap(out);
        Val v = fitArgs.get("class_weight");
        if (!(v instanceof Val.Dict d)) throw fitArgs.typeError("class_weight", v, "a dict of class weights such as {0: 1.0, 1: 3.0}");
        for (int i = 0; i < d.keys().size(); i++) {
            Val k = d.keys().get(i), w = d.values().get(i);
            if (!(k instanceof Val.Num n) || !n.integral()) {
                throw new CompileException(k.span(), "a class_weight key is a class index (an integer), got " + Val.kind(k));
            }
            if (!(w instanceof Val.Num weight)) throw new CompileException(w.span(), "a class weight must be a number, got " + Val.kind(w));
            if (out.put((int) n.value(), weight.value()) != null) {
                throw new CompileException(k.span(), "class " + (int) n.value() + " is given twice in class_weight");
            }
        }
        return java.util.Collections.unmodifiableSortedMap(out);
    }

    private static CallbackSpec callback(Val v) {
        if (!(v instanceof Val.Ctor c)) throw new CompileException(v.span(), "a callback is constructed, e.g. EarlyStopping(patience=3)");
        Args a = c.args();
        String kind = Naming.snake(c.name());
        switch (kind) {
            case "early_stopping" -> a.bind(List.of("monitor", "min_delta", "patience", "verbose", "mode", "baseline",
                    "restore_best_weights", "start_from_epoch"), Map.of(), Set.of("verbose"));
            case "reduce_lr_on_plateau" -> a.bind(List.of("monitor", "factor", "patience", "verbose", "mode", "min_delta", "cooldown",
                    "min_lr"), Map.of("epsilon", "min_delta"), Set.of("verbose"));
            case "model_checkpoint" -> a.bind(List.of("filepath", "monitor", "verbose", "save_best_only", "save_weights_only", "mode"),
                    Map.of(), Set.of("verbose", "save_weights_only"));
            default -> throw unknown(c, "callback", c.name(), List.of("EarlyStopping", "ReduceLROnPlateau", "ModelCheckpoint"));
        }
        String monitor = a.option("monitor", "val_loss", Set.of());
        String mode = a.option("mode", "auto", Set.of("auto", "min", "max"));
        boolean plateau = kind.equals("reduce_lr_on_plateau");
        String filepath = null;
        if (kind.equals("model_checkpoint")) {
            if (!(a.require("filepath") instanceof Val.Str f) || !f.quoted()) throw a.typeError("filepath", a.get("filepath"), "a string");
            filepath = ((Val.Str) a.get("filepath")).value();
        }
        double factor = a.number("factor", 0.1);
        if (plateau && (factor <= 0 || factor >= 1)) throw new CompileException(a.get("factor").span(), "factor must be in (0, 1)");
        // EarlyStopping's baseline (None: none) and start_from_epoch (epochs before it are not watched)
        double baseline = a.has("baseline") && !(a.get("baseline") instanceof Val.None) ? a.number("baseline", 0) : Double.NaN;
        int startFrom = a.integer("start_from_epoch", 0);
        if (startFrom < 0) throw new CompileException(a.get("start_from_epoch").span(), "start_from_epoch must be at least 0, got " + startFrom);
        return new CallbackSpec(kind, monitor, mode, Math.abs(a.number("min_delta", plateau ? 1e-4 : 0)), a.integer("patience", plateau ? 10 : 0),
                a.bool("restore_best_weights", false), factor, a.integer("cooldown", 0), a.number("min_lr", 0), filepath,
                a.bool("save_best_only", false), baseline, startFrom);
    }

    private static CompileException unknown(Val v, String what, String name, java.util.Collection<String> known) {
        String near = Diagnostics.closest(name, known);
        return new CompileException(v.span(), "unknown " + what + " '" + name + "'",
                near != null ? "did you mean '" + near + "'?" : "known: " + String.join(", ", known));
    }
}
