package dev.flyform.examples

import com.fasterxml.jackson.databind.ObjectMapper
import com.github.fge.jsonschema.main.JsonSchemaFactory
import dev.flyform.cli.CliEnvironment
import dev.flyform.cli.Flyform
import dev.flyform.emulator.FaultSettings
import dev.flyform.emulator.FlyEmulator
import dev.flyform.provider.fly.CrashPoints
import dev.flyform.state.h2.H2StateStore
import spock.lang.AutoCleanup
import spock.lang.Specification
import spock.lang.TempDir

import java.nio.file.Files
import java.nio.file.Path
import java.sql.DriverManager
import java.util.concurrent.Callable
import java.util.concurrent.Executors

/** The command line Terraform users expect: saved plans, targeting, destroy, JSON, state commands, locks, progress. */
class CommandLineSpec extends Specification {

    static final ObjectMapper JSON = new ObjectMapper()

    @AutoCleanup
    FlyEmulator fly = FlyEmulator.start(0)

    @TempDir
    Path dir

    def setup() {
        Files.writeString(dir.resolve('main.fly.groovy'), '''\
            def web = app('web') { name = 'cli-web'; ip 'v6'; secret 'TOKEN', env('TOKEN') }
            app('api') { name = 'cli-api'; ip 'v6' }
            output 'name', web.name
            '''.stripIndent())
    }

    Map<String, String> env(Map<String, String> extra = [:]) {
        [FLY_FLAPS_BASE_URL: fly.baseUrl().toString(), FLY_API_BASE_URL: fly.baseUrl().toString(), FLY_API_TOKEN: FlyEmulator.PERSONAL_TOKEN, TOKEN: 'tok-s3cr3t'] + extra
    }

    FlyformRun flyform(List<String> args, Map<String, String> extra = [:]) {
        FlyformRun.of(dir, env(extra), ['-no-color'] + args)
    }

    static void assertValid(String schema, String json) {
        def validator = JsonSchemaFactory.byDefault().getJsonSchema(JSON.readTree(Path.of('..', 'docs', schema).toFile()))
        def report = validator.validate(JSON.readTree(json))
        assert report.isSuccess(): report.toString()
    }

    def "a saved plan applies exactly once, holds no secret, and is refused when stale"() {
        when:
        def plan = flyform(['plan', '-out', 'tfplan'])
        def saved = Files.readString(dir.resolve('tfplan'))
        def apply = flyform(['apply', 'tfplan'])
        def again = flyform(['apply', 'tfplan'])

        then:
        plan.exitCode == 0
        plan.out.contains('Saved the plan to tfplan')
        !saved.contains('tok-s3cr3t')
        saved.contains('"(sensitive)"')
        apply.exitCode == 0
        apply.out.contains('Apply complete! Resources: 5 added')
        again.exitCode == 1
        again.err.contains('Saved plan is stale')
        again.err.contains('state serial 0 but the state is now at serial 5')
        fly.apps().size() == 2

        when: 'the configuration changes after the plan was saved'
        Files.writeString(dir.resolve('extra.fly.groovy'), "app('more') { name = 'cli-more' }\n")
        flyform(['plan', '-out', 'tfplan2'])
        Files.writeString(dir.resolve('extra.fly.groovy'), "app('more') { name = 'cli-renamed' }\napp('x') { name = 'cli-x' }\n")
        def asSaved = flyform(['apply', 'tfplan2'])

        then: 'the saved plan is applied as it was saved, not planned again'
        asSaved.exitCode == 0
        asSaved.out.contains('# fly_app.more will be created')
        asSaved.out.contains('Apply complete! Resources: 1 added')
        fly.apps()*.name().toSorted() == ['cli-api', 'cli-more', 'cli-web']

        when: 'a saved plan changes a secret, and its value is given again; then one whose object Fly changed since'
        Files.writeString(dir.resolve('extra.fly.groovy'), "app('more') { name = 'cli-more' }\n")
        flyform(['plan', '-out', 'tfplan3'], [TOKEN: 'tok-n3w'])
        def wrongSecret = flyform(['apply', 'tfplan3'])           // TOKEN is tok-s3cr3t again in this run
        def rightSecret = flyform(['apply', 'tfplan3'], [TOKEN: 'tok-n3w'])
        flyform(['plan', '-out', 'tfplan4'], [TOKEN: 'tok-n3w-2'])
        new dev.flyform.emulator.EmulatorClient(fly).post('/v1/apps/cli-web/secrets/TOKEN', '{"value":"set by hand"}')
        def underneath = flyform(['apply', 'tfplan4'], [TOKEN: 'tok-n3w-2'])

        then:
        !Files.readString(dir.resolve('tfplan3')).contains('tok-n3w')
        wrongSecret.exitCode == 1
        wrongSecret.err.contains("The saved plan's secret for fly_secret.web_TOKEN (value) is not given any more")
        rightSecret.exitCode == 0
        rightSecret.out.contains('Apply complete! Resources: 0 added, 1 changed, 0 destroyed')
        underneath.exitCode == 1
        underneath.err.contains('Saved plan no longer matches: fly_secret.web_TOKEN changed on Fly since it was saved')
    }

    def "-target plans only the target and what it depends on; -replace forces a replacement"() {
        when:
        def targeted = flyform(['apply', '-auto-approve', '-target', 'fly_ip.web_v6'])

        then:
        targeted.exitCode == 0
        targeted.out.contains('Apply complete! Resources: 2 added')
        fly.apps()*.name() == ['cli-web']

        when:
        flyform(['apply', '-auto-approve'])
        def address = fly.ips('cli-api')[0].ip()
        def replaced = flyform(['apply', '-auto-approve', '-replace', 'fly_ip.api_v6'])

        then:
        replaced.out.contains('# fly_ip.api_v6 must be replaced (replacement requested with -replace)')
        fly.ips('cli-api').size() == 1
        fly.ips('cli-api')[0].ip() != address
        flyform(['plan', '-target', 'fly_app.nope']).err.contains('-target fly_app.nope: no such resource')
    }

    def "plan -destroy and destroy delete everything; destroy with no answer on its input is cancelled"() {
        given:
        flyform(['apply', '-auto-approve'])

        when:
        def plan = flyform(['plan', '-destroy'])
        def refused = flyform(['destroy'])

        then:
        plan.out.contains('Plan: 0 to add, 0 to change, 5 to destroy.')
        plan.out.contains('# fly_ip.web_v6 will be destroyed (with fly_app.web)')
        refused.exitCode == 1
        refused.out.contains('Destroy cancelled.')
        fly.apps().size() == 2

        when:
        int before = fly.calls().size()
        def destroyed = flyform(['destroy', '-auto-approve'])

        then:
        destroyed.exitCode == 0
        destroyed.out.contains('Destroy complete! Resources: 0 added, 0 changed, 5 destroyed.')
        fly.apps().isEmpty()
        fly.calls().drop(before).findAll { it.mutating() }*.method() == ['DELETE', 'DELETE']
        flyform(['state', 'list']).out.isEmpty()
    }

    def "destroy asks on a terminal, and only yes proceeds"() {
        given:
        flyform(['apply', '-auto-approve'])

        when:
        def no = terminal(['destroy'], 'no\n')

        then:
        no.exitCode == 1
        no.out.contains('Do you really want to destroy these resources?')
        no.out.contains("Only 'yes' will be accepted to confirm.")
        no.out.contains('Destroy cancelled.')
        !no.out.contains('Apply cancelled.')
        fly.apps().size() == 2

        when:
        def yes = terminal(['destroy'], 'yes\n')

        then:
        yes.exitCode == 0
        fly.apps().isEmpty()
    }

    /** A run whose standard streams are a terminal, answering `answer` at the prompt. */
    FlyformRun terminal(List<String> args, String answer) {
        def out = new StringWriter()
        def err = new StringWriter()
        int code = Flyform.run(new CliEnvironment(env(), dir.resolve('.home'), dir, new BufferedReader(new StringReader(answer)),
                new PrintWriter(out), new PrintWriter(err), true), (['-no-color'] + args) as String[])
        new FlyformRun(code, out.toString(), err.toString())
    }

    def "-json output of plan, show, output and state pull validates against the documented schemas"() {
        when:
        def plan = flyform(['plan', '-json'])
        flyform(['plan', '-out', 'tfplan'])
        def show = flyform(['show', 'tfplan', '-json'])
        flyform(['apply', 'tfplan'])
        def output = flyform(['output', '-json'])
        def state = flyform(['show', '-json'])
        def pull = flyform(['state', 'pull'])

        then:
        assertValid('plan.schema.json', plan.out)
        assertValid('plan.schema.json', show.out)
        assertValid('output.schema.json', output.out)
        assertValid('state.schema.json', state.out)
        assertValid('state.schema.json', pull.out)
        JSON.readTree(plan.out).path('resource_changes').find { it.path('address').asText() == 'fly_secret.web_TOKEN' }
                .path('after').path('value').asText() == '(sensitive)'
        JSON.readTree(output.out).path('outputs').path('name').path('value').asText() == 'cli-web'
        flyform(['output', 'name']).out == '"cli-web"\n'
        [plan, show, output, state, pull].every { !it.out.contains('tok-s3cr3t') }
    }

    def "validate -json says valid or not, with each problem's file, line and address, as the documented schema says"() {
        when:
        def valid = flyform(['validate', '-json'])
        Files.writeString(dir.resolve('broken.fly.groovy'), "app('x') {\n    nmae = 'typo'\n}\n")
        def invalid = flyform(['validate', '-json'])

        then:
        valid.exitCode == 0
        assertValid('validate.schema.json', valid.out)
        JSON.readTree(valid.out).path('valid').asBoolean() && JSON.readTree(valid.out).path('error_count').asInt() == 0
        invalid.exitCode == 1
        invalid.err == ''
        assertValid('validate.schema.json', invalid.out)
        with(JSON.readTree(invalid.out)) {
            !path('valid').asBoolean()
            path('error_count').asInt() == 1
            path('diagnostics').get(0).path('summary').asText().contains('Unsupported attribute `nmae`')
            path('diagnostics').get(0).path('range').path('filename').asText() == 'broken.fly.groovy'
            path('diagnostics').get(0).path('range').path('start').path('line').asInt() == 2
            path('diagnostics').get(0).path('address').asText() == 'fly_app.x'
            path('diagnostics').get(0).path('attribute').asText() == 'nmae'
        }
    }

    def "state list, show, mv, rm and history"() {
        given:
        flyform(['apply', '-auto-approve'])

        when:
        def list = flyform(['state', 'list'])
        def show = flyform(['state', 'show', 'fly_secret.web_TOKEN'])
        Files.writeString(dir.resolve('main.fly.groovy'), Files.readString(dir.resolve('main.fly.groovy')).replace("app('api')", "app('backend')")
                .replace("name = 'cli-api'; ip 'v6'", "name = 'cli-api'"))
        def mv = flyform(['state', 'mv', 'fly_app.api', 'fly_app.backend'])
        def rm = flyform(['state', 'rm', 'fly_ip.api_v6'])
        def plan = flyform(['plan'])
        def history = flyform(['state', 'history'])

        then:
        list.out.readLines() == ['fly_app.api', 'fly_app.web', 'fly_ip.api_v6', 'fly_ip.web_v6', 'fly_secret.web_TOKEN']
        show.out.contains('value = (sensitive value)')
        mv.exitCode == 0
        rm.exitCode == 0

        and: 'the state holds the object at its new address, and no longer the removed one'
        flyform(['state', 'list']).out.readLines() == ['fly_app.backend', 'fly_app.web', 'fly_ip.web_v6', 'fly_secret.web_TOKEN']
        flyform(['state', 'show', 'fly_app.backend']).out.contains('name = "cli-api"')
        flyform(['state', 'show', 'fly_app.api']).exitCode == 1
        plan.out.startsWith('No changes.')
        fly.ips('cli-api').size() == 1     // rm forgets; it deletes nothing
        history.out =~ /serial 5 .* apply: 5 added, 0 changed, 0 destroyed, 0 adopted/
        flyform(['state', 'mv', 'fly_app.web', 'fly_ip.web']).err.contains('Both addresses must have the same type')
    }

    def "of two concurrent applies on one state exactly one proceeds; the other names the holder"() {
        given:
        // Slow enough that the first run still holds the lock when the second, however late it starts, asks.
        fly.faults(FaultSettings.NONE.withLatency(500))
        def pool = Executors.newFixedThreadPool(2)

        when:
        def runs = pool.invokeAll([
                { flyform(['apply', '-auto-approve']) } as Callable<FlyformRun>,
                { flyform(['apply', '-auto-approve']) } as Callable<FlyformRun>])*.get()
        pool.shutdown()

        then:
        runs*.exitCode.toSorted() == [0, 1]
        def loser = runs.find { it.exitCode == 1 }
        loser.err.contains('the state is locked')
        loser.err =~ /locked by (plan|apply) by .*\(pid \d+\)/
        fly.apps().size() == 2
        fly.ips('cli-web').size() == 1
    }

    def "-lock-timeout waits for the holder to let go"() {
        given:
        flyform(['apply', '-auto-approve'])
        def store = H2StateStore.openDirectory(dir.resolve('.flyform'))
        def lock = store.lock('test')
        long releasedAt = 0
        Thread.start { Thread.sleep(1200); releasedAt = System.nanoTime(); lock.close(); store.close() }

        when:
        def waited = flyform(['plan', '-lock-timeout', '10s'])
        long finishedAt = System.nanoTime()

        then: 'it finished only after the holder let go: it waited, it did not skip the lock'
        waited.exitCode == 0
        waited.out.startsWith('No changes.')
        releasedAt != 0
        finishedAt > releasedAt
    }

    def "a lock whose holder stopped renewing it is taken over with a warning; state unlock releases one by id"() {
        given:
        flyform(['apply', '-auto-approve'])
        def url = "jdbc:h2:file:${dir.resolve('.flyform/state')};FILE_LOCK=FS"
        DriverManager.getConnection(url, 'flyform', '').withCloseable {
            it.createStatement().executeUpdate("UPDATE locks SET holder = 'apply by ci@elsewhere (pid 1)', host = 'elsewhere', " +
                    "pid = 1, lock_id = 'abc', expires_at = DATEADD(MINUTE, 5, CURRENT_TIMESTAMP)")
        }

        when:
        def locked = flyform(['plan'])
        def wrongId = flyform(['state', 'unlock', 'nope'])
        def wrongIdForced = flyform(['state', 'unlock', 'nope', '-force'])
        def stillLocked = flyform(['plan'])
        DriverManager.getConnection(url, 'flyform', '').withCloseable {
            it.createStatement().executeUpdate("UPDATE locks SET expires_at = DATEADD(MINUTE, -1, CURRENT_TIMESTAMP)")
        }
        def takenOver = flyform(['plan'])

        then:
        locked.exitCode == 1
        locked.err.contains('locked by apply by ci@elsewhere (pid 1)')
        wrongId.exitCode == 1
        wrongId.err.contains('state unlock needs a terminal to ask for confirmation, or -force')
        wrongIdForced.exitCode == 1
        wrongIdForced.err.contains('does not have id nope')
        stillLocked.err.contains('locked by apply by ci@elsewhere (pid 1)')
        takenOver.exitCode == 0
        takenOver.err.contains('Warning: took over the state lock from apply by ci@elsewhere (pid 1)')

        when:
        DriverManager.getConnection(url, 'flyform', '').withCloseable {
            it.createStatement().executeUpdate("UPDATE locks SET holder = 'x', host = 'elsewhere', pid = 1, lock_id = 'abc', " +
                    "expires_at = DATEADD(MINUTE, 5, CURRENT_TIMESTAMP)")
        }
        def unlocked = flyform(['state', 'unlock', 'abc', '-force'])

        then: 'the lock row names no holder any more'
        unlocked.exitCode == 0
        DriverManager.getConnection(url, 'flyform', '').withCloseable {
            def rs = it.createStatement().executeQuery('SELECT holder, lock_id FROM locks')
            rs.next() && rs.getString(1) == null && rs.getString(2) == null
        }
        flyform(['plan']).exitCode == 0
    }

    def "state unlock takes the lock's id, asks on a terminal, needs -force without one, and never frees a live holder here"() {
        given:
        flyform(['apply', '-auto-approve'])
        def url = "jdbc:h2:file:${dir.resolve('.flyform/state')};FILE_LOCK=FS"
        def hold = { String host, long pid ->
            DriverManager.getConnection(url, 'flyform', '').withCloseable {
                it.createStatement().executeUpdate("UPDATE locks SET holder = 'apply by ci@${host} (pid ${pid})', host = '${host}', " +
                        "pid = ${pid}, lock_id = 'abc', expires_at = DATEADD(MINUTE, 5, CURRENT_TIMESTAMP)")
            }
        }
        String here = H2StateStore.hostIdentity()

        when: 'no id, no terminal, a no at the prompt'
        hold('elsewhere', 1)
        def noId = flyform(['state', 'unlock'])
        def noTerminal = flyform(['state', 'unlock', 'abc'])
        def no = terminal(['state', 'unlock', 'abc'], 'no\n')

        then: 'each refused, the lock still held'
        noId.exitCode == 1
        noId.err.contains('ID')
        noTerminal.exitCode == 1
        noTerminal.err.contains('state unlock needs a terminal to ask for confirmation, or -force')
        no.exitCode == 1
        no.out.contains('Unlock cancelled.')
        flyform(['plan']).err.contains('locked by apply by ci@elsewhere (pid 1)')

        when: 'a holder that is alive on this host: this very test process'
        hold(here, ProcessHandle.current().pid())
        def live = flyform(['state', 'unlock', 'abc', '-force'])

        then:
        live.exitCode == 1
        live.err.contains('which is still running')
        flyform(['plan']).exitCode == 1

        when: 'a holder elsewhere, confirmed with yes'
        hold('elsewhere', 1)
        def yes = terminal(['state', 'unlock', 'abc'], 'yes\n')

        then:
        yes.exitCode == 0
        yes.out.contains('Released the lock held by apply by ci@elsewhere (pid 1)')
        flyform(['plan']).exitCode == 0
    }

    def "a run in another process holds the state whole: the next fails naming it, or waits with -lock-timeout; no port is opened"() {
        given: 'an apply in a process of its own, slowed down so that it is still running while the others start'
        fly.faults(FaultSettings.NONE.withLatency(1500))
        def first = FlyformProcess.start(dir, env([FLYFORM_CDS: '0']), ['apply', '-auto-approve'])
        long deadline = System.currentTimeMillis() + 60_000
        while (!first.outputSoFar().contains('Creating...') && System.currentTimeMillis() < deadline) {
            Thread.sleep(50)
        }

        when:
        boolean serverFile = Files.exists(dir.resolve('.flyform/state.lock.db'))
        def refused = FlyformProcess.run(dir, env(), ['plan'])
        def waited = FlyformProcess.run(dir, env(), ['plan', '-lock-timeout', '90s'])
        def done = first.await()

        then: 'refused at once, naming the holder; waited for; never "session closed"'
        !serverFile
        refused.exitCode == 1
        refused.output.contains('the state is locked')
        refused.output =~ /locked by apply by .*\(pid \d+\)/
        done.exitCode == 0
        waited.exitCode == 0
        waited.output.contains('No changes.')
        !(refused.output + waited.output).contains('session closed')
        fly.apps().size() == 2
        fly.ips('cli-web').size() == 1
    }

    def "a lock held by a process that was killed is taken over by the next run"() {
        when:
        def killed = FlyformProcess.run(dir, env([FLYFORM_TEST_HALT_AFTER_RESPONSE: '3']), ['apply', '-auto-approve'])
        def next = flyform(['apply', '-auto-approve'])

        then:
        killed.exitCode == CrashPoints.HALT_STATUS
        next.exitCode == 0
        next.err.contains('Warning: took over the state lock from apply by')
        fly.apps().size() == 2
    }

    def "long changes say they are still running"() {
        given:
        fly.faults(FaultSettings.NONE.withLatency(1300))

        when:
        def run = flyform(['apply', '-auto-approve', '-target', 'fly_app.api'], [FLYFORM_PROGRESS_INTERVAL: '1s'])

        then:
        run.exitCode == 0
        run.out =~ /fly_app\.api: Still creating\.\.\. \[\ds elapsed\]/
        run.out =~ /fly_app\.api: Creation complete after \ds \[id=cli-api\]/
    }

    def "colour only on a terminal, never with NO_COLOR or -no-color"() {
        given: 'each run as on a terminal, its output and errors kept'
        def onTerminal = { Map<String, String> extra, List<String> args ->
            def out = new StringWriter()
            def err = new StringWriter()
            int code = Flyform.run(new CliEnvironment(env(extra), dir, dir, new BufferedReader(new StringReader('')),
                    new PrintWriter(out), new PrintWriter(err), true), args as String[])
            [code: code, text: out.toString() + err.toString()]
        }

        when:
        def plain = onTerminal([:], ['validate'])
        def noColorEnv = onTerminal([NO_COLOR: '1'], ['validate'])
        def noColorFlag = onTerminal([:], ['-no-color', 'validate'])
        def noColorAfter = onTerminal([:], ['validate', '-no-color'])

        then: 'the same words each time; escapes only when nothing asked for none'
        [plain, noColorEnv, noColorFlag, noColorAfter].every { it.code == 0 && it.text.contains('The configuration is valid') }
        plain.text.contains('\u001b[')
        !noColorEnv.text.contains('\u001b[')
        !noColorFlag.text.contains('\u001b[')
        !noColorAfter.text.contains('\u001b[')
        !(flyform(['validate']).with { out + err }).contains('\u001b[')   // not a terminal
    }

    def "every command has --help with examples, and a completion script is generated"() {
        expect:
        ['plan', 'apply', 'destroy', 'import', 'show', 'output'].every { cmd ->
            def help = flyform([cmd, '--help'])
            help.exitCode == 0 && help.out.contains('Usage: flyform ' + cmd)
        }
        flyform(['plan', '--help']).out.contains('Examples:')
        flyform(['state', 'list', '--help']).out.contains('Usage: flyform state list')
        with(flyform(['generate-completion'])) {
            exitCode == 0
            out.contains('complete -F')
            out.contains('flyform')
        }
    }
}
