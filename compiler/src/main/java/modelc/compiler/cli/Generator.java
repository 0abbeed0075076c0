package modelc.compiler.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import modelc.runtime.Rng;
import modelc.runtime.Tensor;
import modelc.runtime.data.Dataset;
import modelc.runtime.train.CompiledModel;
import modelc.runtime.train.ModelSpec;
import modelc.runtime.train.Session;

/**
 * Samples a sequence from a next-token model, one token at a time: the model reads the last
 * {@code window} tokens (0 in front while there are fewer), its prediction at the last position
 * (or its only prediction) is sharpened or flattened by the temperature, {@code p_i ∝ p_i^(1/T)},
 * and a token is drawn from it with a generator keyed by the seed and the position.
 */
final class Generator {
    private final CompiledModel model;
    private final int window;
    private final int classes;
    private final boolean perStep;

    Generator(CompiledModel model) {
        this.model = model;
        ModelSpec spec = model.spec();
        if (spec.inputs().size() != 1 || !spec.inputs().get(0).integer() || spec.inputs().get(0).shape().length != 1) {
            throw new Main.UserError("--generate needs a model of one integer sequence input, such as input chars: int[64]");
        }
        window = spec.inputs().get(0).shape()[0];
        int[] out = spec.outputShape();
        perStep = out.length == 2 && out[0] == window;
        if (!(out.length == 1 || perStep)) {
            throw new Main.UserError("--generate needs a model whose output is one distribution over tokens, or one per input position; this one's is "
                    + java.util.Arrays.toString(out));
        }
        classes = out[out.length - 1];
    }

    /** The vocabulary file's tokens, one per line ({@code \n} and {@code \\} escaped), line i being id i. */
    static List<String> vocabulary(Path file) throws IOException {
        List<String> out = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            out.add(line.replace("\\n", "\n").replace("\\\\", "\\"));
        }
        return out;
    }

    /** {@code count} token ids following {@code prompt}. */
    int[] generate(int[] prompt, int count, double temperature, long seed) {
        if (temperature <= 0) throw new Main.UserError("--temperature must be positive, got " + temperature);
        List<Integer> ids = new ArrayList<>();
        for (int p : prompt) ids.add(p);
        int[] out = new int[count];
        String input = model.spec().inputs().get(0).name();
        try (Session s = model.newSession(1, 1)) {
            int[] x = new int[window];
            double[] p = new double[classes];
            for (int k = 0; k < count; k++) {
                for (int i = 0; i < window; i++) {
                    int at = ids.size() - window + i;
                    x[i] = at >= 0 ? ids.get(at) : 0;
                }
                s.load(new Dataset(Map.of(input, Tensor.of(x, 1, window)), null), null, 0, 1);
                s.predictStep(1);
                Tensor y = s.output(1);
                int base = perStep ? (window - 1) * classes : 0;
                double sum = 0;
                for (int j = 0; j < classes; j++) {
                    p[j] = Math.pow(Math.max(0, y.getDouble(base + j)), 1 / temperature);
                    sum += p[j];
                }
                double u = Rng.uniform(seed, 11, k, 0, 0) * sum;
                int next = classes - 1;
                for (int j = 0; j < classes; j++) {
                    u -= p[j];
                    if (u < 0) {
                        next = j;
                        break;
                    }
                }
                out[k] = next;
                ids.add(next);
            }
        }
        return out;
    }

    /** The ids of {@code text} in {@code vocabulary}; a character not in it is id 1 (unknown) if that exists. */
    static int[] encode(String text, List<String> vocabulary) {
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < vocabulary.size(); i++) index.putIfAbsent(vocabulary.get(i), i);
        int[] ids = new int[text.codePointCount(0, text.length())];
        int k = 0;
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            String c = new String(Character.toChars(cp));
            Integer id = index.get(c);
            if (id == null) {
                if (vocabulary.size() > 1 && vocabulary.get(1).equals("<unk>")) id = 1;
                else throw new Main.UserError("the prompt's character '" + c + "' is not in the vocabulary");
            }
            ids[k++] = id;
            i += Character.charCount(cp);
        }
        return ids;
    }
}
