package modelc.compiler.codegen;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.JavaFile;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.ParameterizedTypeName;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import javax.lang.model.element.Modifier;
import modelc.compiler.ir.Graph;
import modelc.compiler.ir.Node;
import modelc.compiler.ir.Op;
import modelc.compiler.ir.ParamInfo;
import modelc.compiler.ir.TensorType;
import modelc.compiler.lower.Fusion;
import modelc.compiler.lower.Loops;
import modelc.compiler.lower.MemoryPlan;
import modelc.compiler.lower.Schedule;
import modelc.compiler.lower.Storage;
import modelc.compiler.resolve.ModelIR;
import modelc.runtime.train.ModelSpec;
import modelc.runtime.train.CallbackSpec;
import modelc.runtime.train.LearningRateSchedule;
import modelc.runtime.train.OptimizerConfig;

/**
 * Writes a model's Java source with JavaPoet: the parameter layout, the {@code ModelSpec}, a
 * {@code Session} subclass that holds the arena laid out by the memory plan and runs the forward,
 * backward and optimizer steps, and one static kernel method per distinct IR node: nodes whose kernels
 * come out as the same code (both directions of a Bidirectional, branches of equal shapes, a dropout's
 * forward and backward) call one method.
 */
public final class ModelEmitter {
    private static final String RT = "modelc.runtime";
    private static final ClassName TENSOR = ClassName.get(RT, "Tensor");
    private static final ClassName DATASET = ClassName.get(RT + ".data", "Dataset");
    private static final ClassName COMPILED = ClassName.get(RT + ".train", "CompiledModel");
    private static final ClassName SESSION = ClassName.get(RT + ".train", "Session");
    private static final ClassName SPEC = ClassName.get(RT + ".train", "ModelSpec");
    private static final ClassName OPT = ClassName.get(RT + ".train", "OptimizerConfig");
    private static final ClassName LRS = ClassName.get(RT + ".train", "LearningRateSchedule");
    private static final ClassName CALLBACK = ClassName.get(RT + ".train", "CallbackSpec");
    private static final ClassName OPTIMIZERS = ClassName.get(RT + ".train", "Optimizers");
    private static final ClassName WEIGHTS = ClassName.get(RT + ".train", "Weights");
    private static final ClassName BATCHES = ClassName.get(RT + ".train", "Batches");
    private static final TypeName TENSOR_MAP = ParameterizedTypeName.get(ClassName.get(Map.class), ClassName.get(String.class), TENSOR);

    private final ModelIR model;
    private final Dtype dt;
    private final Simd simd;
    private final String pkg;
    private final String className;
    private final Schedule sched;
    private final MemoryPlan plan;
    private final Fusion fusion;
    private final Map<Node, String> offsetFields = new LinkedHashMap<>();
    private final Map<String, String> paramConsts = new LinkedHashMap<>();

    public ModelEmitter(ModelIR model, Schedule sched, Fusion fusion, MemoryPlan plan, Dtype dt, Target target, String pkg, String className) {
        this.model = model;
        this.fusion = fusion;
        this.sched = sched;
        this.plan = plan;
        this.dt = dt;
        this.simd = new Simd(dt, target);
        this.pkg = pkg;
        this.className = className;
    }

    public JavaFile emit() {
        Graph g = model.graph();
        Idents ids = new Idents();
        for (ParamInfo p : g.paramInfos()) paramConsts.put(p.key(), "P_" + Idents.constant(p.key()));
        // Offsets of arena values, named after the value's layer and op.
        for (Node n : sched.training()) {
            if (plan.has(n) && plan.of(n) instanceof Storage.Arena) offsetFields.put(n, "o" + Idents.className(ids.unique(valueName(n))));
        }
        KernelEmitter ke = new KernelEmitter(dt, simd);
        Idents methodIds = new Idents();
        // Kernels must not shadow the session's own methods.
        for (String r : List.of("capacity", "load", "forward", "backward", "loss", "update", "trainStep", "gradStep", "evalStep",
                "predictStep", "addMetricSums", "output", "gradients", "iterations", "setSeed", "optimizerState", "setOptimizerState", "argmax")) {
            methodIds.unique(r);
        }
        // Each node's kernel, then one method per distinct kernel: the nodes whose kernels are the same code call one method.
        Map<Node, Kernel> own = new LinkedHashMap<>();
        Map<Node, String> names = new LinkedHashMap<>(), ops = new LinkedHashMap<>(), docs = new LinkedHashMap<>();
        FusedKernel fk = new FusedKernel(dt, simd);
        for (Node n : sched.training()) {
            if (!plan.has(n) || fusion.storedByGroup(n)) continue;
            Fusion.Group gr = fusion.groupOf(n);
            Kernel k;
            String name = gr != null ? fusedName(gr) : valueName(n), doc = gr != null ? fusedDoc(gr) : javadoc(n);
            if (gr != null) {
                // A step of a backward loop keeps subnormal values out of what it stores.
                Loops.Block block = n.loop() == null ? null : sched.loops().get(n.loop());
                boolean flush = block != null && n.loop().forward() != null && block.step().contains(n)
                        && plan.of(n) instanceof Storage.Arena && n.type().isBatched();
                k = fk.emit(gr, Idents.sanitize(name), doc, flush);
            } else {
                k = ke.emit(n, Idents.sanitize(name), doc);
            }
            if (k != null) {
                simd.checkScalar(name, k.method().code().toString());
                own.put(n, k);
                names.put(n, name);
                ops.put(n, gr != null ? fusedOps(gr) : opName(n));
                docs.put(n, doc);
            }
        }
        Map<Node, MethodSpec> shared = new LinkedHashMap<>();
        List<MethodSpec> kernelMethods = new ArrayList<>();
        for (List<Node> same : SameCode.groups(List.copyOf(own.keySet()), x -> own.get(x).method())) {
            MethodSpec first = own.get(same.get(0)).method();
            String doc = same.size() == 1 ? docs.get(same.get(0)) : sharedDoc(same, docs);
            if (first.parameters().stream().anyMatch(p -> p.name().equals("stream"))) doc += STREAM_DOC;
            doc += shiftDoc(first, same.stream().map(own::get).toList());
            MethodSpec m = SameCode.renamed(first, methodIds.unique(sharedName(same, names, ops)), CodeBlock.of("$L", doc));
            kernelMethods.add(m);
            for (Node n : same) shared.put(n, m);
        }
        Map<Node, Kernel> kernels = new LinkedHashMap<>();
        own.forEach((n, k) -> kernels.put(n, k.calling(shared.get(n))));
        String allCode = kernelMethods.stream().map(MethodSpec::toString).collect(Collectors.joining());

        TypeSpec.Builder cls = TypeSpec.classBuilder(className)
                .addModifiers(Modifier.PUBLIC, Modifier.FINAL)
                .superclass(COMPILED)
                .addJavadoc(classDoc(allCode));
        addParamConstants(cls);
        cls.addField(FieldSpec.builder(SPEC, "SPEC", Modifier.PUBLIC, Modifier.STATIC, Modifier.FINAL)
                .addJavadoc("What this model tells the runtime: inputs, output, weights, loss, metrics, optimizer, fit defaults.\n")
                .initializer(specInit()).build());
        FieldSpec species = simd.species();
        if (species != null) cls.addField(species);
        cls.addField(FieldSpec.builder(dt.array(), "params", Modifier.PRIVATE, Modifier.FINAL)
                .addJavadoc("Every weight, at the offsets above, in Keras's layouts.\n")
                .initializer("new $T[PARAM_SIZE]", dt.type()).build());
        cls.addMethod(MethodSpec.constructorBuilder().addModifiers(Modifier.PUBLIC).addStatement("super(SPEC)").build());
        cls.addMethod(override("initialize", TypeName.VOID).addParameter(long.class, "seed")
                .addStatement("$T.initialize(SPEC.params(), seed, params)", WEIGHTS).build());
        cls.addMethod(override("weights", TENSOR_MAP).addStatement("return $T.export(SPEC.params(), params)", WEIGHTS).build());
        cls.addMethod(override("setWeights", TypeName.VOID).addParameter(TENSOR_MAP, "weights")
                .addStatement("$T.load(SPEC.params(), weights, params)", WEIGHTS).build());
        cls.addMethod(override("newSession", SESSION).addParameter(int.class, "capacity").addParameter(int.class, "threads")
                .addStatement("return new Run(capacity, threads, false)").build());
        MemoryPlan inference = MemoryPlan.inference(g, sched.forward(), fusion, sched.loops(), plan);
        cls.addMethod(override("newInferenceSession", SESSION).addParameter(int.class, "capacity")
                .addStatement("return new Run(capacity, 1, true)").build());
        cls.addMethod(override("inferenceValuesPerSample", TypeName.INT).addStatement("return $L", inference.perSampleSize()).build());
        if (g.fixedBatch() > 0) cls.addMethod(override("fixedBatchSize", TypeName.INT).addStatement("return $L", g.fixedBatch()).build());
        if (!g.stateIns().isEmpty()) cls.addMethod(override("stateful", TypeName.BOOLEAN).addStatement("return true").build());
        cls.addType(new SessionEmitter(model, dt, plan, inference, sched, this::operand, paramConsts, offsetFields, kernels).emit());
        Op.Loss loss = (Op.Loss) g.loss().op();
        boolean argmaxOfTargets = loss.classWeighted() && !loss.kind().sparseTarget() && g.output().type().dim(-1).size() > 1;
        if (argmaxOfTargets || model.metrics().stream().anyMatch(m -> m.kind().endsWith("categorical_accuracy"))) cls.addMethod(argmax());
        cls.addMethods(kernelMethods);
        return JavaFile.builder(pkg, cls.build())
                .addFileComment("Generated by modelc from $L ($L). Do not edit: change the .model file and regenerate.",
                        model.sourceFile(), dt.flag + (simd.vectorized() ? "" : ", target scalar"))
                .skipJavaLangImports(true)
                .indent("    ")
                .build();
    }

    private static MethodSpec.Builder override(String name, TypeName ret) {
        return MethodSpec.methodBuilder(name).addAnnotation(Override.class).addModifiers(Modifier.PUBLIC).returns(ret);
    }

    /** A readable name for a value: its layer and op, such as {@code dense_1_relu} or {@code loss}. */
    private static String valueName(Node n) {
        String op = opName(n);
        return n.layer().isEmpty() ? op : n.layer() + "_" + op;
    }

    /** The op part of {@link #valueName}, such as {@code relu} or {@code matmul}. */
    private static String opName(Node n) {
        return switch (n.op()) {
            case Op.Input i -> i.inputName();
            case Op.Target t -> "target";
            case Op.Loss l -> l.kind().kerasName;
            case Op.LossGrad l -> l.loss().kind().kerasName + "_grad";
            case Op.Unary u -> u.fn().name().toLowerCase();
            case Op.UnaryGrad u -> u.fn().name().toLowerCase() + "_grad";
            default -> n.op().name();
        };
    }

    /** A fused group's ops without layer names, in the manner of {@link #fusedName}: {@code add_relu}. */
    private static String fusedOps(Fusion.Group gr) {
        List<String> parts = gr.nodes().stream().map(ModelEmitter::opName).toList();
        String all = String.join("_", parts);
        return all.length() <= 60 ? all : parts.getFirst() + "_to_" + parts.getLast();
    }

    /** The javadoc's note on a random kernel's stream parameter. */
    private static final String STREAM_DOC = "{@code stream}: the random stream the calling node's draws come from, given by each call.\n";

    /** The javadoc's note on the operands that calls pass from a slice's start on ({@link Kernel#shifts}), if any. */
    private static String shiftDoc(MethodSpec m, List<Kernel> calls) {
        List<String> shifted = new ArrayList<>();
        for (int i = 0; i < calls.get(0).operands().size(); i++) {
            int at = i;
            if (calls.stream().anyMatch(k -> !k.shifts().isEmpty() && k.shifts().get(at) != 0)) shifted.add(m.parameters().get(2 * i).name());
        }
        if (shifted.isEmpty()) return "";
        String offs = shifted.stream().map(x -> "{@code " + x + "Off}").collect(Collectors.joining(", "));
        return offs + ": the first element sliced (each call adds its slice's start to the operand's offset).\n";
    }

    /**
     * The name of the method of nodes whose kernels are the same code: their own name if they share it (they
     * belong to one layer, such as {@code gru_dropout}), else the op and the result's shape ({@code add_relu_500x50}),
     * which says what every caller does and does not change when other layers come or go.
     */
    private static String sharedName(List<Node> same, Map<Node, String> names, Map<Node, String> ops) {
        String first = names.get(same.get(0));
        if (same.stream().allMatch(n -> names.get(n).equals(first))) return first;
        Node n = same.get(0);
        int[] shape = n.type().sampleShape();
        StringBuilder sb = new StringBuilder(ops.get(n));
        for (int i = 0; i < shape.length; i++) sb.append(i == 0 ? "_" : "x").append(shape[i]);
        return sb.toString();
    }

    /** The javadoc of a method that several nodes call: what each computes, where, and how many nodes alike. */
    private static String sharedDoc(List<Node> same, Map<Node, String> docs) {
        Map<String, Integer> lines = new LinkedHashMap<>();
        for (Node n : same) lines.merge(docs.get(n).strip().replaceFirst("\\.$", ""), 1, Integer::sum);
        if (lines.size() == 1) return lines.keySet().iterator().next() + ": " + same.size() + " nodes call it.\n";
        StringBuilder sb = new StringBuilder("Called by " + same.size() + " nodes:\n<ul>\n");
        lines.forEach((line, count) -> sb.append("<li>").append(line).append(count > 1 ? " (" + count + " nodes)" : "").append("\n"));
        return sb.append("</ul>\n").toString();
    }

    private String javadoc(Node n) {
        String where = n.span() == null ? "" : " (" + n.span() + ")";
        String ins = n.inputs().stream().map(i -> i.type().toString()).collect(Collectors.joining(", "));
        return (n.layer().isEmpty() ? "" : n.layer() + ": ") + n.op().name() + "(" + ins + ") -> " + n.type() + where + ".\n";
    }

    /** A fused kernel's name: its members' names in order, or, for a long group, the first's and the result's. */
    private static String fusedName(Fusion.Group gr) {
        String layer = java.util.regex.Pattern.quote(gr.result().layer());
        List<String> parts = gr.nodes().stream().map(ModelEmitter::valueName).toList();
        String all = parts.stream().reduce((a, b) -> a + "_" + b.replaceFirst("^" + layer + "_", "")).orElseThrow();
        return all.length() <= 60 ? all : parts.getFirst() + "_to_" + parts.getLast().replaceFirst("^" + layer + "_", "");
    }

    private String fusedDoc(Fusion.Group gr) {
        StringBuilder sb = new StringBuilder("Fused: ");
        for (int i = 0; i < gr.nodes().size(); i++) {
            Node n = gr.nodes().get(i);
            sb.append(i > 0 ? ", then " : "").append(n.layer().isEmpty() ? "" : n.layer() + " ").append(n.op().name());
            int z = gr.stored().indexOf(n);
            if (z >= 0) sb.append(" (stored: z").append(z).append(")");
        }
        Node r = gr.result();
        return sb.append(" -> ").append(r.type()).append(r.span() == null ? "" : " (" + r.span() + ")").append(".\n").toString();
    }

    private Operand operand(Node n) {
        Storage s = plan.of(n);
        return switch (s) {
            case Storage.Param p -> new Operand("p", paramConsts.get(p.key()));
            case Storage.Grad gr -> new Operand("g", paramConsts.get(gr.key()));
            case Storage.Arena ar -> new Operand("a", offsetFields.get(n));
        };
    }

    private CodeBlock classDoc(String code) {
        CodeBlock.Builder b = CodeBlock.builder();
        b.add("Model {@code $L}, compiled from {@code $L} for $L.\n\n", model.name(), model.sourceFile(), dt.java);
        if (!simd.vectorized()) b.add("Target scalar: plain loops, no Vector API, so no incubator module is needed to compile or run it.\n\n");
        b.add("<pre>\n");
        for (var l : model.layers()) {
            TensorType out = l.outputs().isEmpty() ? null : l.outputs().get(0).type();
            b.add("$L ($L) -> $L\n", l.name(), l.kerasClass(), out == null ? "unused" : out.kerasShape());
        }
        b.add("</pre>\n\n");
        b.add("Training step: {@code forward}, {@code loss}, {@code backward}, {@code update} in {@link Run}; one static\n");
        b.add("kernel per distinct IR node below (nodes whose kernels are the same code call one).\n");
        b.add("Memory plan: $L floats per sample of capacity plus $L fixed.\n", plan.perSampleSize(), plan.fixedSize());
        List<Object> used = new ArrayList<>();
        if (code.contains("Gemm.")) used.add(KernelEmitter.GEMM);
        if (code.contains("Act.")) used.add(KernelEmitter.ACT);
        if (code.contains("Rng.")) used.add(KernelEmitter.RNG);
        if (code.contains("Augment.")) used.add(KernelEmitter.AUGMENT);
        if (code.contains("Penalties.")) used.add(SessionEmitter.PENALTIES);
        if (code.contains("VectorOperators.")) used.add(KernelEmitter.OPS);
        if (!used.isEmpty()) {
            b.add("Kernels call " + used.stream().map(u -> "{@link $T}").collect(Collectors.joining(", ")) + ".\n", used.toArray());
        }
        return b.build();
    }

    private void addParamConstants(TypeSpec.Builder cls) {
        Graph g = model.graph();
        for (Map.Entry<String, Node> e : g.params().entrySet()) {
            ParamInfo info = ((Op.Param) e.getValue().op()).info();
            cls.addField(FieldSpec.builder(int.class, paramConsts.get(e.getKey()), Modifier.STATIC, Modifier.FINAL)
                    .addJavadoc("{@code $L} $L$L, $L.\n", info.key(), info.shape(), info.trainable() ? "" : " (not trainable)",
                            e.getValue().span())
                    .initializer("$L", plan.paramOffset(e.getKey())).build());
        }
        cls.addField(FieldSpec.builder(int.class, "PARAM_SIZE", Modifier.STATIC, Modifier.FINAL).initializer("$L", plan.paramSize()).build());
        cls.addField(FieldSpec.builder(int.class, "TRAINABLE_SIZE", Modifier.STATIC, Modifier.FINAL)
                .addJavadoc("Trainable weights come first, so a gradient's offset is its weight's offset.\n")
                .initializer("$L", plan.trainableSize()).build());
    }

    private CodeBlock specInit() {
        Graph g = model.graph();
        CodeBlock.Builder b = CodeBlock.builder().add("new $T($S, $S,\n$>$>", SPEC, model.name(), dt.flag);
        b.add("$T.of(", List.class);
        boolean first = true;
        for (Node in : g.inputs().values()) {
            if (!first) b.add(", ");
            first = false;
            Op.Input op = (Op.Input) in.op();
            var text = model.textInputs().get(op.inputName());
            b.add("new $T.InputSpec($S, $L, $L", SPEC, op.inputName(), in.type().elem() == modelc.compiler.ir.ElemType.INT,
                    intArray(in.type().sampleShape()));
            if (text != null) b.add(",\n$T.parse($S)", ClassName.get("modelc.runtime.text", "TextPipeline"), text.json());
            b.add(")");
            Integer none = model.noneAxes().get(op.inputName());
            if (none != null) b.add(".withNoneAxis($L)", none);
        }
        b.add("),\n");
        b.add("$L,\n", intArray(g.output().type().sampleShape()));
        b.add("new $T.TargetSpec($L, $L),\n", SPEC, model.training().loss().kind().sparseTarget(), intArray(g.target().type().sampleShape()));
        b.add("$T.of(\n$>", List.class);
        List<Node> params = new ArrayList<>(g.params().values());
        for (int i = 0; i < params.size(); i++) {
            ParamInfo p = ((Op.Param) params.get(i).op()).info();
            b.add("new $T.ParamSpec($S, $L, $L, $L, $S, $L, $L)$L\n", SPEC, p.key(), intArray(p.shapeArray()), p.trainable(),
                    paramConsts.get(p.key()), p.init().name(), p.init().a(), p.init().b(), i + 1 < params.size() ? "," : "");
        }
        b.add("$<),\n");
        b.add("$S,\n", model.training().loss().kind().kerasName);
        b.add("$T.of(", List.class);
        for (int i = 0; i < model.metrics().size(); i++) {
            ModelSpec.MetricSpec m = model.metrics().get(i);
            b.add("$Lnew $T.MetricSpec($S, $S)", i > 0 ? ", " : "", SPEC, m.name(), m.kind());
        }
        b.add("),\n");
        OptimizerConfig o = model.training().optimizer();
        b.add("new $T($S, $L, $L, $L, $L, $L, $L, $L, $L, $L, $L, $L, $L, $L),\n", OPT, o.kind(), o.learningRate(), o.beta1(), o.beta2(),
                o.epsilon(), o.amsgrad(), o.momentum(), o.nesterov(), o.rho(), o.centered(), o.weightDecay(), o.clipnorm(),
                o.clipvalue(), o.globalClipnorm());
        LearningRateSchedule lrs = model.training().schedule();
        b.add("new $T($S, $L, $L, $L, $L, $L, new double[] {$L}, new double[] {$L}),\n", LRS, lrs.kind(), lrs.initial(),
                lrs.decaySteps(), lrs.decayRate(), lrs.staircase(), lrs.alpha(), joined(lrs.boundaries()), joined(lrs.values()));
        ModelSpec.FitConfig f = model.training().fit();
        b.add("new $T.FitConfig($L, $L, $L, $L, $T.of(", SPEC, f.epochs(), f.batchSize(), f.validationSplit(), f.shuffle(), List.class);
        for (int i = 0; i < f.callbacks().size(); i++) {
            CallbackSpec c = f.callbacks().get(i);
            b.add("$L\nnew $T($S, $S, $S, $L, $L, $L, $L, $L, $L, $S, $L", i > 0 ? "," : "", CALLBACK, c.kind(), c.monitor(), c.mode(),
                    c.minDelta(), c.patience(), c.restoreBestWeights(), c.factor(), c.cooldown(), c.minLr(), c.filepath(), c.saveBestOnly());
            // EarlyStopping's baseline and start_from_epoch, when given
            if (Double.isNaN(c.baseline()) && c.startFromEpoch() == 0) b.add(")");
            else b.add(", $L, $L)", Double.isNaN(c.baseline()) ? "Double.NaN" : Double.toString(c.baseline()), c.startFromEpoch());
        }
        b.add(f.groupByLength() ? "), true))$<$<" : ")))$<$<");
        return b.build();
    }

    private static String joined(double[] a) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < a.length; i++) sb.append(i > 0 ? ", " : "").append(a[i]);
        return sb.toString();
    }

    private static String intArray(int[] a) {
        if (a.length == 0) return "new int[0]";
        StringBuilder sb = new StringBuilder("new int[] {");
        for (int i = 0; i < a.length; i++) sb.append(i > 0 ? ", " : "").append(a[i]);
        return sb.append('}').toString();
    }

    private MethodSpec argmax() {
        return MethodSpec.methodBuilder("argmax").addModifiers(Modifier.PRIVATE, Modifier.STATIC).returns(int.class)
                .addJavadoc("Index of the largest of {@code x[off, off + len)}; the first on ties, as NumPy.\n")
                .addParameter(dt.array(), "x").addParameter(int.class, "off").addParameter(int.class, "len")
                .addStatement("int best = 0")
                .beginControlFlow("for (int j = 1; j < len; j++)")
                .addStatement("if (x[off + j] > x[off + best]) best = j")
                .endControlFlow()
                .addStatement("return best").build();
    }

}
