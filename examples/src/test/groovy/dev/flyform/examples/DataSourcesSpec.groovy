package dev.flyform.examples

import com.fasterxml.jackson.databind.ObjectMapper
import dev.flyform.emulator.EmulatorClient

import java.nio.file.Files

/** Data sources: read-only lookups of what flyform does not manage, read while planning, referable like resources. */
class DataSourcesSpec extends AgainstEmulator {

    static final ObjectMapper JSON = new ObjectMapper()

    EmulatorClient api = new EmulatorClient(fly)

    def setup() {
        // An app flyctl made and flyform does not manage, with an address and a certificate.
        api.createApp('legacy-app')
        api.post('/v1/apps/legacy-app/ip_assignments', '{"type":"v6"}')
        api.post('/v1/apps/legacy-app/certificates/acme', '{"hostname":"legacy.example.com"}')
        Files.writeString(dir.resolve('main.fly.groovy'), '''\
            def legacy = data('fly_app', 'legacy') { name = 'legacy-app' }
            data('fly_organization', 'mine') { slug = 'personal' }
            data('fly_regions', 'all')
            app('web') { name = 'beside-legacy'; org = data.fly_organization.mine.slug }
            secret('pointer') { app = fly_app.web; name = 'LEGACY_ID'; value = legacy.id }
            output 'legacy_v6', legacy.ipv6
            output 'legacy_certificates', data.fly_app.legacy.certificates
            output 'org_name', data.fly_organization.mine.name
            output 'has_iad', data.fly_regions.all.codes
            '''.stripIndent())
    }

    def "data sources are read during plan, shown in it, referred to like resources, never managed"() {
        when:
        def plan = flyform('plan')
        def json = JSON.readTree(flyform('plan', '-json').out)
        def apply = flyform('apply', '-auto-approve')
        def again = flyform('plan')
        def state = JSON.readTree(flyform('state', 'pull').out)

        then: 'plan reads them and shows it'
        plan.exitCode == 0
        plan.out.contains('<= data.fly_app.legacy')
        plan.out.contains('<= data.fly_organization.mine')
        plan.out.contains('<= data.fly_regions.all')
        plan.out.contains('Plan: 2 to add, 0 to change, 0 to destroy.')
        json.path('resource_changes').find { it.path('address').asText() == 'data.fly_app.legacy' }.path('actions')*.asText() == ['read']
        json.path('resource_changes').find { it.path('address').asText() == 'data.fly_app.legacy' }.path('after').path('id').asText() ==
                fly.app('legacy-app').get().id()

        and: 'what they read reaches resources and outputs; the app they read is left as it was'
        apply.exitCode == 0
        fly.app('beside-legacy').isPresent()
        flyform('output', '-json', 'legacy_v6').out.trim() == '["' + fly.ips('legacy-app')[0].ip() + '"]'
        flyform('output', '-json', 'legacy_certificates').out.trim() == '["legacy.example.com"]'
        flyform('output', '-raw', 'org_name').out == 'Personal'
        flyform('output', '-json', 'has_iad').out.contains('"iad"')
        fly.apps()*.name().toSorted() == ['beside-legacy', 'legacy-app']
        state.path('resources')*.path('address')*.asText().toSorted() == ['fly_app.web', 'fly_secret.pointer']
        again.out.contains('No changes.')
    }

    def "a data source that finds nothing is an error at its declaration, before any change"() {
        given:
        Files.writeString(dir.resolve('main.fly.groovy'), "data('fly_app', 'gone') {\n    name = 'no-such-app'\n}\napp('web') { name = 'never-made' }\n")

        when:
        int before = fly.calls().size()
        def apply = flyform('apply', '-auto-approve')

        then:
        apply.exitCode == 1
        apply.err.contains('No app named "no-such-app"')
        apply.err.contains('on main.fly.groovy:2, in data.fly_app.gone (attribute name)')
        !fly.app('never-made').isPresent()
        fly.calls().drop(before).every { !it.mutating() }
    }

    def "a data source cannot depend on what only apply will tell; an unknown data source is named with the known ones"() {
        when:
        Files.writeString(dir.resolve('main.fly.groovy'),
                "def web = app('web') { name = 'new-app' }\ndata('fly_app', 'later') { name = web.id }\n")
        def unknown = flyform('plan')
        Files.writeString(dir.resolve('main.fly.groovy'), "data('fly_ap', 'x') { name = 'a' }\n")
        def misspelt = flyform('validate')

        then:
        unknown.exitCode == 1
        unknown.err.contains('data.fly_app.later depends on values known only after apply')
        misspelt.exitCode == 1
        misspelt.err.contains('Unknown data source fly_ap')
        misspelt.err.contains('Did you mean `fly_app`?')
    }
}
