package dev.flyform.dsl

import dev.flyform.engine.addr.ResourceAddress
import dev.flyform.engine.config.Reference
import dev.flyform.engine.diag.DiagnosticsException
import spock.lang.Specification

class ResourceBlocksSpec extends Specification {

    ConfigLoader loader = FlyVocabulary.loader()

    def load(String text, Map<String, String> env = [:]) {
        loader.loadSources(['main.fly.groovy': text.stripIndent()], [:], env)
    }

    static ResourceAddress a(String text) {
        ResourceAddress.parse(text)
    }

    def "app shortcuts declare labelled children that refer to the app by name"() {
        when:
        def config = load('''\
            app('web') {
                name = 'acme-web'
                ip 'v6'
                ip 'v6', label: 'web_v6_b', region: 'ams'
                certificate 'www.acme.example'
                certificate '*.acme.example'
                secret 'DATABASE_URL', env('DATABASE_URL'), staged: true
            }
            ''', [DATABASE_URL: 'postgres://x'])

        then:
        config.resources().keySet()*.toString() == ['fly_app.web', 'fly_certificate.web_wildcard_acme_example',
                'fly_certificate.web_www_acme_example', 'fly_ip.web_v6', 'fly_ip.web_v6_b', 'fly_secret.web_DATABASE_URL']
        with(config.resources()[a('fly_ip.web_v6_b')]) {
            attributes() == [app: new Reference(a('fly_app.web'), 'name'), type: 'v6', region: 'ams']
            dependsOn() == [a('fly_app.web')] as Set
        }
        config.resources()[a('fly_secret.web_DATABASE_URL')].attributes().subMap('value', 'staged') ==
                [value: 'postgres://x', staged: true]
    }

    def "a machine records its config in Fly's spelling, mounts its volume by reference and waits for its app's secrets"() {
        when:
        def config = load('''\
            def web = app('web') { name = 'acme-web'; secret 'TOKEN', 't' }
            def data = volume('data') { app = web; name = 'data'; region = 'iad'; sizeGb = 2 }
            machine('m') {
                app = web
                region = 'iad'
                image = 'nginx'
                env PORT: '8080'
                guest cpuKind: 'performance', cpus: 2, memoryMb: 4096
                service(internalPort: 8080, autostop: 'stop') {
                    port 443, handlers: ['tls', 'http']
                }
                check 'alive', type: 'http', port: 8080, path: '/health', gracePeriod: '5s'
                mount data, path: '/data'
                restart policy: 'always'
                metadata team: 'web'
            }
            ''')
        def m = config.resources()[a('fly_machine.m')]

        then:
        m.attributes().guest == [cpu_kind: 'performance', cpus: 2, memory_mb: 4096]
        m.attributes().env == [PORT: '8080']
        m.attributes().services == [[internal_port: 8080, autostop: 'stop',
                                     ports: [[port: 443, handlers: ['tls', 'http']]]]]
        m.attributes().checks == [alive: [type: 'http', port: 8080, path: '/health', grace_period: '5s']]
        m.attributes().mounts == [[volume: new Reference(a('fly_volume.data'), 'id'), path: '/data']]
        m.attributes().metadata == [team: 'web']
        m.dependsOn() == [a('fly_app.web'), a('fly_volume.data')] as Set

        and: 'the engine makes it after the secrets of its app, as the schema says'
        new dev.flyform.engine.plan.Planner(FlyVocabulary.PROVIDER).linked(config).resources()[a('fly_machine.m')].dependsOn() ==
                [a('fly_app.web'), a('fly_secret.web_TOKEN'), a('fly_volume.data')] as Set
    }

    def "computed attributes read from outside are references; outputs keep them"() {
        when:
        def config = load('''\
            def v6
            def web = app('web') { name = 'acme-web'; v6 = ip 'v6'; certificate 'www.acme.example' }
            output 'name', web.name
            output 'ip', v6.address
            output 'target', web.certificate('www.acme.example').dnsValidationTarget
            output 'hidden', 'x', sensitive: true
            ''')

        then:
        config.outputs().name.value() == new Reference(a('fly_app.web'), 'name')
        config.outputs().ip.value() == new Reference(a('fly_ip.web_v6'), 'address')
        config.outputs().target.value() == new Reference(a('fly_certificate.web_www_acme_example'), 'dns_validation_target')
        config.outputs().hidden.sensitive()
        config.resources().size() == 3
    }

    def "attributes have call forms, and delegate. reaches one a script variable shadows"() {
        when:
        def config = load('''\
            def region = 'ams'
            def web = app('web') { name 'acme-web' }
            volume('v') { app web; name 'data'; delegate.region = region; sizeGb 2 }
            ''')

        then:
        config.resources()[a('fly_volume.v')].attributes() ==
                [app: new Reference(a('fly_app.web'), 'name'), name: 'data', region: 'ams', size_gb: 2]
    }

    def "mistakes inside blocks name the file and line"() {
        when:
        FlyVocabulary.checked(load(text))

        then:
        def e = thrown(DiagnosticsException)
        e.diagnostics()[0].summary().startsWith(summary)
        e.diagnostics()[0].location().toString() == 'main.fly.groovy:2'

        where:
        text                                                                                    || summary
        "app('web') { name = 'w'\n  ip 'v6', regoin: 'ams' }"                                   || 'Unknown option `regoin` for ip'
        "machine('m') { region = 'iad'\n  guest cpu: 1 }"                                       || 'Unknown setting `cpu` in guest of fly_machine'
        "machine('m') { region = 'iad'\n  service(internalPort: 80) { prot 80 } }"              || 'Unknown setting `prot` in service of fly_machine block "m"'
        "machine('m') { region = 'iad'\n  mount 'vol_1' }"                                      || 'Missing `path` in mounts[0] of fly_machine'
        "machine('m') { region = 'iad'\n  check type: 'tcp' }"                                  || '`check` in fly_machine block "m" needs a name first'
        "machine('m') { region = 'iad'\n  service(internalPort: 'http') }"                      || 'Field `services[0].internal_port` of fly_machine must be a number'
        "machine('m') { region = 'iad'\n  env PORT: 8080 }"                                     || 'Field `env.PORT` of fly_machine must be a string'
        "volume('v') { name = 'v'\n  sizeGb = 'big' }"                                          || 'Attribute `size_gb` of fly_volume must be a number'
        "app('web') { name = 'w'\n  secret 'K', env('NOT_SET_ANYWHERE') }"                      || 'Environment variable NOT_SET_ANYWHERE is not set'
        "app('web') { name = 'w'\n  ip 'v6'; ip 'v6' }"                                         || 'Duplicate resource fly_ip.web_v6'
        "volume('v') { name = 'v'\n  region = 5 }"                                              || 'Attribute `region` of fly_volume must be a string'
        "def d = volume('d') { app = 'w'; name = 'd'; region = 'iad' }\nvolume('v') { app = d; name = 'v'; region = 'iad' }" || 'Attribute `app` of fly_volume names a fly_app'
    }
}
