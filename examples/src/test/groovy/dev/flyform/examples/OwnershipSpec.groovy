package dev.flyform.examples

import com.fasterxml.jackson.databind.ObjectMapper

import java.nio.file.Files
import java.nio.file.Path

/**
 * Two states declaring one app: what the first made is marked as its own, and the second takes
 * it over only when told to. Judged by what the emulator holds.
 */
class OwnershipSpec extends AgainstEmulator {

    static final ObjectMapper JSON = new ObjectMapper()

    static final String CONFIG = '''\
        def web = app('web') { name = 'owned-web' }
        machine('web_1') {
            app = web
            region = 'iad'
            image = 'flyio/hellofly:1'
        }
        '''.stripIndent()

    Path first() { dir.resolve('team-a') }
    Path second() { dir.resolve('team-b') }

    FlyformRun at(Path where, String... args) {
        Files.createDirectories(where)
        if (!Files.exists(where.resolve('main.fly.groovy'))) {
            Files.writeString(where.resolve('main.fly.groovy'), CONFIG)
        }
        FlyformRun.of(where, env(), ['-no-color'] + (args as List<String>))
    }

    List<Map> machines() {
        JSON.readValue(api('GET', '/v1/apps/owned-web/machines'), List)
    }

    def "a machine made by one state is marked with it, and a second state does not adopt it or its app unasked"() {
        given:
        assert at(first(), 'apply', '-auto-approve').exitCode == 0
        Map metadata = machines()[0].config.metadata as Map
        int before = fly.calls().size()

        when:
        def plan = at(second(), 'plan')
        def apply = at(second(), 'apply', '-auto-approve')
        def appOnly = at(second(), 'apply', '-auto-approve', '-adopt', 'fly_app.web')

        then:
        metadata.flyform_state == first().resolve('.flyform').toAbsolutePath().normalize().toString()
        plan.exitCode == 1
        plan.err.contains('fly_app.web exists on Fly, managed by another flyform state')
        plan.err.contains(first().resolve('.flyform').toString())
        plan.err.contains('-adopt fly_app.web')
        plan.err.contains('main.fly.groovy:1')
        !plan.err.contains('Exception')
        apply.exitCode == 1

        and: 'adopting the app alone does not take its machine'
        appOnly.exitCode == 1
        appOnly.err.contains('fly_machine.web_1 exists on Fly, managed by another flyform state')
        appOnly.err.contains('-adopt fly_machine.web_1')
        appOnly.err.contains('main.fly.groovy:2')
        fly.calls().drop(before).every { !it.mutating() }
        machines().size() == 1
        !Files.exists(second().resolve('.flyform/state.mv.db')) || at(second(), 'state', 'list').out.trim().isEmpty()

        and: 'the first state still manages it: a destroy from the second deleted nothing'
        at(second(), 'destroy', '-auto-approve').exitCode == 0
        machines().size() == 1
        at(first(), 'plan').out.startsWith('No changes.')
    }

    def "with -adopt the second state takes the machine over, marks it as its own, and the first one then refuses it"() {
        given:
        assert at(first(), 'apply', '-auto-approve').exitCode == 0
        String id = machines()[0].id

        when:
        def apply = at(second(), 'apply', '-auto-approve', '-adopt', 'fly_app.web', '-adopt', 'fly_machine.web_1')
        def again = at(second(), 'plan')

        then:
        apply.exitCode == 0
        apply.out.contains('fly_machine.web_1')
        machines().size() == 1
        machines()[0].id == id
        (machines()[0].config.metadata as Map).flyform_state == second().resolve('.flyform').toAbsolutePath().normalize().toString()
        again.out.startsWith('No changes.')

        when: 'the first state has forgotten it and declares it again'
        assert at(first(), 'state', 'rm', 'fly_machine.web_1').exitCode == 0
        def back = at(first(), 'plan')

        then:
        back.exitCode == 1
        back.err.contains('fly_machine.web_1 exists on Fly, managed by another flyform state')
        back.err.contains(second().resolve('.flyform').toString())
    }

    def "a lost state in the same directory adopts its own machine again with no question, and makes no second one"() {
        given:
        assert at(first(), 'apply', '-auto-approve').exitCode == 0
        first().resolve('.flyform').toFile().deleteDir()

        when:
        def apply = at(first(), 'apply', '-auto-approve')

        then:
        apply.exitCode == 0
        machines().size() == 1
        at(first(), 'plan').out.startsWith('No changes.')
    }

    def "-adopt takes an address"() {
        when:
        def plan = at(first(), 'plan', '-adopt', 'not an address')

        then:
        plan.exitCode == 1
        plan.err.contains('-adopt not an address: not an address')
        !plan.err.contains('Exception')
    }
}
