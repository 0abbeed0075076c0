/**
 * The goals: thin mojos that validate their parameters, build an immutable request, and hand it to
 * {@link modelc.maven.generate.ModelGenerator} or {@link modelc.maven.train.ModelTrainer}.
 */
package modelc.maven;
