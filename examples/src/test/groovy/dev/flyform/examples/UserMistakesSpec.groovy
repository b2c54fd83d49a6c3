package dev.flyform.examples

import dev.flyform.emulator.FlyEmulator
import dev.flyform.state.h2.H2StateStore

import java.nio.file.Files
import java.nio.file.Path

/**
 * A user's mistake never loses or exposes anything: each case is refused before any API call
 * (exit 1, the file:line or the flag named, the state untouched), or done safely; judged by
 * what the emulator and the state hold afterwards.
 */
class UserMistakesSpec extends AgainstEmulator {

    void write(String name, String text) {
        Files.writeString(dir.resolve(name), text.stripIndent())
    }

    /** Lineage, serial and resources: what "the state is untouched" means to a user. */
    String stateSnapshot() {
        H2StateStore.openDirectory(dir.resolve('.flyform')).withCloseable { store ->
            def state = store.read()
            "${state.lineage()} ${state.serial()} ${state.resources()}".toString()
        }
    }

    /** Refused before any call: exit 1, the message, no API call, the state as it was. */
    void assertRefusedUntouched(FlyformRun run, String message, String state) {
        assert run.exitCode == 1: run
        assert (run.err + run.out).contains(message): run
        assert stateSnapshot() == state
    }

    def "one Fly object declared twice (#what) is a validate error naming both places, before any call"() {
        given:
        write 'a.fly.groovy', "def web = app('web') { name = 'dup-web' }\n"
        assert flyform('apply', '-auto-approve').exitCode == 0
        String state = stateSnapshot()
        write 'a.fly.groovy', "def web = app('web') { name = 'dup-web' }\n" + first
        write 'b.fly.groovy', "def other = app('other') { name = 'dup-other' }\n" + second

        when:
        int before = fly.calls().size()
        def validate = flyform('validate')
        def plan = flyform('plan')
        def apply = flyform('apply', '-auto-approve')

        then:
        [validate, plan, apply].each { run ->
            assertRefusedUntouched(run, 'declares the same object as', state)
            assert run.err.contains(places)
        }
        fly.calls().size() == before
        fly.apps()*.name() == ['dup-web']

        where:
        what                            | first                                                                         | second                                                                         | places
        'an app name'                   | ''                                                                            | "app('web2') { name = 'dup-web' }"                                             | 'a.fly.groovy:1 and at b.fly.groovy:2'
        'a hostname under two labels'   | "certificate('c1') { app = web; hostname = 'www.dup.example' }"               | "certificate('c2') { app = 'dup-web'; hostname = 'www.dup.example' }"          | 'a.fly.groovy:2 and at b.fly.groovy:2'
        'a hostname on two apps'        | "certificate('c1') { app = web; hostname = 'www.dup.example' }"               | "certificate('c2') { app = other; hostname = 'www.dup.example' }"              | 'a.fly.groovy:2 and at b.fly.groovy:2'
        'a secret name with two values' | "secret('s1') { app = web; name = 'TOKEN'; value = 'one' }"                   | "secret('s2') { app = 'dup-web'; name = 'TOKEN'; value = 'two' }" | 'a.fly.groovy:2 and at b.fly.groovy:2'
        'a machine name in one app'     | "machine('m1') { app = web; name = 'worker'; region = 'iad'; image = 'x' }"   | "machine('m2') { app = 'dup-web'; name = 'worker'; region = 'iad'; image = 'x' }" | 'a.fly.groovy:2 and at b.fly.groovy:2'
    }

    def "an app named by its name from another file is made first: the name is a dependency edge"() {
        given: 'a Fly slow to show new apps'
        fly.faults(fly.faults().withAppVisibilityDelay(1500))
        write 'a.fly.groovy', "app('web') { name = 'b7-web' }\n"
        write 'b.fly.groovy', '''\
            volume('data') { app = 'b7-web'; name = 'data'; region = 'iad'; sizeGb = 1 }
            secret('token') { app = 'b7-web'; name = 'TOKEN'; value = 'v' }
            '''

        when:
        def apply = flyform('apply', '-auto-approve')

        then:
        apply.exitCode == 0
        apply.out.contains('3 added')
        fly.inventory().path('apps').path('b7-web').path('volumes').size() == 1
        fly.inventory().path('apps').path('b7-web').path('secrets')*.asText() == ['TOKEN']

        when: 'removing the app takes its children along, in one delete'
        Files.delete(dir.resolve('b.fly.groovy'))
        write 'a.fly.groovy', "app('other') { name = 'b7-other' }\n"
        def plan = flyform('plan')

        then:
        plan.out.contains('fly_volume.data will be destroyed (with fly_app.web)')
    }

    def "a state file #damage is refused, left as it is, and the backup kept beside it restores the state"() {
        given: 'two applies: the backup holds the state as it was before the second'
        write 'main.fly.groovy', "app('web') { name = 'damaged-web' }\n"
        assert flyform('apply', '-auto-approve').exitCode == 0
        write 'main.fly.groovy', "app('web') { name = 'damaged-web' }\napp('api') { name = 'damaged-api' }\n"
        assert flyform('apply', '-auto-approve').exitCode == 0
        Path file = dir.resolve('.flyform/state.mv.db')
        Path backup = dir.resolve('.flyform/state.backup.zip')
        truncate(file, keep(Files.size(file)))
        byte[] damaged = Files.readAllBytes(file)

        when: 'each a process of its own, as a user runs them: nothing of the state stays open between them'
        int before = fly.calls().size()
        def plan = FlyformProcess.run(dir, env(), ['plan'])
        def apply = FlyformProcess.run(dir, env(), ['apply', '-auto-approve'])

        then: 'refused, naming the file and the backup; nothing sent, nothing overwritten'
        [plan, apply].each {
            assert it.exitCode == 1: it.output
            assert it.output.contains(file.toString())
            assert it.output.contains("kept in ${backup}: restore it with `flyform state restore`")
            assert !it.output.contains('\tat ')
        }
        fly.calls().size() == before
        Files.readAllBytes(file) == damaged
        Files.exists(backup)

        when: 'restored as the message says'
        def restore = flyform('state', 'restore')
        def restored = flyform('plan')

        then: 'the state before the last apply: it plans only what that apply added, and adopts it'
        restore.exitCode == 0
        Files.list(dir.resolve('.flyform')).withCloseable { it.anyMatch { p -> p.fileName.toString().startsWith('state.mv.db.damaged-') } }
        restored.exitCode == 0
        restored.out.contains('fly_app.api')
        restored.out.contains('1 to adopt')

        where:
        damage                 | keep
        'emptied'              | { long n -> 0L }
        'cut to a third'       | { long n -> n.intdiv(3) }
    }

    static void truncate(Path file, long size) {
        java.nio.channels.FileChannel.open(file, java.nio.file.StandardOpenOption.WRITE).withCloseable { it.truncate(size) }
    }

    def "a -var that reaches a secret never enters a saved plan; apply takes it again, checked against the plan's digest"() {
        given:
        write 'main.fly.groovy', '''\
            def pass = variable('dbpass', 'unset')
            def pr = variable('pr', '0')
            app('web') { name = "planfile-${pr}"; secret 'DATABASE_URL', "postgres://app:${pass}@db/app" }
            '''
        def plan = flyform('plan', '-out', 'p.plan', '-var', 'dbpass=CANARY-7731', '-var', 'pr=12')
        String saved = Files.readString(dir.resolve('p.plan'))

        when:
        int before = fly.calls().size()
        def missing = flyform('apply', 'p.plan')
        def wrong = flyform('apply', '-var', 'dbpass=CANARY-0000', 'p.plan')
        def extra = flyform('apply', '-var', 'dbpass=CANARY-7731', '-var', 'pr=13', 'p.plan')
        def refusedCalls = fly.calls().drop(before).findAll { it.mutating() }
        def applied = flyform('apply', '-var', 'dbpass=CANARY-7731', 'p.plan')

        then: 'the file holds the plain -var, and of the sensitive one only a digest'
        plan.exitCode == 0
        !saved.contains('CANARY')
        saved.contains('"pr" : "12"')
        missing.exitCode == 1
        missing.err.contains('The saved plan needs -var dbpass again')
        wrong.exitCode == 1
        wrong.err.contains('-var dbpass differs from the value the plan was made with')
        extra.exitCode == 1
        extra.err.contains('-var pr cannot be given with a saved plan')
        refusedCalls.isEmpty()
        applied.exitCode == 0
        fly.inventory().path('apps').path('planfile-12').path('secrets')*.asText() == ['DATABASE_URL']
    }

    def "a Fly API that accepts connections and never answers fails the plan in bounded time, naming the request"() {
        given: 'a listener that takes every connection and never writes a byte'
        def server = new ServerSocket(0, 50, InetAddress.loopbackAddress)
        def held = Collections.synchronizedList([])
        Thread.startDaemon { while (!server.closed) { try { held << server.accept() } catch (IOException ignored) { } } }
        write 'main.fly.groovy', "app('web') { name = 'hang-web' }\n"
        String url = "http://127.0.0.1:${server.localPort}"

        when:
        long t0 = System.nanoTime()
        def plan = FlyformRun.of(dir, [FLY_FLAPS_BASE_URL: url, FLY_API_BASE_URL: url, FLY_API_TOKEN: FlyEmulator.PERSONAL_TOKEN,
                                       FLYFORM_REQUEST_TIMEOUT: '1s', FLYFORM_PROGRESS_INTERVAL: '1s'], ['-no-color', 'plan'])
        double seconds = (System.nanoTime() - t0) / 1e9

        then:
        plan.exitCode == 1
        plan.err.contains("GET /v1/apps/hang-web at ${url}/ did not answer within 1 s")
        plan.err.contains('Waiting for Fly: GET /v1/apps/hang-web has not answered for 1 s...')
        seconds < 60

        cleanup:
        server?.close()
        held.each { it.close() }
    }

    def "a slow Fly is waited for, saying so; a run's budget, once spent, stops it and the next run converges"() {
        given:
        write 'main.fly.groovy', "app('web') { name = 'slow-web'; ip 'v6'; ip 'shared_v4'; secret 'A', 'a'; secret 'B', 'b' }\n"
        fly.faults(fly.faults().withLatency(1300))

        when: 'each answer takes longer than the notice interval'
        def slow = FlyformRun.of(dir, env() + [FLYFORM_PROGRESS_INTERVAL: '1s'], ['-no-color', 'plan'])

        then:
        slow.exitCode == 0
        slow.err.contains('Waiting for Fly: GET /v1/apps/slow-web has not answered for 1 s...')

        when: 'a budget of 3 s for all the calls of an apply'
        def cut = FlyformRun.of(dir, env() + [FLYFORM_REQUEST_TIMEOUT: '2s', FLYFORM_RUN_TIMEOUT: '3s'], ['-no-color', 'apply', '-auto-approve'])
        fly.faults(fly.faults().withLatency(0))
        def rerun = flyform('apply', '-auto-approve')

        then:
        cut.exitCode == 1
        (cut.err + cut.out).contains("budget of 3 s for the Fly API is spent")
        rerun.exitCode == 0
        with(fly.inventory().path('apps').path('slow-web')) {
            path('ips')*.path('type')*.asText().toSorted() == ['shared_v4', 'v6']
            path('secrets')*.asText() == ['A', 'B']
        }
        flyform('plan').out.startsWith('No changes.')
    }

    def "a value Fly would refuse (#what) is an error at its file:line before any call; nothing is created"() {
        given:
        write 'main.fly.groovy', """\
            def web = app('web') { name = 'values-web' }
            def data = volume('data') { app = web; name = 'data'; region = 'iad'; sizeGb = 1 }
            ${declaration}
            """

        when:
        def validate = flyform('validate')
        def apply = flyform('apply', '-auto-approve')

        then:
        [validate, apply].each { run ->
            assert run.exitCode == 1: run
            assert run.err.contains(message): run
            assert run.err.contains("main.fly.groovy:${line}"): run
            assert !run.err.contains('\tat ')
        }
        fly.calls().isEmpty()
        fly.apps().isEmpty()

        where:
        what                      | line | message                                    | declaration
        'cpus as text'            | 3    | 'Field `guest.cpus` of fly_machine must be a number'| "machine('m') { app = web; region = 'iad'; image = 'x'; guest cpus: 'two' }"
        'an unknown cpu kind'     | 3    | 'Invalid guest cpuKind "turbo"'            | "machine('m') { app = web; region = 'iad'; image = 'x'; guest cpuKind: 'turbo' }"
        'a restart policy'        | 3    | 'Field `restart.policy` of fly_machine must be one of no, always, on-failure, spot-price'| "machine('m') { app = web; region = 'iad'; image = 'x'; restart policy: 'sometimes' }"
        'an upper-case region'    | 3    | 'Did you mean `iad`?'              | "machine('m') { app = web; region = 'IAD'; image = 'x' }"
        'a region typo'           | 3    | 'Unknown region "nowhere"'                 | "volume('more') { app = web; name = 'more'; region = 'nowhere' }"
        'a port out of range'     | 3    | 'Invalid port 70000'                       | "machine('m') { app = web; region = 'iad'; image = 'x'; service(internalPort: 8080) { port 70000, handlers: ['http'] } }"
        'a volume of another region' | 3 | 'Machine in ams mounts fly_volume.data, a volume in iad' | "machine('m') { app = web; region = 'ams'; image = 'x'; mount data, path: '/d' }"
        'one volume, two machines'| 4    | 'fly_volume.data is mounted by two machines' | "machine('m1') { app = web; region = 'iad'; image = 'x'; mount data, path: '/d' }\nmachine('m2') { app = web; region = 'iad'; image = 'x'; mount data, path: '/d' }"
        'a fractional size'       | 3    | 'Invalid size_gb (GB) 2.5'                 | "volume('more') { app = web; name = 'more'; region = 'iad'; sizeGb = 2.5 }"
    }

    def "a region Fly added after this flyform was built is refused offline, and accepted once flyform regions fetched Fly's list"() {
        given:
        fly.faults(fly.faults().toBuilder().newRegions(['xyz'] as Set).build())
        write 'main.fly.groovy', "def web = app('web') { name = 'new-region' }\nvolume('data') { app = web; name = 'data'; region = 'xyz' }\n"

        when:
        def before = flyform('validate')
        int calls = fly.calls().size()
        def fetched = flyform('regions')
        def after = flyform('validate')
        def apply = flyform('apply', '-auto-approve')

        then:
        calls == 0
        before.exitCode == 1
        before.err.contains('Unknown region "xyz"')
        before.err.contains('`flyform regions` fetches Fly\'s current list')
        fetched.exitCode == 0
        fetched.out.contains('xyz')
        Files.exists(dir.resolve('.test-home/.flyform/regions.json'))
        after.exitCode == 0
        apply.exitCode == 0
        fly.inventory().path('apps').path('new-region').path('volumes')[0].path('region').asText() == 'xyz'
    }

    def "destroy -target of #target deletes just that object, on Fly and in the state, while its app stays"() {
        given:
        write 'main.fly.groovy', '''\
            def web = app('web') { name = 'mistake-target'; ip 'shared_v4'; ip 'v6' }
            def data = volume('data') { app = web; name = 'data'; region = 'iad'; sizeGb = 1 }
            machine('m') { app = web; region = 'iad'; image = 'nginx'; mount data, path: '/data' }
            '''
        assert flyform('apply', '-auto-approve').exitCode == 0

        when:
        def destroy = flyform('destroy', '-target', target, '-auto-approve')
        def app = fly.inventory().path('apps').path('mistake-target')
        def list = flyform('state', 'list').out.readLines().findAll { it }

        then:
        destroy.exitCode == 0
        destroy.out.contains("Resources: 0 added, 0 changed, ${gone.size()} destroyed")
        !list.any { it in gone }
        list.contains('fly_app.web')
        app.path('ips').size() == ips
        app.path('volumes').findAll { it.path('state').asText() == 'created' }.size() == volumes
        app.path('machines').findAll { it.path('state').asText() != 'destroyed' }.size() == machines

        where:
        target                  | gone                                  | ips | volumes | machines
        'fly_ip.web_shared_v4'  | ['fly_ip.web_shared_v4']              | 1   | 1       | 1
        'fly_machine.m'         | ['fly_machine.m']                     | 2   | 1       | 0
        'fly_volume.data'       | ['fly_volume.data', 'fly_machine.m']  | 2   | 0       | 0
    }

    def "after a lost state, same-named secrets of several apps are all adopted, none set again"() {
        given:
        write 'main.fly.groovy', '''\
            ['a', 'b', 'c'].each { n ->
                app("p_$n") { name = "sec-dup-$n"; secret 'TOKEN', n }
            }
            '''
        assert flyform('apply', '-auto-approve').exitCode == 0
        dir.resolve('.flyform').toFile().deleteDir()

        when:
        def plan = flyform('plan')
        int before = fly.calls().size()
        def apply = flyform('apply', '-auto-approve')

        then:
        plan.exitCode == 0
        plan.out.contains('Plan: 0 to add, 0 to change, 0 to destroy, 6 to adopt.')
        apply.exitCode == 0
        fly.calls().drop(before).every { !it.mutating() }
    }

    def "a configuration file that cannot be read (#kind) is an error naming it, never a file that is not there"() {
        given:
        write 'a.fly.groovy', "app('a') { name = 'mistake-a' }\n"
        write 'b.fly.groovy', "app('b') { name = 'mistake-b' }\n"
        assert flyform('apply', '-auto-approve').exitCode == 0
        String state = stateSnapshot()
        Files.delete(dir.resolve('b.fly.groovy'))
        damage(dir.resolve('b.fly.groovy'))

        when:
        int before = fly.calls().size()
        def plan = flyform('plan')
        def apply = flyform('apply', '-auto-approve')

        then:
        assertRefusedUntouched(plan, 'Cannot read configuration file b.fly.groovy', state)
        assertRefusedUntouched(apply, 'Cannot read configuration file b.fly.groovy', state)
        (plan.err + plan.out).contains(why)
        fly.calls().size() == before
        fly.apps()*.name() == ['mistake-a', 'mistake-b']

        where:
        kind              | why                          | damage
        'a dangling link' | 'which does not exist'       | { Path p -> Files.createSymbolicLink(p, p.resolveSibling('gone.groovy')) }
        'a directory'     | 'It is a directory'          | { Path p -> Files.createDirectory(p) }
        'not UTF-8'       | 'It is not UTF-8 text'       | { Path p -> Files.write(p, [0x61, 0xff, 0xfe, 0x28] as byte[]) }
    }

    def "a mistake in a script (#mistake) is told in the user's words, at its line, with what to write instead"() {
        given:
        write 'main.fly.groovy', "def web = app('web') { name = 'words-web' }\n" + line + "\n"

        when:
        def run = flyform('validate')
        String said = run.err + run.out

        then:
        run.exitCode == 1
        said.contains(message)
        said.contains(instead)
        said.contains('on main.fly.groovy:2')
        !(said =~ /[A-Z]\w+Exception|dev\.flyform\.|java\.lang|groovy\.lang|\(\w+\)\.$/)
        !said.chars().anyMatch { it < 0x20 && it != 10 && it != 9 }
        fly.calls().isEmpty()

        where:
        mistake                       | line                                                                         | message                                                    | instead
        'division by zero'            | "def x = 1 / 0"                                                              | 'Arithmetic error: Division by zero'                       | 'The script failed while it ran.'
        'settings given as text'      | "machine('m') { app = web; region = 'iad'; image = 'x:1'; guest = 'big' }"   | 'Attribute `guest` of fly_machine must be a map'           | "Got the text 'big'."
        'a wrong type'                | "volume('v') { app = web; name = 'v'; region = 'iad'; sizeGb = 'big' }"      | 'Attribute `size_gb` of fly_volume must be a number'       | "Got the text 'big'."
        'a call written with ='       | "machine('m') { app = web; region = 'iad'; image = 'x:1'; service = [internalPort: 80] }" | '`service` in fly_machine block "m" is written as a call' | "`service KEY: 'value'`"
        'set after its block'         | "def m = machine('m') { app = web; region = 'iad'; image = 'x:1' }; m.metadata = [a: 'b']" | '`metadata` is set after the fly_machine block "m" was closed' | 'Set it inside the block'
        'a NUL byte'                  | "output 'n', 1 \u0000"                                                        | "Unexpected character: '\\u0000'"                          | 'The file holds a NUL byte'
        'Groovy string interpolation' | "def n = 3; app('w3') { name = 'words-w3'; certificate \"a\$n.example.com\" }" | 'Unknown name `example`'                                | 'write `${n}.example`'
        'an unknown function'         | "machin('m') { }"                                                            | 'Unknown function `machin`'                                | 'Did you mean `machine`?'
        'wrong arguments'             | "output()"                                                                   | 'Wrong arguments to `output`'                              | "Write it as: output 'name', value"
        'an unknown name'             | "output 'x', nothing"                                                        | 'Unknown name `nothing`'                                   | 'It is not a variable, a block or a setting in scope here.'
    }

    def "a malformed -var names the flag as README spells it, and how to write it"() {
        when:
        def run = flyform('plan', '-var', 'region')

        then:
        run.exitCode == 1
        run.err.startsWith('Error: -var region: write -var NAME=VALUE, e.g. -var region=iad')
        !run.err.contains('option option')
        fly.calls().isEmpty()
    }

    def "a state file that is not a database says so in words, with no H2 error code"() {
        given:
        Files.createDirectories(dir.resolve('.flyform'))
        Files.writeString(dir.resolve('.flyform/state.mv.db'), 'H:2,block:0,blockSize:1000')

        when:
        def run = flyform('state', 'list')

        then:
        run.exitCode == 1
        run.err.contains('it cannot be read (it is not a database file flyform can read')
        !(run.err =~ /\[\d{5}-\d+]|IO Exception|H2/)
    }
}
