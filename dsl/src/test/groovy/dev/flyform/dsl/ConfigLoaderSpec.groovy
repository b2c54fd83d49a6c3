package dev.flyform.dsl

import dev.flyform.engine.addr.ResourceAddress
import dev.flyform.engine.diag.DiagnosticsException
import spock.lang.Specification
import spock.lang.TempDir

import java.nio.file.Files
import java.nio.file.Path

class ConfigLoaderSpec extends Specification {

    @TempDir
    Path dir

    ConfigLoader loader = FlyVocabulary.loader()

    def "an app block becomes fly_app.LABEL with its attributes and the line of each"() {
        given:
        write 'main.fly.groovy', '''\
            app('web') {
                name = 'acme-web'
                org = 'acme'
            }
            '''.stripIndent()

        when:
        def config = loader.load(dir, [:])
        def web = config.resources()[new ResourceAddress('fly_app', 'web')]

        then:
        web.attributes() == [name: 'acme-web', org: 'acme']
        web.location().toString() == 'main.fly.groovy:1'
        web.locationOf('org').toString() == 'main.fly.groovy:3'
    }

    def "a misspelt attribute names the file, the line and the attribute it meant"() {
        given:
        write 'web.fly.groovy', '''\
            app('web') {
                nmae = 'x'
            }
            '''.stripIndent()

        when:
        loader.load(dir, [:])

        then:
        def e = thrown(DiagnosticsException)
        e.diagnostics().size() == 1
        with(e.diagnostics()[0]) {
            location().toString() == 'web.fly.groovy:2'
            summary().contains('`nmae`')
            detail().contains('Did you mean `name`?')
        }
    }

    def "variables take -var values, converted to the default's type, else the default"() {
        given:
        write 'main.fly.groovy', '''\
            def slug = variable('org', 'personal')
            def count = variable('count', 1)
            app('web') { name = "web-${count}"; org = slug }
            '''.stripIndent()

        expect:
        loader.load(dir, given).resources().values()[0].attributes() == expected

        where:
        given                        || expected
        [:]                          || [name: 'web-1', org: 'personal']
        [org: 'acme', count: '2']    || [name: 'web-2', org: 'acme']
    }

    def "a -var that no file declares is an error"() {
        given:
        write 'main.fly.groovy', "app('web') { name = 'web' }"

        when:
        loader.load(dir, [reigon: 'iad'])

        then:
        def e = thrown(DiagnosticsException)
        e.diagnostics()[0].summary() == 'Value for undeclared variable "reigon"'
    }

    def "files load in name order, and a label used twice names both places"() {
        given:
        write 'b.fly.groovy', "app('web') { name = 'two' }"
        write 'a.fly.groovy', "\n\napp('web') { name = 'one' }"

        when:
        loader.load(dir, [:])

        then:
        def e = thrown(DiagnosticsException)
        e.diagnostics()[0].location().toString() == 'b.fly.groovy:1'
        e.diagnostics()[0].detail().contains('a.fly.groovy:3')
    }

    def "a syntax error is reported with its file and line, alongside other files' problems"() {
        given:
        write 'a.fly.groovy', "app('web') {\n  name = 'x'\n  org = \n"
        write 'b.fly.groovy', "app('db') { nmae = 'y' }"

        when:
        loader.load(dir, [:])

        then:
        def e = thrown(DiagnosticsException)
        e.diagnostics()*.location()*.file() == ['a.fly.groovy', 'b.fly.groovy']
        e.diagnostics()[0].summary().startsWith('Syntax error')
    }

    def "an unknown name is a located error, not a stack trace"() {
        given:
        write 'main.fly.groovy', text

        when:
        loader.load(dir, [:])

        then:
        def e = thrown(DiagnosticsException)
        e.diagnostics()[0].summary().startsWith('Unknown name `undefinedThing`')
        e.diagnostics()[0].location().toString() == 'main.fly.groovy:2'

        where:
        text << ["\napp('web') { name = undefinedThing }", "app('web') { name = 'x' }\nprintln undefinedThing"]
    }

    def "a value of the wrong type is an error at its line, not silently turned into text"() {
        given:
        write 'main.fly.groovy', "app('web') {\n  name = 'ok'\n  org = ${value}\n}"

        when:
        FlyVocabulary.checked(loader.load(dir, [:]))

        then:
        def e = thrown(DiagnosticsException)
        e.diagnostics()[0].summary() == 'Attribute `org` of fly_app must be a string'
        e.diagnostics()[0].location().toString() == 'main.fly.groovy:3'

        where:
        value << ['123', "['acme']", 'true']
    }

    def "the call form and GStrings set attributes too"() {
        given:
        write 'main.fly.groovy', "def env = 'prod'\napp('web') {\n  name \"web-\${env}\"\n  org 'acme'\n}"

        expect:
        loader.load(dir, [:]).resources().values()[0].attributes() == [name: 'web-prod', org: 'acme']
    }

    def "plain Groovy loops generate resources"() {
        given:
        write 'previews.fly.groovy', '''\
            ['pr-1', 'pr-2'].each { pr ->
                app("preview_${pr}") { name = "acme-${pr}" }
            }
            '''.stripIndent()

        expect:
        loader.load(dir, [:]).resources().keySet()*.toString() == ['fly_app.preview_pr-1', 'fly_app.preview_pr-2']
    }

    def "a script that names its base class for an IDE (README: completion in an IDE) loads as any other"() {
        given:
        write 'main.fly.groovy', '''\
            @groovy.transform.BaseScript dev.flyform.dsl.FlyformScript flyform

            def web = app('web') { name = 'ide-web'; ip 'v6' }
            machine('m') { app = web; region = 'iad'; image = 'nginx'; env PORT: '8080' }
            '''.stripIndent()

        expect:
        loader.load(dir, [:]).resources().keySet()*.toString() == ['fly_app.web', 'fly_ip.web_v6', 'fly_machine.m']
    }

    private void write(String name, String text) {
        Files.writeString(dir.resolve(name), text)
    }
}
