package dev.flyform.examples

import com.fasterxml.jackson.databind.JsonNode
import com.fasterxml.jackson.databind.ObjectMapper

import java.nio.file.Files
import java.nio.file.Path

/**
 * A machine declaring every setting of Fly's machine config, generated here from Fly's OpenAPI
 * document (each property of fly.MachineConfig and of every schema it reaches, one value each):
 * applied, found on the emulator as declared, re-planned clean, and imported to an equal
 * declaration.
 */
class EveryMachineSettingSpec extends AgainstEmulator {

    static final ObjectMapper JSON = new ObjectMapper()

    static final JsonNode SCHEMAS = JSON.readTree(EveryMachineSettingSpec.getResourceAsStream('/fly-api-spec/machines-openapi.json'))
            .path('components').path('schemas')

    /** Values Fly (and flyform's checks) hold to more than the type: a region's port, a multiple of 256. */
    static final Map<String, Object> CHOSEN = [
            'auto_destroy'                     : false,   // a machine that destroys itself on exit is no machine to re-plan
            'guest.cpu_kind'                   : 'shared', 'guest.cpus': 1, 'guest.memory_mb': 256, 'guest.max_memory_mb': 512,
            'guest.gpu_kind'                   : 'a10', 'guest.gpus': 1,
            'services[].protocol'              : 'tcp', 'services[].internal_port': 8080, 'services[].ports[].port': 443,
            'services[].ports[].start_port'    : 8000, 'services[].ports[].end_port': 8009,
            'services[].ports[].handlers'      : ['tls', 'http'],
            'services[].checks[].type'         : 'http', 'services[].checks[].port': 8080, 'services[].checks[].protocol': 'http',
            'services[].concurrency.type'      : 'connections',
            'checks.*.type'                    : 'http', 'checks.*.port': 8080, 'checks.*.protocol': 'http',
            'restart.policy'                   : 'on-failure', 'schedule': 'daily', 'size': 'shared-cpu-1x',
            'mounts[].path'                    : '/data', 'mounts[].name': 'data', 'stop_config.timeout': '10s',
            'metrics.port'                     : 9091, 'metrics.path': '/metrics', 'init.swap_size_mb': 512,
            'files[].guest_path'               : '/etc/app.conf', 'files[].raw_value': 'aGVsbG8=', 'files[].mode': 420,
            'statics[].guest_path'             : '/app/public', 'statics[].url_prefix': '/static',
            'dns.nameservers'                  : ['8.8.8.8'],
            'containers[].image'               : 'nginx:1', 'containers[].restart.policy': 'always',
            'containers[].healthchecks[].http.port': 80, 'containers[].healthchecks[].tcp.port': 80,
            'containers[].healthchecks[].http.scheme': 'http',
    ]

    /** The volume the generated mount names: a reference in the script, its id on Fly. */
    static final Object VOLUME = new Object()

    int settings = 0

    /** A value for {@code property} at {@code path}: [what Fly should hold, how the script writes it]. */
    List generate(String path, JsonNode property) {
        JsonNode p = resolved(property)
        if (path == 'mounts[].volume') {
            settings++
            return [VOLUME, 'data']
        }
        if (CHOSEN.containsKey(path)) {
            settings++
            return [CHOSEN[path], literal(CHOSEN[path])]
        }
        String type = p.has('enum') ? 'string' : p.path('type').asText('object')
        switch (type) {
            case 'string':
                settings++
                String v = p.has('enum') ? p.get('enum').get(p.get('enum').size() - 1).asText() : 'v-' + path.replaceAll(/[^a-z]+/, '-')
                return [v, literal(v)]
            case 'integer':
            case 'number':
                settings++
                return [2, '2']
            case 'boolean':
                settings++
                return [true, 'true']
            case 'array':
                List element = generate(path + '[]', p.path('items'))
                return [[element[0]], '[' + element[1] + ']']
            default:
                if (p.has('properties')) {
                    Map value = [:]
                    List<String> text = []
                    p.get('properties').fields().each { field ->
                        List g = generate(path + '.' + field.key, field.value)
                        value[field.key] = g[0]
                        text << "${camel(field.key)}: ${g[1]}"
                    }
                    return [value, '[' + text.join(', ') + ']']
                }
                JsonNode values = resolved(p.path('additionalProperties'))
                if (values.has('properties')) {
                    List g = generate(path + '.*', values)
                    return [['one': g[0]], "['one': ${g[1]}]"]
                }
                settings++
                Object v = values.path('type').asText() == 'string' ? 'v' : [:]
                return [['X_ONE': v], "['X_ONE': ${literal(v)}]"]
        }
    }

    static JsonNode resolved(JsonNode property) {
        JsonNode p = property
        while (p.has('$ref') || p.has('allOf')) {
            String ref = (p.has('$ref') ? p : p.get('allOf').get(0)).get('$ref').asText()
            p = SCHEMAS.get(ref.substring(ref.lastIndexOf('/') + 1))
        }
        return p
    }

    static String camel(String snake) {
        snake.replaceAll(/_([a-z0-9])/) { List<String> m -> m[1].toUpperCase() }
    }

    static String literal(Object v) {
        if (v instanceof String) {
            return "'" + v.replace('\\', '\\\\').replace("'", "\\'") + "'"
        }
        if (v instanceof List) {
            return '[' + v.collect { literal(it) }.join(', ') + ']'
        }
        if (v instanceof Map) {
            return v.isEmpty() ? '[:]' : '[' + v.collect { k, x -> "'${k}': ${literal(x)}" }.join(', ') + ']'
        }
        return String.valueOf(v)
    }

    /** Everything {@code expected} says is in {@code actual}, the volume as its id: the paths that differ. */
    static List<String> missing(Object expected, JsonNode actual, String path, String volumeId) {
        if (expected.is(VOLUME)) {
            return actual.asText() == volumeId ? [] : ["${path}: ${actual}"]
        }
        if (expected instanceof Map) {
            return expected.collectMany { k, v -> missing(v, actual.path(k as String), "${path}.${k}", volumeId) }
        }
        if (expected instanceof List) {
            if (actual.size() != expected.size()) {
                return ["${path}: ${actual}"]
            }
            return (0..<expected.size()).collectMany { missing(expected[it], actual.get(it), "${path}[${it}]", volumeId) }
        }
        return JSON.valueToTree(expected) == actual || (expected instanceof Number && actual.isNumber()
                && actual.decimalValue() == (expected as BigDecimal)) ? [] : ["${path}: ${actual} (declared ${expected})"]
    }

    FlyformRun at(Path where, String... args) {
        FlyformRun.of(where, env(), ['-no-color'] + (args as List<String>))
    }

    def "a machine with every setting of Fly's config is applied as declared, re-planned clean, and imported to an equal declaration"() {
        given: 'one value for every setting the OpenAPI document has'
        Map expected = [:]
        List<String> lines = []
        SCHEMAS.path('fly.MachineConfig').path('properties').fields().each { setting ->
            if (setting.key == 'image') {
                return
            }
            List g = generate(setting.key, setting.value)
            expected[setting.key] = g[0]
            lines << "    ${camel(setting.key)} = ${g[1]}"
        }
        Files.writeString(dir.resolve('main.fly.groovy'), """\
            |def web = app('web') { name = 'every-setting' }
            |def data = volume('data') { app = web; name = 'data'; region = 'iad'; sizeGb = 1 }
            |machine('web_1') {
            |    app = web
            |    region = 'iad'
            |    image = 'flyio/hellofly:1'
            |${lines.join('\n')}
            |}
            |""".stripMargin())

        when:
        def validate = flyform('validate')
        def apply = flyform('apply', '-auto-approve')
        JsonNode machine = JSON.readTree(api('GET', '/v1/apps/every-setting/machines')).get(0)
        String volumeId = JSON.readTree(api('GET', '/v1/apps/every-setting/volumes')).get(0).path('id').asText()
        def plan = flyform('plan')

        then:
        settings > 150
        validate.exitCode == 0
        apply.exitCode == 0
        missing(expected, machine.path('config'), 'config', volumeId) == []
        plan.exitCode == 0
        plan.out.startsWith('No changes.')

        when: 'the app imported into another directory'
        Path other = dir.resolve('imported')
        Files.createDirectories(other)
        def imported = at(other, 'import', 'app', 'every-setting', '-generate-config', 'every-setting.fly.groovy')
        def importedPlan = at(other, 'plan')
        Map mine = machineAttributes(at(dir, 'state', 'pull').out)
        Map theirs = machineAttributes(at(other, 'state', 'pull').out)

        then: 'the written declaration holds every setting as the first one does'
        imported.exitCode == 0
        importedPlan.out.startsWith('No changes.')
        expected.keySet().findAll { mine[it] != theirs[it] } == [] as Set
        expected.keySet().every { theirs.containsKey(it) || it == 'metadata' }
    }

    static Map machineAttributes(String state) {
        JSON.readValue(state, Map).resources.find { it.type == 'fly_machine' }.attributes as Map
    }

    def "an enum of the document is checked at validate, with the line"() {
        given:
        Files.writeString(dir.resolve('main.fly.groovy'), '''\
            def web = app('web') { name = 'every-setting' }
            machine('web_1') {
                app = web
                region = 'iad'
                image = 'flyio/hellofly:1'
                stopConfig signal: 'SIGSTOP'
                rootfs persist: 'forever'
            }
            '''.stripIndent())

        when:
        def validate = flyform('validate')

        then:
        validate.exitCode == 1
        validate.err.contains('Field `stop_config.signal` of fly_machine must be one of SIGHUP, SIGINT, SIGQUIT, SIGKILL, SIGUSR1, SIGUSR2, SIGTERM')
        validate.err.contains('main.fly.groovy:6')
        validate.err.contains('Field `rootfs.persist` of fly_machine must be one of never, always, restart')
        validate.err.contains('main.fly.groovy:7')
        fly.calls().isEmpty()
    }
}
