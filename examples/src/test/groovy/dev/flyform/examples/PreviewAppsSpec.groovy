package dev.flyform.examples

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres
import spock.lang.Shared

import java.net.http.HttpClient
import java.net.http.HttpRequest
import java.net.http.HttpResponse
import java.nio.file.Files
import java.nio.file.Path

/**
 * examples/preview-apps as CI runs it: its preview.sh, through one pull request's life (open,
 * push, a new commit, close), each step on a fresh runner (a new copy of the directory, nothing
 * kept but the PostgreSQL state), judged by what the emulator holds after each.
 */
class PreviewAppsSpec extends AgainstEmulator {

    @Shared
    EmbeddedPostgres postgres = EmbeddedPostgres.builder().start()

    String stateUrl

    def setup() {
        stateUrl = "postgres://postgres@localhost:${postgres.port}/postgres?schema=p_${UUID.randomUUID().toString().replace('-', '')}"
    }

    def cleanupSpec() {
        postgres.close()
    }

    int runners = 0

    /** preview.sh ACTION PR on a fresh runner: [exit, output, the step outputs it wrote]. */
    Map step(String action, String image = 'registry.fly.io/acme:commit-1', String pr = '7') {
        Path runner = dir.resolve("runner-${++runners}")
        Files.createDirectories(runner)
        ['main.fly.groovy', 'preview.sh'].each { Files.copy(Path.of('preview-apps', it), runner.resolve(it)) }
        runner.resolve('preview.sh').toFile().setExecutable(true)
        Path outputs = runner.resolve('github-output')
        ProcessBuilder pb = new ProcessBuilder('bash', runner.resolve('preview.sh').toString(), action, pr).directory(runner.toFile())
                .redirectErrorStream(true)
        pb.environment().putAll(env() + [FLYFORM: FlyformProcess.LAUNCHER.toString(), FLYFORM_STATE: stateUrl,
                                         FLYFORM_VAR_image: image, PREVIEW_SESSION_KEY: 'session-key-1',
                                         GITHUB_OUTPUT: outputs.toString()])
        pb.environment().remove('FLYFORM_WORKSPACE')
        Process p = pb.start()
        String out = p.inputStream.text
        int exit = p.waitFor()
        println "--- preview.sh ${action} ${pr} (exit ${exit})\n${out}"
        [exit: exit, out: out, outputs: Files.exists(outputs) ? Files.readString(outputs) : '']
    }

    int status(String path) {
        HttpClient.newHttpClient().send(HttpRequest.newBuilder(fly.baseUrl().resolve(path))
                .header('Authorization', 'FlyV1 ' + dev.flyform.emulator.FlyEmulator.PERSONAL_TOKEN).GET().build(),
                HttpResponse.BodyHandlers.discarding()).statusCode()
    }

    static final String APP = 'acme-preview-pr-7'

    def "a pull request's life: open makes it all, a push changes nothing, a new commit is one update, close deletes it all"() {
        when: 'opened'
        def open = step('open')

        then:
        open.exit == 0
        open.out.contains("url=https://${APP}.fly.dev")
        open.outputs == "url=https://${APP}.fly.dev\n"
        fly.apps()*.name() == [APP]
        fly.ips(APP)*.type().toSorted() == ['shared_v4', 'v6']
        fly.inventory().path('apps').path(APP).path('certificates').collect { it.isTextual() ? it.asText() : it.path('hostname').asText() } == ['pr-7.preview.acme.example']
        fly.inventory().path('apps').path(APP).path('secrets').collect { it.isTextual() ? it.asText() : it.path('name').asText() }.toSorted() == ['PREVIEW_OF', 'SESSION_KEY']
        fly.inventory().path('apps').path(APP).path('machines').collect { it.path('config').path('image').asText() } == ['registry.fly.io/acme:commit-1']

        when: 'a push that changes nothing flyform manages'
        int before = fly.calls().size()
        def push = step('sync')

        then:
        push.exit == 0
        push.out.contains('No changes.')
        fly.calls().drop(before).every { !it.mutating() }

        when: 'a new commit: a new image'
        String machine = fly.inventory().path('apps').path(APP).path('machines').get(0).path('id').asText()
        before = fly.calls().size()
        def commit = step('sync', 'registry.fly.io/acme:commit-2')
        def sent = fly.calls().drop(before).findAll { it.mutating() }

        then:
        commit.exit == 0
        sent.findAll { it.path() == "/v1/apps/${APP}/machines/${machine}".toString() }*.method() == ['POST']
        sent.every { it.path().startsWith("/v1/apps/${APP}/machines/${machine}") }   // the update, and its lease
        fly.inventory().path('apps').path(APP).path('machines').collect { it.path('config').path('image').asText() } == ['registry.fly.io/acme:commit-2']

        when: 'closed'
        def close = step('close')
        def workspaces = FlyformRun.of(dir, env() + [FLYFORM_STATE: stateUrl], ['-no-color', 'workspace', 'list'])

        then:
        close.exit == 0
        close.out.contains("closed pr-7 (${APP} deleted)")
        status("/v1/apps/${APP}") == 404
        fly.apps().isEmpty()
        !workspaces.out.contains('pr-7')
    }

    FlyformRun sweep(String... args) {
        FlyformRun.of(dir, env() + [FLYFORM_STATE: stateUrl], ['-no-color', 'sweep'] + (args as List<String>))
    }

    def "sweep deletes the preview apps no kept workspace holds: one no state knows, one whose close never ran; young and kept ones stay"() {
        given: 'four days ago: pr-5 made by hand, pr-8 opened and never closed'
        fly.clock { System.currentTimeMillis() - 4L * 24 * 3600 * 1000 }   // the clock apps age by
        api('POST', '/v1/apps', '{"name":"acme-preview-pr-5","org_slug":"personal"}')
        assert step('open', 'registry.fly.io/acme:commit-1', '8').exit == 0
        fly.clock { System.currentTimeMillis() }
        and: 'today: pr-7 open, pr-6 just made by hand'
        assert step('open', 'registry.fly.io/acme:commit-1', '7').exit == 0
        api('POST', '/v1/apps', '{"name":"acme-preview-pr-6","org_slug":"personal"}')
        int before = fly.calls().size()

        when:
        def dry = sweep('-match', 'acme-preview-pr-*', '-older-than', '72h', '-keep-workspaces', 'pr-7')

        then:
        dry.exitCode == 0
        dry.out.contains('Would delete acme-preview-pr-5 (created ')
        dry.out.contains('held by no workspace of this state')
        dry.out.contains('Would delete acme-preview-pr-8 (created ')
        dry.out.contains('held by workspace pr-8, not kept')
        !dry.out.contains('acme-preview-pr-6')
        !dry.out.contains('acme-preview-pr-7')
        dry.out.contains('2 app(s) to sweep. Run again with -auto-approve to delete them.')
        fly.calls().drop(before).every { !it.mutating() }

        when:
        def swept = sweep('-match', 'acme-preview-pr-*', '-older-than', '72h', '-keep-workspaces', 'pr-7', '-auto-approve')
        def workspaces = FlyformRun.of(dir, env() + [FLYFORM_STATE: stateUrl], ['-no-color', 'workspace', 'list'])

        then:
        swept.exitCode == 0
        swept.out.contains('Deleted acme-preview-pr-5')
        swept.out.contains('Deleted acme-preview-pr-8 (and workspace pr-8)')
        status('/v1/apps/acme-preview-pr-5') == 404
        status('/v1/apps/acme-preview-pr-8') == 404
        fly.apps()*.name().toSorted() == ['acme-preview-pr-6', 'acme-preview-pr-7']
        !workspaces.out.contains('pr-8')
        workspaces.out.contains('pr-7')
        step('sync', 'registry.fly.io/acme:commit-1', '7').out.contains('No changes.')

        when: 'without -keep-workspaces only what no workspace holds is considered'
        def again = sweep('-match', 'acme-preview-pr-*', '-older-than', '0s')

        then:
        again.out.contains('Would delete acme-preview-pr-6')
        !again.out.contains('acme-preview-pr-7')
    }

    def "sweep needs -match, and reads its durations"() {
        expect:
        sweep().exitCode != 0
        sweep('-match', 'x-*', '-older-than', 'soon').err.contains('-older-than')
    }
}
