package dev.flyform.examples

import com.fasterxml.jackson.databind.ObjectMapper

import java.nio.file.Files

/** Lifecycle rules on blocks, beside `fly deploy`: judged by what the emulator holds and what is sent. */
class LifecycleSpec extends AgainstEmulator {

    void write(String rules) {
        Files.writeString(dir.resolve('main.fly.groovy'), """\
            def web = app('web') { name = 'life-web' }
            machine('web_1') {
                app = web
                region = 'iad'
                image = 'flyio/hellofly:1'
                env PORT: '8080'
                ${rules}
            }
            """.stripIndent())
    }

    static final ObjectMapper JSON = new ObjectMapper()

    /** What `fly deploy` does to a machine: a new image, the rest of its config kept. */
    void deployImage(String image) {
        Map m = JSON.readValue(api('GET', '/v1/apps/life-web/machines'), List)[0] as Map
        Map config = m.config as Map
        config.image = image
        api('POST', "/v1/apps/life-web/machines/${m.id}", JSON.writeValueAsString([config: config]))
    }

    String imageOnFly() {
        ((JSON.readValue(api('GET', '/v1/apps/life-web/machines'), List)[0] as Map).config as Map).image
    }

    def "an image changed by fly deploy is kept with ignoreChanges 'image': the drift is reported, nothing is sent"() {
        given:
        write("ignoreChanges 'image'")
        assert flyform('apply', '-auto-approve').exitCode == 0
        deployImage('registry.fly.io/life-web:deployment-2')

        when:
        def plan = flyform('plan')
        int before = fly.calls().size()
        def apply = flyform('apply', '-auto-approve')

        then:
        plan.exitCode == 0
        plan.out.startsWith('No changes.')
        plan.err.contains('Drift kept: fly_machine.web_1 differs on Fly in image (Fly: "registry.fly.io/life-web:deployment-2", declared: "flyio/hellofly:1")')
        plan.err.contains('main.fly.groovy:7')
        apply.exitCode == 0
        fly.calls().drop(before).every { !it.mutating() }
        imageOnFly() == 'registry.fly.io/life-web:deployment-2'
    }

    def "without the rule, the image fly deploy set is planned back to the declared one"() {
        given:
        write('')
        assert flyform('apply', '-auto-approve').exitCode == 0
        deployImage('registry.fly.io/life-web:deployment-2')

        when:
        def plan = flyform('plan')
        def apply = flyform('apply', '-auto-approve')

        then:
        plan.out.contains('# fly_machine.web_1 will be updated in-place')
        plan.out.contains('"registry.fly.io/life-web:deployment-2" -> "flyio/hellofly:1"')
        apply.exitCode == 0
        imageOnFly() == 'flyio/hellofly:1'
    }

    def "ignoreChanges all keeps every attribute Fly changed; an attribute the type lacks is an error at its line"() {
        given:
        write('ignoreChanges all')
        assert flyform('apply', '-auto-approve').exitCode == 0
        deployImage('registry.fly.io/life-web:deployment-3')

        when:
        def plan = flyform('plan')
        write("ignoreChanges 'imaeg'")
        def typo = flyform('validate')

        then:
        plan.out.startsWith('No changes.')
        typo.exitCode == 1
        typo.err.contains('ignoreChanges names attributes of fly_machine')
        typo.err.contains('Did you mean `image`?')
        typo.err.contains('main.fly.groovy:7')
    }
}
