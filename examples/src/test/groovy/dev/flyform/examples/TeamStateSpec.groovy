package dev.flyform.examples

import dev.flyform.emulator.FaultSettings
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres
import spock.lang.Shared

import java.nio.file.Files
import java.nio.file.Path
import java.util.concurrent.Callable
import java.util.concurrent.Executors

/**
 * A state shared on a real PostgreSQL server (started by the test from Maven Central binaries):
 * runs from different working directories, as on different machines or ephemeral CI runners,
 * judged by what the emulator ends up holding.
 */
class TeamStateSpec extends AgainstEmulator {

    @Shared
    EmbeddedPostgres postgres = EmbeddedPostgres.builder().start()

    String stateUrl

    static final String CONFIG = '''\
        def name = "acme-${workspace}"
        def web = app('web') { delegate.name = name; ip 'v6'; secret 'TOKEN', 't0ken' }
        output 'url', "https://${name}.fly.dev".toString()
        '''.stripIndent()

    def setup() {
        stateUrl = "postgres://postgres@localhost:${postgres.port}/postgres?schema=t_${UUID.randomUUID().toString().replace('-', '')}"
    }

    def cleanupSpec() {
        postgres.close()
    }

    /** A fresh working directory holding the configuration and nothing else, as a new CI runner has. */
    Path runner(String name) {
        Path d = dir.resolve(name)
        Files.createDirectories(d)
        Files.writeString(d.resolve('main.fly.groovy'), CONFIG)
        return d
    }

    FlyformRun flyformIn(Path where, Map<String, String> extra = [:], String... args) {
        FlyformRun.of(where, env() + [FLYFORM_STATE: stateUrl] + extra, ['-no-color'] + (args as List<String>))
    }

    def "of two applies from two working directories on one shared state exactly one proceeds; the other names the holder"() {
        given:
        fly.faults(FaultSettings.NONE.withLatency(500))   // the first still holds the lock when the second asks
        def pool = Executors.newFixedThreadPool(2)
        Path a = runner('laptop')
        Path b = runner('ci')

        when:
        def runs = pool.invokeAll([{ flyformIn(a, 'apply', '-auto-approve') } as Callable<FlyformRun>,
                                   { flyformIn(b, 'apply', '-auto-approve') } as Callable<FlyformRun>])*.get()
        pool.shutdown()

        then:
        runs*.exitCode.toSorted() == [0, 1]
        def loser = runs.find { it.exitCode == 1 }
        loser.err.contains('the state is locked')
        loser.err =~ /locked by apply by .*\(pid \d+\) since .*, lock id [0-9a-f-]{36}/
        fly.apps()*.name() == ['acme-default']
        fly.ips('acme-default').size() == 1
        !Files.exists(a.resolve('.flyform/state.mv.db')) && !Files.exists(b.resolve('.flyform/state.mv.db'))
    }

    def "the state outlives the runner: a fresh directory plans no change, and destroy there deletes what another made"() {
        given:
        flyformIn(runner('first'), 'apply', '-auto-approve').exitCode == 0

        when:
        def plan = flyformIn(runner('second'), 'plan')
        def output = flyformIn(runner('third'), 'output', '-raw', 'url')
        def destroy = flyformIn(runner('fourth'), 'destroy', '-auto-approve')

        then:
        plan.out.startsWith('No changes.')
        output.out == 'https://acme-default.fly.dev'
        destroy.exitCode == 0
        fly.apps().isEmpty()
    }

    def "workspaces of one shared state are applied at once without blocking each other, each with objects of its own"() {
        given:
        fly.faults(FaultSettings.NONE.withLatency(200))
        def pool = Executors.newFixedThreadPool(2)

        when:
        def runs = pool.invokeAll(['pr-1', 'pr-2'].collect { pr ->
            { flyformIn(runner(pr), [FLYFORM_WORKSPACE: pr], 'apply', '-auto-approve') } as Callable<FlyformRun>
        })*.get()
        pool.shutdown()
        fly.faults(FaultSettings.NONE)
        def again = flyformIn(runner('again'), 'plan', '-workspace', 'pr-1')

        then:
        runs*.exitCode == [0, 0]
        fly.apps()*.name().toSorted() == ['acme-pr-1', 'acme-pr-2']
        again.out.startsWith('No changes.')
    }

    def "a password in the state URL is never printed, even when the connection fails"() {
        when:
        def run = flyformIn(runner('bad'), [FLYFORM_STATE: "postgres://nobody_here:hunter2-canary@localhost:${postgres.port}/postgres".toString()], 'plan')

        then:
        run.exitCode == 1
        run.err.contains('cannot connect to the state at postgres://nobody_here@localhost:')
        !(run.err + run.out).contains('hunter2-canary')
        !run.err.contains('Exception')
    }

    def "a state flag that is no PostgreSQL URL is refused naming the flag, before any call"() {
        when:
        def run = flyformIn(runner('typo'), [:], 'plan', '-state', 'mysql://x/y')

        then:
        run.exitCode == 1
        run.err.contains('-state takes a PostgreSQL URL')
        fly.calls().isEmpty()
    }

    def "workspaces on the local state keep apart too, each in a directory of its own"() {
        given:
        Path here = runner('local')

        when:
        def one = FlyformRun.of(here, env(), ['-no-color', 'apply', '-auto-approve', '-workspace', 'pr-7'])
        def other = FlyformRun.of(here, env(), ['-no-color', 'plan'])
        def bad = FlyformRun.of(here, env(), ['-no-color', 'plan', '-workspace', 'Not/A/Name'])

        then:
        one.exitCode == 0
        fly.apps()*.name() == ['acme-pr-7']
        Files.exists(here.resolve('.flyform/workspaces/pr-7/state.mv.db'))
        other.out.contains('fly_app.web will be created')   // the default workspace holds nothing yet
        other.out.contains('"acme-default"')
        bad.exitCode == 1
        bad.err.contains('Invalid workspace name "Not/A/Name"')
        bad.err.contains('-workspace')
    }

    def "workspace new, select, list, show and delete, on the shared state and on the local one"() {
        given:
        Path here = runner('workspaces')
        Map<String, String> local = [FLYFORM_STATE: '']

        expect:
        [[:], local].every { Map<String, String> store ->
            def made = flyformIn(here, store, 'workspace', 'new', 'pr-9')
            def shown = flyformIn(here, store, 'workspace', 'show')
            def apply = flyformIn(here, store, 'apply', '-auto-approve')
            def listed = flyformIn(here, store, 'workspace', 'list')
            def refusedCurrent = flyformIn(here, store, 'workspace', 'delete', 'pr-9')
            flyformIn(here, store, 'workspace', 'select', 'default')
            def refusedFull = flyformIn(here, store, 'workspace', 'delete', 'pr-9')
            def destroyed = flyformIn(here, store + [FLYFORM_WORKSPACE: 'pr-9'], 'destroy', '-auto-approve')
            def deleted = flyformIn(here, store, 'workspace', 'delete', 'pr-9')
            def after = flyformIn(here, store, 'workspace', 'list')
            made.exitCode == 0 && shown.out.strip() == 'pr-9' && apply.exitCode == 0 &&
                    listed.out.readLines() == ['  default', '* pr-9'] &&
                    refusedCurrent.exitCode == 1 && refusedCurrent.err.contains('is the current one') &&
                    refusedFull.exitCode == 1 && refusedFull.err.contains('still holds 3 object(s)') &&
                    destroyed.exitCode == 0 && deleted.exitCode == 0 && after.out.readLines() == ['* default'] &&
                    fly.apps().isEmpty()
        }
    }

    def "a holder killed mid-apply on this machine is taken over by the next run at once, which finishes with no duplicate"() {
        when: 'the first run dies (halted at once, as by SIGKILL) after its second API answer, holding the lock'
        def killed = FlyformProcess.run(runner('killed'), env() + [FLYFORM_STATE: stateUrl, FLYFORM_CDS: '0',
                FLYFORM_TEST_HALT_AFTER_RESPONSE: '2'], ['apply', '-auto-approve'])
        def next = flyformIn(runner('later'), [:], 'apply', '-auto-approve')

        then: 'its process is gone from this machine, so its lock is free without waiting for the lease (another machine waits for it)'
        killed.exitCode != 0
        next.exitCode == 0
        next.err.contains('took over the state lock from apply by')
        fly.apps()*.name() == ['acme-default']
        fly.ips('acme-default').size() == 1
        flyformIn(runner('check'), [:], 'plan').out.startsWith('No changes.')
    }

    def "state migrate copies a local state to PostgreSQL with its history, outputs and secret digests, and back; a non-empty target is refused"() {
        given:
        Map<String, String> local = [FLYFORM_STATE: '']
        Path laptop = runner('laptop')
        flyformIn(laptop, local, 'apply', '-auto-approve').exitCode == 0
        def localHistory = flyformIn(laptop, local, 'state', 'history').out

        when:
        def up = flyformIn(laptop, local, 'state', 'migrate', '-to', stateUrl)
        def plan = flyformIn(runner('ci'), [:], 'plan')
        def history = flyformIn(runner('ci2'), [:], 'state', 'history').out
        def output = flyformIn(runner('ci3'), [:], 'output', '-raw', 'url').out
        def again = flyformIn(laptop, local, 'state', 'migrate', '-to', stateUrl)
        Path back = runner('back')
        def down = flyformIn(back, [:], 'state', 'migrate', '-to', 'local')
        def planBack = flyformIn(back, local, 'plan')

        then:
        up.exitCode == 0
        up.out.contains('3 objects at serial 3')
        up.out.contains('read back and compared')
        plan.out.startsWith('No changes.')        // the secret's digest still matches: the digest key moved with it
        history == localHistory
        output == 'https://acme-default.fly.dev'
        again.exitCode == 1
        again.err.contains('The target holds a state already')
        down.exitCode == 0
        planBack.out.startsWith('No changes.')
        Files.exists(laptop.resolve('.flyform/state.mv.db'))   // the source is left as it was
        fly.apps()*.name() == ['acme-default']
    }

    def "flyform.yml in the working directory says where the state is; the flag and the environment still win; a typo names the file"() {
        given:
        Path repo = runner('repo')
        Files.writeString(repo.resolve('flyform.yml'), "state: ${stateUrl}\n".toString())

        when:
        def apply = FlyformRun.of(repo, env(), ['-no-color', 'apply', '-auto-approve'])
        def elsewhere = flyformIn(runner('elsewhere'), [:], 'plan')          // the same shared state, by FLYFORM_STATE
        def flag = FlyformRun.of(repo, env(), ['-no-color', 'plan', '-state', TeamStateSpec.otherSchema(stateUrl)])
        Files.writeString(repo.resolve('flyform.yml'), 'stat: x\n')
        def typo = FlyformRun.of(repo, env(), ['-no-color', 'plan'])

        then:
        apply.exitCode == 0
        !Files.exists(repo.resolve('.flyform/state.mv.db'))
        elsewhere.out.startsWith('No changes.')
        flag.out.contains('fly_app.web will be adopted')                     // another, empty state: the app is found on Fly
        typo.exitCode == 1
        typo.err.contains('Unknown setting `stat` in flyform.yml')
        typo.err.contains('Did you mean `state`?')
    }

    static String otherSchema(String url) {
        url.replaceAll(/schema=t_/, 'schema=u_')
    }
}
