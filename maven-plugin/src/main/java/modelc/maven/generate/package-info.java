/**
 * The generate goal's work, apart from Maven: scanning for models, deciding which are stale by
 * digest, writing their Java, copying their weights, and recording what was made.
 */
package modelc.maven.generate;
