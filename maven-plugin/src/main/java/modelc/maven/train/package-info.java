/**
 * The train goal's work: compile one model to classes, train it on a data path (in Maven's JVM
 * when it has the Vector API module, else in a forked JVM), and write its weights.
 */
package modelc.maven.train;
