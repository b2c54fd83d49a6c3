package dev.flyform.examples

import com.fasterxml.jackson.databind.ObjectMapper

import java.nio.file.Files

/** One namespace per directory: a block of any file is named as fly_TYPE.LABEL from the others; dependsOn. */
class DirectoryNamespaceSpec extends AgainstEmulator {

    static final ObjectMapper JSON = new ObjectMapper()

    def setup() {
        // a.fly.groovy is read first: it names a volume that z.fly.groovy declares later.
        Files.writeString(dir.resolve('a.fly.groovy'), '''\
            app('web') { name = 'ns-web' }
            machine('m') { app = fly_app.web; region = 'iad'; image = 'flyio/hellofly:latest'; mount fly_volume.data, path: '/data' }
            output 'app_name', fly_app.web.name
            '''.stripIndent())
        Files.writeString(dir.resolve('z.fly.groovy'), '''\
            volume('data') { app = fly_app.web; name = 'data'; region = 'iad'; sizeGb = 1 }
            app('other') { name = 'ns-other'; dependsOn fly_app.web, fly_volume.data }
            '''.stripIndent())
    }

    def "blocks of one file are referred to from another, declared before or after it; dependsOn orders what nothing refers to"() {
        when:
        def apply = flyform('apply', '-auto-approve')
        def state = JSON.readTree(flyform('state', 'pull').out)
        def again = flyform('plan')

        then: 'the machine mounts the volume of the other file'
        apply.exitCode == 0
        apply.out.contains('Apply complete! Resources: 4 added')
        def machine = fly.inventory().path('apps').path('ns-web').path('machines').elements().next()
        def volume = fly.inventory().path('apps').path('ns-web').path('volumes').elements().next()
        machine.path('config').path('mounts').get(0).path('volume').asText() == volume.path('id').asText()
        flyform('output', '-raw', 'app_name').out == 'ns-web'

        and: 'dependsOn is a dependency like a reference, recorded in the state'
        def other = state.path('resources').find { it.path('address').asText() == 'fly_app.other' }
        other.path('dependencies')*.asText().toSet() == ['fly_app.web', 'fly_volume.data'] as Set
        again.out.startsWith('No changes.')
    }

    def "a name no file declares is an error at the line that uses it, with the nearest declared one, before any call"() {
        given:
        Files.writeString(dir.resolve('b.fly.groovy'), "\nmachine('m2') { app = fly_app.webb; region = 'iad'; image = 'x:1' }\n")
        Files.writeString(dir.resolve('c.fly.groovy'), "app('x') { name = 'ns-x'; dependsOn fly_volume.dta }\n")

        when:
        def run = flyform('plan')

        then:
        run.exitCode == 1
        run.err.contains('Reference to undeclared resource fly_app.webb')
        run.err.contains('on b.fly.groovy:2, in fly_machine.m2 (attribute app)')
        run.err.contains('Did you mean `fly_app.web`?')
        run.err.contains('Reference to undeclared resource fly_volume.dta')
        run.err.contains('Did you mean `fly_volume.data`?')
        fly.calls().isEmpty()
    }

    def "dependsOn written with = says it is a call"() {
        given:
        Files.writeString(dir.resolve('b.fly.groovy'), "app('x') { name = 'ns-x'; dependsOn = [fly_app.web] }\n")

        when:
        def run = flyform('validate')

        then:
        run.exitCode == 1
        run.err.contains('`dependsOn` in fly_app block "x" is written as a call, not with =')
    }

    def "graph prints the dependency graph as DOT; -type plan colours what apply would do"() {
        when: 'the configuration alone: no API call'
        def config = flyform('graph')
        int callsAfterConfig = fly.calls().size()

        then:
        config.exitCode == 0
        callsAfterConfig == 0
        config.out.startsWith('strict digraph flyform {')
        config.out.readLines().findAll { it.contains('->') }*.trim() == [
                '"fly_app.web" -> "fly_app.other";',
                '"fly_volume.data" -> "fly_app.other";',
                '"fly_app.web" -> "fly_machine.m";',
                '"fly_volume.data" -> "fly_machine.m";',
                '"fly_app.web" -> "fly_volume.data";']
        !config.out.contains('fillcolor')

        when: 'applied, then one app renamed (a replacement) and another removed'
        assert flyform('apply', '-auto-approve').exitCode == 0
        Files.writeString(dir.resolve('z.fly.groovy'), "volume('data') { app = fly_app.web; name = 'data'; region = 'iad'; sizeGb = 2 }\n")
        def plan = flyform('graph', '-type', 'plan')

        then:
        plan.exitCode == 0
        plan.out.contains('"fly_volume.data" [ label="fly_volume.data" shape="box" style="filled" fillcolor="khaki1" tooltip="will be updated in-place" ];')
        plan.out.contains('"fly_app.other" [ label="fly_app.other" shape="box" style="filled" fillcolor="lightpink" tooltip="will be destroyed" ];')
        plan.out.contains('"fly_app.web" [ label="fly_app.web" shape="box" ];')
        plan.out.contains('"fly_app.web" -> "fly_app.other";')
    }
}
