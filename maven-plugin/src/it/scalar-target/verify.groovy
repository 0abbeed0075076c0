def log = new File(basedir, 'build.log').text
assert log.contains('target=scalar is not supported yet')
assert !new File(basedir, 'target/generated-sources/modelc').exists()
return true
