package dev.flyform.examples

import com.fasterxml.jackson.databind.JsonNode
import com.fasterxml.jackson.databind.ObjectMapper

import java.nio.file.Files
import java.nio.file.Path

/**
 * A flyctl project's fly.toml read by flyToml('fly.toml'), in the shapes flyctl writes (Apps V2
 * from fly launch, Apps V1 with [[services]] and tcp_checks, V2 with process groups): declared,
 * applied, found on the emulator as fly.toml says, and re-planned clean.
 */
class FlyTomlSpec extends AgainstEmulator {

    static final ObjectMapper JSON = new ObjectMapper()

    void project(String toml, String script) {
        Files.copy(Path.of('src/test/resources/fly-toml', toml), dir.resolve('fly.toml'))
        Files.writeString(dir.resolve('main.fly.groovy'), script.stripIndent())
    }

    JsonNode machines(String app) {
        JSON.readTree(api('GET', "/v1/apps/${app}/machines"))
    }

    JsonNode machine(String app, String group) {
        machines(app).find { it.path('config').path('metadata').path('fly_process_group').asText() == group }
    }

    def "a fly.toml from fly launch (Apps V2): app, machine, volume, extended with IPs, a certificate and a secret"() {
        given:
        project('v2-launch.toml', '''\
            flyToml('fly.toml') {
                ip 'v6'
                certificate 'shop.acme.example'
                secret 'SESSION_KEY', 'k-1'
            }
            ''')

        when:
        def apply = flyform('apply', '-auto-approve')
        JsonNode m = machine('acme-shop', 'app')
        JsonNode service = m.path('config').path('services').get(0)
        def plan = flyform('plan')

        then:
        apply.exitCode == 0
        machines('acme-shop').size() == 1
        m.path('region').asText() == 'iad'
        m.path('config').path('image').asText() == 'flyio/hellofly:latest'
        m.path('config').path('env') == JSON.readTree('{"PORT":"8080","LOG_LEVEL":"info"}')
        m.path('config').path('guest') == JSON.readTree('{"cpu_kind":"shared","cpus":1,"memory_mb":512}')
        service.path('internal_port').asInt() == 8080
        service.path('autostop').asText() == 'stop'
        service.path('autostart').asBoolean()
        service.path('ports').collect { it.path('port').asInt() } == [80, 443]
        service.path('ports').get(0).path('force_https').asBoolean()
        service.path('ports').get(1).path('handlers').collect { it.asText() } == ['tls', 'http']
        service.path('concurrency') == JSON.readTree('{"type":"requests","soft_limit":200,"hard_limit":250}')
        service.path('checks').get(0).path('path').asText() == '/healthz'
        m.path('config').path('stop_config') == JSON.readTree('{"signal":"SIGINT","timeout":"5s"}')
        m.path('config').path('mounts').get(0).path('path').asText() == '/data'
        JSON.readTree(api('GET', '/v1/apps/acme-shop/volumes')).collect { [it.path('name').asText(), it.path('size_gb').asInt()] } == [['data', 1]]
        m.path('config').path('mounts').get(0).path('volume').asText() == JSON.readTree(api('GET', '/v1/apps/acme-shop/volumes')).get(0).path('id').asText()
        fly.inventory().path('apps').path('acme-shop').path('certificates').size() == 1
        plan.exitCode == 0
        plan.out.startsWith('No changes.')
    }

    def "an Apps V1 fly.toml: [[services]] with tcp_checks, kill_timeout in seconds, the region given"() {
        given:
        project('v1-services.toml', '''\
            flyToml('fly.toml', region: 'iad', machines: 2)
            ''')

        when:
        def apply = flyform('apply', '-auto-approve')
        JsonNode all = machines('legacy-api')
        JsonNode service = all.get(0).path('config').path('services').get(0)
        def plan = flyform('plan')

        then:
        apply.exitCode == 0
        all.size() == 2
        all.every { it.path('region').asText() == 'iad' && it.path('config').path('env').path('RAILS_ENV').asText() == 'production' }
        service.path('internal_port').asInt() == 3000
        service.path('concurrency').path('type').asText() == 'connections'
        service.path('checks') == JSON.readTree('[{"type":"tcp","interval":"15s","timeout":"2s","grace_period":"1s"}]')
        all.get(0).path('config').path('stop_config').path('timeout').asText() == '5s'
        plan.out.startsWith('No changes.')
    }

    def "process groups: a machine of each, with its command, size, checks and restart policy; deploy strategy immediate"() {
        given:
        project('v2-processes.toml', '''\
            def jobs = flyToml('fly.toml')
            output 'app', jobs.name
            ''')

        when:
        def apply = flyform('apply', '-auto-approve')
        JsonNode web = machine('acme-jobs', 'web')
        JsonNode worker = machine('acme-jobs', 'worker')
        def plan = flyform('plan')
        def state = JSON.readTree(flyform('state', 'pull').out)

        then:
        apply.exitCode == 0
        apply.out.contains('app = "acme-jobs"')
        web.path('region').asText() == 'ams'
        web.path('config').path('init').path('cmd').collect { it.asText() } == ['bin/server', '--port', '8080']
        worker.path('config').path('init').path('cmd').collect { it.asText() } == ['bin/worker', '--queue', 'default high']
        web.path('config').path('guest') == JSON.readTree('{"cpu_kind":"shared","cpus":2,"memory_mb":512}')
        worker.path('config').path('guest') == JSON.readTree('{"cpu_kind":"performance","cpus":1,"memory_mb":4096}')
        web.path('config').path('services').size() == 1
        worker.path('config').path('services').size() == 0
        web.path('config').path('checks').has('alive')
        !worker.path('config').path('checks').has('alive')
        worker.path('config').path('restart') == JSON.readTree('{"policy":"on-failure","max_retries":5}')
        web.path('config').path('metrics') == JSON.readTree('{"port":9091,"path":"/metrics"}')
        web.path('config').path('statics').get(0).path('url_prefix').asText() == '/static/'
        state.path('resources').find { it.path('type').asText() == 'fly_app' }.path('attributes').path('strategy').asText() == 'immediate'
        plan.out.startsWith('No changes.')
    }

    def "the example project: flyToml extended with IPs, a certificate, a secret and an ignoreChanges rule for its machines"() {
        given:
        Files.copy(Path.of('fly-toml/fly.toml'), dir.resolve('fly.toml'))
        Files.copy(Path.of('fly-toml/main.fly.groovy'), dir.resolve('main.fly.groovy'))
        Map<String, String> withSecret = env() + [SESSION_KEY: 'session-1']

        when:
        def apply = FlyformRun.of(dir, withSecret, ['-no-color', 'apply', '-auto-approve'])
        String id = machine('acme-shop', 'app').path('id').asText()
        Map config = JSON.readValue(api('GET', "/v1/apps/acme-shop/machines/${id}"), Map).config as Map
        config.image = 'registry.fly.io/acme-shop:deployment-2'   // as fly deploy would
        api('POST', "/v1/apps/acme-shop/machines/${id}", JSON.writeValueAsString([config: config]))
        def plan = FlyformRun.of(dir, withSecret, ['-no-color', 'plan'])

        then:
        apply.exitCode == 0
        apply.out.contains('app = "acme-shop"')
        fly.inventory().path('apps').path('acme-shop').path('ips').size() == 2
        plan.out.startsWith('No changes.')
        plan.err.contains('Drift kept: fly_machine.app_1 differs on Fly in image')
    }

    def "a fly.toml flyToml cannot use is an error at the line that reads it, before any call"() {
        given:
        Files.writeString(dir.resolve('fly.toml'), toml)
        Files.writeString(dir.resolve('main.fly.groovy'), "\n${call}\n")

        when:
        def run = flyform('validate')

        then:
        run.exitCode == 1
        run.err.contains(message)
        run.err.contains('main.fly.groovy:2')
        !run.err.contains('Exception')
        fly.calls().isEmpty()

        where:
        toml                                               | call                                   | message
        'app = "x"\nprimary_region = "iad"\n'              | "flyToml('fly.toml')"                  | "builds its image ([build] names no image)"
        'app = "x"\n[build]\nimage = "i"\n'                | "flyToml('fly.toml')"                  | 'has no primary_region'
        'app = \n'                                         | "flyToml('fly.toml')"                  | 'fly.toml is not valid TOML'
        'primary_region = "iad"\n'                         | "flyToml('fly.toml')"                  | 'names no app'
        'app = "x"\n'                                      | "flyToml('missing.toml')"              | 'No file'
        'app = "x"\n'                                      | "flyToml('fly.toml', imag: 'i')"       | 'flyToml takes no option `imag`'
    }

    def "import app -fly-toml writes a config that reads the app, its machine and its volume from fly.toml, and plans no change"() {
        given: 'an app that fly launch and fly deploy made from the fly.toml'
        Files.copy(Path.of('src/test/resources/fly-toml/v2-launch.toml'), dir.resolve('fly.toml'))
        api('POST', '/v1/apps', '{"name":"acme-shop","org_slug":"personal"}')
        String volume = JSON.readTree(api('POST', '/v1/apps/acme-shop/volumes', '{"name":"data","region":"iad","size_gb":1}')).path('id').asText()
        api('POST', '/v1/apps/acme-shop/machines', """{"name":"quiet-sun-1","region":"iad","config":{
            "image":"registry.fly.io/acme-shop:deployment-1","env":{"PORT":"8080","LOG_LEVEL":"info"},
            "guest":{"cpu_kind":"shared","cpus":1,"memory_mb":512},
            "services":[{"protocol":"tcp","internal_port":8080,"autostop":"stop","autostart":true,"min_machines_running":0,
                "concurrency":{"type":"requests","soft_limit":200,"hard_limit":250},
                "ports":[{"port":80,"handlers":["http"],"force_https":true},{"port":443,"handlers":["tls","http"]}],
                "checks":[{"type":"http","interval":"30s","timeout":"5s","grace_period":"10s","method":"GET","path":"/healthz"}]}],
            "mounts":[{"volume":"${volume}","path":"/data"}],
            "stop_config":{"signal":"SIGINT","timeout":"5s"},
            "metadata":{"fly_process_group":"app","fly_platform_version":"v2","fly_release_id":"rel_1"}}}""")
        int before = fly.calls().size()

        when:
        def imported = flyform('import', 'app', 'acme-shop', '-fly-toml', 'fly.toml', '-generate-config', 'acme-shop.fly.groovy')
        String written = Files.readString(dir.resolve('acme-shop.fly.groovy'))
        def plan = flyform('plan')
        def state = flyform('state', 'list').out

        then:
        imported.exitCode == 0
        written.contains("def app_acme_shop = flyToml('fly.toml', image: 'registry.fly.io/acme-shop:deployment-1') {")
        written.contains('ownerTag = false')
        written.contains("ignoreChanges 'image'")
        !written.contains('machine(')
        !written.contains('volume(')
        state.readLines()*.trim().toSet() == ['fly_app.acme-shop', 'fly_machine.app_1', 'fly_volume.data_app_1'] as Set
        plan.exitCode == 0
        plan.out.startsWith('No changes.')
        fly.calls().drop(before).every { !it.mutating() }

        when: 'fly deploy ships a new image'
        String id = machines('acme-shop').get(0).path('id').asText()
        Map config = JSON.readValue(api('GET', "/v1/apps/acme-shop/machines/${id}"), Map).config as Map
        config.image = 'registry.fly.io/acme-shop:deployment-2'
        api('POST', "/v1/apps/acme-shop/machines/${id}", JSON.writeValueAsString([config: config]))
        def afterDeploy = flyform('plan')

        then:
        afterDeploy.out.startsWith('No changes.')
        afterDeploy.err.contains('Drift kept: fly_machine.app_1 differs on Fly in image')
    }
}
