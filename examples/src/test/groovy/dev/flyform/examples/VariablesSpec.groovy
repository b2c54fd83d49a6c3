package dev.flyform.examples

import java.nio.file.Files

/**
 * Where variables come from, and which wins, as Terraform takes them: the script's default,
 * then FLYFORM_VAR_name, then *.auto.vars.yml/.json (name order), then -var and -var-file in
 * the order given. Judged by what the plan says it would make.
 */
class VariablesSpec extends AgainstEmulator {

    def setup() {
        Files.writeString(dir.resolve('main.fly.groovy'), '''\
            def stage = variable('stage')
            def region = variable('region', 'ord')
            app('web') { name = "vars-${stage}-${region}" }
            '''.stripIndent())
    }

    Map<String, String> extra = [:]

    @Override
    Map<String, String> env() {
        super.env() + extra
    }

    String planned(String... args) {
        def run = flyform((['plan'] + (args as List)) as String[])
        assert run.exitCode == 0: run
        (run.out =~ /\+ name\s+= "([^"]+)"/)[0][1]
    }

    def "each source overrides the one below it"() {
        expect: 'the default, and the environment'
        planned('-var', 'stage=a') == 'vars-a-ord'

        when:
        extra = [FLYFORM_VAR_stage: 'env', FLYFORM_VAR_region: 'ams']

        then:
        planned() == 'vars-env-ams'

        when: 'automatic files, in name order, over the environment'
        Files.writeString(dir.resolve('a.auto.vars.yml'), 'region: fra\n')
        Files.writeString(dir.resolve('b.auto.vars.json'), '{"region": "lhr"}\n')

        then:
        planned() == 'vars-env-lhr'

        when: '-var and -var-file over them, the later given winning'
        Files.writeString(dir.resolve('ci.yml'), 'region: sin\nstage: ci\n')

        then:
        planned('-var-file', 'ci.yml') == 'vars-ci-sin'
        planned('-var-file', 'ci.yml', '-var', 'region=syd') == 'vars-ci-syd'
        planned('-var', 'region=syd', '-var-file', 'ci.yml') == 'vars-ci-sin'
        planned('-var=region=syd', '-input=false') == 'vars-env-syd'
    }

    def "a variable given nowhere is an error that names every way to give it, before any call"() {
        when:
        def run = flyform('plan', '-input=false')

        then:
        run.exitCode == 1
        run.err.contains('No value for variable "stage"')
        run.err.contains('-var stage=VALUE')
        run.err.contains('-var-file')
        run.err.contains('FLYFORM_VAR_stage')
        run.err.contains('main.fly.groovy:1')
        fly.calls().isEmpty()
    }

    def "a value for an undeclared variable: an error from the command line, none from the environment or an automatic file"() {
        given:
        extra = [FLYFORM_VAR_stage: 'env', FLYFORM_VAR_other: 'x']
        Files.writeString(dir.resolve('shared.auto.vars.yml'), 'unused_here: 1\n')

        expect:
        planned() == 'vars-env-ord'

        when:
        def run = flyform('plan', '-var', 'typo=1')

        then:
        run.exitCode == 1
        run.err.contains('Value for undeclared variable "typo"')
    }

    def "a var file flyform cannot use is named, with the reason"() {
        given:
        Files.writeString(dir.resolve('bad.yml'), content)

        when:
        def run = flyform('plan', '-var', 'stage=a', '-var-file', 'bad.yml')

        then:
        run.exitCode == 1
        run.err.contains(message)
        !run.err.contains('Exception')
        fly.calls().isEmpty()

        where:
        content                | message
        'region: [iad, ams]\n' | '-var-file bad.yml: region is not a string, a number or true/false'
        '- iad\n'              | '-var-file bad.yml holds no variables'
        'region: "iad\n'       | '-var-file bad.yml cannot be read'
    }

    def "a missing -var-file is an error naming it"() {
        when:
        def run = flyform('plan', '-var-file', 'nowhere.yml')

        then:
        run.exitCode == 1
        run.err.contains('-var-file nowhere.yml: no such file')
    }

    def "a variable is read inside a block as at the top level"() {
        given:
        Files.writeString(dir.resolve('main.fly.groovy'), '''\
            app('web') { name = "vars-${variable('stage')}-${variable('region', 'ord')}" }
            '''.stripIndent())
        extra = [FLYFORM_VAR_region: 'ams']

        expect:
        planned('-var', 'stage=inner') == 'vars-inner-ams'
    }
}
