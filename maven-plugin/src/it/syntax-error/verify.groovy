// Each error is logged at ERROR level (visible without -e) as path:line:col: error: message, with
// the model's full path so IDEs link it, the source line and a caret; the build fails once.
def log = new File(basedir, 'build.log').text
def broken = new File(basedir, 'src/main/models/broken.model').canonicalPath
def misspelt = new File(basedir, 'src/main/models/misspelt.model').canonicalPath

assert log =~ /(?m)^\[ERROR\] \Q${broken}\E:\d+:\d+: error: /
assert log =~ /(?m)^\[ERROR\] \Q${misspelt}\E:3:5: error: unknown layer (or function )?'Dence'/
assert log.contains("hint: did you mean 'Dense'?")
assert log =~ /(?m)^ +\^/
assert log.contains('BUILD FAILURE')
assert log =~ /errors? in 2 models/
assert !log.contains('MojoExecutionException')
assert !new File(basedir, 'target/generated-sources/modelc/modelc/generated/Misspelt.java').exists()
return true
