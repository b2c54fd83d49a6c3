package dev.flyform.examples

import dev.flyform.emulator.FaultSettings

import java.nio.file.Files

/**
 * fly_egress_ip, a type added to the provider (and the emulator) alone: the DSL declares it from
 * its schema, the engine plans and applies it, with no code of theirs for it.
 */
class EgressIpSpec extends AgainstEmulator {

    def setup() {
        Files.writeString(dir.resolve('main.fly.groovy'), '''\
            def web = app('web') { name = 'egress-web' }
            egress_ip('out') { app = web; region = 'iad' }
            output 'egress_v4', fly_egress_ip.out.v4
            '''.stripIndent())
    }

    /** The egress addresses the emulator holds for the app. */
    List<String> egressOf(String app) {
        fly.inventory().path('apps').path(app).path('egress_ips').collect { it.asText() }
    }

    def "an egress pair is allocated once, read back, and released when its declaration goes"() {
        when:
        def apply = flyform('apply', '-auto-approve')
        def again = flyform('plan')
        String v4 = flyform('output', '-raw', 'egress_v4').out

        then:
        apply.exitCode == 0
        apply.out.contains('# fly_egress_ip.out will be created')
        again.out.startsWith('No changes.')
        v4 ==~ /137\.66\.\d+\.\d+/
        egressOf('egress-web').size() == 2 && egressOf('egress-web').contains(v4)
        fly.calls().count { it.operation() == 'AllocateEgressIp' } == 1

        when:
        Files.writeString(dir.resolve('main.fly.groovy'), "app('web') { name = 'egress-web' }\n")
        def release = flyform('apply', '-auto-approve')

        then:
        release.exitCode == 0
        release.out.contains('# fly_egress_ip.out will be destroyed')
        fly.calls().count { it.operation() == 'ReleaseEgressIp' } == 1
        egressOf('egress-web').isEmpty()
        flyform('plan').out.startsWith('No changes.')
    }

    def "an allocation whose answer is lost is reconciled by the next apply, never allocated twice"() {
        given: 'the app first, then the egress allocation: the connection drops after Fly made the pair'
        assert flyform('apply', '-auto-approve', '-target', 'fly_app.web').exitCode == 0
        fly.faults(FaultSettings.NONE.droppingAfterCommit(1L))

        when:
        def first = flyform('apply', '-auto-approve')
        fly.faults(FaultSettings.NONE)
        def second = flyform('apply', '-auto-approve')
        def third = flyform('plan')

        then: 'one pair on Fly, recorded, and no second allocation'
        second.exitCode == 0
        third.out.startsWith('No changes.')
        egressOf('egress-web').size() == 2
        fly.calls().count { it.operation() == 'AllocateEgressIp' } == 1
    }

    def "import app writes an egress pair from the schema, and the written declarations plan to no change"() {
        given: 'an app with an egress pair made by hand, as fly ips allocate-egress makes one'
        def api = new dev.flyform.emulator.EmulatorClient(fly)
        api.createApp('egress-legacy')
        api.graphql('mutation($input: AllocateEgressIPAddressInput!) { allocateEgressIpAddress(input: $input) { v4 v6 } }',
                '{"input":{"appId":"egress-legacy","region":"ams"}}')
        java.nio.file.Path there = Files.createDirectories(dir.resolve('imported'))

        when:
        def imported = FlyformRun.of(there, env(), ['-no-color', 'import', 'app', 'egress-legacy', '-generate-config', 'legacy.fly.groovy'])
        String written = Files.readString(there.resolve('legacy.fly.groovy'))
        def plan = FlyformRun.of(there, env(), ['-no-color', 'plan'])

        then:
        imported.exitCode == 0
        written.contains("egress_ip('egress-legacy_egress_ams') {")
        written.contains("    region = 'ams'")
        plan.exitCode == 0
        plan.out.startsWith('No changes.')
        egressOf('egress-legacy').size() == 2
    }
}
