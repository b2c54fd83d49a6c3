package dev.flyform.examples

import dev.flyform.emulator.FlyEmulator
import dev.flyform.emulator.contract.FlyContract
import spock.lang.AutoCleanup
import spock.lang.Specification
import spock.lang.TempDir

import java.nio.file.Files
import java.nio.file.Path

/**
 * A copy of examples/full in a temporary directory, run in-process against an emulator whose
 * every exchange is checked against Fly's contract.
 */
abstract class FullExampleProject extends Specification {

    static final String SECRET = 'postgres://user:s3cr3t-pa55word@db.internal/app'

    @AutoCleanup
    FlyEmulator fly = FlyEmulator.start(0)

    FlyContract contract = FlyContract.attachTo(fly)

    @TempDir
    Path dir

    Path project

    def setup() {
        project = dir.resolve('full')
        Files.createDirectories(project)
        Files.copy(Path.of('full/main.fly.groovy'), project.resolve('main.fly.groovy'))
    }

    def cleanup() {
        if (contract.checked() > 0) {
            contract.assertClean()
        }
    }

    Map<String, String> env(String secret = SECRET) {
        [FLY_FLAPS_BASE_URL: fly.baseUrl().toString(), FLY_API_BASE_URL: fly.baseUrl().toString(),
         FLY_API_TOKEN: FlyEmulator.PERSONAL_TOKEN, DATABASE_URL: secret]
    }

    FlyformRun flyform(List<String> args, String secret = SECRET) {
        FlyformRun.of(project, env(secret), ['-no-color'] + args)
    }

    void edit(String from, String to) {
        String text = Files.readString(project.resolve('main.fly.groovy'))
        assert text.contains(from)
        Files.writeString(project.resolve('main.fly.groovy'), text.replace(from, to))
    }
}
