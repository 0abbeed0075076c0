package modelc.compiler;

import com.palantir.javapoet.JavaFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import modelc.compiler.codegen.Dtype;
import modelc.compiler.codegen.Idents;
import modelc.compiler.codegen.ModelEmitter;
import modelc.compiler.codegen.PredictorEmitter;
import modelc.compiler.codegen.Target;
import modelc.compiler.diag.CompileException;
import modelc.compiler.ir.Autodiff;
import modelc.compiler.ir.Op;
import modelc.compiler.lower.Fusion;
import modelc.compiler.lower.MemoryPlan;
import modelc.compiler.lower.Schedule;
import modelc.compiler.resolve.Layer;
import modelc.compiler.resolve.ModelIR;
import modelc.compiler.resolve.Resolver;
import modelc.compiler.syntax.Ast;
import modelc.compiler.syntax.Parser;

/**
 * The pipeline as one call: parse, resolve (shapes are checked as the IR is built), autodiff,
 * schedule, memory plan, Java source. Each stage is a function of the previous one's output.
 */
public final class Compiler {
    private Compiler() {}

    /**
     * Options that change the generated code. {@code lengths}: the length each input's {@code None} dimension
     * is specialised to, by input name (empty for models without one).
     */
    public record Options(Dtype dtype, String packageName, Target target, Map<String, Integer> lengths) {
        public static final Options DEFAULT = new Options(Dtype.F32, "modelc.generated");

        public Options {
            lengths = Collections.unmodifiableMap(new TreeMap<>(lengths));
        }

        public Options(Dtype dtype, String packageName, Target target) {
            this(dtype, packageName, target, Map.of());
        }

        /** The vector target. */
        public Options(Dtype dtype, String packageName) {
            this(dtype, packageName, Target.VECTOR);
        }

        public Options withLengths(Map<String, Integer> lengths) {
            return new Options(dtype, packageName, target, lengths);
        }
    }

    /**
     * The inputs of a {@code .model} source that have a {@code None} dimension, with its axis (per sample): they
     * need a length in {@link Options#lengths()}. Empty if there are none, or if the source does not parse.
     */
    public static Map<String, Integer> variableLengthInputs(String fileName, String source) {
        try {
            return Resolver.variableLengthInputs(Parser.parse(safeFileName(fileName), source));
        } catch (CompileException e) {
            return Map.of();
        }
    }

    /** Everything the pipeline produced for one model. */
    public record Result(Ast.Program program, ModelIR model, Schedule schedule, MemoryPlan plan, JavaFile javaFile, JavaFile predictor,
                         JavaFile trainer, Options options) {
        /** Every generated source file: the model, its predictor and its trainer. */
        public java.util.List<JavaFile> files() {
            return java.util.List.of(javaFile, predictor, trainer);
        }

        public String className() {
            return javaFile.typeSpec().name();
        }

        public String qualifiedName() {
            return javaFile.packageName().isEmpty() ? className() : javaFile.packageName() + "." + className();
        }
    }

    /** Names the generated class must not take: the runtime types its kernels refer to by simple name. */
    private static final Set<String> RESERVED = Set.of("Gemm", "Act", "Rng", "Subnormals", "VectorOperators", "Run", "Tensor", "Dataset",
            "Session", "CompiledModel", "ModelSpec", "OptimizerConfig", "Optimizers", "Weights", "Batches", "VectorSpecies",
            "FloatVector", "DoubleVector", "List", "Map", "LinkedHashMap", "Arrays", "Predictor", "StatefulPredictor", "Path", "InputStream", "IOException", "ModelTrainer", "String", "System", "Math", "Object", "Override", "Double", "Float", "Integer", "Long");

    public static Result compile(Path file, Options options) throws IOException {
        return compile(file.getFileName().toString(), Files.readString(file), options);
    }

    public static Result compile(String fileName, String source, Options options) {
        fileName = safeFileName(fileName);
        Ast.Program program = Parser.parse(fileName, source);
        ModelIR model = Resolver.resolve(program, options.lengths());
        if (!options.lengths().isEmpty()) checkLengthFree(program, model, options.lengths());
        Autodiff.run(model.graph());
        Schedule schedule = Schedule.of(model.graph());
        Fusion fusion = Fusion.of(schedule.training(), new java.util.HashSet<>(keepAlive(model)), new java.util.HashSet<>(schedule.forward()), schedule.loops());
        MemoryPlan plan = MemoryPlan.plan(model.graph(), schedule.training(), keepAlive(model), fusion, schedule.loops());
        String cls = Idents.className(model.name());
        if (RESERVED.contains(cls)) cls = cls + "Model";
        JavaFile file = new ModelEmitter(model, schedule, fusion, plan, options.dtype(), options.target(), options.packageName(), cls).emit();
        JavaFile predictor = PredictorEmitter.emit(model, options.packageName(), cls, fileName);
        JavaFile trainer = PredictorEmitter.emitTrainer(options.packageName(), cls, fileName, !model.textInputs().isEmpty(),
                !model.textInputs().isEmpty() && model.textInputs().size() < model.graph().inputs().size());
        return new Result(program, model, schedule, plan, file, predictor, trainer, options);
    }

    /** The names of a {@code .model} source's {@code text} inputs (empty if it does not parse). */
    public static Set<String> textInputs(String fileName, String source) {
        try {
            Ast.Program p = Parser.parse(safeFileName(fileName), source);
            Set<String> out = new java.util.LinkedHashSet<>();
            if (p.model() != null) {
                for (Ast.Stmt st : p.model().body()) if (st instanceof Ast.InputDecl in && in.dtype().equals("text")) out.add(in.name());
            }
            return out;
        } catch (CompileException e) {
            return Set.of();
        }
    }

    /**
     * A model specialised to the lengths of its {@code None} dimensions must have the same weights at any
     * length, as Keras requires (a Dense after a Flatten over the sequence cannot be built for None): resolved
     * again at twice each length, every weight must keep its shape.
     */
    private static void checkLengthFree(Ast.Program program, ModelIR model, Map<String, Integer> lengths) {
        Map<String, Integer> doubled = new HashMap<>();
        lengths.forEach((k, v) -> doubled.put(k, 2 * v));
        ModelIR other = Resolver.resolve(program, doubled);
        for (var e : model.graph().params().entrySet()) {
            var p = ((Op.Param) e.getValue().op()).info();
            var q = other.graph().params().get(e.getKey());
            int[] b = q == null ? null : ((Op.Param) q.op()).info().shapeArray();
            if (b != null && Arrays.equals(p.shapeArray(), b)) continue;
            Layer owner = model.layers().stream()
                    .filter(l -> l.allWeights().contains(e.getValue())).findFirst().orElse(model.layers().getFirst());
            String input = lengths.keySet().iterator().next();
            throw new CompileException(owner.span(), "the weights of " + owner.name() + " (" + owner.kerasClass()
                    + ") depend on the length of the None dimension: " + p.key() + " is " + Arrays.toString(p.shapeArray())
                    + " at length " + lengths.get(input) + (b == null ? "" : " and " + Arrays.toString(b) + " at length " + doubled.get(input)),
                    "a layer that maps the whole sequence to fixed weights (Flatten, then Dense) needs a fixed length: write it instead of None");
        }
    }

    /**
     * The file name as it may appear in generated comments: control characters and backslashes
     * (javac reads unicode escapes even in comments) become '?', and comment ends are broken up.
     */
    static String safeFileName(String name) {
        StringBuilder sb = new StringBuilder();
        for (char c : name.toCharArray()) sb.append(Character.isISOControl(c) || c == '\\' || c == '\u2028' || c == '\u2029' ? '?' : c);
        return sb.toString().replace("*/", "*_/");
    }

    private static java.util.List<modelc.compiler.ir.Node> keepAlive(ModelIR m) {
        var g = m.graph();
        java.util.List<modelc.compiler.ir.Node> keep = new java.util.ArrayList<>(g.inputs().values());
        keep.add(g.target());
        keep.add(g.output());
        keep.add(g.loss());
        // The activity penalties, read with the loss by the part's loss method.
        keep.addAll(g.penalties());
        // A stateful layer's final states, copied out for the next batch once the step is done.
        for (modelc.compiler.ir.Node s : g.stateOuts().values()) if (!keep.contains(s)) keep.add(s);
        // The loss's mask, read again by the metrics after the backward pass.
        for (modelc.compiler.ir.Node in : g.loss().inputs()) if (!keep.contains(in)) keep.add(in);
        return keep;
    }
}
