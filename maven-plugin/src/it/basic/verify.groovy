// The Java is under target/generated-sources/modelc, the weights are in the jar beside the class,
// the build log says what was generated, and the tests that use the generated classes ran.
import java.util.zip.ZipFile

def log = new File(basedir, 'build.log').text
assert new File(basedir, 'target/generated-sources/modelc/modelc/generated/Tiny.java').isFile()
assert new File(basedir, 'target/generated-sources/modelc/modelc/generated/TinyPredictor.java').isFile()
assert new File(basedir, 'target/generated-sources/modelc/com/acme/IrisNet.java').isFile()
assert log.contains('Generated modelc.generated.Tiny from tiny.model')
assert log.contains('Generated com.acme.IrisNet from com/acme/iris_net.model')
assert log.contains('modelc: 2 generated, 0 up to date, 0 removed')
assert new File(basedir, 'target/generated-test-sources/modelc/modelc/generated/Probe.java').isFile()
assert log.contains('Tests run: 4, Failures: 0, Errors: 0, Skipped: 0')

def jar = new ZipFile(new File(basedir, 'target/basic-1.0.jar'))
try {
    assert jar.getEntry('modelc/generated/Tiny.class') != null
    assert jar.getEntry('modelc/generated/Tiny.safetensors') != null
    assert jar.getEntry('com/acme/IrisNet.class') != null
    assert jar.getEntry('modelc/generated/Probe.class') == null : 'test models stay out of the jar'
} finally {
    jar.close()
}
return true
