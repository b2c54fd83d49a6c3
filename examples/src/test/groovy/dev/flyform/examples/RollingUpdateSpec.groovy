package dev.flyform.examples

import com.fasterxml.jackson.databind.JsonNode
import com.fasterxml.jackson.databind.ObjectMapper
import dev.flyform.emulator.FaultSettings

import java.nio.file.Files

/**
 * Changes to the machines of one app roll out: one at a time (or maxUnavailable), each started
 * and its checks passing before the next; a failure stops the rest. Judged from the machines'
 * event timestamps and the calls the emulator saw.
 */
class RollingUpdateSpec extends AgainstEmulator {

    static final ObjectMapper JSON = new ObjectMapper()

    void write(Map<String, String> images, String appSettings = '', String machineSettings = '') {
        String machines = images.collect { name, image -> """\
            machine('${name}') {
                app = web
                region = 'iad'
                image = '${image}'
                check 'alive', type: 'tcp', port: 8080, interval: '5s', timeout: '2s'
                ${machineSettings}
            }
            """.stripIndent() }.join('')
        Files.writeString(dir.resolve('main.fly.groovy'), "def web = app('web') { name = 'roll-web'; ${appSettings} }\n" + machines)
    }

    static final Map<String, String> ONE = [web_1: 'flyio/hellofly:1', web_2: 'flyio/hellofly:1', web_3: 'flyio/hellofly:1']
    static final Map<String, String> TWO = [web_1: 'flyio/hellofly:2', web_2: 'flyio/hellofly:2', web_3: 'flyio/hellofly:2']

    Map<String, JsonNode> machines() {
        Map<String, JsonNode> byAddress = [:]
        JSON.readTree(api('GET', '/v1/apps/roll-web/machines')).each {
            byAddress[it.path('config').path('metadata').path('flyform_address').asText() - 'fly_machine.'] = it
        }
        byAddress
    }

    /** Each machine's spans of not being started since {@code since}, from its events: [from, to] in ms. */
    static List<List<Long>> downtimes(JsonNode machine, long since) {
        // Fly lists the newest first; oldest first, events of one millisecond stay in the order they happened
        List<JsonNode> events = machine.path('events').findAll { it.path('timestamp').asLong() >= since }
                .reverse().sort { it.path('timestamp').asLong() }
        List<List<Long>> spans = []
        Long down = null
        events.each { e ->
            long at = e.path('timestamp').asLong()
            if (e.path('status').asText() == 'started') {
                if (down != null) {
                    spans << [down, at]
                    down = null
                }
            } else if (down == null) {
                down = at
            }
        }
        if (down != null) {
            spans << [down, Long.MAX_VALUE]
        }
        spans
    }

    /** The most machines not started at one moment. */
    static int mostDownAtOnce(List<List<Long>> spans) {
        List<List<Long>> edges = spans.collectMany { [[it[0], 1L], [it[1], -1L]] }.sort { a, b -> a[0] <=> b[0] ?: a[1] <=> b[1] }
        int down = 0, most = 0
        edges.each { down += it[1]; most = Math.max(most, down) }
        most
    }

    def "an image change to three machines goes one at a time, each started and healthy before the next"() {
        given:
        write(ONE)
        assert flyform('apply', '-auto-approve').exitCode == 0
        long since = System.currentTimeMillis()

        when:
        write(TWO)
        def apply = flyform('apply', '-auto-approve')
        Map<String, JsonNode> after = machines()
        Map<String, List<List<Long>>> spans = after.collectEntries { name, m -> [name, downtimes(m, since)] }

        then:
        apply.exitCode == 0
        after.values().every { it.path('config').path('image').asText() == 'flyio/hellofly:2' && it.path('state').asText() == 'started' }
        spans.values().every { it.size() == 1 && it[0][1] != Long.MAX_VALUE }
        mostDownAtOnce(spans.values().sum() as List) == 1

        and: 'each went down only once the one before had started and its checks had had time to pass'
        spans.web_2[0][0] >= spans.web_1[0][1] + FaultSettings.DEFAULT_CHECKS_PASSING_MS
        spans.web_3[0][0] >= spans.web_2[0][1] + FaultSettings.DEFAULT_CHECKS_PASSING_MS

        and: 'progress says which machine is rolling'
        apply.out.contains('fly_machine.web_1: Rolling out, 1 of 3 in fly_app roll-web (one at a time')
        apply.out.contains('fly_machine.web_3: Rolling out, 3 of 3 in fly_app roll-web')
        flyform('plan').out.startsWith('No changes.')
    }

    def "a second machine that fails to start stops the rollout: the third is never touched"() {
        given:
        write(ONE)
        assert flyform('apply', '-auto-approve').exitCode == 0
        String third = machines().web_3.path('id').asText()
        fly.faults(FaultSettings.NONE.toBuilder().failingImages(['flyio/hellofly:broken'] as Set).build())
        int before = fly.calls().size()

        when:
        write([web_1: 'flyio/hellofly:2', web_2: 'flyio/hellofly:broken', web_3: 'flyio/hellofly:2'])
        def apply = flyform('apply', '-auto-approve')
        Map<String, JsonNode> after = machines()

        then:
        apply.exitCode == 1
        apply.err.contains('failed to start')
        apply.err.contains('Rollout in fly_app roll-web stopped at fly_machine.web_2')
        apply.err.contains('not updated: fly_machine.web_3')
        after.web_1.path('config').path('image').asText() == 'flyio/hellofly:2'
        after.web_2.path('state').asText() == 'failed'
        after.web_3.path('config').path('image').asText() == 'flyio/hellofly:1'
        after.web_3.path('state').asText() == 'started'
        fly.calls().drop(before).findAll { it.mutating() && it.path().contains(third) } == []
    }

    def "checks that never pass stop the rollout at the first machine, within waitForChecks"() {
        given:
        write(ONE, '', "waitForChecks '2s'")
        assert flyform('apply', '-auto-approve').exitCode == 0
        fly.faults(FaultSettings.NONE.toBuilder().unhealthyImages(['flyio/hellofly:sick'] as Set).build())

        when:
        write([web_1: 'flyio/hellofly:sick', web_2: 'flyio/hellofly:2', web_3: 'flyio/hellofly:2'], '', "waitForChecks '2s'")
        def apply = flyform('apply', '-auto-approve')
        Map<String, JsonNode> after = machines()

        then:
        apply.exitCode == 1
        apply.err.contains('health checks did not pass within 2s')
        apply.err.contains('alive is critical')
        after.web_2.path('config').path('image').asText() == 'flyio/hellofly:1'
        after.web_3.path('config').path('image').asText() == 'flyio/hellofly:1'

        when: 'the next plan sees what Fly holds: the sick image is recorded, the others still to roll'
        def plan = flyform('plan')

        then:
        plan.out.contains('Plan: 0 to add, 2 to change, 0 to destroy.')
    }

    def "maxUnavailable 2 takes two down at most; strategy 'immediate' does not roll"() {
        given:
        write(ONE, 'maxUnavailable = 2')
        assert flyform('apply', '-auto-approve').exitCode == 0
        long since = System.currentTimeMillis()

        when:
        write(TWO, 'maxUnavailable = 2')
        def apply = flyform('apply', '-auto-approve')
        Map<String, List<List<Long>>> spans = machines().collectEntries { name, m -> [name, downtimes(m, since)] }

        then:
        apply.exitCode == 0
        mostDownAtOnce(spans.values().sum() as List) <= 2
        spans.web_3[0][0] >= spans.web_1[0][1]
        apply.out.contains('(2 at a time')

        when:
        write(ONE, "strategy = 'immediate'")
        def immediate = flyform('apply', '-auto-approve')

        then:
        immediate.exitCode == 0
        !immediate.out.contains('Rolling out')
        machines().values().every { it.path('config').path('image').asText() == 'flyio/hellofly:1' }
    }
}
