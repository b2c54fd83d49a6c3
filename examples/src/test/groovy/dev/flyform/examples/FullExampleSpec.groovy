package dev.flyform.examples

import dev.flyform.emulator.FaultSettings
import dev.flyform.emulator.FlyEmulator

import java.nio.file.Files
import java.nio.file.Path

/**
 * examples/full against the emulator: the whole set converges in one apply, a second apply
 * changes nothing, and each kind of change plans the right action and leaves Fly as declared.
 */
class FullExampleSpec extends FullExampleProject {

    def inventory() {
        fly.inventory().path('apps')
    }

    def "the plan of examples/full matches its golden file"() {
        when:
        def plan = flyform(['plan'])

        then:
        plan.exitCode == 0
        // (the machine is marked with where its state lives: this run's directory)
        plan.out.replace(project.toAbsolutePath().normalize().toString(), 'PROJECT') ==
                Files.readString(Path.of('src/test/resources/golden/full-plan.txt'))
    }

    def "one apply makes the whole set; a second changes nothing, with zero mutating calls"() {
        when:
        def first = flyform(['apply', '-auto-approve'])

        then:
        first.exitCode == 0
        first.out.contains('Apply complete! Resources: 7 added, 0 changed, 0 destroyed.')
        with(inventory().path('flyform-full-web')) {
            ips.size() == 2
            ips*.path('type')*.asText().toSorted() == ['shared_v4', 'v6']
            certificates*.asText() == ['www.flyform-full.example']
            secrets*.asText() == ['DATABASE_URL']
            volumes.size() == 1
            machines.size() == 1
            machines[0].path('config').path('mounts')[0].path('volume').asText() == volumes[0].path('id').asText()
            machines[0].path('config').path('metadata').path('flyform_address').asText() == 'fly_machine.web_1'
            machines[0].path('config').path('services')[0].path('ports').size() == 2
        }
        first.out =~ /www_cname_target = "www\.flyform-full\.example\.\w+\.flydns\.net"/

        when:
        int before = fly.calls().size()
        def second = flyform(['apply', '-auto-approve'])

        then:
        second.exitCode == 0
        second.out.startsWith('No changes.')
        fly.calls().drop(before).every { !it.mutating() }
    }

    def "each kind of change plans its action and leaves Fly as declared"() {
        given:
        assert flyform(['apply', '-auto-approve']).exitCode == 0
        def volumeId = inventory().path('flyform-full-web').path('volumes')[0].path('id').asText()
        def machineId = inventory().path('flyform-full-web').path('machines')[0].path('id').asText()

        when: 'the volume grows: in place'
        edit('sizeGb = 1', 'sizeGb = 3')
        def grow = flyform(['plan'])
        flyform(['apply', '-auto-approve'])

        then:
        grow.out.contains('# fly_volume.web_data will be updated in-place')
        grow.out.contains('~ size_gb = 1 -> 3')
        grow.out.contains('Plan: 0 to add, 1 to change, 0 to destroy.')
        inventory().path('flyform-full-web').path('volumes')[0].path('id').asText() == volumeId
        inventory().path('flyform-full-web').path('volumes')[0].path('size_gb').asInt() == 3

        when: 'the volume would shrink: refused at plan time'
        edit('sizeGb = 3', 'sizeGb = 2')
        def shrink = flyform(['plan'])
        edit('sizeGb = 2', 'sizeGb = 3')

        then:
        shrink.exitCode == 1
        shrink.err.contains('A volume cannot shrink: size_gb 3 -> 2')
        shrink.err.contains('main.fly.groovy:22')

        when: 'the machine gets a new image: updated in place, whole config sent'
        edit("image = 'flyio/hellofly:latest'", "image = 'flyio/hellofly:v2'")
        def image = flyform(['plan'])
        flyform(['apply', '-auto-approve'])
        def machine = inventory().path('flyform-full-web').path('machines')[0]

        then:
        image.out.contains('# fly_machine.web_1 will be updated in-place')
        machine.path('id').asText() == machineId
        machine.path('config').path('image').asText() == 'flyio/hellofly:v2'
        machine.path('config').path('env').path('PORT').asText() == '8080'
        machine.path('config').path('mounts').size() == 1

        when: 'the secret changes: updated, and nothing of it is shown'
        def secret = flyform(['plan'], 'postgres://user:n3w-pa55@db.internal/app')
        flyform(['apply', '-auto-approve'], 'postgres://user:n3w-pa55@db.internal/app')

        then:
        secret.out.contains('# fly_secret.web_DATABASE_URL will be updated in-place')
        secret.out.contains('~ value = (sensitive value) -> (sensitive value)')
        !secret.out.contains('n3w-pa55')
        flyform(['plan'], 'postgres://user:n3w-pa55@db.internal/app').out.startsWith('No changes.')

        when: 'the certificate hostname changes: replaced'
        edit("'www.flyform-full.example'", "'app.flyform-full.example'")
        def cert = flyform(['plan'], 'postgres://user:n3w-pa55@db.internal/app')
        flyform(['apply', '-auto-approve'], 'postgres://user:n3w-pa55@db.internal/app')

        then:
        cert.out.contains('# fly_certificate.web_www_flyform_full_example will be destroyed')
        cert.out.contains('# fly_certificate.web_app_flyform_full_example will be created')
        inventory().path('flyform-full-web').path('certificates')*.asText() == ['app.flyform-full.example']

        when: 'the IP type changes: replaced'
        def oldV6 = fly.ips('flyform-full-web').find { it.type() == 'v6' }.ip()
        edit("v6 = ip 'v6'", "v6 = ip 'private_v6', label: 'web_v6'")
        def privateIp = flyform(['plan'], 'postgres://user:n3w-pa55@db.internal/app')
        flyform(['apply', '-auto-approve'], 'postgres://user:n3w-pa55@db.internal/app')

        then:
        privateIp.out.contains('# fly_ip.web_v6 must be replaced (`type` forces replacement)')
        privateIp.out.contains('~ type         = "v6" -> "private_v6" # forces replacement')
        privateIp.out.contains('Plan: 1 to add, 0 to change, 1 to destroy.')
        fly.ips('flyform-full-web')*.type().toSorted() == ['private_v6', 'shared_v4']
        !(oldV6 in fly.ips('flyform-full-web')*.ip())

        when: 'the machine and volume move region: both replaced'
        def move = flyform(['plan', '-var', 'region=ams'], 'postgres://user:n3w-pa55@db.internal/app')
        def moved = flyform(['apply', '-auto-approve', '-var', 'region=ams'], 'postgres://user:n3w-pa55@db.internal/app')
        def app = inventory().path('flyform-full-web')
        def liveMachines = app.path('machines').findAll { it.path('state').asText() != 'destroyed' }

        then:
        move.out.contains('# fly_volume.web_data must be replaced (`region` forces replacement)')
        move.out.contains('# fly_machine.web_1 must be replaced (`region` forces replacement)')
        move.out.contains('~ region              = "iad" -> "ams" # forces replacement')
        moved.exitCode == 0
        liveMachines.size() == 1
        liveMachines[0].path('region').asText() == 'ams'
        app.path('volumes').findAll { it.path('state').asText() == 'created' }.size() == 1
        app.path('volumes').find { it.path('state').asText() == 'created' }.path('region').asText() == 'ams'
        liveMachines[0].path('config').path('mounts')[0].path('volume').asText() ==
                app.path('volumes').find { it.path('state').asText() == 'created' }.path('id').asText()
        app.path('ips').size() == 2

        when: 'the app is renamed: replaced, with everything in it'
        edit("name = 'flyform-full-web'", "name = 'flyform-full-web2'")
        def rename = flyform(['apply', '-auto-approve', '-var', 'region=ams'], 'postgres://user:n3w-pa55@db.internal/app')

        then:
        rename.exitCode == 0
        rename.out.contains('# fly_app.web must be replaced (`name` forces replacement)')
        inventory().fieldNames().toList() == ['flyform-full-web2']
        inventory().path('flyform-full-web2').path('machines').size() == 1
        inventory().path('flyform-full-web2').path('ips').size() == 2
        flyform(['plan', '-var', 'region=ams'], 'postgres://user:n3w-pa55@db.internal/app').out.startsWith('No changes.')
    }

    def "no secret value is written under .flyform/ or shown in any output"() {
        given:
        Files.copy(Path.of('full/main.fly.groovy'), project.resolve('main.fly.groovy'), java.nio.file.StandardCopyOption.REPLACE_EXISTING)

        when:
        def apply = flyform(['apply', '-auto-approve'])
        def plan = flyform(['plan'])
        def sandbox = FlyformRun.of(project, [DATABASE_URL: SECRET], ['-sandbox', 'apply', '-auto-approve'])

        then:
        apply.exitCode == 0
        sandbox.exitCode == 0
        [apply, plan, sandbox].every { !it.out.contains('s3cr3t') && !it.err.contains('s3cr3t') }
        def files = Files.walk(project.resolve('.flyform')).withCloseable { it.filter { Files.isRegularFile(it) }.toList() }
        files.size() >= 3          // the state, the sandbox's state, the sandbox's emulator data
        files.every { f -> !new String(Files.readAllBytes(f), 'ISO-8859-1').contains('s3cr3t') }
        !fly.inventory().toString().contains('s3cr3t')
    }

    def "with the app-visibility delay on, an app and its children apply without errors"() {
        given:
        fly.faults(FaultSettings.NONE.withAppVisibilityDelay(1500))

        when:
        def apply = flyform(['apply', '-auto-approve'])

        then:
        apply.exitCode == 0
        apply.out.contains('7 added')
        inventory().path('flyform-full-web').path('ips').size() == 2
    }
}
