package dev.flyform.examples

import spock.lang.Specification
import spock.lang.TempDir

import java.nio.file.Files
import java.nio.file.Path
import java.security.MessageDigest

/**
 * The release archive `mvn package` writes (dist/flyform-VERSION.tar.gz): unpacked far from the
 * source tree, it runs with only a Java on the PATH: version, validate, and a sandbox apply.
 */
class ReleaseArchiveSpec extends Specification {

    @TempDir
    Path dir

    static Path archive() {
        Path dist = Path.of('..', 'dist').toAbsolutePath().normalize()
        List<Path> found = Files.list(dist).withCloseable { it.filter { it.fileName.toString() ==~ /flyform-.+\.tar\.gz/ }.toList() }
        assert found.size() == 1: "one archive in ${dist}: ${found}"
        found[0]
    }

    /** A run of the unpacked launcher with a bare environment: a Java on the PATH, a home, nothing of Maven's or the tree's. */
    Map run(Path launcher, Path cwd, String... args) {
        ProcessBuilder pb = new ProcessBuilder([launcher.toString()] + (args as List)).directory(cwd.toFile())
        pb.environment().clear()
        pb.environment().putAll([PATH: Path.of(System.getProperty('java.home'), 'bin').toString() + ':/usr/bin:/bin',
                                 HOME: dir.resolve('home').toString()])
        Process p = pb.start()
        String out = p.inputStream.text
        String err = p.errorStream.text
        [exit: p.waitFor(), out: out, err: err]
    }

    def "unpacked anywhere, it runs version, validate and a sandbox apply with only Java on the PATH"() {
        given:
        Path tgz = archive()
        String digest = MessageDigest.getInstance('SHA-256').digest(Files.readAllBytes(tgz)).encodeHex().toString()
        String recorded = Files.readString(Path.of(tgz.toString() + '.sha256'))
        Files.createDirectories(dir.resolve('home'))
        def untar = new ProcessBuilder('tar', 'xzf', tgz.toString(), '-C', dir.toString()).inheritIO().start().waitFor()
        String name = tgz.fileName.toString() - '.tar.gz'
        Path launcher = dir.resolve(name).resolve('bin/flyform')
        Path project = Files.createDirectories(dir.resolve('project'))
        Files.copy(dir.resolve(name).resolve('examples/quickstart/main.fly.groovy'), project.resolve('main.fly.groovy'))

        when:
        def version = run(launcher, project, 'version')
        def json = run(launcher, project, 'version', '-json')
        def validate = run(launcher, project, 'validate')
        def apply = run(launcher, project, '-sandbox', 'apply', '-auto-approve')
        def again = run(launcher, project, '-sandbox', 'plan')

        then:
        recorded == "${digest}  ${tgz.fileName}\n"
        untar == 0
        Files.isExecutable(launcher)
        version.exit == 0
        version.out.trim() == 'flyform ' + (name - 'flyform-')
        json.exit == 0
        json.out.contains('"flyform_version":"' + (name - 'flyform-') + '"')
        validate.exit == 0
        apply.exit == 0
        apply.out.contains('Apply complete!')
        again.out.startsWith('No changes.')
        (version.err + validate.err + apply.err).readLines().findAll { it.contains('cds') || it.contains('warning') } == []
    }
}
