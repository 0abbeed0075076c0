// build.log holds the four builds in order.
def log = new File(basedir, 'build.log').text
def summaries = log.readLines().findAll { it.contains('] modelc: ') }.collect { it.substring(it.indexOf('modelc: ')) }
assert summaries == [
    'modelc: 2 generated, 0 up to date, 0 removed',
    'modelc: nothing to generate, 2 models up to date',
    'modelc: 0 generated, 1 up to date, 1 removed',
    'modelc: 2 generated, 0 up to date, 0 removed',
] : summaries

// The unchanged second build compiled nothing either: the Java it would have rewritten kept its timestamp.
def builds = log.split('Scanning for projects').findAll { it.contains('modelc') }
assert builds.size() == 4 : builds.size()
assert !builds[1].contains('Generated ')
assert builds[1].contains('Nothing to compile') || builds[1].contains('all classes are up to date')
assert builds[2].contains('Removed the output of b.model')

def out = new File(basedir, 'target/generated-sources/modelc/modelc/generated')
assert new File(out, 'Alpha.java').text.contains('double[]')
assert new File(out, 'Beta.java').isFile()
return true
