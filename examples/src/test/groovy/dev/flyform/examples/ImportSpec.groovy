package dev.flyform.examples

import dev.flyform.emulator.FlyEmulator
import dev.flyform.emulator.contract.FlyContract
import dev.flyform.state.h2.H2StateStore
import spock.lang.AutoCleanup
import spock.lang.Specification
import spock.lang.TempDir

import java.net.http.HttpClient
import java.net.http.HttpRequest
import java.net.http.HttpResponse
import java.nio.file.Files
import java.nio.file.Path

/** Bringing apps made with flyctl under flyform: `flyform import`, for one object or a whole app. */
class ImportSpec extends Specification {

    /** The variables import reads the secrets' values from: named after the app and the secret. */
    static final Map<String, String> SECRETS = [LEGACY_APP_DATABASE_URL: 'postgres://legacy', LEGACY_APP_API_KEY: 'k-123',
                                                LEGACY_APP_SESSION_SECRET: 's-456']

    @AutoCleanup
    FlyEmulator fly = FlyEmulator.start(0)

    FlyContract contract = FlyContract.attachTo(fly)

    @TempDir
    Path dir

    HttpClient http = HttpClient.newHttpClient()

    def cleanup() {
        if (contract.checked() > 0) {
            contract.assertClean()
        }
    }

    Map<String, String> env() {
        [FLY_FLAPS_BASE_URL: fly.baseUrl().toString(), FLY_API_BASE_URL: fly.baseUrl().toString(), FLY_API_TOKEN: FlyEmulator.PERSONAL_TOKEN] + SECRETS
    }

    FlyformRun flyform(String... args) {
        FlyformRun.of(dir, env(), ['-no-color'] + (args as List))
    }

    /** A call the way flyctl makes it: straight to the API. */
    String api(String method, String path, String body = null) {
        def response = http.send(HttpRequest.newBuilder(fly.baseUrl().resolve(path))
                .header('Authorization', 'FlyV1 ' + FlyEmulator.PERSONAL_TOKEN)
                .header('Content-Type', 'application/json')
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .build(), HttpResponse.BodyHandlers.ofString())
        assert response.statusCode() < 300: "${method} ${path}: ${response.body()}"
        return response.body()
    }

    static String id(String json) {
        (json =~ /"id":"([^"]+)"/)[0][1]
    }

    /** An app set up as flyctl leaves one: addresses, certificates, secrets, a volume, two machines. */
    void legacyApp() {
        api('POST', '/v1/apps', '{"name":"legacy-app","org_slug":"personal"}')
        api('POST', '/v1/apps/legacy-app/ip_assignments', '{"type":"shared_v4"}')
        api('POST', '/v1/apps/legacy-app/ip_assignments', '{"type":"v6"}')
        api('POST', '/v1/apps/legacy-app/certificates/acme', '{"hostname":"legacy.example.com"}')
        api('POST', '/v1/apps/legacy-app/certificates/acme', '{"hostname":"www.legacy.example.com"}')
        api('POST', '/v1/apps/legacy-app/secrets', '{"values":{"DATABASE_URL":"postgres://legacy","API_KEY":"k-123","SESSION_SECRET":"s-456"}}')
        String volume = id(api('POST', '/v1/apps/legacy-app/volumes', '{"name":"data","region":"iad","size_gb":3}'))
        api('POST', '/v1/apps/legacy-app/machines', """{"name":"web-1","region":"iad","config":{
            "image":"registry.fly.io/legacy-app:deployment-01","env":{"PORT":"8080","PRIMARY_REGION":"iad"},
            "guest":{"cpu_kind":"shared","cpus":1,"memory_mb":512},
            "services":[{"protocol":"tcp","internal_port":8080,"autostop":"stop","autostart":true,"min_machines_running":0,
              "ports":[{"port":80,"handlers":["http"],"force_https":true},{"port":443,"handlers":["tls","http"]}]}],
            "checks":{"alive":{"type":"tcp","port":8080,"interval":"15s","timeout":"2s"}},
            "mounts":[{"volume":"${volume}","path":"/data"}],
            "restart":{"policy":"on-failure","max_retries":3},
            "metadata":{"fly_process_group":"app","fly_platform_version":"v2","fly_release_id":"rel_1"}}}""")
        api('POST', '/v1/apps/legacy-app/machines', '''{"name":"worker-1","region":"iad","config":{
            "image":"registry.fly.io/legacy-app:deployment-01","env":{"ROLE":"worker"},
            "guest":{"cpu_kind":"shared","cpus":1,"memory_mb":256},
            "services":[{"protocol":"tcp","internal_port":9090,"ports":[{"port":9090,"handlers":["http"]}]}],
            "metadata":{"fly_process_group":"worker","fly_platform_version":"v2"}}}''')
        awaitMachinesStarted('legacy-app')
    }

    /** As flyctl waits after a deploy: until every machine has started. */
    void awaitMachinesStarted(String app) {
        (api('GET', "/v1/apps/${app}/machines") =~ /"id":"([0-9a-f]{14})"/).collect { it[1] }.each {
            api('GET', "/v1/apps/${app}/machines/${it}/wait?state=started&timeout=10")
        }
    }

    def "import app records the app and all it holds, and writes declarations that plan to no change"() {
        given:
        legacyApp()
        def inventoryBefore = fly.inventory().toString()

        when:
        def imported = flyform('import', 'app', 'legacy-app', '-generate-config', 'legacy-app.fly.groovy')
        // Kept for a look when the golden comparison fails.
        Files.copy(dir.resolve('legacy-app.fly.groovy'), Path.of('target/import-legacy-app.actual.fly.groovy'),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING)
        def validate = flyform('validate')
        def plan = flyform('plan')
        int before = fly.calls().size()
        def apply = flyform('apply', '-auto-approve')

        then:
        imported.exitCode == 0
        imported.out.contains('Wrote legacy-app.fly.groovy')
        imported.out.contains('11 objects recorded')
        validate.exitCode == 0
        Files.readString(dir.resolve('legacy-app.fly.groovy')) ==
                Files.readString(Path.of('src/test/resources/golden/import-legacy-app.fly.groovy'))
        plan.exitCode == 0
        plan.out.startsWith('No changes.')
        apply.out.startsWith('No changes.')
        fly.calls().drop(before).every { !it.mutating() }
        fly.inventory().toString() == inventoryBefore
    }

    def "import app refuses to overwrite a file, and leaves the state alone"() {
        given:
        legacyApp()
        Files.writeString(dir.resolve('legacy-app.fly.groovy'), '// mine\n')

        when:
        def run = flyform('import', 'app', 'legacy-app', '-generate-config', 'legacy-app.fly.groovy')

        then:
        run.exitCode == 1
        run.err.contains('legacy-app.fly.groovy exists already')
        Files.readString(dir.resolve('legacy-app.fly.groovy')) == '// mine\n'
        !Files.exists(dir.resolve('.flyform/state.mv.db'))
    }

    def "import org writes one file per app"() {
        given:
        legacyApp()
        api('POST', '/v1/apps', '{"name":"second-app","org_slug":"personal"}')

        when:
        def run = flyform('import', 'org', 'personal', '-generate-config', '.')

        then:
        run.exitCode == 0
        Files.exists(dir.resolve('legacy-app.fly.groovy'))
        Files.exists(dir.resolve('second-app.fly.groovy'))
        flyform('plan').out.startsWith('No changes.')
    }

    def "secrets imported without their values: one variable per app and secret, named once; the first value given is the baseline"() {
        given: 'two apps holding a secret of one name, with different values, and no variable exported'
        api('POST', '/v1/apps', '{"name":"shop-a","org_slug":"personal"}')
        api('POST', '/v1/apps', '{"name":"shop-b","org_slug":"personal"}')
        api('POST', '/v1/apps/shop-a/secrets', '{"values":{"API_KEY":"a-1"}}')
        api('POST', '/v1/apps/shop-b/secrets', '{"values":{"API_KEY":"b-2"}}')
        def bare = [FLY_FLAPS_BASE_URL: fly.baseUrl().toString(), FLY_API_BASE_URL: fly.baseUrl().toString(),
                    FLY_API_TOKEN: FlyEmulator.PERSONAL_TOKEN]

        when:
        def imported = FlyformRun.of(dir, bare, ['-no-color', 'import', 'org', 'personal', '-generate-config', '.'])
        long mutating = fly.calls().count { it.mutating() }
        def exported = bare + [SHOP_A_API_KEY: 'a-1', SHOP_B_API_KEY: 'b-2']
        def plan = FlyformRun.of(dir, exported, ['-no-color', 'plan'])
        def apply = FlyformRun.of(dir, exported, ['-no-color', 'apply', '-auto-approve'])
        def again = FlyformRun.of(dir, exported, ['-no-color', 'plan'])
        def changed = FlyformRun.of(dir, exported + [SHOP_B_API_KEY: 'b-3'], ['-no-color', 'plan'])

        then: 'each app reads its own variable, and the message names each once'
        imported.exitCode == 0
        Files.readString(dir.resolve('shop-a.fly.groovy')).contains("secret 'API_KEY', env('SHOP_A_API_KEY')")
        Files.readString(dir.resolve('shop-b.fly.groovy')).contains("secret 'API_KEY', env('SHOP_B_API_KEY')")
        imported.out.contains(': SHOP_A_API_KEY, SHOP_B_API_KEY\n')
        imported.out.count('SHOP_A_API_KEY') == 1

        and: 'exporting them plans no change: the values given are taken as what Fly holds, recorded with no call to Fly'
        plan.exitCode == 0
        plan.out.contains('No changes.')
        plan.out.contains('fly_secret.shop-a_API_KEY: value = (sensitive value) (taken as what Fly holds)')
        !plan.out.contains('~ value')
        apply.exitCode == 0
        fly.calls().count { it.mutating() } == mutating
        again.out.startsWith('No changes.')

        and: 'from then on, a different value is a change'
        changed.out.contains('# fly_secret.shop-b_API_KEY will be updated in-place')
        !changed.out.contains('fly_secret.shop-a_API_KEY will be')
    }

    def "import org into another directory keeps the state with the files: plan there finds everything"() {
        given:
        legacyApp()

        when:
        def run = flyform('import', 'org', 'personal', '-generate-config', 'infra')
        def there = FlyformRun.of(dir.resolve('infra'), env(), ['-no-color', 'plan'])

        then:
        run.exitCode == 0
        run.out.contains('Wrote infra/legacy-app.fly.groovy')
        Files.exists(dir.resolve('infra/.flyform/state.mv.db'))
        !Files.exists(dir.resolve('.flyform/state.mv.db'))
        there.exitCode == 0
        there.out.startsWith('No changes.')
    }

    def "a single #type imported into its declared address plans no change"() {
        given:
        legacyApp()
        String volumeId = id(api('GET', '/v1/apps/legacy-app/volumes'))
        String machineId = (api('GET', '/v1/apps/legacy-app/machines?metadata.fly_process_group=worker') =~ /"id":"([0-9a-f]+)"/)[0][1]
        String v6 = (api('GET', '/v1/apps/legacy-app/ip_assignments') =~ /"ip":"(2a09[^"]+)"/)[0][1]
        Files.writeString(dir.resolve('main.fly.groovy'), """\
            def legacy = app('legacy') { name = 'legacy-app' }
            ${declaration}
            """.stripIndent())
        def importId = importIdOf.call(volumeId, machineId, v6)

        when:
        def run = flyform('import', address, importId)
        def plan = flyform('plan')

        then:
        run.exitCode == 0
        plan.exitCode == 0
        !plan.out.contains(address + ' ')            // nothing planned for it
        type == 'app' || plan.out.contains('# fly_app.legacy will be adopted')   // the app, not imported, is adopted

        where:
        type          | address                        | declaration                                                                                                | importIdOf
        'app'         | 'fly_app.legacy'               | ''                                                                                                         | { v, m, ip -> 'legacy-app' }
        'IP'          | 'fly_ip.v6'                    | "ip('v6') { app = legacy; type = 'v6' }"                                                                   | { v, m, ip -> "legacy-app/${ip}" }
        'certificate' | 'fly_certificate.www'          | "certificate('www') { app = legacy; hostname = 'www.legacy.example.com' }"                                 | { v, m, ip -> 'legacy-app/www.legacy.example.com' }
        'secret'      | 'fly_secret.api_key'           | "secret('api_key') { app = legacy; name = 'API_KEY'; value = env('LEGACY_APP_API_KEY') }"                             | { v, m, ip -> 'legacy-app/API_KEY' }
        'volume'      | 'fly_volume.data'              | "volume('data') { app = legacy; name = 'data'; region = 'iad'; sizeGb = 3 }"                               | { v, m, ip -> "legacy-app/${v}" }
        'machine'     | 'fly_machine.worker'           | WORKER                                                                                                     | { v, m, ip -> "legacy-app/${m}" }
    }

    static final String WORKER = '''machine('worker') {
                app = legacy
                name = 'worker-1'
                region = 'iad'
                image = 'registry.fly.io/legacy-app:deployment-01'
                env ROLE: 'worker'
                guest cpuKind: 'shared', cpus: 1, memoryMb: 256
                service(internalPort: 9090, protocol: 'tcp') { port 9090, handlers: ['http'] }
                metadata fly_process_group: 'worker', fly_platform_version: 'v2'
                ownerTag = false
            }'''

    def "importing a missing object exits 1 with a clear message and leaves the state untouched"() {
        given:
        Files.writeString(dir.resolve('main.fly.groovy'), "app('web') { name = 'web-app' }\napp('other') { name = 'other-app' }\n")
        api('POST', '/v1/apps', '{"name":"other-app","org_slug":"personal"}')
        assert flyform('import', 'fly_app.other', 'other-app').exitCode == 0
        def before = stateSnapshot()

        when:
        def missing = flyform('import', 'fly_app.web', 'no-such-app')
        def undeclared = flyform('import', 'fly_app.nope', 'other-app')
        def twice = flyform('import', 'fly_app.other', 'other-app')

        then:
        missing.exitCode == 1
        missing.err.contains('No app named "no-such-app" exists')
        undeclared.exitCode == 1
        undeclared.err.contains('fly_app.nope is not declared in the configuration')
        twice.exitCode == 1
        twice.err.contains('fly_app.other is already in the state')
        stateSnapshot() == before
    }

    private String stateSnapshot() {
        H2StateStore.openDirectory(dir.resolve('.flyform')).withCloseable { store ->
            def state = store.read()
            "${state.serial()} ${state.resources()}".toString()
        }
    }
}
