package modelc.compiler;

import com.palantir.javapoet.JavaFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import modelc.compiler.codegen.Dtype;
import modelc.compiler.codegen.Idents;
import modelc.compiler.codegen.ModelEmitter;
import modelc.compiler.codegen.PredictorEmitter;
import modelc.compiler.codegen.Target;
import modelc.compiler.ir.Autodiff;
import modelc.compiler.lower.Fusion;
import modelc.compiler.lower.MemoryPlan;
import modelc.compiler.lower.Schedule;
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

    /** Options that change the generated code. */
    public record Options(Dtype dtype, String packageName, Target target) {
        public static final Options DEFAULT = new Options(Dtype.F32, "modelc.generated");

        /** The vector target. */
        public Options(Dtype dtype, String packageName) {
            this(dtype, packageName, Target.VECTOR);
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
            "FloatVector", "DoubleVector", "List", "Map", "LinkedHashMap", "Arrays", "Predictor", "Path", "InputStream", "IOException", "ModelTrainer", "String", "System", "Math", "Object", "Override", "Double", "Float", "Integer", "Long");

    public static Result compile(Path file, Options options) throws IOException {
        return compile(file.getFileName().toString(), Files.readString(file), options);
    }

    public static Result compile(String fileName, String source, Options options) {
        fileName = safeFileName(fileName);
        Ast.Program program = Parser.parse(fileName, source);
        ModelIR model = Resolver.resolve(program);
        Autodiff.run(model.graph());
        Schedule schedule = Schedule.of(model.graph());
        Fusion fusion = Fusion.of(schedule.training(), new java.util.HashSet<>(keepAlive(model)), new java.util.HashSet<>(schedule.forward()), schedule.loops());
        MemoryPlan plan = MemoryPlan.plan(model.graph(), schedule.training(), keepAlive(model), fusion.fusedInto(), schedule.loops());
        String cls = Idents.className(model.name());
        if (RESERVED.contains(cls)) cls = cls + "Model";
        JavaFile file = new ModelEmitter(model, schedule, fusion, plan, options.dtype(), options.target(), options.packageName(), cls).emit();
        JavaFile predictor = PredictorEmitter.emit(model, options.packageName(), cls, fileName);
        JavaFile trainer = PredictorEmitter.emitTrainer(options.packageName(), cls, fileName, !model.textInputs().isEmpty());
        return new Result(program, model, schedule, plan, file, predictor, trainer, options);
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
        // The loss's mask, read again by the metrics after the backward pass.
        for (modelc.compiler.ir.Node in : g.loss().inputs()) if (!keep.contains(in)) keep.add(in);
        return keep;
    }
}
