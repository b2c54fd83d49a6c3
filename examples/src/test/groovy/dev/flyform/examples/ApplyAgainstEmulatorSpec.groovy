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

/**
 * The command line against an emulator reached the way real Fly is: FLY_FLAPS_BASE_URL and a
 * token in the environment. Each test asserts what the emulator holds afterwards.
 */
class ApplyAgainstEmulatorSpec extends Specification {

    @AutoCleanup
    FlyEmulator fly = FlyEmulator.start(0)

    FlyContract contract = FlyContract.attachTo(fly)

    /** Whatever flyform sent, and the emulator answered, keeps to Fly's contract. */
    def cleanup() {
        if (contract.checked() > 0) {
            contract.assertClean()
        }
    }

    @TempDir
    Path dir

    Map<String, String> env() {
        [FLY_FLAPS_BASE_URL: fly.baseUrl().toString(), FLY_API_BASE_URL: fly.baseUrl().toString(),
         FLY_API_TOKEN     : FlyEmulator.PERSONAL_TOKEN]
    }

    FlyformRun flyform(String... args) {
        FlyformRun.of(dir, env(), args as List<String>)
    }

    def "removing an app block plans - destroy, and apply deletes the app"() {
        given:
        write 'main.fly.groovy', '''\
            app('web') { name = 'acme-web' }
            app('api') { name = 'acme-api' }
            '''.stripIndent()
        assert flyform('apply', '-auto-approve').exitCode == 0
        assert fly.apps()*.name() == ['acme-api', 'acme-web']

        when:
        write 'main.fly.groovy', "app('web') { name = 'acme-web' }\n"
        def plan = flyform('plan')

        then:
        plan.exitCode == 0
        plan.out.contains('# fly_app.api will be destroyed')
        plan.out.contains('  - resource "fly_app" "api" {')
        plan.out.contains('- name    = "acme-api" -> null')
        plan.out.contains('Plan: 0 to add, 0 to change, 1 to destroy.')
        fly.apps()*.name() == ['acme-api', 'acme-web']     // plan changed nothing

        when:
        def apply = flyform('apply', '-auto-approve')

        then:
        apply.exitCode == 0
        apply.out.contains('fly_app.api: Destruction complete')
        fly.apps()*.name() == ['acme-web']
        flyform('plan').out.startsWith('No changes.')
    }

    def "an app name held by another organization fails at plan time with file:line, exit 1, no change, state untouched"() {
        given: 'another organization owns the name'
        def created = HttpClient.newHttpClient().send(HttpRequest.newBuilder(fly.baseUrl().resolve('/v1/apps'))
                .header('Authorization', 'Bearer ' + FlyEmulator.OTHER_TOKEN)
                .header('Content-Type', 'application/json')
                .POST(HttpRequest.BodyPublishers.ofString('{"name": "taken-name", "org_slug": "other-org"}'))
                .build(), HttpResponse.BodyHandlers.ofString())
        assert created.statusCode() == 201
        write 'main.fly.groovy', "app('mine') { name = 'mine-ok' }\n"
        assert flyform('apply', '-auto-approve').exitCode == 0
        def stateBefore = stateSnapshot()
        def callsBefore = fly.calls().size()

        and: 'a config that wants the same name'
        write 'main.fly.groovy', '''\
            app('mine') { name = 'mine-ok' }

            app('web') {
                name = 'taken-name'
            }
            '''.stripIndent()

        when:
        def run = flyform('apply', '-auto-approve')

        then:
        run.exitCode == 1
        run.err.contains('App name "taken-name" is already taken by another organization')
        run.err.contains('on main.fly.groovy:4, in fly_app.web')
        !run.err.contains('Exception')
        !run.err.contains('\tat ')
        fly.calls().drop(callsBefore).every { !it.mutating() }
        fly.apps().find { it.name() == 'taken-name' }.orgSlug() == 'other-org'
        stateSnapshot() == stateBefore
    }

    def "a typo'd attribute fails validate with file:line and a suggestion, and makes no API call"() {
        given:
        write 'main.fly.groovy', '''\
            app('web') {
                nmae = 'x'
            }
            '''.stripIndent()

        when:
        def run = flyform('validate')

        then:
        run.exitCode == 1
        run.err.contains('Unsupported attribute `nmae` in fly_app block "web"')
        run.err.contains('main.fly.groovy:2')
        run.err.contains('Did you mean `name`?')
        fly.calls().isEmpty()
        !Files.exists(dir.resolve('.flyform'))
    }

    def "an invalid app name is refused before any API call"() {
        given:
        write 'main.fly.groovy', "app('web') {\n  name = 'Not_Valid'\n}\n"

        when:
        def run = flyform('plan')

        then:
        run.exitCode == 1
        run.err.contains('Invalid app name "Not_Valid"')
        run.err.contains('main.fly.groovy:2')
        fly.calls().isEmpty()
    }

    def "a wrong flag is exit 1 with a message naming it"() {
        given:
        write 'main.fly.groovy', "app('web') { name = 'web' }\n"

        when:
        def run = flyform('plan', '-auto-aprove')

        then:
        run.exitCode == 1
        run.err.contains('-auto-aprove')
        fly.calls().isEmpty()

        when: 'a misspelt command'
        def misspelt = flyform('plna')

        then:
        misspelt.exitCode == 1
        misspelt.err.contains("'plna'")
        misspelt.err.contains('Did you mean: flyform plan')
        fly.calls().isEmpty()
    }

    def "an app made by hand with our name in our organization is taken over, not created twice"() {
        given:
        HttpClient.newHttpClient().send(HttpRequest.newBuilder(fly.baseUrl().resolve('/v1/apps'))
                .header('Authorization', 'FlyV1 ' + FlyEmulator.PERSONAL_TOKEN)
                .POST(HttpRequest.BodyPublishers.ofString('{"name": "by-hand", "org_slug": "personal"}'))
                .build(), HttpResponse.BodyHandlers.ofString())
        write 'main.fly.groovy', "app('web') { name = 'by-hand' }\n"

        when:
        def run = flyform('apply', '-auto-approve')

        then:
        run.exitCode == 0
        fly.apps()*.name() == ['by-hand']
        flyform('apply', '-auto-approve').out.startsWith('No changes.')
    }

    def "plan and apply without a token say how to provide one"() {
        given:
        write 'main.fly.groovy', "app('web') { name = 'web' }\n"

        when:
        def run = FlyformRun.of(dir, [FLY_FLAPS_BASE_URL: fly.baseUrl().toString()], ['plan'])

        then:
        run.exitCode == 1
        run.err.contains('No Fly API token')
        fly.calls().isEmpty()
    }

    def "-chdir and -no-color work before and after the command name, with -- spellings too"() {
        given:
        Files.createDirectories(dir.resolve('project'))
        Files.writeString(dir.resolve('project/main.fly.groovy'), "app('web') { name = 'chdir-web' }\n")

        expect:
        FlyformRun.of(dir, env(), args).exitCode == 0

        where:
        args << [['-chdir', 'project', 'validate'], ['validate', '-chdir', 'project'],
                 ['--chdir=project', '--no-color', 'validate'], ['-chdir=project', 'plan', '-no-color']]
    }

    def "a state locked by another run is refused naming the holder, with no API call"() {
        given:
        write 'main.fly.groovy', "app('web') { name = 'locked-web' }\n"
        def store = H2StateStore.openDirectory(dir.resolve('.flyform'))
        def lock = store.lock('apply')

        when:
        def run = flyform('apply', '-auto-approve')

        then:
        run.exitCode == 1
        run.err.contains('the state is locked')
        run.err.contains('locked by apply by ')
        run.err.contains("(pid ${ProcessHandle.current().pid()})")
        fly.calls().isEmpty()

        cleanup:
        lock?.close()
        store?.close()
    }

    def "a damaged state file is a clear error naming it, with no API call, and the file is left as it was"() {
        given:
        write 'main.fly.groovy', "app('web') { name = 'web' }\n"
        Files.createDirectories(dir.resolve('.flyform'))
        def stateFile = dir.resolve('.flyform/state.mv.db')
        Files.writeString(stateFile, 'not a database\n' * 500)
        def digestBefore = sha256(stateFile)

        when:
        def run = flyform('apply', '-auto-approve')

        then:
        run.exitCode == 1
        run.err.contains("cannot open the state at ${stateFile}")
        !run.err.contains('\tat ')
        fly.calls().isEmpty()
        sha256(stateFile) == digestBefore
    }

    def "with a state in place, a malformed file fails plan and apply at its line, with no API call and the state as it was"() {
        given: 'an applied workspace (its state connection is prepared while the scripts load)'
        write 'main.fly.groovy', "app('web') { name = 'kept-web' }\n"
        assert flyform('apply', '-auto-approve').exitCode == 0
        def stateBefore = flyform('state', 'pull').out
        int calls = fly.calls().size()

        when:
        write 'main.fly.groovy', "app('web') {\n  name = \n"
        def plan = flyform('plan')
        def apply = flyform('apply', '-auto-approve')

        then:
        [plan, apply].every { it.exitCode == 1 && it.err.contains('main.fly.groovy:') && it.err.contains('Syntax error') }
        [plan, apply].every { !it.err.contains('\tat ') }
        fly.calls().size() == calls
        flyform('state', 'pull').out == stateBefore

        when: 'the file mended, nothing is left locked or half-open'
        write 'main.fly.groovy', "app('web') { name = 'kept-web' }\n"
        def again = flyform('plan')

        then:
        again.exitCode == 0
        again.out.startsWith('No changes.')
    }

    def "under -chdir, messages name the file as seen from where the user stands"() {
        given:
        Files.createDirectories(dir.resolve('infra/prod'))
        Files.writeString(dir.resolve('infra/prod/web.fly.groovy'), "app('web') {\n  nmae = 'x'\n}\n")

        when:
        def run = flyform('-chdir', 'infra/prod', 'validate')

        then:
        run.exitCode == 1
        run.err.contains('on infra/prod/web.fly.groovy:2, in fly_app.web')
    }

    def "apply asks first: anything but yes cancels with no change made"() {
        given:
        write 'main.fly.groovy', "app('web') { name = 'asked-web' }\n"

        when:
        def declined = FlyformRun.of(dir, env(), ['apply'], 'no\n')

        then:
        declined.exitCode == 1
        declined.out.contains("Only 'yes' will be accepted to approve.")
        declined.out.contains('Apply cancelled.')
        fly.calls().every { !it.mutating() }
        fly.apps().isEmpty()

        when:
        def approved = FlyformRun.of(dir, env(), ['apply'], 'yes\n')

        then:
        approved.exitCode == 0
        fly.apps()*.name() == ['asked-web']
    }

    def "-detailed-exitcode answers 2 while changes are pending and 0 once applied; -var feeds variables"() {
        given:
        write 'main.fly.groovy', "def suffix = variable('suffix', 'dev')\napp('web') { name = \"web-${'$'}{suffix}\" }\n"

        expect:
        flyform('plan', '-detailed-exitcode', '-var', 'suffix=prod').exitCode == 2
        flyform('apply', '-auto-approve', '-var=suffix=prod').exitCode == 0
        fly.apps()*.name() == ['web-prod']
        flyform('plan', '-detailed-exitcode', '--var', 'suffix=prod').exitCode == 0

        and: 'another value is another app name: a replacement'
        with(flyform('plan', '-var', 'suffix=stage')) {
            out.contains('# fly_app.web must be replaced (`name` forces replacement)')
            out.contains('~ name    = "web-prod" -> "web-stage" # forces replacement')
        }
        flyform('apply', '-auto-approve', '-var', 'suffix=stage').exitCode == 0
        fly.apps()*.name() == ['web-stage']
    }

    def "an app deleted by hand is created again while declared, and forgotten once it is not"() {
        given:
        write 'main.fly.groovy', "app('web') { name = 'hand-web' }\napp('api') { name = 'hand-api' }\n"
        assert flyform('apply', '-auto-approve').exitCode == 0
        deleteByHand('hand-web')
        deleteByHand('hand-api')

        when: 'web is still declared'
        write 'main.fly.groovy', "app('web') { name = 'hand-web' }\n"
        def plan = flyform('plan')

        then:
        plan.out.contains('# fly_app.web will be created')
        plan.out.contains('Note: fly_app.api was deleted outside flyform and is no longer declared')
        plan.out.contains('Plan: 1 to add, 0 to change, 0 to destroy.')

        when:
        def callsBefore = fly.calls().size()
        flyform('apply', '-auto-approve')

        then: 'one create, and no delete for what is already gone'
        fly.calls().drop(callsBefore).findAll { it.mutating() }*.method() == ['POST']
        fly.apps()*.name() == ['hand-web']
        flyform('plan').out == 'No changes. Your infrastructure matches the configuration.\n'
    }

    private void deleteByHand(String name) {
        def r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(fly.baseUrl().resolve("/v1/apps/${name}"))
                .header('Authorization', 'FlyV1 ' + FlyEmulator.PERSONAL_TOKEN).DELETE().build(),
                HttpResponse.BodyHandlers.ofString())
        assert r.statusCode() == 202
        // Fly deletes an app a while after the 202: a user sees it gone only then.
        long deadline = System.currentTimeMillis() + 10_000
        while (fly.app(name).isPresent()) {
            assert System.currentTimeMillis() < deadline: "${name} was never deleted"
            Thread.sleep(20)
        }
    }

    private static String sha256(Path file) {
        java.security.MessageDigest.getInstance('SHA-256').digest(Files.readAllBytes(file)).encodeHex().toString()
    }

    private void write(String name, String text) {
        Files.writeString(dir.resolve(name), text)
    }

    /** Serial and resources: what "the state is untouched" means to a user. */
    private String stateSnapshot() {
        H2StateStore.openDirectory(dir.resolve('.flyform')).withCloseable { store ->
            def state = store.read()
            "${state.lineage()} ${state.serial()} ${state.resources()}".toString()
        }
    }
}
