package modelc.runtime.train;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import modelc.runtime.Tensor;
import modelc.runtime.data.Dataset;
import modelc.runtime.data.LoadedData;
import modelc.runtime.data.TextData;
import modelc.runtime.io.FormatException;
import modelc.runtime.io.Json;
import modelc.runtime.text.TextPipeline;

/**
 * The fitted text pipelines of a model's {@code text} inputs, and the class names of its labels: what
 * turns raw text into the tensors the model reads. Fitted on the training texts by {@code modelc train},
 * saved beside the weights ({@code weights.safetensors} → {@code weights.text.json}) and read again by
 * evaluate, predict and the generated predictor. A model may mix text inputs with tensor inputs (a review and
 * its star count): their values come with the texts ({@link TextData.TensorInput}) and pass through unchanged.
 *
 * <p>The file is JSON: {@code {"format": "modelc-text", "model": name, "class_names": [...], "inputs":
 * {input: {"tokenizer": <Keras's tokenizer.to_json()>, "pad_sequences": {...}}}}}.
 */
public final class TextInputs {
    private static final String FORMAT = "modelc-text";

    private final Map<String, TextPipeline.Fitted> inputs;
    private final List<String> classNames;

    private TextInputs(Map<String, TextPipeline.Fitted> inputs, List<String> classNames) {
        this.inputs = inputs;
        this.classNames = List.copyOf(classNames);
    }

    /** Whether any input of the model is text. */
    public static boolean any(ModelSpec spec) {
        return spec.inputs().stream().anyMatch(i -> i.text() != null);
    }

    /** The names of the model's text inputs, in input order. */
    public static List<String> names(ModelSpec spec) {
        return spec.inputs().stream().filter(in -> in.text() != null).map(ModelSpec.InputSpec::name).toList();
    }

    /** The model's other inputs, which a model that also reads text takes from numeric CSV columns. */
    public static List<TextData.TensorInput> tensors(ModelSpec spec) {
        return spec.inputs().stream().filter(in -> in.text() == null)
                .map(in -> new TextData.TensorInput(in.name(), in.shape(), in.integer())).toList();
    }

    /** Fits each text input's pipeline on its training texts. */
    public static TextInputs fit(ModelSpec spec, TextData.Split train, List<String> classNames) {
        Map<String, TextPipeline.Fitted> fitted = new LinkedHashMap<>();
        for (ModelSpec.InputSpec in : spec.inputs()) {
            if (in.text() != null) fitted.put(in.name(), in.text().fit(train.texts().get(in.name())));
        }
        return new TextInputs(fitted, classNames);
    }

    /** The file beside {@code weights} that holds the fitted pipelines: {@code x.safetensors} → {@code x.text.json}. */
    public static Path beside(Path weights) {
        String name = weights.getFileName().toString().replaceFirst("\\.safetensors$", "");
        return weights.resolveSibling(name + ".text.json");
    }

    /** Both splits of raw text data as the tensors the model reads (no test split stays none). */
    public LoadedData datasets(TextData.Loaded raw) {
        return new LoadedData(dataset(raw.train()), raw.test() == null ? null : dataset(raw.test()));
    }

    /** The texts (and target) of a split as the tensors the model reads; its tensor inputs' values as they are. */
    public Dataset dataset(TextData.Split split) {
        Map<String, Tensor> features = new LinkedHashMap<>();
        inputs.forEach((name, p) -> features.put(name, p.encode(split.texts().get(name))));
        features.putAll(split.tensors());
        return new Dataset(features, split.target());
    }

    /** The fitted pipeline of the text input {@code name}, or null if it is not a text input. */
    public TextPipeline.Fitted input(String name) {
        return inputs.get(name);
    }

    /** Class names of the labels, in label order; empty when the labels were numbers. */
    public List<String> classNames() {
        return classNames;
    }

    /** One line per input: its vocabulary size and width. */
    public String describe() {
        StringBuilder sb = new StringBuilder();
        inputs.forEach((name, p) -> sb.append(sb.isEmpty() ? "" : "\n").append("Text input '").append(name).append("': ")
                .append(p.vocabularySize()).append(" words in the fitted vocabulary, ").append(p.pipeline().width())
                .append(p.pipeline().integer() ? " token ids per text (0 to " + p.maxId() + ")" : " values per text"));
        if (!classNames.isEmpty()) sb.append("\nClasses: ").append(String.join(", ", classNames));
        return sb.toString();
    }

    public void write(Path file, String model) throws IOException {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("format", FORMAT);
        root.put("model", model);
        root.put("class_names", classNames);
        Map<String, Object> in = new LinkedHashMap<>();
        inputs.forEach((name, p) -> in.put(name, p.toJsonValue()));
        root.put("inputs", in);
        Files.writeString(file, Json.write(root) + "\n", StandardCharsets.UTF_8);
    }

    /** Reads a file {@link #write} wrote, checking it against the model's text inputs. */
    public static TextInputs read(Path file, ModelSpec spec) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new FormatException(file, "not found: a model with text inputs needs the fitted tokenizer that"
                    + " modelc train writes beside the weights");
        }
        return parse(Json.read(file), spec, file.toString());
    }

    /** As {@link #read}, from a parsed document; {@code where} names its origin in messages. */
    public static TextInputs parse(Object document, ModelSpec spec, String where) throws FormatException {
        try {
            if (!(document instanceof Map<?, ?> root) || !FORMAT.equals(root.get("format"))) {
                throw new IllegalArgumentException("not a modelc text file (\"format\": \"" + FORMAT + "\")");
            }
            if (!(root.get("inputs") instanceof Map<?, ?> saved)) throw new IllegalArgumentException("no \"inputs\"");
            Map<String, TextPipeline.Fitted> fitted = new LinkedHashMap<>();
            for (ModelSpec.InputSpec in : spec.inputs()) {
                if (in.text() == null) continue;
                if (!saved.containsKey(in.name())) throw new IllegalArgumentException("no fitted pipeline for input '" + in.name() + "'");
                try {
                    fitted.put(in.name(), in.text().restore(saved.get(in.name())));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("input '" + in.name() + "': " + e.getMessage(), e);
                }
            }
            List<String> classes = new ArrayList<>();
            if (root.get("class_names") instanceof List<?> names) {
                for (Object o : names) classes.add(String.valueOf(o));
            }
            return new TextInputs(fitted, classes);
        } catch (IllegalArgumentException e) {
            throw new FormatException(Path.of(where), e.getMessage());
        }
    }
}
