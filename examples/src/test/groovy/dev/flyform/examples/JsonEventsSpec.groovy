package dev.flyform.examples

import com.fasterxml.jackson.databind.JsonNode
import com.fasterxml.jackson.databind.ObjectMapper
import com.github.fge.jsonschema.main.JsonSchemaFactory

import java.nio.file.Files
import java.nio.file.Path

/** apply -json and destroy -json: one event per line, each valid against docs/events.schema.json; errors too. */
class JsonEventsSpec extends AgainstEmulator {

    static final ObjectMapper JSON = new ObjectMapper()
    static final def SCHEMA = JsonSchemaFactory.byDefault().getJsonSchema(JSON.readTree(Path.of('..', 'docs', 'events.schema.json').toFile()))

    def setup() {
        Files.writeString(dir.resolve('main.fly.groovy'), '''\
            def web = app('web') { name = 'json-web'; ip 'v6'; secret 'TOKEN', 't0ken-s3cret' }
            output 'app', web.name
            output 'token', 't0ken-s3cret', sensitive: true
            '''.stripIndent())
    }

    /** Every line of stdout as an event, each checked against the schema. */
    static List<JsonNode> parsed(FlyformRun run) {
        run.out.readLines().findAll { !it.isBlank() }.collect { line ->
            JsonNode e = JSON.readTree(line)
            def report = SCHEMA.validate(e)
            assert report.isSuccess(): "${line}\n${report}"
            e
        }
    }

    def "apply -json streams version, planned changes, each change's start and completion, the summary and the outputs"() {
        when:
        def run = flyform('apply', '-auto-approve', '-json')
        List<JsonNode> events = parsed(run)
        List<String> types = events*.path('type')*.asText()

        then:
        run.exitCode == 0
        types[0] == 'version'
        events[0].path('flyform').asText() ==~ /\d+\.\d+\.\d+.*/
        events.findAll { it.path('type').asText() == 'planned_change' }*.path('change')*.path('resource')*.path('addr')*.asText().toSorted() ==
                ['fly_app.web', 'fly_ip.web_v6', 'fly_secret.web_TOKEN']
        types.count('apply_start') == 3
        types.count('apply_complete') == 3
        events.find { it.path('type').asText() == 'apply_complete' && it.path('hook').path('resource').path('addr').asText() == 'fly_app.web' }
                .path('hook').path('id_value').asText() == 'json-web'
        types.indexOf('apply_start') > types.indexOf('change_summary')
        events.findAll { it.path('type').asText() == 'change_summary' }*.path('changes')*.path('operation')*.asText() == ['plan', 'apply']
        events.last().path('type').asText() == 'outputs'
        events.last().path('outputs').path('app').path('value').asText() == 'json-web'
        events.last().path('outputs').path('token').path('value').asText() == '(sensitive)'
        !run.out.contains('t0ken-s3cret')

        when: 'again: nothing to do, still events'
        def again = parsed(flyform('apply', '-auto-approve', '-json'))

        then:
        again*.path('type')*.asText() == ['version', 'change_summary', 'outputs']
        again[1].path('@message').asText() == 'No changes.'
    }

    def "destroy -json tells each deletion; an error in -json mode is a diagnostic event with its file and line"() {
        given:
        assert flyform('apply', '-auto-approve').exitCode == 0

        when:
        def destroy = parsed(flyform('destroy', '-auto-approve', '-json'))
        Files.writeString(dir.resolve('main.fly.groovy'), "app('web') {\n    nmae = 'x'\n}\n")
        def broken = flyform('apply', '-auto-approve', '-json')
        def brokenEvents = parsed(broken)
        def unasked = flyform('apply', '-json')

        then:
        destroy.find { it.path('type').asText() == 'apply_complete' }.path('hook').path('action').asText() == 'delete'
        destroy.find { it.path('type').asText() == 'change_summary' && it.path('changes').path('operation').asText() == 'destroy' } != null
        fly.apps().isEmpty()
        broken.exitCode == 1
        brokenEvents*.path('type')*.asText() == ['version', 'diagnostic']
        brokenEvents[1].path('diagnostic').path('severity').asText() == 'error'
        brokenEvents[1].path('diagnostic').path('range').path('filename').asText() == 'main.fly.groovy'
        brokenEvents[1].path('diagnostic').path('range').path('start').path('line').asInt() == 2
        unasked.exitCode == 1
        parsed(unasked)[1].path('diagnostic').path('summary').asText() == '-json needs -auto-approve (or a saved plan)'
    }

    def "plan -json answers an error as JSON too, as validate -json does"() {
        given:
        Files.writeString(dir.resolve('main.fly.groovy'), "app('web') {\n    nmae = 'x'\n}\n")

        when:
        def run = flyform('plan', '-json')
        JsonNode doc = JSON.readTree(run.out)

        then:
        run.exitCode == 1
        doc.path('valid').asBoolean() == false
        doc.path('diagnostics').get(0).path('range').path('start').path('line').asInt() == 2
        def report = JsonSchemaFactory.byDefault().getJsonSchema(JSON.readTree(Path.of('..', 'docs', 'validate.schema.json').toFile())).validate(doc)
        report.isSuccess()
    }
}
