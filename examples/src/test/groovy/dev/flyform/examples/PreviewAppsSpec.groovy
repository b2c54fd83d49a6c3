package dev.flyform.examples

import dev.flyform.emulator.FlyEmulator
import dev.flyform.emulator.contract.FlyContract
import spock.lang.AutoCleanup
import spock.lang.Specification
import spock.lang.TempDir

import java.nio.file.Files
import java.nio.file.Path

/** examples/preview-apps: one app per pull request, from a plain Groovy loop. */
class PreviewAppsSpec extends Specification {

    @AutoCleanup
    FlyEmulator fly = FlyEmulator.start(0)

    FlyContract contract = FlyContract.attachTo(fly)

    @TempDir
    Path dir

    def setup() {
        Files.createDirectories(dir.resolve('preview-apps'))
        Files.copy(Path.of('preview-apps/main.fly.groovy'), dir.resolve('preview-apps/main.fly.groovy'))
    }

    def cleanup() {
        if (contract.checked() > 0) {
            contract.assertClean()
        }
    }

    FlyformRun flyform(String... args) {
        FlyformRun.of(dir.resolve("preview-apps"), [FLY_FLAPS_BASE_URL: fly.baseUrl().toString(), FLY_API_BASE_URL: fly.baseUrl().toString(),
                FLY_API_TOKEN: FlyEmulator.PERSONAL_TOKEN], ['-no-color'] + (args as List))
    }

    def "each PR gets an app with its addresses; a second apply changes nothing"() {
        when:
        def first = flyform('apply', '-auto-approve', '-var', 'prs=pr-1,pr-2,pr-3')
        int before = fly.calls().size()
        def second = flyform('apply', '-auto-approve', '-var', 'prs=pr-1,pr-2,pr-3')

        then:
        first.exitCode == 0
        first.out.contains('12 added')
        fly.apps()*.name() == ['flyform-preview-pr-1', 'flyform-preview-pr-2', 'flyform-preview-pr-3']
        fly.apps().every { fly.ips(it.name())*.type().toSorted() == ['shared_v4', 'v6'] }
        second.out.startsWith('No changes.')
        fly.calls().drop(before).every { !it.mutating() }
    }

    def "removing one PR destroys exactly its app and children, in one call, and nothing else"() {
        given:
        flyform('apply', '-auto-approve', '-var', 'prs=pr-1,pr-2,pr-3')
        def others = ['flyform-preview-pr-1', 'flyform-preview-pr-3'].collectEntries { [it, fly.ips(it)*.ip()] }
        int before = fly.calls().size()

        when:
        def plan = flyform('plan', '-var', 'prs=pr-1,pr-3')
        def apply = flyform('apply', '-auto-approve', '-var', 'prs=pr-1,pr-3')
        def mutations = fly.calls().drop(before).findAll { it.mutating() }

        then:
        plan.out.contains('# fly_app.preview_pr-2 will be destroyed')
        plan.out.contains('# fly_ip.preview_pr-2_v6 will be destroyed (with fly_app.preview_pr-2)')
        plan.out.contains('# fly_secret.preview_pr-2_PREVIEW_OF will be destroyed (with fly_app.preview_pr-2)')
        plan.out.contains('Plan: 0 to add, 0 to change, 4 to destroy.')
        apply.out.contains('4 destroyed')
        mutations*.method() == ['DELETE']
        mutations*.path() == ['/v1/apps/flyform-preview-pr-2']
        fly.apps()*.name() == ['flyform-preview-pr-1', 'flyform-preview-pr-3']
        others.every { name, ips -> fly.ips(name)*.ip() == ips }
        flyform('plan', '-var', 'prs=pr-1,pr-3').out.startsWith('No changes.')
    }
}
