package dev.flyform.examples

import dev.flyform.emulator.FaultSettings
import dev.flyform.emulator.FlyEmulator

import java.nio.file.Files
import java.nio.file.Path

/** What a Terraform and flyctl user expects of the command line, each against the emulator. */
class PaperCutsSpec extends AgainstEmulator {

    def setup() {
        Files.writeString(dir.resolve('main.fly.groovy'), '''\
            def web = app('web') { name = 'cuts-web'; ip 'v6' }
            machine('m') { app = web; region = 'iad'; image = 'flyio/hellofly:latest'; env PORT: '8080' }
            '''.stripIndent())
    }

    def "Terraform's spellings work with Terraform's meaning: #args"() {
        when:
        def run = FlyformRun.of(dir, env(), args)

        then:
        run.exitCode == 0
        run.out.trim() == 'flyform 0.1.0-SNAPSHOT'

        where:
        args << [['version'], ['-version'], ['-v'], ['--version'], ['-V']]
    }

    def "-input=false is accepted, plan takes -parallelism, and -parallelism 0 is refused even with nothing to change"() {
        given:
        assert flyform('apply', '-auto-approve', '-input=false').exitCode == 0
        int calls = fly.calls().size()

        when:
        def plan = flyform('plan', '-input=false', '-parallelism', '4')
        def zero = flyform('apply', '-auto-approve', '-parallelism', '0')
        def zeroPlan = flyform('plan', '-parallelism', '0')

        then:
        plan.exitCode == 0
        plan.out.startsWith('No changes.')
        zero.exitCode == 1
        zero.err.contains('-parallelism must be at least 1, got 0')
        zeroPlan.exitCode == 1
        fly.calls().size() == calls + 1   // the one plan's refresh; the refused runs sent nothing
    }

    def "output -raw NAME prints the value alone, for shell scripts"() {
        given:
        Files.writeString(dir.resolve('out.fly.groovy'), "output 'name', 'cuts-web'\noutput 'port', 8080\n")
        assert flyform('apply', '-auto-approve').exitCode == 0

        when:
        def name = flyform('output', '-raw', 'name')
        def port = flyform('output', '-raw', 'port')
        def none = flyform('output', '-raw')

        then:
        name.out == 'cuts-web'
        port.out == '8080'
        none.exitCode == 1
        none.err.contains('-raw needs an output')
    }

    def "README and docs/ stand alone: no link leaves the project, and every link into docs/ resolves"() {
        given:
        Path root = Path.of('..').toAbsolutePath().normalize()
        def texts = [root.resolve('README.md')] + Files.list(root.resolve('docs')).withCloseable { it.filter { it.toString().endsWith('.md') }.toList() }

        expect:
        texts.every { !Files.readString(it).contains('../shared') }
        def links = (Files.readString(root.resolve('README.md')) =~ /\]\((docs\/[^)#]+)\)/).collect { it[1] }
        links.contains('docs/design.md')
        links.every { Files.isRegularFile(root.resolve(it)) }
        Files.readString(root.resolve('docs/design.md')).contains('Every create is written down before it is sent')
    }

    def "destroy takes yes on its input as apply does; each command lists and takes only the options it honours"() {
        given:
        assert flyform('apply', '-auto-approve').exitCode == 0

        when:
        def piped = FlyformRun.of(dir, env(), ['-no-color', 'destroy'], 'yes\n')
        def destroyHelp = flyform('destroy', '--help')
        def replace = flyform('destroy', '-replace', 'fly_app.web', '-auto-approve')
        def validateHelp = flyform('validate', '--help')
        def outputHelp = flyform('output', '--help')
        def emulatorHelp = flyform('emulator', '--help')

        then:
        piped.exitCode == 0
        piped.out.contains('Destroy complete!')
        fly.apps().isEmpty()
        !destroyHelp.out.contains('-replace') && !destroyHelp.out.contains('PLANFILE')
        replace.exitCode == 1
        replace.err.contains("Unknown options: '-replace'")
        ['-target', '-replace', '-refresh', '-lock-timeout'].every { !validateHelp.out.contains(it) && !outputHelp.out.contains(it) }
        validateHelp.out.contains('-var')
        !emulatorHelp.out.contains('-sandbox') && !emulatorHelp.out.contains('-chdir')
    }

    def "shell completion completes below the top level: a command's options, a group's commands"() {
        given:
        def script = flyform('generate-completion')
        Path file = dir.resolve('flyform-completion.bash')
        Files.writeString(file, script.out)

        when:
        String plan = complete(file, ['flyform', 'plan', '-'])
        String state = complete(file, ['flyform', 'state', ''])

        then:
        script.exitCode == 0
        plan.split(' ').toList().containsAll(['-parallelism', '-lock-timeout', '-out', '-var'])
        !plan.split(' ').toList().any { it in ['apply', 'validate', 'state'] }   // a command's options, not the commands
        state.split(' ').toList().containsAll(['list', 'show', 'rm', 'mv', 'history', 'pull', 'unlock', 'restore'])
        !state.split(' ').toList().any { it in ['validate', 'plan', '-chdir'] }
    }

    /** What bash offers at the end of {@code words}, with the generated script loaded. */
    static String complete(Path script, List<String> words) {
        String program = 'source "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(( $# - 1 )); COMP_LINE="$*"; ' +
                'COMP_POINT=${#COMP_LINE}; COMPREPLY=(); ' +
                '_complete_flyform flyform "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"; echo "${COMPREPLY[@]}"'
        def process = new ProcessBuilder(['bash', '-c', program, 'bash', script.toString()] + words)
                .redirectError(ProcessBuilder.Redirect.DISCARD).start()   // bash says compopt works only from a real TAB
        String out = process.inputStream.text
        process.waitFor()
        return out.trim()
    }

    def "show PLANFILE prints what plan printed"() {
        when:
        def plan = flyform('plan', '-out', 'p.plan')
        def show = flyform('show', 'p.plan')

        then:
        plan.exitCode == 0
        show.exitCode == 0
        show.out.contains('# fly_machine.m will be created')
        plan.out == show.out + '\nSaved the plan to p.plan. To make exactly these changes, run: flyform apply p.plan\n'
    }

    def "a plan saved by one process is applied by another: nothing in it depends on a JVM's map order"() {
        when: 'the machine has no guest, so its default one is in the plan'
        def plan = FlyformProcess.run(dir, env(), ['plan', '-out', 'p.plan'])
        def apply = FlyformProcess.run(dir, env(), ['apply', 'p.plan'])

        then:
        plan.exitCode == 0
        apply.exitCode == 0
        apply.output.contains('Apply complete! Resources: 3 added')
    }

    def "an error Fly gives during apply names the declaration's file and line"() {
        given:
        fly.faults(FaultSettings.NONE.toBuilder().failingImages(['flyio/hellofly:latest'] as Set).build())

        when:
        def apply = flyform('apply', '-auto-approve')

        then:
        apply.exitCode == 1
        apply.err.contains('fly_machine.m failed to start')
        apply.err.contains('on main.fly.groovy:2')
    }

    def "a certificate Fly issues after apply is refreshed and recorded, with its DNS records, without planning a change"() {
        given: 'the certificate is added before the app has an address, and Fly has not issued it yet'
        Files.writeString(dir.resolve('main.fly.groovy'), """\
            def web = app('web') { name = 'cuts-web'; certificate 'www.cuts.example' }
            output 'status', web.certificate('www.cuts.example').status
            output 'aaaa', web.certificate('www.cuts.example').dnsAaaa
            """.stripIndent())
        assert flyform('apply', '-auto-approve').exitCode == 0
        assert flyform('output', '-raw', 'status').out == 'pending_validation'

        when: 'an address is allocated by hand and Fly issues the certificate'
        String v6 = new dev.flyform.emulator.EmulatorClient(fly)
                .post('/v1/apps/cuts-web/ip_assignments', '{"type":"v6"}').text('ip')
        fly.faults(FaultSettings.NONE.toBuilder().certificateIssuanceMs(0).build())
        int mutating = fly.calls().count { it.mutating() }
        def plan = flyform('plan')
        def apply = flyform('apply', '-auto-approve')
        def again = flyform('plan')

        then: 'plan says what moved on, apply records it with no call to Fly, and the next plan has nothing to note'
        plan.exitCode == 0
        plan.out.contains('fly_certificate.web_www_cuts_example: status = "active", dns_aaaa = ["' + v6 + '"]')
        plan.out.contains('No changes.')
        apply.exitCode == 0
        fly.calls().count { it.mutating() } == mutating
        flyform('output', '-raw', 'status').out == 'active'
        flyform('output', '-json', 'aaaa').out.contains(v6)
        flyform('show').out.contains('status') && flyform('show').out.contains('"active"')
        again.out.startsWith('No changes.')
        !again.out.contains('are behind')
    }

    def "a certificate made in the same apply as the app's addresses records those addresses as its DNS records"() {
        given:
        Files.writeString(dir.resolve('main.fly.groovy'), """\
            def web = app('web') { name = 'cuts-web'; ip 'v6'; ip 'shared_v4'; certificate 'www.cuts.example' }
            output 'a', web.certificate('www.cuts.example').dnsA
            output 'aaaa', web.certificate('www.cuts.example').dnsAaaa
            """.stripIndent())

        when:
        def apply = flyform('apply', '-auto-approve')
        def ips = fly.ips('cuts-web')

        then:
        apply.exitCode == 0
        ips.size() == 2
        flyform('output', '-json', 'aaaa').out.trim() == '["' + ips.find { it.type() == 'v6' }.ip() + '"]'
        flyform('output', '-json', 'a').out.trim() == '["' + ips.find { it.type() == 'shared_v4' }.ip() + '"]'
        flyform('plan').out.startsWith('No changes.')
    }

    def "output prints what the last apply recorded: no -var or env() value is needed, nothing unapplied is shown"() {
        given:
        Files.writeString(dir.resolve('main.fly.groovy'), """\
            def pr = variable('pr', null)
            def web = app('web') { name = "b5-\${pr}" }
            output 'name', web.name
            output 'token', env('PREVIEW_TOKEN'), sensitive: true
            """.stripIndent())
        def applied = FlyformRun.of(dir, env() + [PREVIEW_TOKEN: 'tok-s3cret-77'], ['-no-color', 'apply', '-auto-approve', '-var', 'pr=11'])
        assert applied.exitCode == 0
        assert applied.out.contains('token = (sensitive value)')

        when: 'the configuration moves on without an apply, and no variable is given'
        Files.writeString(dir.resolve('main.fly.groovy'),
                Files.readString(dir.resolve('main.fly.groovy')).replace("'name', web.name", "'name', 'b5-99'"))
        def raw = flyform('output', '-raw', 'name')
        def all = flyform('output')
        def json = flyform('output', '-json')
        def secret = flyform('output', 'token')
        def withVar = flyform('output', '-var', 'pr=99')

        then:
        raw.exitCode == 0
        raw.out == 'b5-11'
        all.out == 'name  = "b5-11"\ntoken = (sensitive value)\n'
        json.out.contains('"name":{"value":"b5-11","sensitive":false}')
        secret.exitCode == 1
        secret.err.contains('Output "token" is sensitive')
        withVar.exitCode == 1
        withVar.err.contains('-var')

        and: 'the state never holds the sensitive value'
        !new String(Files.readAllBytes(dir.resolve('.flyform/state.mv.db')), 'ISO-8859-1').contains('tok-s3cret-77')
        !flyform('show', '-json').out.contains('tok-s3cret-77')
    }

    def "outputs are recorded when they change with nothing else to apply, and destroy clears them"() {
        given:
        Files.writeString(dir.resolve('out.fly.groovy'), "output 'port', 8080\n")
        assert flyform('apply', '-auto-approve').exitCode == 0

        when:
        Files.writeString(dir.resolve('out.fly.groovy'), "output 'port', 9090\noutput 'region', 'iad'\n")
        def plan = flyform('plan')
        def apply = flyform('apply', '-auto-approve')
        def after = flyform('output', '-json')
        def destroy = flyform('destroy', '-auto-approve')

        then:
        plan.out.contains('~ port   = 8080 -> 9090')
        plan.out.contains('+ region = "iad"')
        apply.exitCode == 0
        after.out.contains('"port":{"value":9090')
        after.out.contains('"region":{"value":"iad"')
        destroy.exitCode == 0
        flyform('output', 'port').err.contains('No output named "port" was recorded')
    }
}
