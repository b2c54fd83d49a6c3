package dev.flyform.examples

import dev.flyform.emulator.FlyEmulator
import dev.flyform.emulator.contract.FlyContract
import spock.lang.AutoCleanup
import spock.lang.Specification
import spock.lang.TempDir

import java.nio.file.Path

/**
 * A configuration in a temporary directory, run in-process against an emulator whose every
 * exchange is checked against Fly's contract.
 */
abstract class AgainstEmulator extends Specification {

    @AutoCleanup
    FlyEmulator fly = FlyEmulator.start(0)

    FlyContract contract = FlyContract.attachTo(fly)

    @TempDir
    Path dir

    def cleanup() {
        if (contract.checked() > 0) {
            contract.assertClean()
        }
    }

    Map<String, String> env() {
        [FLY_FLAPS_BASE_URL: fly.baseUrl().toString(), FLY_API_BASE_URL: fly.baseUrl().toString(),
         FLY_API_TOKEN: FlyEmulator.PERSONAL_TOKEN, HOME: dir.toString()]
    }

    /** flyform in the temporary directory, without colour. */
    FlyformRun flyform(String... args) {
        FlyformRun.of(dir, env(), ['-no-color'] + (args as List<String>))
    }
}
