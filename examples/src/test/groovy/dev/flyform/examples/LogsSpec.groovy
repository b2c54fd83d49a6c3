package dev.flyform.examples

import dev.flyform.emulator.FlyEmulator

import java.nio.charset.StandardCharsets
import java.nio.file.Files
import java.nio.file.Path

/**
 * FLYFORM_LOG: one line per exchange with Fly, bodies at trace, and never a token or a secret's
 * value anywhere: not on stdout or stderr, not in the log, not in any file written.
 */
class LogsSpec extends AgainstEmulator {

    static final String CANARY = 'canary-S3CRET-7f3a91'

    Map<String, String> extra = [:]

    @Override
    Map<String, String> env() {
        super.env() + extra
    }

    def setup() {
        Files.writeString(dir.resolve('main.fly.groovy'), """\
            def web = app('web') {
                name = 'logged-web'
                secret 'SESSION_KEY', env('SESSION_KEY')
            }
            machine('web_1') {
                app = web
                region = 'iad'
                image = 'flyio/hellofly:1'
                env PORT: '8080'
            }
            """.stripIndent())
    }

    /** Every byte flyform printed or left in the directory, as text. */
    String everythingWritten(FlyformRun... runs) {
        StringBuilder all = new StringBuilder()
        runs.each { all.append(it.out).append(it.err) }
        Files.walk(dir).withCloseable { files ->
            files.filter { Files.isRegularFile(it) }.each { Path f -> all.append(new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1)) }
        }
        all.toString()
    }

    def "at trace the log tells each exchange with its body, and no token or secret value is written anywhere"() {
        given:
        extra = [FLYFORM_LOG: 'trace', FLYFORM_LOG_PATH: 'flyform.log', SESSION_KEY: CANARY]

        when:
        def apply = flyform('apply', '-auto-approve')
        def plan = flyform('plan')
        String log = Files.readString(dir.resolve('flyform.log'))
        String all = everythingWritten(apply, plan)

        then:
        apply.exitCode == 0
        log =~ /POST \/v1\/apps -> 20\d in \d+ ms \(fly-request-id [^)]+\)/
        log =~ /POST \/v1\/apps\/logged-web\/machines -> 200 in \d+ ms/
        log =~ /GET \/v1\/apps\/logged-web\/machines\/[0-9a-f]+\/wait\?[^ ]+ -> 200/
        log.contains('  sent: {"')
        log.contains('"image":"flyio/hellofly:1"')
        log.contains('(redacted)')              // the secret's body was logged, its value hidden
        !all.contains(CANARY)
        !all.contains(FlyEmulator.PERSONAL_TOKEN)
        !apply.err.contains('POST /v1/apps')    // to the file, not the terminal
    }

    def "at debug the exchanges go to stderr; unset, nothing is told"() {
        given:
        extra = [SESSION_KEY: CANARY]

        when:
        def quiet = flyform('plan')
        extra = [SESSION_KEY: CANARY, FLYFORM_LOG: 'debug']
        def told = flyform('plan')

        then:
        quiet.exitCode == 0
        !quiet.err.contains('GET /v1/apps')
        told.exitCode == 0
        told.err =~ /flyform \S+ debug: GET \/v1\/apps\/logged-web -> 404 in \d+ ms/
        !told.err.contains('sent:')
        !(told.out + told.err).contains(CANARY)
    }

    def "a level flyform does not know is an error naming the variable"() {
        given:
        extra = [SESSION_KEY: CANARY, FLYFORM_LOG: 'verbose']

        when:
        def run = flyform('plan')

        then:
        run.exitCode == 1
        run.err.contains('FLYFORM_LOG=verbose: give info, debug or trace')
        !run.err.contains('Exception')
    }

    def "Fly's refusal of the token says which token a call needs"() {
        given:
        extra = [SESSION_KEY: CANARY, FLY_API_TOKEN: 'fm2_not_a_token_fly_knows']

        when:
        def run = flyform('plan')

        then:
        run.exitCode == 1
        run.err.contains('401')
        run.err.contains("Fly refused the token (FLY_API_TOKEN, else flyctl's login)")
        run.err.contains('fly tokens create org')
        !run.err.contains('fm2_not_a_token_fly_knows')
    }
}
