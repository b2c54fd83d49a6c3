package dev.flyform.examples

import com.fasterxml.jackson.databind.ObjectMapper
import spock.lang.Specification
import spock.lang.TempDir
import spock.lang.Timeout

import java.net.http.HttpClient
import java.net.http.HttpRequest
import java.net.http.HttpResponse
import java.nio.file.Path
import java.util.concurrent.TimeUnit

/**
 * `bin/flyform emulator`, run as a user runs it: a separate process from the built distribution,
 * serving REST and GraphQL over loopback until it is stopped.
 */
class EmulatorCommandSpec extends Specification {

    @TempDir
    Path dir

    Process process

    def cleanup() {
        process?.destroy()
        process?.waitFor(10, TimeUnit.SECONDS)
    }

    @Timeout(60)
    def "flyform emulator serves REST and GraphQL, with the faults given on its command line"() {
        given:
        def launcher = Path.of('..', 'bin', 'flyform').toAbsolutePath().normalize()
        def builder = new ProcessBuilder(launcher.toString(), 'emulator', '-port', '0', '-latency', '7', '-seed', '3',
                '-list-omission-rate', '0.25', '-partial-graphql', 'a,b', '-unauthorized-after-create', '40', '-idle-close', '5000',
                '-foreign-lease', '9', '-failing-images', 'broken:1', '-machine-transition', '0', '-app-deletion', '1000')
                .directory(dir.toFile())
                .redirectErrorStream(true)
        builder.environment().put('FLYFORM_CDS', '0')
        process = builder.start()
        def reader = new BufferedReader(new InputStreamReader(process.inputStream))
        def banner = []
        String line
        while ((line = reader.readLine()) != null && !line.startsWith('Press Ctrl-C')) {
            banner << line
        }
        def url = (banner[0] =~ /listening on (http:\/\/127\.0\.0\.1:\d+)/)[0][1]
        def http = HttpClient.newHttpClient()
        def token = (banner.find { it.contains('FLY_API_TOKEN=') } =~ /FLY_API_TOKEN=(\S+)/)[0][1]

        when:
        def created = http.send(HttpRequest.newBuilder(URI.create("${url}/v1/apps"))
                .header('Authorization', "Bearer ${token}")
                .POST(HttpRequest.BodyPublishers.ofString('{"name":"from-cli","org_slug":"personal"}')).build(),
                HttpResponse.BodyHandlers.ofString())
        def graphql = http.send(HttpRequest.newBuilder(URI.create("${url}/graphql"))
                .header('Authorization', "Bearer ${token}")
                .POST(HttpRequest.BodyPublishers.ofString('{"query":"{ app(name: \\"from-cli\\") { name sharedIpAddress } }"}')).build(),
                HttpResponse.BodyHandlers.ofString())
        def faults = new ObjectMapper().readValue(http.send(HttpRequest.newBuilder(URI.create("${url}/_emulator/faults")).build(),
                HttpResponse.BodyHandlers.ofString()).body(), Map)

        then:
        banner.any { it == "  export FLY_FLAPS_BASE_URL=${url}".toString() }
        banner.any { it == "  export FLY_API_BASE_URL=${url}".toString() }
        created.statusCode() == 201
        new ObjectMapper().readValue(graphql.body(), Map).data.app.name == 'from-cli'
        faults.latency_ms == 7
        faults.seed == 3
        faults.list_omission_rate == 0.25
        faults.partial_graphql_apps.toSorted() == ['a', 'b']
        faults.unauthorized_after_create_ms == 40
        faults.idle_close_ms == 5000
        faults.foreign_lease_seconds == 9
        faults.failing_images == ['broken:1']
        faults.machine_transition_ms == 0
        faults.app_deletion_ms == 1000
    }

    def "a wrong emulator flag is exit 1 naming it"() {
        when:
        def run = FlyformRun.of(dir, [:], ['emulator', '-fault-rate', '3'])

        then:
        run.exitCode == 1
        run.err.contains('failure_rate must be between 0 and 1')

        when:
        def omission = FlyformRun.of(dir, [:], ['emulator', '-list-omission-rate', '1.5'])

        then:
        omission.exitCode == 1
        omission.err.contains('list_omission_rate must be between 0 and 1')
    }
}
