package dev.flyform.examples

import dev.flyform.emulator.FlyEmulator
import dev.flyform.emulator.contract.FlyContract
import spock.lang.AutoCleanup
import spock.lang.Specification
import spock.lang.TempDir

import java.net.http.HttpClient
import java.net.http.HttpRequest
import java.net.http.HttpResponse
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

    /** A call to the emulator's API as another tool (flyctl, fly deploy) makes it: its body as text. */
    String api(String method, String path, String body = null) {
        def response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(fly.baseUrl().resolve(path))
                .header('Authorization', 'FlyV1 ' + FlyEmulator.PERSONAL_TOKEN)
                .header('Content-Type', 'application/json')
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .build(), HttpResponse.BodyHandlers.ofString())
        assert response.statusCode() < 300: "${method} ${path}: ${response.body()}"
        return response.body()
    }
}
