package dev.flyform.examples

import dev.flyform.emulator.FaultSettings
import dev.flyform.emulator.FlyEmulator

import java.net.http.HttpClient
import java.net.http.HttpRequest
import java.net.http.HttpResponse
import java.nio.file.Files
import java.nio.file.Path

/**
 * examples/full against a Fly that answers as the real one does: partially, with items missing
 * from its lists, asynchronously, with a machine leased by another client, 401 for a new app,
 * idle connections closed. Each time the emulator must end up holding exactly what is declared,
 * and nothing Fly still holds may leave the state.
 */
class UnkindFlySpec extends FullExampleProject {

    static final String APP = 'flyform-full-web'

    List<String> stateList() {
        def list = flyform(['state', 'list'])
        assert list.exitCode == 0: list
        list.out.readLines().findAll { it }
    }

    void assertNoChangesAndNoMutation() {
        int before = fly.calls().size()
        def again = flyform(['apply', '-auto-approve'])
        assert again.exitCode == 0: again
        assert again.out.startsWith('No changes.'): again
        assert fly.calls().drop(before).every { !it.mutating() }
    }

    def machine() {
        fly.inventory().path('apps').path(APP).path('machines').find { it.path('state').asText() != 'destroyed' }
    }

    def "a partial GraphQL answer for the app: plan and apply change nothing, destroy deletes all it forgets"() {
        given:
        assert flyform(['apply', '-auto-approve']).exitCode == 0
        List<String> recorded = stateList()
        fly.faults(FaultSettings.NONE.toBuilder().partialGraphqlApps([APP] as Set).build())

        when:
        int before = fly.calls().size()
        def plan = flyform(['plan'])
        def apply = flyform(['apply', '-auto-approve'])
        def calls = fly.calls().drop(before)

        then: 'the batch answered the app as null beside an error, and the objects were read directly'
        calls.any { it.operation() == 'Refresh' }
        plan.exitCode == 0
        plan.out.startsWith('No changes.')
        apply.exitCode == 0
        apply.out.startsWith('No changes.')
        calls.every { !it.mutating() }
        FullInventory.assertExact(fly)
        stateList() == recorded

        when:
        def destroy = flyform(['destroy', '-auto-approve'])

        then: 'what destroy forgets it deleted first: Fly holds nothing'
        destroy.exitCode == 0
        !destroy.out.contains('deleted outside flyform')
        fly.inventory().path('apps').isEmpty()
        stateList().isEmpty()
    }

    def "what can be read neither from a list nor directly fails the plan, naming it, with nothing changed"() {
        given: 'lists show nothing, and the direct read of an address fails beside its app'
        assert flyform(['apply', '-auto-approve']).exitCode == 0
        List<String> recorded = stateList()
        fly.faults(FaultSettings.NONE.toBuilder().listOmissionRate(1.0).partialGraphqlApps([APP] as Set).build())

        when:
        int before = fly.calls().size()
        def plan = flyform(['plan'])
        def apply = flyform(['apply', '-auto-approve'])

        then:
        plan.exitCode == 1
        plan.err.contains('Cannot tell whether fly_ip.web_v6')
        !plan.out.contains('will be created')
        apply.exitCode == 1
        fly.calls().drop(before).every { !it.mutating() }
        FullInventory.assertExact(fly)

        when:
        fly.faults(FaultSettings.NONE)

        then:
        stateList() == recorded
    }

    def "list answers missing #percent% of their items: plan and apply of an applied config make no duplicate"() {
        given:
        assert flyform(['apply', '-auto-approve']).exitCode == 0
        fly.faults(FaultSettings.NONE.toBuilder().seed(11).listOmissionRate(rate).build())

        when:
        int before = fly.calls().size()
        def plan = flyform(['plan'])
        def apply = flyform(['apply', '-auto-approve'])

        then:
        plan.exitCode == 0
        plan.out.startsWith('No changes.')
        apply.exitCode == 0
        fly.calls().drop(before).every { !it.mutating() }
        FullInventory.assertExact(fly)

        where:
        rate << [0.5, 1.0]
        percent = (int) (rate * 100)
    }

    def "-replace fly_app.web with Fly deleting apps asynchronously: exactly one app, holding exactly the declared children"() {
        given:
        fly.faults(FaultSettings.NONE.toBuilder().appDeletionMs(1500).build())
        assert flyform(['apply', '-auto-approve']).exitCode == 0
        String oldId = fly.app(APP).orElseThrow().id()

        when:
        def replace = flyform(['apply', '-replace', 'fly_app.web', '-auto-approve'])

        then:
        replace.exitCode == 0
        replace.out.contains('7 added')
        fly.app(APP).orElseThrow().id() != oldId
        FullInventory.assertExact(fly)

        when: 'longer than a deletion takes: nothing vanishes later'
        Thread.sleep(1_700)

        then:
        fly.app(APP).orElseThrow().id() != oldId
        FullInventory.assertExact(fly)
        assertNoChangesAndNoMutation()
    }

    def "with another client holding the machine's lease, an image change waits for it and then succeeds"() {
        given:
        assert flyform(['apply', '-auto-approve']).exitCode == 0
        fly.faults(FaultSettings.NONE.toBuilder().foreignLeaseSeconds(2).build())
        edit("image = 'flyio/hellofly:latest'", "image = 'flyio/hellofly:v2'")

        when:
        int before = fly.calls().size()
        def apply = flyform(['apply', '-auto-approve'])
        def calls = fly.calls().drop(before)
        String id = machine().path('id').asText()

        then:
        apply.exitCode == 0
        apply.out.contains('1 changed')
        apply.out.contains("fly_machine.web_1: Waiting for the lease on machine ${id} held by deploy@flyctl.example...")
        apply.err.contains('leased by deploy@flyctl.example')
        machine().path('config').path('image').asText() == 'flyio/hellofly:v2'
        calls.any { it.path().endsWith("/machines/${id}/lease") && it.status() == 409 }
        calls.findAll { it.method() == 'POST' && it.path() == "/v1/apps/${APP}/machines/${id}" }*.status() == [200]
        machine().path('state').asText() == 'started'
        assertNoChangesAndNoMutation()
    }

    def "an update keeps what flyform does not manage: fly deploy's init, files, processes, stop_config, dns, metrics, metadata and unknown future settings"() {
        given: 'a machine as fly deploy leaves one, imported with import app'
        // A Fly newer than the OpenAPI document this was built from holds a setting the document lacks.
        contract.allowing(new dev.flyform.emulator.contract.Deviation('*', '/v1/apps/deployed/machines.*', 'autoscale_hint',
                'a machine setting newer than the document', 'this test'))
                .allowing(new dev.flyform.emulator.contract.Deviation('POST', '/v1/apps/deployed/machines.*',
                        'validation.request.body.schema.allOf', 'the same setting, sent back', 'this test'))
        HttpClient http = HttpClient.newHttpClient()
        def api = { String method, String path, String body ->
            def r = http.send(HttpRequest.newBuilder(fly.baseUrl().resolve(path))
                    .header('Authorization', 'FlyV1 ' + FlyEmulator.PERSONAL_TOKEN).header('Content-Type', 'application/json')
                    .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                    .build(), HttpResponse.BodyHandlers.ofString())
            assert r.statusCode() < 300: r.body()
            r.body()
        }
        api('POST', '/v1/apps', '{"name":"deployed","org_slug":"personal"}')
        String id = (api('POST', '/v1/apps/deployed/machines', '''{"name":"app-1","region":"iad","config":{
            "image":"registry.fly.io/deployed:deployment-7","env":{"PORT":"8080"},
            "init":{"cmd":["bundle","exec","puma"]},
            "files":[{"guest_path":"/etc/app.conf","raw_value":"a2V5PXZhbHVl"}],
            "processes":[{"entrypoint":["/app/start"],"user":"app"}],
            "stop_config":{"timeout":"30s","signal":"SIGTERM"},
            "dns":{"skip_registration":false,"nameservers":["fdaa::3"]},
            "metrics":{"port":9091,"path":"/metrics"},
            "autoscale_hint":{"mode":"future","level":3},
            "metadata":{"fly_process_group":"app","fly_platform_version":"v2","fly_release_id":"rel_7"}}}''') =~ /"id":"([0-9a-f]{14})"/)[0][1]
        api('GET', "/v1/apps/deployed/machines/${id}/wait?state=started&timeout=10", null)
        Path imported = Files.createDirectories(dir.resolve('imported'))
        def importRun = FlyformRun.of(imported, env(), ['-no-color', 'import', 'app', 'deployed', '-generate-config', 'deployed.fly.groovy'])
        assert importRun.exitCode == 0: importRun
        Path file = imported.resolve('deployed.fly.groovy')
        Files.writeString(file, Files.readString(file).replace("PORT: '8080'", "PORT: '9090'"))

        when:
        def apply = FlyformRun.of(imported, env(), ['-no-color', 'apply', '-auto-approve'])
        def config = fly.inventory().path('apps').path('deployed').path('machines')[0].path('config')

        then:
        apply.exitCode == 0
        apply.out.contains('1 changed')
        config.path('env').path('PORT').asText() == '9090'
        config.path('init').path('cmd')*.asText() == ['bundle', 'exec', 'puma']
        config.path('files')[0].path('guest_path').asText() == '/etc/app.conf'
        config.path('processes')[0].path('entrypoint')*.asText() == ['/app/start']
        config.path('stop_config').path('timeout').asText() == '30s'
        config.path('dns').path('nameservers')*.asText() == ['fdaa::3']
        config.path('metrics').path('port').asInt() == 9091
        config.path('metadata').path('fly_process_group').asText() == 'app'
        config.path('metadata').path('fly_release_id').asText() == 'rel_7'
        config.path('image').asText() == 'registry.fly.io/deployed:deployment-7'

        and: 'a setting newer than flyform (in no OpenAPI document it knows) is sent back as Fly holds it'
        config.path('autoscale_hint').path('mode').asText() == 'future'
        config.path('autoscale_hint').path('level').asInt() == 3
    }

    def "401 for a moment after the app is created: the apply waits it out and converges with no duplicate"() {
        given:
        fly.faults(FaultSettings.NONE.toBuilder().unauthorizedAfterCreateMs(800).build())

        when:
        def apply = flyform(['apply', '-auto-approve'])

        then:
        apply.exitCode == 0
        fly.calls().any { it.status() == 401 }
        FullInventory.assertExact(fly)
        assertNoChangesAndNoMutation()
    }

    def "idle connections closed by Fly: a from-scratch apply converges with no duplicate"() {
        given: 'every pause longer than 20 ms between two requests on a connection closes it'
        fly.faults(FaultSettings.NONE.toBuilder().idleCloseMs(20).build())

        when:
        def apply = flyform(['apply', '-auto-approve'])

        then: 'reads met closed connections; no create was ever sent on one'
        apply.exitCode == 0
        fly.calls().any { it.status() == 0 }
        fly.calls().findAll { it.method() == 'POST' && it.intent() != null && it.mutating() }.every { it.status() != 0 }
        FullInventory.assertExact(fly)
        assertNoChangesAndNoMutation()
        CrashSafetySpec.assertNoBlindResend(fly.calls())
    }

    def "a secret change boots each machine once per apply: a restart alone, none when the machine is updated too"() {
        given:
        assert flyform(['apply', '-auto-approve']).exitCode == 0
        String id = machine().path('id').asText()
        def boots = { List calls -> calls.findAll { it.method() == 'POST' && it.status() == 200
                && (it.path() == "/v1/apps/${APP}/machines/${id}" || it.path() == "/v1/apps/${APP}/machines/${id}/restart") }*.path() }

        when: 'only the secret changes'
        int before = fly.calls().size()
        def secretOnly = flyform(['apply', '-auto-approve'], SECRET + '-2')

        then:
        secretOnly.exitCode == 0
        boots(fly.calls().drop(before)) == ["/v1/apps/${APP}/machines/${id}/restart".toString()]

        when: 'the secret and the machine change together'
        edit("env PORT: '8080'", "env PORT: '8081'")
        before = fly.calls().size()
        def both = flyform(['apply', '-auto-approve'])

        then: 'the update boots it with the new secret; no restart on top'
        both.exitCode == 0
        both.out.contains('0 added, 2 changed')
        boots(fly.calls().drop(before)) == ["/v1/apps/${APP}/machines/${id}".toString()]
        machine().path('state').asText() == 'started'
    }

    def "a volume is replaced by making the new one first; the old one is deleted only once nothing uses it"() {
        given:
        assert flyform(['apply', '-auto-approve']).exitCode == 0
        String oldId = fly.inventory().path('apps').path(APP).path('volumes')[0].path('id').asText()
        edit("name = 'data'", "name = 'data2'")

        when: 'only the volume is targeted: the machine still mounts the old one, so it cannot go yet'
        def targeted = flyform(['apply', '-auto-approve', '-target', 'fly_volume.web_data'])
        def live = { fly.inventory().path('apps').path(APP).path('volumes').findAll { it.path('state').asText() == 'created' } }

        then: 'the new volume exists, the old one is kept, and the state remembers to delete it'
        targeted.exitCode == 1
        live()*.path('name')*.asText().toSorted() == ['data', 'data2']
        stateList().contains("fly_volume.web_data-deposed-${oldId}".toString())

        when: 'a full apply moves the machine over, then deletes the old volume'
        int before = fly.calls().size()
        def full = flyform(['apply', '-auto-approve'])
        def calls = fly.calls().drop(before)
        def update = calls.findIndexOf { it.method() == 'POST' && it.path() ==~ "/v1/apps/${APP}/machines/[0-9a-f]+" }
        def delete = calls.findIndexOf { it.method() == 'DELETE' && it.path() == "/v1/apps/${APP}/volumes/${oldId}" }

        then:
        full.exitCode == 0
        update >= 0 && delete > update
        live()*.path('name')*.asText() == ['data2']
        machine().path('config').path('mounts')[0].path('volume').asText() == live()[0].path('id').asText()
        !stateList().any { it.contains('deposed') }
        assertNoChangesAndNoMutation()
    }

    def "a machine that fails to start is recorded and reported, naming it"() {
        given:
        fly.faults(FaultSettings.NONE.toBuilder().failingImages(['flyio/hellofly:latest'] as Set).build())

        when:
        def apply = flyform(['apply', '-auto-approve'])

        then:
        apply.exitCode == 1
        apply.err.contains('fly_machine.web_1 failed to start') || apply.out.contains('fly_machine.web_1 failed to start')
        stateList().contains('fly_machine.web_1')
        machine().path('state').asText() == 'failed'
    }
}
