package dev.flyform.examples

import dev.flyform.emulator.FlyEmulator
import dev.flyform.emulator.contract.FlyContract
import spock.lang.AutoCleanup
import spock.lang.Specification
import spock.lang.TempDir

import java.net.http.HttpClient
import java.net.http.HttpRequest
import java.net.http.HttpResponse
import java.nio.file.Files
import java.nio.file.Path

/**
 * The API calls planning makes (a loop of preview apps: per PR an app, two IPs and a secret):
 * adopt-first lookups ask once per new app and never for what a new app cannot hold yet, and a
 * refresh reads many apps per GraphQL request, still seeing what was changed by hand.
 */
class RoundTripsSpec extends Specification {

    static final List<String> PRS = (1..6).collect { "pr-${it}".toString() }

    @AutoCleanup
    FlyEmulator fly = FlyEmulator.start(0)

    FlyContract contract = FlyContract.attachTo(fly)

    @TempDir
    Path dir

    /** Many apps from one loop: per PR an app, two IPs and a secret. */
    static final String CONFIG = '''\
        def prs = variable('prs', 'pr-101').split(',').collect { it.trim() }.findAll { it }
        prs.each { pr ->
            app("preview_${pr}") {
                name = "flyform-preview-${pr}"
                ip 'shared_v4'
                ip 'v6'
                secret 'PREVIEW_OF', pr
            }
        }
        '''.stripIndent()

    def setup() {
        Files.createDirectories(dir.resolve('preview-apps'))
        Files.writeString(dir.resolve('preview-apps/main.fly.groovy'), CONFIG)
    }

    def cleanup() {
        contract.assertClean()
    }

    FlyformRun flyform(String... args) {
        FlyformRun.of(dir.resolve('preview-apps'), [FLY_FLAPS_BASE_URL: fly.baseUrl().toString(),
                FLY_API_BASE_URL: fly.baseUrl().toString(), FLY_API_TOKEN: FlyEmulator.PERSONAL_TOKEN],
                ['-no-color'] + (args as List) + ['-var', 'prs=' + PRS.join(',')])
    }

    def "a plan of new apps looks each up once, and nothing of what they would hold"() {
        when:
        def plan = flyform('plan')
        def calls = fly.calls()

        then:
        plan.exitCode == 0
        plan.out.contains('Plan: 24 to add, 0 to change, 0 to destroy.')
        calls*.method().every { it == 'GET' }
        calls*.path().toSorted() == PRS.collect { "/v1/apps/flyform-preview-${it}".toString() }.toSorted()
    }

    def "a no-change plan reads all apps in one GraphQL request and still sees changes made by hand"() {
        given:
        assert flyform('apply', '-auto-approve').exitCode == 0
        int before = fly.calls().size()

        when:
        def unchanged = flyform('plan')
        def calls = fly.calls().drop(before)

        then: '24 objects in 6 apps: one request (at most two per app plus a constant is the promise)'
        unchanged.out.startsWith('No changes.')
        calls.size() == 1
        calls[0].path() == '/graphql'

        when: 'an IP released and a secret changed by hand'
        def v6 = fly.ips('flyform-preview-pr-3').find { it.type() == 'v6' }
        send('DELETE', "/v1/apps/flyform-preview-pr-3/ip_assignments/${v6.ip()}")
        send('POST', '/v1/apps/flyform-preview-pr-5/secrets/PREVIEW_OF', '{"value":"changed by hand"}')
        before = fly.calls().size()
        def drift = flyform('plan')

        then:
        drift.exitCode == 0
        drift.out.contains('# fly_ip.preview_pr-3_v6 will be created')
        drift.out.contains('# fly_secret.preview_pr-5_PREVIEW_OF will be updated in-place')
        drift.out.contains('Plan: 1 to add, 1 to change, 0 to destroy.')
        // The batch, then one direct read of the address the batch no longer shows: only that says gone.
        fly.calls().drop(before).findAll { it.path() == '/graphql' }*.operation() == ['Refresh', 'ReadIp']
    }

    def "an apply under Fly's rate limits waits for its turn instead of meeting 429s"() {
        given: 'limits per action and app (not per secret name), and per organization for app creates'
        fly.faults(fly.faults().withRateLimits(true))
        // Judged on a clock twice as fast as the wall's: a request the scheduler holds back for up
        // to a second never looks early, while a client that does not pace still sends more than
        // a burst at once and meets 429s. The outcome depends on no machine's speed.
        fly.rateClock { System.nanoTime() * 2 }
        Path limits = Files.createDirectories(dir.resolve('limits'))
        Files.writeString(limits.resolve('main.fly.groovy'), '''\
            ['one', 'two'].each { n ->
                app(n) {
                    name = "flyform-limits-${n}"
                    ['A', 'B', 'C', 'D', 'E'].each { secret it, "value-${it}" }
                }
            }
            app('three') { name = 'flyform-limits-three' }
            app('four') { name = 'flyform-limits-four' }
            '''.stripIndent())

        when:
        def apply = FlyformRun.of(limits, [FLY_FLAPS_BASE_URL: fly.baseUrl().toString(),
                FLY_API_BASE_URL: fly.baseUrl().toString(), FLY_API_TOKEN: FlyEmulator.PERSONAL_TOKEN],
                ['-no-color', 'apply', '-auto-approve'])

        then:
        apply.exitCode == 0
        apply.out.contains('14 added')
        fly.calls().findAll { it.status() == 429 } == []
        fly.apps().size() == 4
    }

    private void send(String method, String path, String body = null) {
        def request = HttpRequest.newBuilder(fly.baseUrl().resolve(path))
                .header('Authorization', "Bearer ${FlyEmulator.PERSONAL_TOKEN}")
                .header('Content-Type', 'application/json')
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .build()
        def response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString())
        assert response.statusCode() in 200..299: "${method} ${path}: ${response.statusCode()} ${response.body()}"
    }
}
