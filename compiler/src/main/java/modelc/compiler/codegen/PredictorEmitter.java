package modelc.compiler.codegen;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.JavaFile;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.TypeSpec;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.StringJoiner;
import javax.lang.model.element.Modifier;
import modelc.compiler.ir.ElemType;
import modelc.compiler.ir.Node;
import modelc.compiler.resolve.ModelIR;

/**
 * Writes {@code <Model>Predictor} and {@code <Model>Trainer}: what applications embed. It loads weights from a path, a stream,
 * or the classpath resource {@code <Model>.safetensors} beside the class, and predicts through the
 * runtime's thread-safe, allocation-free {@code Predictor}, or, for a model with stateful layers, through a
 * {@code StatefulPredictor} that carries their states from batch to batch (one per stream).
 */
public final class PredictorEmitter {
    private static final ClassName PREDICTOR = ClassName.get("modelc.runtime", "Predictor");
    private static final ClassName STATEFUL = ClassName.get("modelc.runtime", "StatefulPredictor");
    private static final ClassName TRAINER = ClassName.get("modelc.runtime.train", "ModelTrainer");
    private static final ClassName TEXT = ClassName.get("modelc.runtime.train", "TextInputs");

    private PredictorEmitter() {}

    public static JavaFile emit(ModelIR model, String pkg, String modelClass, String sourceFile) {
        ClassName self = ClassName.get(pkg, modelClass + "Predictor");
        ClassName m = ClassName.get(pkg, modelClass);
        Node in = model.graph().inputs().values().iterator().next();
        boolean text = !model.textInputs().isEmpty();
        String sample = text ? "a String" : (in.type().elem() == ElemType.INT ? "int" : "float") + "[" + in.type().sampleSize() + "]";
        String bundled = modelClass + ".safetensors" + (text ? " and " + modelClass + ".text.json" : "");
        TypeSpec.Builder type = TypeSpec.classBuilder(self).addModifiers(Modifier.PUBLIC, Modifier.FINAL);
        if (model.graph().stateIns().isEmpty() && model.graph().inputs().size() > 1) {
            // several inputs (a text and numeric features, say): a sample is a map of input name to value
            StringJoiner values = new StringJoiner(", "), kinds = new StringJoiner(", ");
            for (var e : model.graph().inputs().entrySet()) {
                String name = e.getKey();
                Node input = e.getValue();
                values.add("\"" + name + "\", " + name);
                kinds.add(name + ": " + (model.textInputs().containsKey(name) ? "a String"
                        : (input.type().elem() == ElemType.INT ? "int" : "float") + "[" + input.type().sampleSize() + "]"));
            }
            type.superclass(PREDICTOR)
                    .addJavadoc("Predictions of {@link $T} for applications. One instance may be shared by many threads.\n\n", m)
                    .addJavadoc("<pre>\n$T p = $T.load();  // weights bundled as $L\n", self, self, bundled)
                    .addJavadoc("var sample = Map.of($L);  // $L\n", values, kinds)
                    .addJavadoc("float[] probabilities = p.predict(sample);\n")
                    .addJavadoc(text ? "String label = p.predictLabel(sample);\n</pre>\n" : "</pre>\n");
        } else if (model.graph().stateIns().isEmpty()) {
            type.superclass(PREDICTOR)
                    .addJavadoc("Predictions of {@link $T} for applications. One instance may be shared by many threads.\n\n", m)
                    .addJavadoc("<pre>\n$T p = $T.load();              // weights bundled as $L\n", self, self, bundled)
                    .addJavadoc("float[] probabilities = p.predict(sample); // sample: $L\n", sample)
                    .addJavadoc(text ? "String label = p.predictLabel(sample);\n</pre>\n" : "int label = p.predictClass(sample);\n</pre>\n");
        } else {
            int b = model.graph().fixedBatch();
            type.superclass(STATEFUL)
                    .addJavadoc("Predictions of {@link $T} for applications, batch after batch: its stateful layers carry their states\n", m)
                    .addJavadoc("from each batch of exactly $L rows to the next (row i continues row i). Not thread-safe: one instance\n", b)
                    .addJavadoc("per stream of batches ({@link #newStream()} gives another).\n\n")
                    .addJavadoc("<pre>\n$T p = $T.load();  // weights bundled as $L\n", self, self, bundled)
                    .addJavadoc("float[][] outputs = p.predictBatch(rows);  // rows: $L samples, each $L\n", b, sample)
                    .addJavadoc("p.resetStates();  // the next batch starts new sequences\n</pre>\n");
        }
        MethodSpec.Builder ctor = MethodSpec.constructorBuilder().addModifiers(Modifier.PRIVATE).addParameter(m, "model");
        MethodSpec.Builder of = MethodSpec.methodBuilder("of").addModifiers(Modifier.PUBLIC, Modifier.STATIC).returns(self)
                .addJavadoc("Predictions with the weights {@code model} holds now (a model just trained, say).\n")
                .addParameter(m, "model");
        if (text) {
            ctor.addParameter(TEXT, "text").addStatement("super(model, text)");
            of.addJavadoc("{@code text}: its text pipelines, as fitted when it was trained.\n").addParameter(TEXT, "text")
                    .addStatement("return new $T(model, text)", self);
        } else {
            ctor.addStatement("super(model)");
            of.addStatement("return new $T(model)", self);
        }
        type.addMethod(ctor.build()).addMethod(of.build());
        String where = " on the classpath beside " + self.canonicalName();
        MethodSpec.Builder bundledLoad = MethodSpec.methodBuilder("load").addModifiers(Modifier.PUBLIC, Modifier.STATIC).returns(self)
                .addJavadoc("Weights from the classpath resource {@code $L.safetensors} beside this class$L.\n", modelClass,
                        text ? ", text pipelines from {@code " + modelClass + ".text.json}" : "")
                .addException(IOException.class)
                .addStatement("$T m = new $T()", m, m)
                .addStatement("loadWeights(m, $T.class.getResourceAsStream($S), $S)", self, modelClass + ".safetensors", modelClass + ".safetensors" + where);
        MethodSpec.Builder pathLoad = MethodSpec.methodBuilder("load").addModifiers(Modifier.PUBLIC, Modifier.STATIC).returns(self)
                .addJavadoc("Weights from a safetensors file$L.\n", text ? ", text pipelines from the {@code .text.json} file beside it" : "")
                .addException(IOException.class).addParameter(Path.class, "weights")
                .addStatement("$T m = new $T()", m, m)
                .addStatement("loadWeights(m, weights)");
        MethodSpec.Builder streamLoad = MethodSpec.methodBuilder("load").addModifiers(Modifier.PUBLIC, Modifier.STATIC).returns(self)
                .addJavadoc("Weights from a stream holding a safetensors file$L.\n", text ? ", text pipelines from one holding its .text.json" : "")
                .addException(IOException.class)
                .addParameter(InputStream.class, "weights")
                .addStatement("$T m = new $T()", m, m)
                .addStatement("loadWeights(m, weights, $S)", "stream");
        if (text) {
            bundledLoad.addStatement("return new $T(m, loadText(m, $T.class.getResourceAsStream($S), $S))", self, self,
                    modelClass + ".text.json", modelClass + ".text.json" + where);
            pathLoad.addStatement("return new $T(m, loadText(m, $T.beside(weights)))", self, TEXT);
            streamLoad.addParameter(InputStream.class, "text").addStatement("return new $T(m, loadText(m, text, $S))", self, "stream");
        } else {
            bundledLoad.addStatement("return new $T(m)", self);
            pathLoad.addStatement("return new $T(m)", self);
            streamLoad.addStatement("return new $T(m)", self);
        }
        type.addMethod(bundledLoad.build()).addMethod(pathLoad.build()).addMethod(streamLoad.build());
        return JavaFile.builder(pkg, type.build()).addFileComment("Generated by modelc from $L. Do not edit.", sourceFile)
                .skipJavaLangImports(true).indent("    ").build();
    }

    /**
     * {@code <Model>Trainer}: training and fine-tuning inside an application. {@code text}: the model has text inputs;
     * {@code mixed}: and other inputs besides.
     */
    public static JavaFile emitTrainer(String pkg, String modelClass, String sourceFile, boolean text, boolean mixed) {
        ClassName self = ClassName.get(pkg, modelClass + "Trainer");
        ClassName m = ClassName.get(pkg, modelClass);
        ClassName predictor = ClassName.get(pkg, modelClass + "Predictor");
        TypeSpec type = TypeSpec.classBuilder(self).addModifiers(Modifier.PUBLIC, Modifier.FINAL).superclass(TRAINER)
                .addJavadoc("Trains {@link $T} inside an application; defaults come from its {@code fit(...)}.\n\n", m)
                .addJavadoc("<pre>\n$T t = $T.create();\nt.epochs(3).onEpoch((epoch, logs) -> true).$L;\n", self, self,
                        mixed ? "fitTexts(texts, tensors, labels, classNames)" : text ? "fitTexts(texts, labels, classNames)" : "fit(x, y)")
                .addJavadoc("$T p = t.predictor();\n</pre>\n", predictor)
                .addField(m, "model", Modifier.PRIVATE, Modifier.FINAL)
                .addMethod(MethodSpec.constructorBuilder().addModifiers(Modifier.PRIVATE).addParameter(m, "model")
                        .addStatement("super(model)").addStatement("this.model = model").build())
                .addMethod(MethodSpec.methodBuilder("create").addModifiers(Modifier.PUBLIC, Modifier.STATIC).returns(self)
                        .addStatement("return new $T(new $T())", self, m).build())
                .addMethod(MethodSpec.methodBuilder("predictor").addModifiers(Modifier.PUBLIC).returns(predictor)
                        .addJavadoc("Predictions with the weights trained so far.\n")
                        .addStatement(text ? "return $T.of(model, text())" : "return $T.of(model)", predictor).build())
                .build();
        return JavaFile.builder(pkg, type).addFileComment("Generated by modelc from $L. Do not edit.", sourceFile)
                .skipJavaLangImports(true).indent("    ").build();
    }
}
