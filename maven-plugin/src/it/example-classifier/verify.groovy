import java.util.zip.ZipFile

def log = new File(basedir, 'build.log').text
def builds = log.split('Scanning for projects').findAll { it.contains('modelc') }
assert builds.size() == 4 : builds.size()

// 1: trained in a forked JVM, then generated with the fresh weights, tested and packaged
assert builds[0] =~ /modelc: training FlowerNet on \S*data.flowers\.csv \(in a forked JVM with --add-modules jdk.incubator.vector\)/
assert builds[0] =~ /Epoch 20\/20/
assert builds[0].contains('Copied flowers.safetensors to example/model/FlowerNet.safetensors')
// the text model: its vocabulary fitted on the training texts, saved beside the weights and bundled with them
assert builds[0] =~ /modelc: training GenreNet on \S*data.genre/
assert builds[0].contains('Classes: press, prose')
assert builds[0].contains('Copied genre.text.json to example/model/GenreNet.text.json')
assert builds[0].contains('Tests run: 4, Failures: 0, Errors: 0, Skipped: 0')
// 2: nothing to train, nothing to generate
assert builds[1].contains('are up to date (modelc.train.force retrains)')
assert builds[1].contains('modelc: nothing to generate, 2 models up to date')
assert !builds[1].contains('Epoch 1/')
// 3: retrained in Maven's own JVM
assert builds[2].contains('modelc: training FlowerNet on ')
assert !builds[2].contains('forked JVM')
assert builds[2] =~ /Epoch 20\/20/
assert builds[2].contains('Copied flowers.safetensors to example/model/FlowerNet.safetensors')
// 4: the scalar variant: retrained (another target) in Maven's JVM, which has no Vector API module,
// regenerated, compiled and tested without the module
assert builds[3].contains('modelc: training FlowerNet on ')
assert !builds[3].contains('forked JVM')
assert builds[3] =~ /Epoch 20\/20/
assert builds[3].contains('Generated example.model.FlowerNet from flowers.model')
assert builds[3].contains('Tests run: 4, Failures: 0, Errors: 0, Skipped: 0')
assert !builds[3].contains('incubator')
def generated = new File(basedir, 'target/generated-sources/modelc/example/model/FlowerNet.java').text
assert !generated.contains('jdk.incubator')
assert generated.contains('Gemm.sgemmScalar(')

assert new File(basedir, 'src/main/models/flowers.safetensors').isFile()
def jar = new ZipFile(new File(basedir, 'target/example-classifier-1.0.jar'))
try {
    assert jar.getEntry('example/model/FlowerNet.class') != null
    assert jar.getEntry('example/model/FlowerNetPredictor.class') != null
    assert jar.getEntry('example/model/FlowerNet.safetensors') != null
    assert jar.getEntry('example/FlowerCli.class') != null
    assert jar.getEntry('example/model/GenreNet.safetensors') != null
    assert jar.getEntry('example/model/GenreNet.text.json') != null
} finally {
    jar.close()
}
// The application runs from its jar, with nothing but the runtime beside it.
def runtimeJar = new File(localRepositoryPath, 'dev/modelc/modelc-runtime').listFiles().collect { v ->
    new File(v, "modelc-runtime-${v.name}.jar") }.find { it.isFile() }
def java = new File(System.getProperty('java.home'), 'bin/java').path
def classify = { List<String> javaArgs, String jarName ->
    def cp = new File(basedir, "target/${jarName}").path + File.pathSeparator + runtimeJar.path
    def proc = ([java] + javaArgs + ['-cp', cp, 'example.FlowerCli', '5.0,3.4,1.5,0.2', '6.6,3.0,5.6,2.0']).execute()
    def out = new StringBuilder(), err = new StringBuilder()
    proc.waitForProcessOutput(out, err)
    assert proc.exitValue() == 0 : err
    def lines = out.toString().readLines()
    println lines.join('\n')
    assert lines.size() == 2 : out
    assert lines[0].startsWith('5.0,3.4,1.5,0.2 -> setosa')
    assert lines[1].startsWith('6.6,3.0,5.6,2.0 -> virginica')
    return err.toString()
}
classify(['--add-modules', 'jdk.incubator.vector'], 'example-classifier-1.0.jar')
// Raw text in, a genre out, from the jar alone.
def cp = new File(basedir, 'target/example-classifier-1.0.jar').path + File.pathSeparator + runtimeJar.path
def genre = [java, '--add-modules', 'jdk.incubator.vector', '-cp', cp, 'example.GenreCli',
             new File(basedir, 'data/genre/test/press').listFiles().sort()[0].text,
             new File(basedir, 'data/genre/test/prose').listFiles().sort()[0].text].execute()
def genreOut = new StringBuilder(), genreErr = new StringBuilder()
genre.waitForProcessOutput(genreOut, genreErr)
assert genre.exitValue() == 0 : genreErr
println genreOut
assert genreOut.toString().readLines().size() == 2 : genreOut
assert genreOut.toString().readLines().every { it =~ /^(press|prose) \(\d\.\d{3}\) <- / }
// The scalar variant's jar runs on a plain java command line.
assert !classify([], 'example-classifier-scalar-1.0.jar').contains('incubator')
return true
