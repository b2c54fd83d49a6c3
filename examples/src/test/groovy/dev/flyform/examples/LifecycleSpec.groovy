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

    void writeProtected(String region = 'iad', String protect = 'preventDestroy true') {
        Files.writeString(dir.resolve('main.fly.groovy'), """\
            def web = app('web') {
                name = 'life-web'
                ${protect}
            }
            volume('data') { app = web; name = 'data'; region = '${region}'; ${protect} }
            """.stripIndent())
    }

    def "preventDestroy on an app with a volume: deleting the blocks, destroy and -target destroy all fail before any call, naming it and its line"() {
        given:
        writeProtected()
        assert flyform('apply', '-auto-approve').exitCode == 0
        Files.writeString(dir.resolve('main.fly.groovy'), '// everything removed\n')
        int before = fly.calls().size()

        when:
        def plan = flyform('plan')
        def apply = flyform('apply', '-auto-approve')
        def destroy = flyform('destroy', '-auto-approve')
        def targeted = flyform('destroy', '-auto-approve', '-target', 'fly_app.web')

        then: 'protected as the state recorded it, though the blocks are gone; state pull shows where'
        [plan, apply, destroy, targeted].every { it.exitCode == 1 }
        new ObjectMapper().readTree(flyform('state', 'pull').out).path('resources')
                .find { it.path('address').asText() == 'fly_app.web' }.path('protected_by').asText() == 'main.fly.groovy:3'
        plan.err.contains('fly_app.web is protected from destruction (preventDestroy at main.fly.groovy:3)')
        plan.err.contains('fly_volume.data is protected from destruction (preventDestroy at main.fly.groovy:5)')
        destroy.err.contains('fly_app.web is protected from destruction')
        targeted.err.contains('fly_app.web is protected from destruction')
        fly.calls().size() == before          // not one call: not even a read
        fly.apps()*.name() == ['life-web']
        api('GET', '/v1/apps/life-web/volumes').contains('"name":"data"')
    }

    def "a protected volume that a change would replace is refused with nothing sent; lifting the rule lets it go"() {
        given:
        writeProtected()
        assert flyform('apply', '-auto-approve').exitCode == 0

        when:
        writeProtected('ams')
        int before = fly.calls().size()
        def replace = flyform('apply', '-auto-approve')
        def mutations = fly.calls().drop(before).findAll { it.mutating() }
        writeProtected('iad', 'preventDestroy false')
        def lifted = flyform('apply', '-auto-approve')
        def destroy = flyform('destroy', '-auto-approve')

        then:
        replace.exitCode == 1
        replace.err.contains('fly_volume.data is protected from destruction (preventDestroy at main.fly.groovy:5)')
        replace.err.contains('This plan would replace it')
        mutations.isEmpty()
        lifted.exitCode == 0
        destroy.exitCode == 0
        fly.apps().isEmpty()
    }

    def "a plan that destroys a volume says so plainly in its summary and in its JSON"() {
        given:
        writeProtected('iad', '')
        assert flyform('apply', '-auto-approve').exitCode == 0
        Files.writeString(dir.resolve('main.fly.groovy'), '// the app and its volume removed\n')

        when:
        def plan = flyform('plan')
        def json = new ObjectMapper().readTree(flyform('plan', '-json').out)
        writeProtected('ams', '')
        def replace = flyform('plan')

        then:
        plan.out.contains('Plan: 0 to add, 0 to change, 2 to destroy.\n! 1 volume will be destroyed with its data: fly_volume.data')
        json.path('data_loss')*.asText() == ['fly_volume.data']
        replace.out.contains('! 1 volume will be destroyed with its data: fly_volume.data')
        fly.apps()*.name() == ['life-web']
    }

    def "protection outlives updates, including a saved plan applied as saved"() {
        given:
        writeProtected()
        assert flyform('apply', '-auto-approve').exitCode == 0

        when: 'the volume grows through a saved plan (an update in place), then every block is deleted'
        Files.writeString(dir.resolve('main.fly.groovy'), Files.readString(dir.resolve('main.fly.groovy'))
                .replace("region = 'iad';", "region = 'iad'; sizeGb = 2;"))
        def saved = flyform('plan', '-out', 'grow.plan')
        def applied = flyform('apply', 'grow.plan')
        Files.writeString(dir.resolve('main.fly.groovy'), '// everything removed\n')
        def plan = flyform('plan')

        then:
        saved.exitCode == 0
        saved.out.contains('fly_volume.data will be updated in-place')
        applied.exitCode == 0
        plan.exitCode == 1
        plan.err.contains('fly_volume.data is protected from destruction (preventDestroy at main.fly.groovy:5)')
        plan.err.contains('fly_app.web is protected from destruction (preventDestroy at main.fly.groovy:3)')
    }

    def "examples/lifecycle applies, re-plans clean, and refuses to lose its protected volume"() {
        given:
        Files.copy(java.nio.file.Path.of('lifecycle/main.fly.groovy'), dir.resolve('main.fly.groovy'))

        when:
        def apply = flyform('apply', '-auto-approve')
        def again = flyform('plan')
        String text = Files.readString(dir.resolve('main.fly.groovy'))
        Files.writeString(dir.resolve('main.fly.groovy'), text.substring(0, text.indexOf("def data = volume")) + """\
            machine('web_2') {
                app = web
                region = 'iad'
                image = 'flyio/hellofly:latest'
            }
            """.stripIndent())
        int before = fly.calls().size()
        def refused = flyform('plan')

        then:
        apply.exitCode == 0
        apply.out.contains('Rolling out') == false   // all new: nothing to roll
        again.out.startsWith('No changes.')
        refused.exitCode == 1
        refused.err.contains('fly_volume.data')
        refused.err.contains('main.fly.groovy:14')
        fly.calls().size() == before
    }

    def "removed forgets an object without deleting it: shown as forgotten, nothing sent, still on Fly"() {
        given:
        write('')
        assert flyform('apply', '-auto-approve').exitCode == 0
        String id = (JSON.readValue(api('GET', '/v1/apps/life-web/machines'), List)[0] as Map).id
        Files.writeString(dir.resolve('main.fly.groovy'), """\
            app('web') { name = 'life-web' }
            removed 'fly_machine.web_1'
            """.stripIndent())
        int before = fly.calls().size()

        when:
        def plan = flyform('plan')
        def apply = flyform('apply', '-auto-approve')
        def state = flyform('state', 'list').out
        def again = flyform('plan')

        then:
        plan.exitCode == 0
        plan.out.contains('# fly_machine.web_1 will be forgotten (removed at main.fly.groovy:2)')
        !plan.out.contains('destroy')
        apply.exitCode == 0
        fly.calls().drop(before).every { !it.mutating() }
        JSON.readValue(api('GET', "/v1/apps/life-web/machines/${id}"), Map).state == 'started'
        !state.contains('fly_machine.web_1')
        state.contains('fly_app.web')
        again.out.startsWith('No changes.')
        again.err.contains('removed fly_machine.web_1: the state does not hold it')

        when: 'an app removed is forgotten with what Fly would delete with it'
        write('')
        assert flyform('import', 'fly_machine.web_1', "life-web/${id}").exitCode == 0
        Files.writeString(dir.resolve('main.fly.groovy'), "removed 'fly_app.web'\n")
        int then_ = fly.calls().size()
        def gone = flyform('apply', '-auto-approve')

        then:
        gone.exitCode == 0
        gone.out.contains('# fly_app.web will be forgotten')
        gone.out.contains('# fly_machine.web_1 will be forgotten')
        fly.calls().drop(then_).every { !it.mutating() }
        flyform('state', 'list').out.trim().isEmpty()
        JSON.readValue(api('GET', '/v1/apps/life-web/machines'), List).size() == 1
    }

    def "removed beside a block of the same address, or naming no address, is an error at its line"() {
        given:
        write("")
        Files.writeString(dir.resolve('more.fly.groovy'), "\n${line}\n")

        when:
        def run = flyform('validate')

        then:
        run.exitCode == 1
        run.err.contains(message)
        run.err.contains('more.fly.groovy:2')
        fly.calls().isEmpty()

        where:
        line                             | message
        "removed 'fly_machine.web_1'"    | 'fly_machine.web_1 is both declared and removed'
        "removed 'nonsense'"             | "removed 'nonsense': not an address"
        "removed 'fly_machina.web_1'"    | 'no resource type fly_machina'
    }

    /** The sequence numbers of the machine create and of the old machine's delete, in the calls since {@code from}. */
    List<Long> createAndDelete(int from, String oldId) {
        def calls = fly.calls().drop(from)
        [calls.find { it.method() == 'POST' && it.path() == '/v1/apps/life-web/machines' }?.sequence(),
         calls.find { it.method() == 'DELETE' && it.path().startsWith("/v1/apps/life-web/machines/${oldId}") }?.sequence()]
    }

    def "createBeforeDestroy makes the replacement machine first; without it the old one goes first"() {
        given:
        write(rule)
        assert flyform('apply', '-auto-approve').exitCode == 0
        String oldId = (JSON.readValue(api('GET', '/v1/apps/life-web/machines'), List)[0] as Map).id
        Files.writeString(dir.resolve('main.fly.groovy'), Files.readString(dir.resolve('main.fly.groovy')).replace("region = 'iad'", "region = 'ams'"))
        int before = fly.calls().size()

        when:
        def plan = flyform('plan')
        def apply = flyform('apply', '-auto-approve')
        List<Long> order = createAndDelete(before, oldId)
        List machines = JSON.readValue(api('GET', '/v1/apps/life-web/machines'), List)

        then:
        apply.exitCode == 0
        plan.out.contains('the new one made before the old one is destroyed') == first
        order.every { it != null }
        (order[0] < order[1]) == first
        machines.size() == 1
        machines[0].region == 'ams'
        flyform('plan').out.startsWith('No changes.')

        where:
        rule                       | first
        'createBeforeDestroy true' | true
        ''                         | false
    }

    def "createBeforeDestroy on a machine with a name of its own, or a mount, is an error at its line"() {
        given:
        Files.writeString(dir.resolve('main.fly.groovy'), """\
            def web = app('web') { name = 'life-web' }
            def data = volume('data') { app = web; name = 'data'; region = 'iad'; sizeGb = 1 }
            machine('web_1') {
                app = web
                region = 'iad'
                image = 'flyio/hellofly:1'
                ${setting}
                createBeforeDestroy true
            }
            """.stripIndent())

        when:
        def run = flyform('validate')

        then:
        run.exitCode == 1
        run.err.contains(message)
        run.err.contains('main.fly.groovy:8')

        where:
        setting                      | message
        "name = 'web-1'"             | 'createBeforeDestroy: fly_machine.web_1 cannot exist twice at once'
        "mount data, path: '/data'"  | 'a machine that mounts a volume cannot be made before the old one is gone'
    }

    def "a certificate with waitFor 'issued' is waited for until Fly issues it, or fails naming its DNS records"() {
        given:
        if (issuedAfterMs != null) {
            fly.faults(dev.flyform.emulator.FaultSettings.NONE.toBuilder().certificateIssuanceMs(issuedAfterMs).build())
        }
        Files.writeString(dir.resolve('main.fly.groovy'), """\
            def web = app('web') { name = 'life-web' }
            def www = certificate('www') {
                app = web
                hostname = 'www.life.example'
                waitFor 'issued'
                waitTimeout '2s'
            }
            output 'www_cname', www.dnsCname
            """.stripIndent())

        when:
        def apply = flyform('apply', '-auto-approve')
        Map cert = JSON.readValue(api('GET', '/v1/apps/life-web/certificates/www.life.example'), Map)
        Map recorded = JSON.readValue(flyform('state', 'pull').out, Map).resources.find { it.type == 'fly_certificate' }.attributes as Map

        then:
        apply.exitCode == exit
        cert.status == status
        recorded.status == status
        recorded.wait_for == 'issued'
        apply.err.contains('was not issued within 2s') == (exit == 1)
        apply.err.contains('www.life.example') == (exit == 1)

        where:
        issuedAfterMs | exit | status
        500L          | 0    | 'active'
        null          | 1    | cert_pending()
    }

    static String cert_pending() { 'pending_validation' }
}
