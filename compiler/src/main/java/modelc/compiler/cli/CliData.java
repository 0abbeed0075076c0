package modelc.compiler.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import modelc.runtime.data.DataLoader;
import modelc.runtime.data.DataOptions;
import modelc.runtime.data.Dataset;
import modelc.runtime.data.LoadedData;
import modelc.runtime.data.TextData;
import modelc.runtime.train.TextInputs;

/**
 * Data from {@code --data} for a model with saved weights: tensor data as {@link DataLoader} reads it, or, for
 * a model with {@code text} inputs, raw texts turned into tensors by the pipelines fitted beside the weights (and the
 * values of any tensor inputs beside them, from the same CSV).
 */
record CliData(LoadedData data, TextInputs text) {
    static CliData load(Loaded l, Path data, DataOptions options, Path weights) throws IOException {
        var spec = l.model().spec();
        if (!TextInputs.any(spec)) return new CliData(DataLoader.load(data, options), null);
        TextInputs text = text(l, weights);
        TextData.Loaded raw;
        try {
            raw = TextData.load(data, TextInputs.names(spec), TextInputs.tensors(spec), options,
                    text.classNames().isEmpty() ? null : text.classNames());
        } catch (IllegalArgumentException e) {
            throw new Main.UserError(data + ": " + e.getMessage());
        }
        return new CliData(text.datasets(raw), text);
    }

    /** The fitted text pipelines saved beside {@code weights} (a model with text inputs needs them). */
    static TextInputs text(Loaded l, Path weights) throws IOException {
        return TextInputs.read(TextInputs.beside(weights), l.model().spec());
    }

    /** Raw texts given on the command line as a dataset for a model with one text input. */
    static Dataset texts(Loaded l, TextInputs text, List<String> texts) {
        var spec = l.model().spec();
        if (spec.inputs().size() != 1) {
            throw new Main.UserError("--text feeds a model with one text input; " + spec.name() + " has " + spec.inputs().size() + " inputs"
                    + " (give --data, a CSV with a column for each)");
        }
        String name = spec.inputs().getFirst().name();
        return text.dataset(new TextData.Split(Map.of(name, texts), null));
    }
}
