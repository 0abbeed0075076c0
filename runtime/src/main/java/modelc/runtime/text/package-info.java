/**
 * Text preprocessing matching Keras and scikit-learn exactly, JDK only.
 *
 * <ul>
 *   <li>{@link modelc.runtime.text.TextSplitter} - Keras {@code text_to_word_sequence}.</li>
 *   <li>{@link modelc.runtime.text.Tokenizer} - Keras {@code Tokenizer}; {@link modelc.runtime.text.MatrixMode}
 *       for {@code texts_to_matrix}; {@link modelc.runtime.text.TokenizerJson} reads and writes Keras's
 *       {@code to_json()} format.</li>
 *   <li>{@link modelc.runtime.text.Sequences} - Keras {@code pad_sequences}.</li>
 *   <li>{@link modelc.runtime.text.CountVectorizer} - scikit-learn {@code CountVectorizer} (word analyzer),
 *       with {@link modelc.runtime.text.DocFrequency} for int-versus-float min_df/max_df,
 *       {@link modelc.runtime.text.CountAnalyzer}, {@link modelc.runtime.text.CountMatrix} (CSR + dense) and
 *       {@link modelc.runtime.text.CountVectorizerJson}.</li>
 *   <li>{@link modelc.runtime.text.PyStrings} and {@link modelc.runtime.text.PyRegex} - the Python string and
 *       regex semantics both libraries inherit (code-point iteration and order, {@code str.lower} with
 *       CPython's final-sigma rule, {@code \w} = letters, numbers and '_').</li>
 * </ul>
 *
 * <p>Known, documented departures: Keras's word_docs/index_docs order comes from a Python {@code set} (hash
 * seed dependent) and is first-appearance order here; scikit-learn's max_features tie order at the cut-off
 * comes from NumPy's non-stable argsort and is alphabetical here; characters newer than the Python build's
 * Unicode tables are handled with Java 25's (Unicode 16) tables.
 */
package modelc.runtime.text;
