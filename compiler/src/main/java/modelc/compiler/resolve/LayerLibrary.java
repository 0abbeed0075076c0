package modelc.compiler.resolve;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import modelc.compiler.diag.CompileException;
import modelc.compiler.diag.Diagnostics;

/** The layers a {@code .model} file can construct, by Keras class name. */
public final class LayerLibrary {
    /** Builds a layer from its bound arguments. */
    public interface Factory {
        Layer create(Args args, Context ctx);
    }

    /** Per-model state the factories share: layer names, dropout streams and masks. */
    public static final class Context {
        private final Naming naming = new Naming();
        private final Masks masks = new Masks();
        private int streams;

        public String name(String kerasClass, Args a) {
            if (a.has("name")) {
                Val v = a.get("name");
                if (!(v instanceof Val.Str s)) throw a.typeError("name", v, "a string");
                return naming.given(s.value(), v.span());
            }
            return naming.auto(kerasClass);
        }

        int nextStream() {
            return ++streams;
        }

        Masks masks() {
            return masks;
        }
    }

    private final Map<String, Factory> factories = new LinkedHashMap<>();
    /** Keras's layers, as opposed to those a file defines. */
    private final Set<String> builtIn;

    public LayerLibrary() {
        CoreLayers.register(factories);
        SequenceLayers.register(factories);
        ConvLayers.register(factories);
        AugmentLayers.register(factories);
        RecurrentLayers.register(factories, this);
        builtIn = Set.copyOf(factories.keySet());
    }

    /** Adds a layer defined in the language ({@code layer Name(...) { call(...) { ... } }}). */
    public void define(modelc.compiler.syntax.Ast.LayerDecl decl) {
        if (factories.containsKey(decl.name())) {
            throw new CompileException(decl.span(), "a layer named '" + decl.name() + "' already exists");
        }
        factories.put(decl.name(), UserLayer.factory(decl, this));
    }

    private final Map<String, modelc.compiler.syntax.Ast.CellDecl> cells = new LinkedHashMap<>();

    /** Adds a recurrent cell defined in the language ({@code cell Name(...) { state ...; step(...) { ... } }}), for {@code RNN(Name(...))}. */
    public void defineCell(modelc.compiler.syntax.Ast.CellDecl decl) {
        if (cells.containsKey(decl.name()) || factories.containsKey(decl.name())) {
            throw new CompileException(decl.span(), "a layer or cell named '" + decl.name() + "' already exists");
        }
        cells.put(decl.name(), decl);
    }

    /** The cell defined as {@code name}, or null. */
    modelc.compiler.syntax.Ast.CellDecl cell(String name) {
        return cells.get(name);
    }

    public boolean has(String kerasClass) {
        return factories.containsKey(kerasClass);
    }

    public Set<String> names() {
        return factories.keySet();
    }

    public Layer create(String kerasClass, Args args, Context ctx) {
        Factory f = factories.get(kerasClass);
        if (f == null) {
            String near = Diagnostics.closest(kerasClass, factories.keySet());
            throw new CompileException(args.span(), "unknown layer '" + kerasClass + "'",
                    near != null ? "did you mean '" + near + "'?" : null);
        }
        Layer layer = f.create(args, ctx);
        // A built-in layer that binds a regularizer argument but does not take it must refuse it, not ignore it.
        if (builtIn.contains(kerasClass)) {
            Regularizers.requireTaken(layer, args);
            Constraints.requireTaken(layer, args);
        }
        return layer;
    }
}
