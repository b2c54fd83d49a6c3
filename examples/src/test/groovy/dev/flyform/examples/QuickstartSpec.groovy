package dev.flyform.examples

import dev.flyform.emulator.FlyEmulator
import spock.lang.Specification
import spock.lang.TempDir

import java.nio.file.Files
import java.nio.file.Path

/** examples/quickstart, applied on the -sandbox emulator exactly as README's first command does. */
class QuickstartSpec extends Specification {

    @TempDir
    Path work

    Path project

    def setup() {
        project = work.resolve('quickstart')
        Files.createDirectories(project)
        Files.copy(Path.of('quickstart/main.fly.groovy'), project.resolve('main.fly.groovy'))
    }

    def "the quickstart applies on the sandbox, and a second apply prints No changes. with zero mutating calls"() {
        when: 'the first apply'
        def first = FlyformRun.of(work, [:], ['-chdir', 'quickstart', '-sandbox', 'apply', '-auto-approve'])

        then:
        first.exitCode == 0
        first.out.contains('+ resource "fly_app" "web"')
        first.out.contains('Plan: 1 to add, 0 to change, 0 to destroy.')
        first.out.contains('Apply complete! Resources: 1 added, 0 changed, 0 destroyed.')

        when: 'the second apply, a new process on the same sandbox'
        def second = FlyformRun.of(work, [:], ['-chdir', 'quickstart', '-sandbox', 'apply', '-auto-approve'])
        def emulatorData = project.resolve('.flyform/sandbox/emulator')
        long lastSession = FlyEmulator.savedSession(emulatorData)
        def secondRunCalls = FlyEmulator.savedCalls(emulatorData).findAll { it.session() == lastSession }

        then:
        second.exitCode == 0
        second.out.startsWith('No changes.')
        lastSession == 2
        !secondRunCalls.isEmpty()                 // it did look (refresh)...
        secondRunCalls.every { !it.mutating() }   // ...and changed nothing
        FlyEmulator.savedCalls(emulatorData).count { it.mutating() } == 1
    }

    def "a sandbox keeps its state apart from the real state"() {
        when:
        FlyformRun.of(work, [:], ['-chdir', 'quickstart', '-sandbox', 'apply', '-auto-approve'])

        then:
        Files.exists(project.resolve('.flyform/sandbox/state.mv.db'))
        !Files.exists(project.resolve('.flyform/state.mv.db'))
    }
}
