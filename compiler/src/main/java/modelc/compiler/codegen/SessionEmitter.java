package modelc.compiler.codegen;

import com.palantir.javapoet.ArrayTypeName;
import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.ParameterizedTypeName;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import javax.lang.model.element.Modifier;
import modelc.compiler.ir.Constraint;
import modelc.compiler.ir.Graph;
import modelc.compiler.ir.Node;
import modelc.compiler.ir.Op;
import modelc.compiler.ir.ParamInfo;
import modelc.compiler.ir.TensorType;
import modelc.compiler.ir.Loop;
import modelc.compiler.lower.Loops;
import modelc.compiler.lower.MemoryPlan;
import modelc.compiler.lower.Schedule;
import modelc.compiler.lower.Storage;
import modelc.compiler.resolve.ModelIR;
import modelc.runtime.train.ModelSpec;
import modelc.runtime.train.OptimizerConfig;

/**
 * Writes the generated model's {@code Run}: a session that splits each batch into contiguous parts,
 * one per thread (small batches stay on one), each with its own arena and gradient array laid out by
 * the memory plan. Parts run forward and backward independently; their gradients are then summed in
 * a fixed order and the optimizer step runs over slices of the weights, so results are bit-identical
 * for a given seed and thread count.
 */
final class SessionEmitter {
    static final ClassName TENSOR = ClassName.get("modelc.runtime", "Tensor");
    static final ClassName DATASET = ClassName.get("modelc.runtime.data", "Dataset");
    static final ClassName SESSION = ClassName.get("modelc.runtime.train", "Session");
    static final ClassName OPTIMIZERS = ClassName.get("modelc.runtime.train", "Optimizers");
    static final ClassName PENALTIES = ClassName.get("modelc.runtime.train", "Penalties");
    static final ClassName CONSTRAINTS = ClassName.get("modelc.runtime.train", "Constraints");
    static final ClassName BATCHES = ClassName.get("modelc.runtime.train", "Batches");
    static final ClassName WORKERS = ClassName.get("modelc.runtime.train", "Workers");
    static final ClassName SUBNORMALS = ClassName.get("modelc.runtime.kernels", "Subnormals");
    static final ClassName STEPS = ClassName.get("modelc.runtime.kernels", "MaskedSteps");
    static final ClassName ARRAYS = ClassName.get("java.util", "Arrays");
    static final ClassName INT_CONSUMER = ClassName.get("java.util.function", "IntConsumer");
    static final TypeName TENSOR_MAP = ParameterizedTypeName.get(ClassName.get(Map.class), ClassName.get(String.class), TENSOR);

    /** A part gets at least this many rows: below that, handing work to another thread costs more than it saves (measured at batch 32). */
    static final int MIN_ROWS = 32;

    private final ModelIR model;
    private final Graph g;
    private final Dtype dt;
    private final MemoryPlan plan;
    private final Schedule sched;
    private final Function<Node, Operand> operand;
    /** The forward pass's own plan, for sessions that only predict. */
    private final MemoryPlan inference;
    private final Map<String, String> paramConsts;
    private final Map<Node, String> offsetFields;
    private final Map<Node, Kernel> kernels;
    private final Map<Loop, MethodSpec> loopMethods = new LinkedHashMap<>();
    /** The recurrences that skip masked steps at their start (see {@link #skippable()}). */
    private java.util.Set<Loop> skippable = java.util.Set.of();
    /** Of those, the ones that also skip masked steps at their end (see {@link #trimmable()}). */
    private java.util.Set<Loop> trimmable = java.util.Set.of();
    /** Values only a step with dropout reads, and values only a step without it reads (see {@link #readOnlyBy}). */
    private java.util.Set<Node> droppedOnly = java.util.Set.of(), undroppedOnly = java.util.Set.of();

    SessionEmitter(ModelIR model, Dtype dt, MemoryPlan plan, MemoryPlan inference, Schedule sched, Function<Node, Operand> operand,
                   Map<String, String> paramConsts, Map<Node, String> offsetFields, Map<Node, Kernel> kernels) {
        this.model = model;
        this.g = model.graph();
        this.dt = dt;
        this.plan = plan;
        this.inference = inference;
        this.sched = sched;
        this.operand = operand;
        this.paramConsts = paramConsts;
        this.offsetFields = offsetFields;
        this.kernels = kernels;
    }

    private static MethodSpec.Builder override(String name, TypeName ret) {
        return MethodSpec.methodBuilder(name).addAnnotation(Override.class).addModifiers(Modifier.PUBLIC).returns(ret);
    }

    private static MethodSpec.Builder method(String name, TypeName ret) {
        return MethodSpec.methodBuilder(name).addModifiers(Modifier.PRIVATE).returns(ret);
    }

    TypeSpec emit() {
        TypeName arr = dt.array();
        TypeSpec.Builder run = TypeSpec.classBuilder("Run").addModifiers(Modifier.PRIVATE, Modifier.FINAL).superclass(SESSION)
                .addJavadoc("A run of up to {@code cap} samples per batch, split into up to {@code parts.length} parts\n"
                        + "of consecutive rows, one per thread. Steps allocate nothing.\n");
        skippable = skippable();
        trimmable = trimmable();
        droppedOnly = readOnlyBy(true);
        undroppedOnly = readOnlyBy(false);
        run.addType(part());
        run.addField(int.class, "cap", Modifier.PRIVATE, Modifier.FINAL);
        run.addField(FieldSpec.builder(int.class, "partCap", Modifier.PRIVATE, Modifier.FINAL).addJavadoc("Rows each part holds.\n").build());
        run.addField(FieldSpec.builder(ArrayTypeName.of(ClassName.get("", "Part")), "parts", Modifier.PRIVATE, Modifier.FINAL)
                .addJavadoc("Part {@code w} holds rows {@code [row0, row0 + rows)} of the loaded batch.\n").build());
        run.addField(FieldSpec.builder(WORKERS, "workers", Modifier.PRIVATE, Modifier.FINAL).addJavadoc("Null with one part.\n").build());
        run.addField(FieldSpec.builder(ArrayTypeName.of(arr), "slots", Modifier.PRIVATE, Modifier.FINAL)
                .addJavadoc("The optimizer's state per trainable weight ($L); null in an inference session.\n",
                        String.join(", ", model.training().optimizer().slotNames())).build());
        run.addField(FieldSpec.builder(boolean.class, "inference", Modifier.PRIVATE, Modifier.FINAL)
                .addJavadoc("A session that only predicts, laid out by the forward pass's plan ($L values per row plus $L, against $L plus $L).\n",
                        inference.perSampleSize(), inference.fixedSize(), plan.perSampleSize(), plan.fixedSize()).build());
        List<ParamInfo> trainableWeights = g.paramInfos().stream().filter(ParamInfo::trainable).toList();
        run.addField(FieldSpec.builder(int[].class, "WEIGHT_OFFSETS", Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
                .addJavadoc("Where each trainable weight starts in the parameter and gradient arrays.\n")
                .initializer("{$L}", String.join(", ", trainableWeights.stream().map(p -> paramConsts.get(p.key())).toList())).build());
        run.addField(FieldSpec.builder(int[].class, "WEIGHT_SIZES", Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
                .initializer("{$L}", String.join(", ", trainableWeights.stream().map(p -> Integer.toString(p.size())).toList())).build());
        run.addField(long.class, "iterations", Modifier.PRIVATE);
        run.addField(FieldSpec.builder(double.class, "lrFactor", Modifier.PRIVATE).initializer("1").build());
        run.addField(FieldSpec.builder(double.class, "lr", Modifier.PRIVATE).addJavadoc("The learning rate of the current step.\n").build());
        run.addField(long.class, "seed", Modifier.PRIVATE);
        run.addField(FieldSpec.builder(int.class, "used", Modifier.PRIVATE).addJavadoc("Parts holding the loaded batch.\n").build());
        run.addField(FieldSpec.builder(int.class, "total", Modifier.PRIVATE).addJavadoc("Rows of the loaded batch.\n").build());
        run.addField(boolean.class, "dropout", Modifier.PRIVATE);
        boolean batchStats = g.nodes().stream().anyMatch(x -> x.op() instanceof Op.BatchMoments);
        if (batchStats) {
            run.addField(FieldSpec.builder(boolean.class, "batchStats", Modifier.PRIVATE)
                    .addJavadoc("BatchNormalization on the batch's statistics (training and grad steps), else on the moving ones.\n").build());
            run.addField(FieldSpec.builder(boolean.class, "updateStats", Modifier.PRIVATE)
                    .addJavadoc("Whether this step moves the moving statistics (a training step).\n").build());
        }
        run.addField(FieldSpec.builder(boolean.class, "reduced", Modifier.PRIVATE)
                .addJavadoc("True when part 0 already holds the summed gradients.\n").build());
        OptimizerConfig opt = model.training().optimizer();
        boolean clip = opt.clipnorm() > 0 || opt.globalClipnorm() > 0;
        if (clip) {
            long count = opt.globalClipnorm() > 0 ? 1 : g.paramInfos().stream().filter(ParamInfo::trainable).count();
            run.addField(FieldSpec.builder(double[].class, "scales", Modifier.PRIVATE, Modifier.FINAL)
                    .addJavadoc("Gradient clipping factors of the current step.\n").initializer("new double[$L]", count).build());
        }
        run.addField(boolean.class, "backprop", Modifier.PRIVATE);
        if (!batchStats) {
            run.addField(FieldSpec.builder(INT_CONSUMER, "passTask", Modifier.PRIVATE, Modifier.FINAL)
                    .initializer(lossOp().masked() ? "this::lossAndBackward" : "this::pass").build());
        }
        run.addField(FieldSpec.builder(INT_CONSUMER, "updateTask", Modifier.PRIVATE, Modifier.FINAL)
                .initializer("this::updateSlice").build());
        run.addField(FieldSpec.builder(INT_CONSUMER, "predictTask", Modifier.PRIVATE, Modifier.FINAL)
                .initializer("this::predictPart").build());
        MethodSpec.Builder ctor = MethodSpec.constructorBuilder().addParameter(int.class, "cap").addParameter(int.class, "threads")
                .addParameter(boolean.class, "inference");
        ctor.beginControlFlow("if (cap < 1 || threads < 1)")
                .addStatement("throw new $T($S + cap + $S + threads)", IllegalArgumentException.class, "capacity and threads must be at least 1, got ", " and ")
                .endControlFlow();
        ctor.addStatement("this.cap = cap");
        if (stateful()) {
            run.addField(FieldSpec.builder(ArrayTypeName.of(arr), "states", Modifier.PRIVATE, Modifier.FINAL)
                    .addJavadoc("The stateful layers' states, $L rows each: $L.\n", g.fixedBatch(), String.join(", ", g.stateIns().keySet())).build());
            List<String> sizes = g.stateIns().values().stream().map(n -> "new " + dt.type() + "[" + g.fixedBatch() * n.type().sampleSize() + "]").toList();
            ctor.addStatement("this.states = new $T[][] {$L}", dt.type(), String.join(", ", sizes));
        }
        ctor.addStatement("this.inference = inference");
        ctor.addStatement("this.slots = inference ? null : new $T[$L][TRAINABLE_SIZE]", dt.type(), model.training().optimizer().slots());
        ctor.addStatement("int n = Math.max(1, Math.min(threads, cap / $L))", MIN_ROWS);
        ctor.addStatement("this.partCap = (cap + n - 1) / n");
        ctor.addStatement("this.parts = new Part[n]");
        ctor.addStatement("for (int w = 0; w < n; w++) parts[w] = new Part(partCap, inference)");
        ctor.addStatement("this.workers = n > 1 ? new $T(n) : null", WORKERS);
        // Where each value lives: by the training plan, or in an inference session by the forward pass's
        // (-1 for the values only training reads, so a stray use fails at once).
        CodeBlock.Builder trainingOffsets = CodeBlock.builder(), inferenceOffsets = CodeBlock.builder();
        for (Map.Entry<Node, String> e : offsetFields.entrySet()) {
            run.addField(int.class, e.getValue(), Modifier.PRIVATE, Modifier.FINAL);
            trainingOffsets.addStatement("$L = $L", e.getValue(), offset((Storage.Arena) plan.of(e.getKey())));
            boolean kept = inference.has(e.getKey()) && inference.of(e.getKey()) instanceof Storage.Arena;
            inferenceOffsets.addStatement("$L = $L", e.getValue(), kept ? offset((Storage.Arena) inference.of(e.getKey())) : "-1");
        }
        ctor.beginControlFlow("if (inference)").addCode(inferenceOffsets.build()).nextControlFlow("else").addCode(trainingOffsets.build()).endControlFlow();
        run.addMethod(ctor.build());
        run.addMethod(override("capacity", TypeName.INT).addStatement("return cap").build());
        run.addMethod(override("threads", TypeName.INT).addStatement("return parts.length").build());
        run.addMethod(prepare());
        run.addMethod(load());
        run.addMethod(partOf());
        run.addMethod(setInput(TypeName.FLOAT));
        run.addMethod(setInput(TypeName.INT));
        run.addMethod(outputRow());
        for (Loops.Block b : sched.loops().values()) loopMethods.put(b.loop(), loopMethod(b));
        Phases phases = null;
        if (batchStats) {
            phases = phasedSteps(run);
        } else {
            run.addMethods(stepMethod("forward", "The forward pass of one part.", sched.forward()));
            run.addMethods(stepMethod("backward", "The backward pass of one part: its gradients into {@code q.g}.", sched.backward()));
        }
        run.addMethods(new java.util.LinkedHashSet<>(loopMethods.values()));
        run.addMethod(lossMethod());
        if (lossOp().masked()) {
            run.addField(FieldSpec.builder(int.class, "present", Modifier.PRIVATE)
                    .addJavadoc("Present (not masked, not ignored) time steps of the loaded batch: what the loss is divided by.\n").build());
            run.addMethod(countPresent());
            if (lossOp().ignoreClass() != null && !lossOp().kind().sparseTarget()) run.addMethod(missingRow());
            run.addMethod(override("metricWeight", TypeName.DOUBLE).addParameter(int.class, "n").addStatement("return present").build());
        }
        if (lossOp().masked() && !batchStats) {
            run.addField(FieldSpec.builder(INT_CONSUMER, "forwardTask", Modifier.PRIVATE, Modifier.FINAL).initializer("this::forwardAndCount").build());
            run.addMethod(method("forwardAndCount", TypeName.VOID).addParameter(int.class, "w")
                    .addJavadoc("The forward pass of part {@code w}, and its count of present time steps.\n")
                    .addStatement("forward(parts[w], dropout)").addStatement("parts[w].present = countPresent(parts[w])").build());
            run.addMethod(method("lossAndBackward", TypeName.VOID).addParameter(int.class, "w")
                    .addJavadoc("Loss and (if {@code backprop}) backward for part {@code w}, once the batch's present steps are counted.\n")
                    .addStatement("Part q = parts[w]").addStatement("q.loss = loss(q)").addStatement("if (backprop) backward(q, dropout)").build());
        } else if (!batchStats) {
            run.addMethod(passMethod());
        }
        MethodSpec.Builder runParts = method("runParts", TypeName.DOUBLE)
                .addJavadoc("Runs forward, loss and backward on every used part; returns the batch's loss.\n")
                .addParameter(boolean.class, "dropout").addParameter(boolean.class, "backprop")
                .beginControlFlow("if (inference)")
                .addStatement("throw new $T($S)", IllegalStateException.class, "an inference session only predicts (predictStep); make a session with newSession to train or evaluate")
                .endControlFlow()
                .addStatement("this.dropout = dropout")
                .addStatement("this.backprop = backprop");
        if (batchStats) {
            runParts.addStatement("this.batchStats = backprop");
            phasedRunParts(runParts, phases);
        } else if (lossOp().masked()) {
            // Two phases: the loss of a part divides by the present steps of the whole batch.
            runParts.addStatement("if (used == 1) forwardAndCount(0)")
                    .addStatement("else workers.run(used, forwardTask)")
                    .addStatement("present = 0")
                    .addStatement("for (int w = 0; w < used; w++) present += parts[w].present")
                    .addStatement("if (used == 1) lossAndBackward(0)")
                    .addStatement("else workers.run(used, passTask)");
        } else {
            runParts.addStatement("if (used == 1) pass(0)")
                    .addStatement("else workers.run(used, passTask)");
        }
        run.addMethod(runParts
                .addStatement("double l = 0")
                .addStatement("for (int w = 0; w < used; w++) l += parts[w].loss")
                .addStatement("return l").build());
        constraintFields(run);
        run.addMethod(updateMethod());
        run.addMethod(updateSlice());
        run.addMethod(stepHelper());
        if (clip) run.addMethod(clipScales());
        run.addMethod(reduceMethod());
        // Keras's loss (in training and evaluation alike) is the data loss plus the weights' penalties.
        String penalty = regularized().isEmpty() ? "" : " + penalty()";
        if (!penalty.isEmpty()) {
            run.addMethod(penaltyMethod());
            run.addMethod(regularizeMethod());
        }
        MethodSpec.Builder trainStep = override("trainStep", TypeName.DOUBLE).addParameter(int.class, "n").addStatement("checkLoaded(n)");
        if (batchStats) trainStep.addStatement("updateStats = true");
        trainStep.addStatement("double l = runParts(true, true)$L", penalty);
        if (stateful()) trainStep.addStatement("keepStates()");
        if (batchStats) trainStep.addStatement("updateStats = false");
        run.addMethod(trainStep.addStatement("update()").addStatement("return l").build());
        run.addMethod(override("gradStep", TypeName.DOUBLE).addParameter(int.class, "n").addParameter(boolean.class, "dropout")
                .addStatement("checkLoaded(n)").addStatement("double l = runParts(dropout, true)$L", penalty).addStatement("reduce()")
                .addStatement("return l").build());
        MethodSpec.Builder evalStep = override("evalStep", TypeName.DOUBLE).addParameter(int.class, "n").addStatement("checkLoaded(n)");
        if (stateful()) {
            evalStep.addStatement("double l = runParts(false, false)$L", penalty).addStatement("keepStates()").addStatement("return l");
        } else {
            evalStep.addStatement("return runParts(false, false)$L", penalty);
        }
        run.addMethod(evalStep.build());
        MethodSpec.Builder predictStep = override("predictStep", TypeName.VOID).addParameter(int.class, "n").addStatement("checkLoaded(n)");
        if (batchStats) predictStep.addStatement("batchStats = false");
        predictStep.addStatement("if (used == 1) forward(parts[0], false)").addStatement("else workers.run(used, predictTask)");
        if (stateful()) predictStep.addStatement("keepStates()");
        run.addMethod(predictStep.build());
        run.addMethod(method("predictPart", TypeName.VOID).addJavadoc("The forward pass of part {@code w} in inference mode.\n")
                .addParameter(int.class, "w").addStatement("forward(parts[w], false)").build());
        if (stateful()) run.addMethods(stateMethods());
        run.addMethod(method("checkLoaded", TypeName.VOID).addParameter(int.class, "n")
                .beginControlFlow("if (n != total)")
                .addStatement("throw new $T($S + n + $S + total)", IllegalStateException.class, "a step of ", " rows after loading ")
                .endControlFlow().build());
        run.addMethod(metrics());
        run.addMethod(output());
        run.addMethod(gradients());
        run.addMethod(override("iterations", TypeName.LONG).addStatement("return iterations").build());
        run.addMethod(override("setLearningRateFactor", TypeName.VOID).addParameter(double.class, "factor")
                .addStatement("this.lrFactor = factor").build());
        run.addMethod(override("learningRate", TypeName.DOUBLE).addStatement("return SPEC.schedule().at(iterations) * lrFactor").build());
        run.addMethod(override("setSeed", TypeName.VOID).addParameter(long.class, "seed").addStatement("this.seed = seed").build());
        run.addMethod(optimizerState());
        run.addMethod(setOptimizerState());
        run.addMethod(override("close", TypeName.VOID).addStatement("if (workers != null) workers.close()").build());
        return run.build();
    }

    private boolean stateful() {
        return !g.stateIns().isEmpty();
    }

    /**
     * Stateful layers (Keras's stateful=True): {@code keepStates} copies each final state out of the
     * parts' arenas, row by row, for the next step (a grad step keeps none); {@code states},
     * {@code setStates} and {@code resetStates} read and write them.
     */
    private List<MethodSpec> stateMethods() {
        int b = g.fixedBatch();
        MethodSpec.Builder keep = method("keepStates", TypeName.VOID)
                .addJavadoc("Each stateful layer's final states become the states the next step starts from.\n")
                .beginControlFlow("for (int w = 0; w < used; w++)")
                .addStatement("Part q = parts[w]");
        for (Map.Entry<String, Node> e : g.stateOuts().entrySet()) {
            Node in = g.stateIns().get(e.getKey());
            int slot = ((Op.StateIn) in.op()).slot(), per = in.type().sampleSize();
            keep.addStatement("System.arraycopy(q.a, $L, states[$L], q.row0 * $L, q.rows * $L)", operand.apply(e.getValue()).offset(), slot, per, per);
        }
        keep.endControlFlow();
        MethodSpec.Builder get = override("states", TENSOR_MAP)
                .addStatement("$T<String, $T> out = new $T<>()", Map.class, TENSOR, LinkedHashMap.class);
        MethodSpec.Builder set = override("setStates", TypeName.VOID).addParameter(TENSOR_MAP, "given");
        for (Map.Entry<String, Node> e : g.stateIns().entrySet()) {
            int slot = ((Op.StateIn) e.getValue().op()).slot();
            StringBuilder shape = new StringBuilder(Integer.toString(b));
            for (int d : e.getValue().type().sampleShape()) shape.append(", ").append(d);
            get.addStatement("out.put($S, $T.of(states[$L].clone(), $L))", e.getKey(), TENSOR, slot, shape);
            set.addStatement("$T t$L = given.get($S)", TENSOR, slot, e.getKey())
                    .beginControlFlow("if (t$L == null || !$T.equals(t$L.shape(), new int[] {$L}))", slot, Arrays.class, slot, shape)
                    .addStatement("throw new $T($S)", IllegalArgumentException.class, "setStates needs " + e.getKey() + " of shape [" + shape + "]")
                    .endControlFlow()
                    .addStatement("System.arraycopy(t$L.$L(), 0, states[$L], 0, states[$L].length)", slot,
                            dt == Dtype.F32 ? "toFloatArray" : "toDoubleArray", slot, slot);
        }
        set.beginControlFlow("if (given.size() != $L)", g.stateIns().size())
                .addStatement("throw new $T($S + given.keySet())", IllegalArgumentException.class, "setStates takes exactly " + g.stateIns().keySet() + ", got ")
                .endControlFlow();
        MethodSpec reset = override("resetStates", TypeName.VOID)
                .addStatement("for ($T s : states) $T.fill(s, 0)", dt.array(), Arrays.class).build();
        return List.of(keep.build(), get.addStatement("return out").build(), set.build(), reset);
    }

    /** An arena value's offset in a part: a literal, plus its per-row offset times the part's rows. */
    private static String offset(Storage.Arena ar) {
        return ar.perSample() == 0 ? Integer.toString(ar.fixed()) : ar.fixed() + " + " + ar.perSample() + " * partCap";
    }

    private TypeSpec part() {
        return TypeSpec.classBuilder("Part").addModifiers(Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
                .addJavadoc("One thread's share of a batch: its arena ($L floats per row plus $L) and gradients.\n",
                        plan.perSampleSize(), plan.fixedSize())
                .addField(dt.array(), "a", Modifier.FINAL)
                .addField(FieldSpec.builder(dt.array(), "g", Modifier.FINAL).addJavadoc("Null in an inference session.\n").build())
                .addField(int.class, "row0")
                .addField(int.class, "rows")
                .addField(double.class, "loss")
                .addFields(lossOp().masked() ? List.of(FieldSpec.builder(int.class, "present").build()) : List.of())
                .addFields(skippable.stream().sorted(java.util.Comparator.comparingInt(Loop::id)).map(l -> FieldSpec.builder(int.class, "skip" + l.id())
                        .addJavadoc("Masked steps at the start of loop$L's order, skipped in this part's rows.\n", l.id()).build()).toList())
                .addFields(trimmable.stream().sorted(java.util.Comparator.comparingInt(Loop::id)).map(l -> FieldSpec.builder(int.class, "trail" + l.id())
                        .addJavadoc("Masked steps at the end of loop$L's order, skipped in this part's rows.\n", l.id()).build()).toList())
                .addMethod(MethodSpec.constructorBuilder().addParameter(int.class, "cap").addParameter(boolean.class, "inference")
                        .addStatement("a = inference ? new $T[$L + $L * cap] : new $T[$L + $L * cap]", dt.type(), inference.fixedSize(),
                                inference.perSampleSize(), dt.type(), plan.fixedSize(), plan.perSampleSize())
                        .addStatement("g = inference ? null : new $T[TRAINABLE_SIZE]", dt.type()).build())
                .build();
    }

    private MethodSpec prepare() {
        return override("prepare", TypeName.VOID).addParameter(int.class, "n")
                .beginControlFlow("if (n < 1 || n > cap)")
                .addStatement("throw new $T($S + n + $S + cap)", IllegalArgumentException.class, "a batch of ", " rows does not fit a session of capacity ")
                .endControlFlow()
                .addCode(stateful() ? CodeBlock.builder().beginControlFlow("if (n != $L)", g.fixedBatch())
                        .addStatement("throw new $T($S + n)", IllegalArgumentException.class, "a stateful model runs batches of exactly "
                                + g.fixedBatch() + " rows (its inputs' batch_size), as Keras does; got ")
                        .endControlFlow().build() : CodeBlock.of(""))
                .addStatement("total = n")
                // At least MIN_ROWS rows per part, but never more rows in a part than it holds.
                .addStatement("used = Math.max((n + partCap - 1) / partCap, Math.min(parts.length, n / $L))", MIN_ROWS)
                .addStatement("int row0 = 0")
                .beginControlFlow("for (int w = 0; w < used; w++)")
                .addStatement("parts[w].row0 = row0")
                .addStatement("parts[w].rows = n / used + (w < n % used ? 1 : 0)")
                .addStatement("row0 += parts[w].rows")
                .endControlFlow().build();
    }

    private MethodSpec load() {
        MethodSpec.Builder m = override("load", TypeName.VOID).addParameter(DATASET, "data").addParameter(int[].class, "order")
                .addParameter(int.class, "from").addParameter(int.class, "n");
        m.addStatement("prepare(n)");
        m.beginControlFlow("for (int w = 0; w < used; w++)");
        m.addStatement("Part q = parts[w]");
        for (Node in : g.inputs().values()) {
            Op.Input op = (Op.Input) in.op();
            m.addStatement("$T.copy($T.feature(data, $S, $L), order, from + q.row0, q.rows, $L, q.a, $L)", BATCHES, BATCHES,
                    op.inputName(), g.inputs().size(), in.type().sampleSize(), operand.apply(in).offset());
        }
        m.beginControlFlow("if (data.target() != null && !inference)")
                .addStatement("$T.copy(data.target(), order, from + q.row0, q.rows, $L, q.a, $L)", BATCHES,
                        g.target().type().sampleSize(), operand.apply(g.target()).offset())
                .endControlFlow();
        m.endControlFlow();
        return m.build();
    }

    private MethodSpec partOf() {
        return method(ClassName.get("", "Part"), "partOf", int.class).build();
    }

    private static MethodSpec.Builder method(TypeName ret, String name, Class<?> arg) {
        return MethodSpec.methodBuilder(name).addModifiers(Modifier.PRIVATE).returns(ret)
                .addJavadoc("The part holding row {@code row} of the prepared batch.\n")
                .addParameter(arg, "row")
                .beginControlFlow("if (row < 0 || row >= total)")
                .addStatement("throw new $T($S + row + $S + total)", IndexOutOfBoundsException.class, "row ", " of a batch of ")
                .endControlFlow()
                .addStatement("int w = 0")
                .addStatement("while (row >= parts[w].row0 + parts[w].rows) w++")
                .addStatement("return parts[w]");
    }

    /** {@code setInput} for a source array of element type {@code src}: a copy, converting where needed. */
    private MethodSpec setInput(TypeName src) {
        MethodSpec.Builder m = override("setInput", TypeName.VOID).addParameter(int.class, "input").addParameter(int.class, "row")
                .addParameter(com.palantir.javapoet.ArrayTypeName.of(src), "src").addParameter(int.class, "off")
                .addStatement("Part q = partOf(row)")
                .addStatement("int r = row - q.row0");
        m.beginControlFlow("switch (input)");
        int i = 0;
        for (Node in : g.inputs().values()) {
            int size = in.type().sampleSize();
            String dst = operand.apply(in).offset() + " + r * " + size;
            if (src.equals(dt.type())) {
                m.addStatement("case $L -> System.arraycopy(src, off, q.a, $L, $L)", i, dst, size);
            } else {
                m.addCode("case $L -> {\n$>for (int i = 0; i < $L; i++) q.a[$L + i] = src[off + i];\n$<}\n", i, size, dst);
            }
            i++;
        }
        m.addStatement("default -> throw new $T($S + input)", IndexOutOfBoundsException.class, "no input number ");
        m.endControlFlow();
        return m.build();
    }

    private MethodSpec outputRow() {
        Operand o = operand.apply(g.output());
        int per = g.output().type().sampleSize();
        MethodSpec.Builder m = override("outputRow", TypeName.VOID).addParameter(int.class, "row").addParameter(float[].class, "dst")
                .addParameter(int.class, "off")
                .addStatement("Part q = partOf(row)")
                .addStatement("int base = $L + (row - q.row0) * $L", o.offset(), per);
        if (dt == Dtype.F32) m.addStatement("System.arraycopy(q.a, base, dst, off, $L)", per);
        else m.addStatement("for (int i = 0; i < $L; i++) dst[off + i] = (float) q.a[base + i]", per);
        return m.build();
    }

    /** A step method over one part: the kernels of {@code nodes} in order, with a comment per layer. */
    /** Kernel calls per step method: keeps each method far below HotSpot's 8000-byte limit. */
    static final int CALLS_PER_METHOD = 100;

    /**
     * A step method over one part: the kernels of {@code nodes} in order, with a comment per layer.
     * Long passes are split into {@code name_1}, {@code name_2}, ... that it calls in order.
     */
    private List<MethodSpec> stepMethod(String name, String doc, List<Node> nodes) {
        List<Node> withKernels = nodes.stream().filter(n -> kernels.containsKey(n) || n.loop() != null).toList();
        // A loop block is one call (to its loop method); count it once.
        List<List<Node>> calls = new ArrayList<>();
        for (Node n : withKernels) {
            Loops.Block b = sched.blockOf(n);
            if (b == null) calls.add(List.of(n));
            else if (calls.isEmpty() || calls.get(calls.size() - 1).get(0).loop() != n.loop()) calls.add(new ArrayList<>(List.of(n)));
        }
        if (calls.size() <= CALLS_PER_METHOD) return List.of(stepChunk(name, doc, calls));
        List<MethodSpec> out = new ArrayList<>();
        MethodSpec.Builder main = method(name, TypeName.VOID).addJavadoc("$L\n", doc).addParameter(ClassName.get("", "Part"), "q")
                .addParameter(boolean.class, "dropout");
        for (int from = 0, k = 1; from < calls.size(); from += CALLS_PER_METHOD, k++) {
            String part = name + "_" + k;
            out.add(stepChunk(part, "Part " + k + " of {@link #" + name + "}.", calls.subList(from, Math.min(calls.size(), from + CALLS_PER_METHOD))));
            main.addStatement("$L(q, dropout)", part);
        }
        out.add(0, main.build());
        return out;
    }

    private MethodSpec stepChunk(String name, String doc, List<List<Node>> items) {
        MethodSpec.Builder m = method(name, TypeName.VOID).addJavadoc("$L\n", doc).addParameter(ClassName.get("", "Part"), "q")
                .addParameter(boolean.class, "dropout");
        StringBuilder body = new StringBuilder();
        CodeBlock.Builder calls = CodeBlock.builder();
        String last = null;
        for (List<Node> item : items) {
            Node n = item.get(0);
            String where = (n.layer().isEmpty() ? "" : n.layer() + ", ") + n.span();
            if (!where.equals(last)) calls.add("// $L\n", where);
            last = where;
            if (n.loop() != null) {
                String loopMethod = loopMethods.get(n.loop()).name();
                calls.addStatement("$L(q, dropout)", loopMethod);
                continue;
            }
            CodeBlock call = kernels.get(n).call(operand);
            calls.addStatement(guarded(n, call));
            body.append(call).append('\n');
        }
        declareLocals(m, body.toString());
        return m.addCode(calls.build()).build();
    }

    /**
     * The method that runs one loop block over a part: the kernels that see all time steps at once
     * (as {@code steps·n} rows), then the time loop, which runs the per-step kernels on step
     * {@code t}'s rows of each value and carries the states, then the kernels after it.
     */
    private MethodSpec loopMethod(Loops.Block b) {
        Loop loop = b.loop();
        Node first = b.all().get(0);
        int steps = loop.steps();
        String name = "loop" + loop.id();
        String what = loop.forward() == null ? "The recurrence" : "Backpropagation through time of the recurrence";
        MethodSpec.Builder m = method(name, TypeName.VOID)
                .addJavadoc("$L of $L ($L), over $L steps from $L to $L.\n", what, first.layer().isEmpty() ? "the model" : first.layer(),
                        first.span(), steps, loop.firstStep(), loop.lastStep())
                .addParameter(ClassName.get("", "Part"), "q").addParameter(boolean.class, "dropout");
        CodeBlock.Builder code = CodeBlock.builder();
        Function<Node, Operand> atStep = x -> {
            Operand o = operand.apply(x);
            return stepped(x) ? new Operand(o.array(), o.offset() + " + t * (n * " + x.type().elementsPerSample() + ")") : o;
        };
        // Masked steps at the start of the recurrence (padding in front, pad_sequences' default) leave its
        // states at their initial values: the loops skip them (see skipsMaskedSteps).
        Loop model = loop.forward() == null ? loop : loop.forward();
        boolean skip = skippable.contains(model), trim = trimmable.contains(model);
        String rows = "nT";
        Function<Node, Operand> active = operand;
        if (skip) {
            String k = "q.skip" + model.id(), kt = "q.trail" + model.id();
            if (loop == model) {
                Node mask = loop.source(0).input(0);
                Operand mo = operand.apply(mask);
                m.addJavadoc("Skips the first {@code q.skip$L} steps of that order$L, which the mask hides in every row of the part.\n", model.id(),
                        trim ? " and the last {@code q.trail" + model.id() + "}" : "");
                code.addStatement("$L = $T.leadingMasked($L, $L, n * $L, $L, $L)", k, STEPS, mo.array(), mo.offset(),
                        mask.type().elementsPerSample(), steps, loop.reverse());
                if (trim) {
                    code.addStatement("$L = $L == $L ? 0 : $T.leadingMasked($L, $L, n * $L, $L, $L)", kt, k, steps, STEPS, mo.array(), mo.offset(),
                            mask.type().elementsPerSample(), steps, !loop.reverse());
                }
            } else {
                m.addJavadoc("Skips the steps the recurrence skipped.\n");
            }
            code.addStatement("int skip = $L", k);
            if (trim) code.addStatement("int trail = $L", kt);
            rows = trim ? "n * (" + steps + " - skip - trail)" : "n * (" + steps + " - skip)";
            // Before and after the time loop, kernels see only the steps the loop runs: rows [skip, steps - trail) of
            // time, or [trail, steps - skip) when the recurrence runs backwards.
            String lo = model.reverse() ? (trim ? "trail" : null) : "skip";
            if (lo != null) {
                active = x -> {
                    Operand o = operand.apply(x);
                    return stepped(x) ? new Operand(o.array(), o.offset() + " + " + lo + " * (n * " + x.type().elementsPerSample() + ")") : o;
                };
            }
        }
        Function<Node, Operand> outside = active;
        if (trim && loop != model) foldSkippedGradients(b, model, code);
        if (b.before().stream().anyMatch(kernels::containsKey)) code.add("// every step at once\n");
        for (Node n : b.before()) if (kernels.containsKey(n)) code.addStatement(guarded(n, kernels.get(n).call(outside, rows)));
        // the steps this loop skips at the start and at the end of its own order (a backward loop runs the recurrence's order reversed)
        String skipsFirst = !skip ? null : loop == model ? "skip" : trim ? "trail" : null;
        String skipsLast = !skip ? null : loop == model ? (trim ? "trail" : null) : "skip";
        code.beginControlFlow("for (int s = $L; s < $L; s++)", skipsFirst != null ? skipsFirst : "0", skipsLast != null ? steps + " - " + skipsLast : steps);
        code.addStatement("int t = $L", loop.reverse() ? (steps - 1) + " - s" : "s");
        for (Node n : b.step()) {
            if (n.op() instanceof Op.Carry c) {
                Node src = loop.source(c.index());
                int size = n.type().elementsPerSample();
                Operand init = operand.apply(n.input(0)), dst = atStep.apply(n);
                if (src == null) {
                    code.addStatement("System.arraycopy($L, $L, $L, $L, n * $L)", init.array(), init.offset(), dst.array(), dst.offset(), size);
                } else {
                    Operand from = operand.apply(src);
                    code.addStatement("System.arraycopy($L, s == $L ? $L : $L + (t $L 1) * (n * $L), $L, $L, n * $L)", from.array(),
                            skipsFirst != null ? skipsFirst : "0", init.offset(), from.offset(), loop.reverse() ? "+" : "-", size, dst.array(), dst.offset(), size);
                }
            } else if (kernels.containsKey(n)) {
                code.addStatement(guarded(n, kernels.get(n).call(atStep)));
                // Gradients decay step by step through a recurrence: keep them out of the subnormal range.
                if (loop.forward() != null && plan.of(n) instanceof Storage.Arena && n.type().isBatched() && computes(n)
                        && !kernels.get(n).flushes()) {
                    Operand o = atStep.apply(n);
                    code.addStatement("$T.flush($L, $L, n * $L)", SUBNORMALS, o.array(), o.offset(), n.type().elementsPerSample());
                }
            }
        }
        code.endControlFlow();
        if (b.after().stream().anyMatch(kernels::containsKey)) code.add("// every step at once\n");
        for (Node n : b.after()) if (kernels.containsKey(n)) code.addStatement(guarded(n, kernels.get(n).call(outside, rows)));
        if (skip) fillSkipped(b, model, trim, code);
        CodeBlock body = code.build();
        declareLocals(m, body.toString());
        if (!USES_N.matcher(body.toString()).find()) m.addStatement("int n = q.rows");
        if (body.toString().contains("nT")) m.addStatement("int nT = n * $L", steps);
        return m.addCode(body).build();
    }

    /**
     * The copies only a step with dropout reads ({@code dropped}), or only a step without it: a gate's dropped copy of a
     * recurrent layer's input or state (Keras's implementation 1, per-gate masks), or the undropped input beside them,
     * and what only leads to it. {@link Op.GateMatMul} and {@link Op.GateMatMulAT} read the gates' copies with dropout
     * on and the undropped value without it, so the other is not computed.
     */
    private java.util.Set<Node> readOnlyBy(boolean dropped) {
        Map<Node, List<Node>> readers = new java.util.HashMap<>();
        for (Node n : sched.training()) for (Node d : n.deps()) readers.computeIfAbsent(d, k -> new ArrayList<>()).add(n);
        java.util.Set<Node> kept = new java.util.HashSet<>(g.stateOuts().values());
        kept.add(g.output());
        java.util.Set<Node> out = new java.util.HashSet<>();
        List<Node> order = sched.training();
        for (int i = order.size() - 1; i >= 0; i--) {
            Node n = order.get(i);
            boolean copy = n.op() instanceof Op.Dropout || n.op() instanceof Op.SpatialDropout || n.op() instanceof Op.SwapBatchTime
                    || n.op() instanceof Op.StepIn;
            List<Node> rs = readers.getOrDefault(n, List.of());
            if (!copy || kept.contains(n) || rs.isEmpty()) continue;
            boolean only = true;
            for (Node r : rs) only &= out.contains(r) || readsOnlyAs(r, n, dropped);
            if (only) out.add(n);
        }
        return out;
    }

    /** Whether the gate product {@code r} reads {@code n} only as a gate's dropped copy ({@code dropped}) or only as the undropped value. */
    private static boolean readsOnlyAs(Node r, Node n, boolean dropped) {
        int gates = r.op() instanceof Op.GateMatMul gm ? gm.gates() : r.op() instanceof Op.GateMatMulAT ga ? ga.gates() : 0;
        if (gates == 0 || r.deps().size() != r.inputs().size()) return false;
        for (int i = 0; i < r.inputs().size(); i++) {
            if (r.input(i) == n && (dropped ? i == 0 || i > gates : i != 0)) return false;
        }
        return true;
    }

    /** The kernel call, run only with dropout on (off) if it computes a value only such a step reads. */
    private CodeBlock guarded(Node n, CodeBlock call) {
        if (droppedOnly.contains(n)) return CodeBlock.of("if (dropout) $L", call);
        return undroppedOnly.contains(n) ? CodeBlock.of("if (!dropout) $L", call) : call;
    }

    /** A loop value stored once per time step (its operand moves with the step). */
    private boolean stepped(Node x) {
        return x.loop() != null && x.type().isBatched() && !plan.singleSlot(x);
    }

    /**
     * After a loop that skipped steps, the values read outside the loop get what the skipped steps
     * would have given: a state its initial value (a masked step keeps the state), anything else
     * zero (a masked step's zeroed output, or a gradient of a masked step's input).
     */
    private void fillSkipped(Loops.Block b, Loop model, boolean trim, CodeBlock.Builder code) {
        Loop loop = b.loop();
        int steps = loop.steps();
        for (Node v : escaping(b)) {
            Operand o = operand.apply(v);
            int size = v.type().elementsPerSample();
            int state = loop == model ? sourceIndex(loop, v) : -1;
            EndSteps end = new EndSteps(model);
            if (trim && state >= 0) {
                // a masked step keeps the state: the skipped steps at the end hold the state of the last step run
                code.beginControlFlow("for (int t = $L; t < $L; t++)", end.from, end.to);
                code.addStatement("System.arraycopy($L, $L, $L, $L + t * (n * $L), n * $L)", o.array(), end.at(o, end.last, size),
                        o.array(), o.offset(), size, size);
                code.endControlFlow();
            } else if (trim) {
                // zeroed outputs, or gradients of masked steps' inputs: zeros at the skipped steps at the end
                code.addStatement("$T.fill($L, $L, $L, $L)", ARRAYS, o.array(), end.at(o, end.from, size), end.at(o, end.to, size),
                        dt == Dtype.F32 ? "0f" : "0.0");
            }
            // The skipped steps' rows of time: [0, skip) forwards, [steps - skip, steps) for a recurrence run backwards.
            String from = model.reverse() ? "(" + steps + " - skip)" : "0";
            code.beginControlFlow("for (int t = $L; t < $L; t++)", from, model.reverse() ? steps : "skip");
            if (state >= 0) {
                Operand init = operand.apply(loop.carry(state).input(0));
                code.addStatement("System.arraycopy($L, $L, $L, $L + t * (n * $L), n * $L)", init.array(), init.offset(), o.array(), o.offset(), size, size);
            } else {
                code.addStatement("$T.fill($L, $L + t * (n * $L), $L + (t + 1) * (n * $L), $L)", ARRAYS, o.array(), o.offset(), size, o.offset(), size, dt == Dtype.F32 ? "0f" : "0.0");
            }
            code.endControlFlow();
        }
    }

    /**
     * The masked steps a recurrence skipped at the end of its order, as rows of time {@code [from, to)}, and the
     * last step it ran ({@code last}): {@code [steps - trail, steps)} and {@code steps - trail - 1} forwards,
     * {@code [0, trail)} and {@code trail} for a recurrence that runs backwards.
     */
    private record EndSteps(String from, String to, String last) {
        EndSteps(Loop model) {
            this(model.reverse() ? "0" : model.steps() + " - trail", model.reverse() ? "trail" : Integer.toString(model.steps()),
                    model.reverse() ? "trail" : model.steps() + " - trail - 1");
        }

        /** The offset of step {@code t} of value {@code o} ({@code size} per row). */
        String at(Operand o, String t, int size) {
            if (t.equals("0")) return o.offset();
            return o.offset() + " + " + (t.contains(" ") ? "(" + t + ")" : t) + " * (n * " + size + ")";
        }
    }

    /**
     * Before the backward loop of a recurrence that skipped masked steps at its end: a masked step
     * carries the state unchanged, so the gradient that reaches a state at a skipped step reaches the
     * state of the last step run. Adds those gradients to that step's, where the backward loop reads them.
     */
    private void foldSkippedGradients(Loops.Block back, Loop model, CodeBlock.Builder code) {
        int steps = model.steps();
        EndSteps end = new EndSteps(model);
        for (int i = 0; i < model.states(); i++) {
            // null only for a state nothing outside reads (trimmable() requires the others' gradients recognised)
            List<Node> outside = directGradients(back, i);
            for (Node d : outside == null ? List.<Node>of() : outside) {
                Operand o = operand.apply(d);
                code.add("// the state's gradients at the masked steps skipped at the end go to the last step run\n");
                code.addStatement("$T.foldSteps($L, $L, n * $L, $L, $L, $L)", STEPS, o.array(), o.offset(), d.type().elementsPerSample(), end.from,
                        end.to, end.last);
            }
        }
    }

    /**
     * In backward loop {@code back}, the gradients that reach state {@code i} of the recurrence from outside
     * it at each step: steps of stacked gradients (one per stack of the states read outside, such as the
     * sequence and the final state of return_state), summed and added to the carried gradient, as Autodiff
     * builds them. Empty if none does (Autodiff then uses the carried gradient as it is: no sum takes it);
     * null if the carried gradient is summed with something else, which is not recognised.
     */
    private List<Node> directGradients(Loops.Block back, int i) {
        Node carried = back.loop().carry(i);
        List<Node> sums = g.nodes().stream().filter(u -> u.loop() == back.loop() && isAdd(u) && u.inputs().contains(carried)).toList();
        if (sums.isEmpty()) return List.of();
        if (sums.size() > 1 || sums.get(0).inputs().size() != 2) return null;
        Node u = sums.get(0);
        return stepsSummed(back, u.input(0) == carried ? u.input(1) : u.input(0));
    }

    /** The steps of stacked gradients {@code d} sums (a step, or a sum of such), or null if it is anything else. */
    private static List<Node> stepsSummed(Loops.Block back, Node d) {
        if (d.loop() != back.loop()) return null;
        if (d.op() instanceof Op.StepIn) return List.of(d);
        if (!isAdd(d)) return null;
        List<Node> out = new ArrayList<>();
        for (Node x : d.inputs()) {
            List<Node> part = stepsSummed(back, x);
            if (part == null) return null;
            out.addAll(part);
        }
        return out;
    }

    private static boolean isAdd(Node n) {
        return n.op() instanceof Op.Binary bin && bin.kind() == Op.BinOp.ADD;
    }

    /** True unless {@code n}'s kernel reduces per-step values to something that is not per step. */
    private boolean perStepOrNot(Node n) {
        return !kernels.containsKey(n) || n.type().isBatched() || n.deps().stream().noneMatch(this::stepped);
    }

    private static int sourceIndex(Loop loop, Node v) {
        for (int i = 0; i < loop.states(); i++) if (loop.source(i) == v) return i;
        return -1;
    }

    /**
     * The per-step values of a loop block that something outside the block reads (through a stack or
     * directly), other than the block's backward loop (which reads only the steps the block ran).
     */
    private List<Node> escaping(Loops.Block b) {
        java.util.Set<Node> in = new java.util.HashSet<>(b.all());
        List<Node> out = new ArrayList<>();
        for (Node u : sched.training()) {
            if (in.contains(u) || u.loop() != null && u.loop().forward() == b.loop()) continue;
            for (Node d : u.deps()) {
                Node v = d.op() instanceof Op.Stack ? d.input(0) : d;
                if (in.contains(v) && stepped(v) && plan.has(v) && !out.contains(v)) out.add(v);
            }
        }
        return out;
    }

    /**
     * The model's recurrences whose masked steps at the start can be skipped, exactly: every state is
     * selected by one step mask (a masked step keeps it), starts from zeros or a stateful layer's
     * state (so no gradient leaves through it), and what leaves the recurrence per step is a state or
     * a zeroed output; its backward loop leaves only input gradients, zero at a masked step, and its
     * kernels over all steps are per step or sums of weight gradients, to which masked steps add zero.
     */
    private java.util.Set<Loop> skippable() {
        java.util.Set<Loop> out = new java.util.HashSet<>();
        for (Loops.Block b : sched.loops().values()) {
            Loop loop = b.loop();
            if (loop.forward() != null || loop.states() == 0) continue;
            Node mask = loop.source(0) == null || !(loop.source(0).op() instanceof Op.Select) ? null : loop.source(0).input(0);
            boolean ok = mask != null && mask.op() instanceof Op.StepIn;
            for (int i = 0; ok && i < loop.states(); i++) {
                Node src = loop.source(i), init = loop.carry(i).input(0);
                ok = src != null && src.op() instanceof Op.Select && src.input(0) == mask
                        && (init.op() instanceof Op.Zeros || init.op() instanceof Op.StateIn);
            }
            for (Node v : ok ? escaping(b) : List.<Node>of()) ok &= sourceIndex(loop, v) >= 0 || v.op() instanceof Op.MaskRows;
            for (Node n : ok ? b.before() : List.<Node>of()) ok &= perStepOrNot(n);
            for (Node n : ok ? b.after() : List.<Node>of()) ok &= perStepOrNot(n);
            Loops.Block back = sched.loops().values().stream().filter(x -> x.loop().forward() == loop).findFirst().orElse(null);
            if (ok && back != null) {
                for (Node v : escaping(back)) ok &= sourceIndex(back.loop(), v) < 0;
                for (Node n : back.before()) ok &= perStepOrNot(n);
            }
            if (ok) out.add(loop);
        }
        return out;
    }

    /**
     * Of the {@link #skippable()} recurrences, those that also skip the masked steps at the end of their
     * order (padding behind, {@code padding='post'}, for a recurrence that runs forwards), exactly: a
     * masked step keeps the states, so the skipped steps' states are the last step's, and the gradients
     * that reach them from outside reach the last step's states (see {@link #foldSkippedGradients}); a
     * zeroed output and its gradient are zero there (the backward loop starts from zero gradients, as
     * Autodiff makes every backward loop). Each state that leaves the recurrence must get its gradient from
     * outside as steps of the backward loop summed and added to the carried one, or none at all (a stateful
     * LSTM's cell state); a state whose carried gradient is summed with anything else keeps the recurrence
     * to skipping the steps at its start.
     */
    private java.util.Set<Loop> trimmable() {
        java.util.Set<Loop> out = new java.util.HashSet<>();
        for (Loop loop : skippable) {
            Loops.Block b = sched.loops().values().stream().filter(x -> x.loop() == loop).findFirst().orElseThrow();
            Loops.Block back = sched.loops().values().stream().filter(x -> x.loop().forward() == loop).findFirst().orElse(null);
            boolean ok = true;
            for (Node v : escaping(b)) {
                int i = sourceIndex(loop, v);
                ok &= v.op() instanceof Op.MaskRows || i >= 0 && (back == null || directGradients(back, i) != null);
            }
            if (ok) out.add(loop);
        }
        return out;
    }

    /** False for ops that only move values (they cannot make a value subnormal). */
    private static boolean computes(Node n) {
        return !(n.op() instanceof Op.SliceGrad || n.op() instanceof Op.Slice || n.op() instanceof Op.Concat
                || n.op() instanceof Op.Select || n.op() instanceof Op.MaskRows);
    }

    /** A kernel call's rows: {@code n}, alone or times a batch factor ({@code n * 4}). */
    private static final java.util.regex.Pattern USES_N = java.util.regex.Pattern.compile("\\bn\\b");

    /** Declares the locals a list of kernel calls refers to, and only those. */
    private void declareLocals(MethodSpec.Builder m, String calls) {
        if (calls.contains("(a, ") || calls.contains(" a, ")) m.addStatement("$T a = q.a", dt.array());
        if (calls.contains(" g, ") || calls.contains("(g, ")) m.addStatement("$T g = q.g", dt.array());
        if (calls.contains(" p, ") || calls.contains("(p, ")) m.addStatement("$T p = params", dt.array());
        if (USES_N.matcher(calls).find()) m.addStatement("int n = q.rows");
        if (calls.contains("row0")) m.addStatement("int row0 = q.row0");
    }

    private MethodSpec lossMethod() {
        Kernel k = kernels.get(g.loss());
        Operand o = operand.apply(g.loss());
        MethodSpec.Builder m = method("loss", TypeName.DOUBLE)
                .addJavadoc("This part's share of the batch's loss: the sum of its rows' losses divided by all rows.\n")
                .addParameter(ClassName.get("", "Part"), "q");
        if (g.penalties().isEmpty()) {
            declareLocals(m, k.call(operand).toString());
            return m.addStatement(k.call(operand)).addStatement("return $L[$L]", o.array(), o.offset()).build();
        }
        m.addJavadoc("Plus its share of the activity regularizers' penalties, which Keras adds to the loss.\n");
        CodeBlock.Builder calls = CodeBlock.builder().addStatement(k.call(operand));
        StringBuilder sum = new StringBuilder(o.array() + "[" + o.offset() + "]");
        for (Node p : g.penalties()) {
            Operand po = operand.apply(p);
            Op.ActivityPenalty ap = (Op.ActivityPenalty) p.op();
            String formula = (ap.l1() != 0 ? ap.l1() + "·Σ|y|" : "") + (ap.l1() != 0 && ap.l2() != 0 ? " + " : "") + (ap.l2() != 0 ? ap.l2() + "·Σy²" : "");
            calls.add("// $L, $L: activity_regularizer, ($L) / batch\n", p.layer(), p.span(), formula);
            calls.addStatement(kernels.get(p).call(operand));
            sum.append(" + ").append(po.array()).append("[").append(po.offset()).append("]");
        }
        CodeBlock body = calls.build();
        declareLocals(m, body.toString());
        return m.addCode(body).addStatement("return $L", sum).build();
    }

    private Op.Loss lossOp() {
        return (Op.Loss) g.loss().op();
    }

    /** Rows of a part whose loss counts: mask not 0, target not the ignored class. */
    private MethodSpec countPresent() {
        Op.Loss l = lossOp();
        TensorType pred = g.output().type();
        int c = pred.dim(-1).size(), inner = pred.sampleSize() / c;
        MethodSpec.Builder m = method("countPresent", TypeName.INT).addParameter(ClassName.get("", "Part"), "q")
                .addJavadoc("The time steps of part {@code q} that count in the loss and metrics.\n")
                .addStatement("$T a = q.a", dt.array())
                .addStatement("int count = 0")
                .beginControlFlow("for (int r = 0; r < q.rows * $L; r++)", inner);
        m.addStatement("if ($L) count++", presentTest(l, c, "r"));
        return m.endControlFlow().addStatement("return count").build();
    }

    /** A Java condition: row {@code r} of the loaded batch (in arena {@code a}) counts in the loss. */
    private String presentTest(Op.Loss l, int c, String r) {
        List<String> terms = new ArrayList<>();
        if (l.hasMask()) terms.add("a[" + operand.apply(g.loss().input(2)).offset() + " + " + r + "] != 0");
        if (l.ignoreClass() != null) {
            String t = operand.apply(g.target()).offset();
            terms.add(l.kind().sparseTarget() ? "a[" + t + " + " + r + "] != " + l.ignoreClass()
                    : "!missingRow(a, " + t + " + " + r + " * " + c + ")");
        }
        return terms.isEmpty() ? "true" : String.join(" && ", terms);
    }

    /** A one-hot target row that is all ignore_class (modelc's extension of ignore_class to one-hot targets). */
    private MethodSpec missingRow() {
        int c = g.output().type().dim(-1).size();
        return method("missingRow", TypeName.BOOLEAN).addModifiers(Modifier.STATIC).addParameter(dt.array(), "a").addParameter(int.class, "off")
                .beginControlFlow("for (int j = 0; j < $L; j++)", c)
                .addStatement("if (a[off + j] != $L) return false", lossOp().ignoreClass())
                .endControlFlow()
                .addStatement("return true").build();
    }

    /**
     * A model with batch statistics (BatchNormalization) runs a training step in phases: the
     * forward pass up to each layer's statistics, then (on the calling thread) the parts'
     * statistics merged into the batch's; the loss; the backward pass up to each statistics
     * gradient, then the parts' gradients of the statistics summed. Evaluation and prediction use
     * the moving statistics and run {@code forward}, the phases in a row, on each part alone.
     */
    private Phases phasedSteps(TypeSpec.Builder run) {
        List<List<Node>> fwd = split(sched.forward(), true), bwd = split(sched.backward(), false);
        MethodSpec.Builder forward = method("forward", TypeName.VOID).addJavadoc("The forward pass of one part.\n")
                .addParameter(ClassName.get("", "Part"), "q").addParameter(boolean.class, "dropout");
        for (int k = 0; k < fwd.size(); k++) {
            String name = "forward" + (k + 1);
            run.addMethods(stepMethod(name, "Phase " + (k + 1) + " of the forward pass of one part.", fwd.get(k)));
            forward.addStatement("$L(q, dropout)", name);
            run.addField(FieldSpec.builder(INT_CONSUMER, name + "Task", Modifier.PRIVATE, Modifier.FINAL)
                    .initializer("w -> $L(part(w), dropout)", name).build());
            Node last = fwd.get(k).get(fwd.get(k).size() - 1);
            if (last.op() instanceof Op.BatchMoments) run.addMethod(mergeMoments(last, k + 1));
        }
        run.addMethod(forward.build());
        for (int k = 0; k < bwd.size(); k++) {
            String name = "backward" + (k + 1);
            run.addMethods(stepMethod(name, "Phase " + (k + 1) + " of the backward pass of one part: its gradients into {@code q.g}.", bwd.get(k)));
            run.addField(FieldSpec.builder(INT_CONSUMER, name + "Task", Modifier.PRIVATE, Modifier.FINAL)
                    .initializer("w -> $L(part(w), dropout)", name).build());
            Node first = bwd.get(k).get(0);
            if (first.op() instanceof Op.BatchMomentsGrad) run.addMethod(sumMomentGradients(first, k + 1));
        }
        run.addField(FieldSpec.builder(INT_CONSUMER, "forwardTask", Modifier.PRIVATE, Modifier.FINAL)
                .initializer("w -> forward(part(w), dropout)").build());
        run.addField(FieldSpec.builder(INT_CONSUMER, "lossTask", Modifier.PRIVATE, Modifier.FINAL)
                .initializer("w -> part(w).loss = loss(part(w))").build());
        run.addMethod(method("part", ClassName.get("", "Part")).addParameter(int.class, "w")
                .addJavadoc("Part {@code w} (the tasks above are made before the constructor fills {@code parts}).\n")
                .addStatement("return parts[w]").build());
        run.addMethod(method("run", TypeName.VOID).addJavadoc("Runs {@code task} on every used part.\n").addParameter(INT_CONSUMER, "task")
                .addStatement("if (used == 1) task.accept(0)").addStatement("else workers.run(used, task)").build());
        return new Phases(fwd, bwd);
    }

    /** The forward pass cut after each BatchMoments, the backward pass before each BatchMomentsGrad. */
    private record Phases(List<List<Node>> forward, List<List<Node>> backward) {}

    /** The phases of {@link #phasedSteps}'s runParts. */
    private void phasedRunParts(MethodSpec.Builder m, Phases phases) {
        List<List<Node>> fwd = phases.forward(), bwd = phases.backward();
        m.beginControlFlow("if (backprop)");
        for (int k = 0; k < fwd.size(); k++) {
            m.addStatement("run(forward$LTask)", k + 1);
            Node last = fwd.get(k).get(fwd.get(k).size() - 1);
            if (last.op() instanceof Op.BatchMoments) m.addStatement("moments$L()", k + 1);
        }
        m.nextControlFlow("else").addStatement("run(forwardTask)").endControlFlow();
        if (lossOp().masked()) {
            m.addStatement("present = 0").addStatement("for (int w = 0; w < used; w++) present += countPresent(parts[w])");
        }
        m.addStatement("run(lossTask)");
        m.beginControlFlow("if (backprop)");
        for (int k = 0; k < bwd.size(); k++) {
            Node first = bwd.get(k).get(0);
            if (first.op() instanceof Op.BatchMomentsGrad) m.addStatement("momentGradients$L()", k + 1);
            m.addStatement("run(backward$LTask)", k + 1);
        }
        m.endControlFlow();
    }

    /** The schedule cut after each BatchMoments ({@code after}) or before each BatchMomentsGrad. */
    private static List<List<Node>> split(List<Node> nodes, boolean after) {
        List<List<Node>> out = new ArrayList<>();
        List<Node> cur = new ArrayList<>();
        for (Node n : nodes) {
            if (!after && n.op() instanceof Op.BatchMomentsGrad && !cur.isEmpty()) {
                out.add(cur);
                cur = new ArrayList<>();
            }
            cur.add(n);
            if (after && n.op() instanceof Op.BatchMoments) {
                out.add(cur);
                cur = new ArrayList<>();
            }
        }
        if (!cur.isEmpty()) out.add(cur);
        return out;
    }

    /**
     * The batch's mean and biased variance from each part's (Chan, Golub and LeVeque's pairwise
     * merge, in double, in part order), written back to every part; in a training step, the moving
     * statistics' move.
     */
    private MethodSpec mergeMoments(Node n, int phase) {
        Op.BatchMoments op = (Op.BatchMoments) n.op();
        TensorType x = n.input(0).type();
        int c = x.dim(-1).size(), inner = x.elementsPerSample() / c;
        String off = operand.apply(n).offset();
        Operand mm = operand.apply(n.input(1)), mv = operand.apply(n.input(2));
        String t = dt.type().toString();
        MethodSpec.Builder m = method("moments" + phase, TypeName.VOID)
                .addJavadoc("The batch statistics of $L ($L): the parts' merged, and the moving ones moved in a training step.\n", n.layer(), n.span());
        m.beginControlFlow("for (int j = 0; j < $L; j++)", c);
        if (op.masked()) {
            mergeMaskedParts(m, off, c, t);
        } else {
            m.beginControlFlow("if (used > 1)");
            m.addStatement("double count = 0, mean = 0, m2 = 0");
            m.beginControlFlow("for (int w = 0; w < used; w++)");
            m.addStatement("double rows = parts[w].rows * $L, delta = parts[w].a[$L + j] - mean, all = count + rows", inner, off);
            m.addStatement("mean += delta * (rows / all)");
            m.addStatement("m2 += parts[w].a[$L + $L + j] * rows + delta * delta * (count * rows / all)", off, c);
            m.addStatement("count = all");
            m.endControlFlow();
            m.beginControlFlow("for (int w = 0; w < used; w++)");
            m.addStatement("parts[w].a[$L + j] = ($L) mean", off, t);
            m.addStatement("parts[w].a[$L + $L + j] = ($L) (m2 / count)", off, c, t);
            m.endControlFlow();
            m.endControlFlow();
        }
        if (op.groups() == 1 && op.renorm() == null) {
            m.beginControlFlow("if (updateStats)");
            m.addStatement("params[$L + j] = ($L) (params[$L + j] * $L + parts[0].a[$L + j] * (1 - $L))", mm.offset(), t, mm.offset(), op.momentum(), off, op.momentum());
            m.addStatement("params[$L + j] = ($L) (params[$L + j] * $L + parts[0].a[$L + $L + j] * (1 - $L))", mv.offset(), t, mv.offset(), op.momentum(), off, c, op.momentum());
            m.endControlFlow();
        }
        m.endControlFlow();
        if (op.renorm() != null) {
            renormCorrections(m, n, op, c, off, t);
        } else if (op.groups() > 1) {
            // Per-step statistics (TimeDistributed): Keras moves the moving statistics once per step, in step order.
            int per = c / op.groups();
            m.beginControlFlow("if (updateStats)");
            m.beginControlFlow("for (int k = 0; k < $L; k++)", op.groups());
            m.beginControlFlow("for (int j = 0; j < $L; j++)", per);
            m.addStatement("params[$L + j] = ($L) (params[$L + j] * $L + parts[0].a[$L + k * $L + j] * (1 - $L))", mm.offset(), t, mm.offset(),
                    op.momentum(), off, per, op.momentum());
            m.addStatement("params[$L + j] = ($L) (params[$L + j] * $L + parts[0].a[$L + $L + k * $L + j] * (1 - $L))", mv.offset(), t, mv.offset(),
                    op.momentum(), off, c, per, op.momentum());
            m.endControlFlow();
            m.endControlFlow();
            m.endControlFlow();
        }
        return m.build();
    }

    /**
     * Batch renormalization (see {@link Op.Renorm}): each channel's r and d from the merged moments
     * and the renorm statistics before this batch's move, written to every part; then, in a
     * training step, the moves. With groups (TimeDistributed), Keras's calls run step by step, so
     * step k's r and d see the renorm statistics the steps before it moved (also in a grad step,
     * where nothing is kept).
     */
    private void renormCorrections(MethodSpec.Builder m, Node n, Op.BatchMoments op, int c, String off, String t) {
        Op.Renorm rn = op.renorm();
        int groups = op.groups(), per = c / groups, in = op.renormInput(), row = op.renormRow();
        String mm = operand.apply(n.input(1)).offset(), mv = operand.apply(n.input(2)).offset();
        String ms = operand.apply(n.input(in)).offset(), rm = operand.apply(n.input(in + 1)).offset(), rs = operand.apply(n.input(in + 2)).offset();
        String eps = Double.toString(rn.epsilon()), floor = Double.toString(Math.sqrt(rn.epsilon()));
        m.addComment("Batch renormalization: r = std / s, d = (mean - renorm_mean) / s, s = max(renorm_stddev, sqrt(epsilon)), then the moves");
        m.beginControlFlow("for (int j = 0; j < $L; j++)", per);
        m.addStatement("double renormMean = params[$L + j], renormStd = params[$L + j], movingMean = params[$L + j], movingStd = params[$L + j]", rm, rs, mm, ms);
        String k = groups == 1 ? "j" : "k * " + per + " + j";
        if (groups > 1) {
            m.addComment("Step by step, as Keras's calls: step k's r and d before its moves (kept only in a training step)");
            m.beginControlFlow("for (int k = 0; k < $L; k++)", groups);
        }
        m.addStatement("double mean = parts[0].a[$L + $L], std = Math.sqrt(parts[0].a[$L + $L + $L] + $L), s = Math.max(renormStd, $L)",
                off, k, off, c, k, eps, floor);
        String r = "std / s", d = "(mean - renormMean) / s";
        if (rn.rmin() > 0) r = "Math.max(" + r + ", " + rn.rmin() + ")";
        if (Double.isFinite(rn.rmax())) r = "Math.min(" + r + ", " + rn.rmax() + ")";
        if (Double.isFinite(rn.dmax())) d = "Math.min(Math.max(" + d + ", " + (-rn.dmax()) + "), " + rn.dmax() + ")";
        m.addStatement("double r = $L, d = $L", r, d);
        m.beginControlFlow("for (int w = 0; w < used; w++)");
        m.addStatement("parts[w].a[$L + $L + $L] = ($L) r", off, row * c, k, t);
        m.addStatement("parts[w].a[$L + $L + $L] = ($L) d", off, (row + 1) * c, k, t);
        m.endControlFlow();
        m.addStatement("renormMean = renormMean * $L + mean * (1 - $L)", rn.momentum(), rn.momentum());
        m.addStatement("renormStd = renormStd * $L + std * (1 - $L)", rn.momentum(), rn.momentum());
        m.addStatement("movingMean = movingMean * $L + mean * (1 - $L)", op.momentum(), op.momentum());
        m.addStatement("movingStd = movingStd * $L + std * (1 - $L)", op.momentum(), op.momentum());
        if (groups > 1) m.endControlFlow();
        m.beginControlFlow("if (updateStats)");
        m.addStatement("params[$L + j] = ($L) renormMean", rm, t);
        m.addStatement("params[$L + j] = ($L) renormStd", rs, t);
        m.addStatement("params[$L + j] = ($L) movingMean", mm, t);
        m.addStatement("params[$L + j] = ($L) movingStd", ms, t);
        m.addComment("Keras derives moving_variance from moving_stddev, at least 0");
        m.addStatement("params[$L + j] = ($L) Math.max(movingStd * movingStd - $L, 0)", mv, t, eps);
        m.endControlFlow();
        m.endControlFlow();
    }

    /**
     * Masked moments (each part's weighted mean, variance and weight Σ w): merged as the unmasked
     * parts are, with Σ w for the rows and a part without weight left out, then made Keras's
     * {@code mean = Σ w·x / D} and {@code var = Σ w·(x − mean)² / D} with D = Σ w + ε, written with
     * D to every part (a single part too).
     */
    private static void mergeMaskedParts(MethodSpec.Builder m, String off, int c, String t) {
        m.addStatement("double count = 0, mean = 0, m2 = 0");
        m.beginControlFlow("for (int w = 0; w < used; w++)");
        m.addStatement("double rows = parts[w].a[$L + $L + j]", off, 2 * c);
        m.addStatement("if (rows == 0) continue");
        m.addStatement("double delta = parts[w].a[$L + j] - mean, all = count + rows", off);
        m.addStatement("mean += delta * (rows / all)");
        m.addStatement("m2 += parts[w].a[$L + $L + j] * rows + delta * delta * (count * rows / all)", off, c);
        m.addStatement("count = all");
        m.endControlFlow();
        m.addStatement("double d = count + $L, kerasMean = mean * count / d", Op.BatchMoments.MASK_EPSILON);
        m.addStatement("double var = (m2 + count * (mean - kerasMean) * (mean - kerasMean)) / d");
        m.beginControlFlow("for (int w = 0; w < used; w++)");
        m.addStatement("parts[w].a[$L + j] = ($L) kerasMean", off, t);
        m.addStatement("parts[w].a[$L + $L + j] = ($L) var", off, c, t);
        m.addStatement("parts[w].a[$L + $L + j] = ($L) d", off, 2 * c, t);
        m.endControlFlow();
    }

    /** The batch's gradient of the statistics of a BatchNormalization: the parts' sums, in part order, written back to every part. */
    private MethodSpec sumMomentGradients(Node n, int phase) {
        int size = n.input(2).type().sampleSize();
        String off = operand.apply(n.input(2)).offset();
        String t = dt.type().toString();
        MethodSpec.Builder m = method("momentGradients" + phase, TypeName.VOID)
                .addJavadoc("The gradient of the batch statistics of $L ($L): the parts' summed.\n", n.layer(), n.span());
        m.beginControlFlow("for (int i = 0; i < $L && used > 1; i++)", size);
        m.addStatement("$L s = parts[0].a[$L + i]", t, off);
        m.addStatement("for (int w = 1; w < used; w++) s += parts[w].a[$L + i]", off);
        m.addStatement("for (int w = 0; w < used; w++) parts[w].a[$L + i] = s", off);
        m.endControlFlow();
        return m.build();
    }

    private MethodSpec passMethod() {
        return method("pass", TypeName.VOID).addJavadoc("Forward, loss and (if {@code backprop}) backward for part {@code w}.\n")
                .addParameter(int.class, "w")
                .addStatement("Part q = parts[w]")
                .addStatement("forward(q, dropout)")
                .addStatement("q.loss = loss(q)")
                .addStatement("if (backprop) backward(q, dropout)").build();
    }

    private MethodSpec reduceMethod() {
        MethodSpec.Builder m = method("reduce", TypeName.VOID)
                .addJavadoc("Sums the parts' gradients into part 0's, in part order$L (single-threaded; used by gradStep).\n",
                        regularized().isEmpty() ? "" : ", and adds the penalties' gradients")
                .beginControlFlow("for (int w = 1; w < used; w++)")
                .addStatement("$T.add(parts[0].g, parts[w].g, 0, TRAINABLE_SIZE)", OPTIMIZERS)
                .endControlFlow();
        if (!regularized().isEmpty()) m.addStatement("regularize(parts[0].g, 0, TRAINABLE_SIZE)");
        return m.build();
    }

    /** The trainable weights with a regularizer, in parameter order. */
    private List<Node> regularized() {
        return trainableWith(p -> p.regularizer() != null);
    }

    /** The trainable weights whose info passes {@code test}, in parameter order. */
    private List<Node> trainableWith(java.util.function.Predicate<ParamInfo> test) {
        return g.params().values().stream().filter(n -> {
            ParamInfo p = ((Op.Param) n.op()).info();
            return p.trainable() && test.test(p);
        }).toList();
    }

    /** Σ of the weights' penalties, in parameter order: added once to a step's loss. */
    private MethodSpec penaltyMethod() {
        MethodSpec.Builder m = method("penalty", TypeName.DOUBLE)
                .addJavadoc("The weight regularizers' penalty l1·Σ|w| + l2·Σw² at the current weights (Keras adds it to the loss).\n")
                .addStatement("double s = 0");
        for (Node n : regularized()) {
            ParamInfo p = ((Op.Param) n.op()).info();
            m.addCode("// $L: $L, $L\n", p.key(), p.regularizer(), n.span());
            m.addStatement("s += $T.value(params, $L, $L, $L, $L)", PENALTIES, paramConsts.get(p.key()), p.size(),
                    p.regularizer().l1(), p.regularizer().l2());
        }
        return m.addStatement("return s").build();
    }

    /** Adds the penalties' gradients to summed gradients, over a slice of them. */
    private MethodSpec regularizeMethod() {
        MethodSpec.Builder m = method("regularize", TypeName.VOID)
                .addJavadoc("Adds l1·sign(w) + 2·l2·w to the summed gradients {@code g} in {@code [from, to)}: once per step.\n")
                .addParameter(dt.array(), "g").addParameter(int.class, "from").addParameter(int.class, "to");
        for (Node n : regularized()) {
            ParamInfo p = ((Op.Param) n.op()).info();
            String c = paramConsts.get(p.key());
            m.addCode("// $L: $L\n", p.key(), p.regularizer());
            m.addStatement("$T.addGradient(g, params, Math.max(from, $L), Math.min(to, $L + $L), $L, $L)", PENALTIES, c, c, p.size(),
                    p.regularizer().l1(), p.regularizer().l2());
        }
        return m.build();
    }

    private MethodSpec updateMethod() {
        OptimizerConfig o = model.training().optimizer();
        MethodSpec.Builder m = method("update", TypeName.VOID)
                .addJavadoc("Sums the parts' gradients and takes one $L step, in slices across the threads.\n", o.kind());
        boolean clip = o.clipnorm() > 0 || o.globalClipnorm() > 0;
        if (clip) {
            m.addStatement("reduce()");
            m.addStatement("clipScales()");
        }
        m.addStatement("lr = learningRate()");
        m.addStatement("this.reduced = $L", clip);
        m.addStatement("if (used == 1) updateSlice(0)");
        m.addStatement("else workers.run(used, updateTask)");
        for (Node n : constrained()) {
            ParamInfo p = ((Op.Param) n.op()).info();
            Constraint c = p.constraint();
            String w = Idents.constant(p.key());
            m.addCode("// $L: $L, $L\n", p.key(), c.text(), n.span());
            if (c.kind() == Constraint.Kind.NON_NEG) {
                m.addStatement("$T.nonNeg(params, $L, $L)", CONSTRAINTS, paramConsts.get(p.key()), p.size());
            } else {
                m.addStatement("$T.norm($T.$L, params, $L, $L_DIMS, $L_NORM_AXES, $L, $L, $L, constraintNorms)", CONSTRAINTS, CONSTRAINTS,
                        c.kind().name(), paramConsts.get(p.key()), w, w, c.minValue(), c.maxValue(), c.rate());
            }
        }
        m.addStatement("iterations++");
        return m.build();
    }

    /** The trainable weights with a constraint ({@code kernel_constraint=...}), in parameter order. */
    private List<Node> constrained() {
        return trainableWith(p -> p.constraint() != null);
    }

    /**
     * The shapes and norm axes of the weights with a norm constraint, and the scratch for their norms: Keras's
     * constraints run on each whole weight after the update, once per step.
     */
    private void constraintFields(TypeSpec.Builder run) {
        int most = 0;
        for (Node n : constrained()) {
            ParamInfo p = ((Op.Param) n.op()).info();
            if (p.constraint().kind() == Constraint.Kind.NON_NEG) continue;
            String w = Idents.constant(p.key());
            String dims = p.shape().stream().map(String::valueOf).collect(java.util.stream.Collectors.joining(", "));
            String axes = p.constraint().axes().stream().map(String::valueOf).collect(java.util.stream.Collectors.joining(", "));
            run.addField(FieldSpec.builder(int[].class, w + "_DIMS", Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
                    .initializer("{$L}", dims).build());
            run.addField(FieldSpec.builder(int[].class, w + "_NORM_AXES", Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
                    .initializer("{$L}", axes).build());
            int norms = p.size();
            for (int a : p.constraint().axes()) norms /= p.shape().get(a);
            most = Math.max(most, norms);
        }
        if (most > 0) {
            run.addField(FieldSpec.builder(double[].class, "constraintNorms", Modifier.PRIVATE, Modifier.FINAL)
                    .addJavadoc("Scratch for the norms of a constrained weight.\n").initializer("new double[$L]", most).build());
        }
    }

    /** Reduction and optimizer step over one slice of the trainable weights. */
    private MethodSpec updateSlice() {
        OptimizerConfig o = model.training().optimizer();
        MethodSpec.Builder m = method("updateSlice", TypeName.VOID).addParameter(int.class, "w")
                .addJavadoc("Slice {@code w} of the trainable weights: sum the parts' gradients (unless already done), then step.\n")
                .addStatement("int chunk = (TRAINABLE_SIZE / used + 63) & ~63")
                .addStatement("int from = Math.min(TRAINABLE_SIZE, w * chunk), to = w == used - 1 ? TRAINABLE_SIZE : Math.min(TRAINABLE_SIZE, from + chunk)")
                .addStatement("$T g = parts[0].g", dt.array())
                .beginControlFlow("if (!reduced)")
                .addStatement("for (int k = 1; k < used; k++) $T.add(g, parts[k].g, from, to)", OPTIMIZERS);
        if (!regularized().isEmpty()) m.addStatement("regularize(g, from, to)");
        m.endControlFlow();
        String scale = o.clipnorm() > 0 ? "scales[i]" : o.globalClipnorm() > 0 ? "scales[0]" : "1.0";
        m.beginControlFlow("for (int i = 0; i < WEIGHT_OFFSETS.length; i++)")
                .addStatement("step(g, Math.max(from, WEIGHT_OFFSETS[i]), Math.min(to, WEIGHT_OFFSETS[i] + WEIGHT_SIZES[i]), $L)", scale)
                .endControlFlow();
        return m.build();
    }

    private MethodSpec stepHelper() {
        return method("step", TypeName.VOID).addJavadoc("The optimizer on weights {@code [from, to)}, if that range is not empty.\n")
                .addParameter(dt.array(), "g").addParameter(int.class, "from").addParameter(int.class, "to").addParameter(double.class, "scale")
                .addStatement("if (from < to) $T.step(SPEC.optimizer(), lr, params, g, slots, from, to - from, iterations, scale)", OPTIMIZERS)
                .build();
    }

    /** Keras's clipnorm (per weight) or global_clipnorm (over all) as factors on the summed gradients. */
    private MethodSpec clipScales() {
        OptimizerConfig o = model.training().optimizer();
        MethodSpec.Builder m = method("clipScales", TypeName.VOID).addStatement("$T g = parts[0].g", dt.array());
        if (o.globalClipnorm() > 0) {
            m.addStatement("scales[0] = $T.clipScale(Math.sqrt($T.sumSquares(g, 0, TRAINABLE_SIZE)), $L)", OPTIMIZERS, OPTIMIZERS, o.globalClipnorm());
        } else {
            m.beginControlFlow("for (int i = 0; i < WEIGHT_OFFSETS.length; i++)")
                    .addStatement("scales[i] = $T.clipScale(Math.sqrt($T.sumSquares(g, WEIGHT_OFFSETS[i], WEIGHT_SIZES[i])), $L)",
                            OPTIMIZERS, OPTIMIZERS, o.clipnorm())
                    .endControlFlow();
        }
        return m.build();
    }

    private MethodSpec metrics() {
        MethodSpec.Builder m = override("addMetricSums", TypeName.VOID).addParameter(int.class, "n").addParameter(double[].class, "sums");
        TensorType out = g.output().type();
        int c = out.dim(-1).size();
        int inner = out.sampleSize() / c;
        List<ModelSpec.MetricSpec> ms = model.metrics();
        if (ms.isEmpty()) return m.build();
        Operand p = operand.apply(g.output()), t = operand.apply(g.target());
        m.beginControlFlow("for (int w = 0; w < used; w++)");
        m.addStatement("$T a = parts[w].a", dt.array());
        m.addStatement("int rows = parts[w].rows * $L", inner);
        m.beginControlFlow("for (int r = 0; r < rows; r++)");
        boolean masked = lossOp().masked();
        // A masked model's metrics are means over the present steps (metricWeight), as Keras 3 weights them by the mask.
        if (masked) m.addStatement("if (!($L)) continue", presentTest(lossOp(), c, "r"));
        int per = masked ? 1 : inner;
        m.addStatement("int pr = $L + r * $L", p.offset(), c);
        for (int i = 0; i < ms.size(); i++) {
            String kind = ms.get(i).kind();
            switch (kind) {
                case "sparse_categorical_accuracy" ->
                        m.addStatement("if (argmax(a, pr, $L) == (int) a[$L + r]) sums[$L] += $L", c, t.offset(), i, 1.0 / per);
                case "categorical_accuracy" -> m.addStatement("if (argmax(a, pr, $L) == argmax(a, $L + r * $L, $L)) sums[$L] += $L",
                        c, t.offset(), c, c, i, 1.0 / per);
                case "binary_accuracy" -> {
                    m.beginControlFlow("for (int j = 0; j < $L; j++)", c);
                    m.addStatement("if ((a[pr + j] > 0.5 ? 1 : 0) == a[$L + r * $L + j]) sums[$L] += $L", t.offset(), c, i, 1.0 / (c * per));
                    m.endControlFlow();
                }
                case "mean_squared_error", "mean_absolute_error" -> {
                    m.beginControlFlow("for (int j = 0; j < $L; j++)", c);
                    m.addStatement("double d = a[pr + j] - a[$L + r * $L + j]", t.offset(), c);
                    m.addStatement("sums[$L] += $L / $L", i, kind.equals("mean_squared_error") ? "d * d" : "Math.abs(d)", c * per);
                    m.endControlFlow();
                }
                default -> throw new IllegalStateException("metric " + kind);
            }
        }
        m.endControlFlow();
        m.endControlFlow();
        return m.build();
    }

    private MethodSpec output() {
        Operand o = operand.apply(g.output());
        int per = g.output().type().sampleSize();
        StringBuilder shape = new StringBuilder("n");
        for (int d : g.output().type().sampleShape()) shape.append(", ").append(d);
        return override("output", TENSOR).addParameter(int.class, "n")
                .addStatement("checkLoaded(n)")
                .addStatement("$T out = new $T[n * $L]", dt.array(), dt.type(), per)
                .beginControlFlow("for (int w = 0; w < used; w++)")
                .addStatement("System.arraycopy(parts[w].a, $L, out, parts[w].row0 * $L, parts[w].rows * $L)", o.offset(), per, per)
                .endControlFlow()
                .addStatement("return $T.of(out, $L)", TENSOR, shape).build();
    }

    private MethodSpec gradients() {
        MethodSpec.Builder m = override("gradients", TENSOR_MAP)
                .addStatement("$T g = parts[0].g", dt.array())
                .addStatement("$T<String, $T> out = new $T<>()", Map.class, TENSOR, LinkedHashMap.class);
        for (ParamInfo p : g.paramInfos()) {
            if (!p.trainable()) continue;
            String c = paramConsts.get(p.key());
            m.addStatement("out.put($S, $T.of($T.copyOfRange(g, $L, $L + $L), $L))", "grad." + p.key(), TENSOR, Arrays.class,
                    c, c, p.size(), dims(p.shapeArray()));
        }
        return m.addStatement("return out").build();
    }

    private MethodSpec optimizerState() {
        MethodSpec.Builder m = override("optimizerState", TENSOR_MAP)
                .addStatement("$T<String, $T> out = new $T<>()", Map.class, TENSOR, LinkedHashMap.class)
                .addStatement("out.put($S, $T.of(new long[] {iterations}))", "optimizer.iterations", TENSOR);
        String[] names = model.training().optimizer().slotNames();
        for (int s = 0; s < names.length; s++) {
            for (ParamInfo p : g.paramInfos()) {
                if (!p.trainable()) continue;
                String c = paramConsts.get(p.key());
                m.addStatement("out.put($S, $T.of($T.copyOfRange(slots[$L], $L, $L + $L), $L))", "optimizer." + names[s] + "." + p.key(),
                        TENSOR, Arrays.class, s, c, c, p.size(), dims(p.shapeArray()));
            }
        }
        return m.addStatement("return out").build();
    }

    private MethodSpec setOptimizerState() {
        MethodSpec.Builder m = override("setOptimizerState", TypeName.VOID).addParameter(TENSOR_MAP, "state")
                .addStatement("iterations = $T.require(state, $S, 1).getInt(0)", OPTIMIZERS, "optimizer.iterations");
        String[] names = model.training().optimizer().slotNames();
        for (int s = 0; s < names.length; s++) {
            for (ParamInfo p : g.paramInfos()) {
                if (!p.trainable()) continue;
                m.addStatement("System.arraycopy($T.require(state, $S, $L).$L(), 0, slots[$L], $L, $L)", OPTIMIZERS,
                        "optimizer." + names[s] + "." + p.key(), p.size(), dt == Dtype.F32 ? "toFloatArray" : "toDoubleArray", s,
                        paramConsts.get(p.key()), p.size());
            }
        }
        return m.build();
    }

    static String dims(int[] shape) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < shape.length; i++) sb.append(i > 0 ? ", " : "").append(shape[i]);
        return sb.toString();
    }
}
