package dev.flyform.examples

import com.fasterxml.jackson.databind.JsonNode
import dev.flyform.emulator.Call
import dev.flyform.emulator.FaultSettings
import dev.flyform.emulator.FlyEmulator
import dev.flyform.provider.fly.CrashPoints
import org.spockframework.runtime.model.parallel.ExecutionMode
import spock.lang.Execution
import spock.lang.Specification
import spock.lang.TempDir

import java.nio.file.Files
import java.nio.file.Path

/**
 * The idempotence contract (DESIGN.md §5) over examples/full, with flyform as a real process:
 * killed before or after every API call of a clean apply, deprived of its state, fed failures
 * and lost answers, interrupted. Each time the emulator must end up holding exactly what is
 * declared, and a further apply must change nothing.
 */
class CrashSafetySpec extends Specification {

    static final String SECRET = 'postgres://user:crash-test-pw@db/app'

    /**
     * Fly as the emulator plays it by default, except that a started machine's checks pass at
     * once: the matrix halts at the Nth call, so how many calls a clean apply makes must not
     * depend on how fast the machine runs (waiting for checks polls). RollingUpdateSpec judges
     * that wait.
     */
    static final FaultSettings FLY = FaultSettings.NONE.toBuilder().checksPassingMs(0).build()

    /** API calls a clean apply of examples/full makes; measured once, by the first feature that needs it. */
    private static Integer callsInCleanApply

    private static final Set<String> SCENARIOS = Collections.synchronizedSet(new TreeSet<String>())

    static synchronized int callsInCleanApply() {
        if (callsInCleanApply == null) {
            Path dir = Files.createTempDirectory('flyform-calls')
            FlyEmulator emulator = FlyEmulator.start(0)
            emulator.faults(FLY)
            try {
                Files.createDirectories(dir.resolve('full'))
                Files.copy(Path.of('full/main.fly.groovy'), dir.resolve('full/main.fly.groovy'))
                FlyformRun run = FlyformRun.of(dir.resolve('full'), [FLY_FLAPS_BASE_URL: emulator.baseUrl().toString(), FLY_API_BASE_URL: emulator.baseUrl().toString(),
                        FLY_API_TOKEN: FlyEmulator.PERSONAL_TOKEN, DATABASE_URL: SECRET], ['apply', '-auto-approve'])
                assert run.exitCode == 0: run
                callsInCleanApply = emulator.calls().size()
            } finally {
                emulator.close()
                dir.toFile().deleteDir()
            }
        }
        return callsInCleanApply
    }

    @TempDir
    Path dir

    FlyEmulator fly

    Path project

    def setup() {
        fly = FlyEmulator.start(0)
        fly.faults(FLY)
        project = dir.resolve('full')
        Files.createDirectories(project)
        Files.copy(Path.of('full/main.fly.groovy'), project.resolve('main.fly.groovy'))
    }

    def cleanup() {
        fly?.close()
    }

    Map<String, String> env(Map<String, String> extra = [:]) {
        [FLY_FLAPS_BASE_URL: fly.baseUrl().toString(), FLY_API_BASE_URL: fly.baseUrl().toString(),
         FLY_API_TOKEN: FlyEmulator.PERSONAL_TOKEN, DATABASE_URL: SECRET, HOME: dir.toString()] + extra
    }

    /** In-process: fast. The runs that must die are separate processes ({@link #killed}). */
    FlyformProcess.Result flyform(List<String> args) {
        FlyformRun run = FlyformRun.of(project, env(), ['-no-color'] + args)
        new FlyformProcess.Result(run.exitCode, run.out + run.err)
    }

    FlyformProcess.Result killed(List<String> args, Map<String, String> extra) {
        FlyformProcess.run(project, env(extra), args)
    }

    /** The state is lost (its directory deleted, as an ephemeral runner loses it). */
    void loseState() {
        project.resolve('.flyform').toFile().deleteDir()
    }

    void assertInventoryExact() {
        FullInventory.assertExact(fly)
    }

    void assertNoChangesAndNoMutation() {
        int before = fly.calls().size()
        def again = flyform(['apply', '-auto-approve'])
        assert again.exitCode == 0: again
        assert again.output.startsWith('No changes.'): again
        assert fly.calls().drop(before).every { !it.mutating() }
    }

    /**
     * Acceptance 5: two creates to the same collection never follow each other without a
     * reconcile when the first one's answer was lost or ambiguous.
     */
    static void assertNoBlindResend(List<Call> calls) {
        List<Call> creates = calls.findAll { it.method() == 'POST' && it.intent() != null && it.mutating() }
        creates.eachWithIndex { Call first, int i ->
            boolean ambiguous = first.status() == 0 || first.status() == 408 || first.status() == 429 || first.status() >= 500
            if (!ambiguous) {
                return
            }
            Call next = creates.drop(i + 1).find { it.path() == first.path() }
            if (next == null) {
                return
            }
            boolean reconciled = calls.any { it.sequence() > first.sequence() && it.sequence() < next.sequence()
                    && it.intent() == first.intent() && !it.mutating() }
            assert reconciled: "create ${first} was resent as ${next} without a reconcile in between"
        }
    }

    def "a clean apply of examples/full converges, and a second changes nothing"() {
        when:
        def apply = flyform(['apply', '-auto-approve'])

        then:
        apply.exitCode == 0
        fly.calls().size() == callsInCleanApply()
        assertInventoryExact()
        assertNoChangesAndNoMutation()
    }

    @Execution(ExecutionMode.CONCURRENT)
    def "killed #mode call #n, the next apply converges with no duplicate and no orphan"() {
        given:
        SCENARIOS << "${mode} ${n}".toString()

        when:
        def crashed = killed(['apply', '-auto-approve'], [(variable): String.valueOf(n)])
        def rerun = flyform(['apply', '-auto-approve'])

        then:
        crashed.exitCode == CrashPoints.HALT_STATUS
        rerun.exitCode == 0
        assertInventoryExact()
        assertNoChangesAndNoMutation()
        assertNoBlindResend(fly.calls())

        where:
        // Sized by the apply itself: one row per call, before and after it, none that does nothing.
        [mode, n] << [['before', 'after'], (1..callsInCleanApply())].combinations()
        variable = mode == 'before' ? 'FLYFORM_TEST_HALT_BEFORE_REQUEST' : 'FLYFORM_TEST_HALT_AFTER_RESPONSE'
    }

    /** After every feature, the concurrent matrix included: each crash point was tested, at both places. */
    def cleanupSpec() {
        assert SCENARIOS.size() == 2 * callsInCleanApply()
        println "crash points tested: ${SCENARIOS.size()} (${callsInCleanApply()} API calls in a clean apply, before and after each)"
    }

    def "with the state deleted, plan shows only adoptions and apply creates nothing"() {
        given:
        assert flyform(['apply', '-auto-approve']).exitCode == 0
        def inventoryBefore = fly.inventory().toString()
        loseState()

        when:
        def plan = flyform(['plan'])
        int before = fly.calls().size()
        def apply = flyform(['apply', '-auto-approve'])
        def mutations = fly.calls().drop(before).findAll { it.mutating() }

        then:
        plan.exitCode == 0
        plan.output.contains('Plan: 0 to add, 0 to change, 0 to destroy, 7 to adopt.')
        !(plan.output =~ /will be (created|updated|destroyed|replaced)|must be replaced/)
        apply.exitCode == 0
        apply.output.contains('7 adopted')
        mutations.isEmpty()
        fly.inventory().toString() == inventoryBefore
        assertNoChangesAndNoMutation()
    }

    def "with 20% of calls failing and answers to creates lost, apply converges and reports its retries"() {
        given:
        fly.faults(FLY.toBuilder().seed(42).failureRate(0.2).failureStatuses([500, 502, 503, 408, 429])
                .dropAfterCommit([1L, 4L, 6L] as Set).build())

        when:
        def applies = []
        // One change at a time: the call log ties a resend to its reconcile by collection, which
        // holds only while a single create per collection is in flight.
        for (int i = 0; i < 3 && (applies.isEmpty() || applies[-1].exitCode != 0); i++) {
            applies << flyform(['apply', '-auto-approve', '-parallelism', '1'])
        }
        fly.faults(FLY)

        then:
        applies[-1].exitCode == 0
        applies*.output.join('\n') =~ /Retries: \d+ API calls? retried after transient failures/
        assertInventoryExact()
        assertNoChangesAndNoMutation()
        assertNoBlindResend(fly.calls())
        fly.calls().count { it.status() == 0 } >= 1
    }

    def "interrupted with SIGINT, apply finishes the call in flight, records it, and the rerun converges"() {
        given:
        fly.faults(FLY.withLatency(300))
        def running = FlyformProcess.start(project, env([FLYFORM_CDS: '0']), ['apply', '-auto-approve'])
        long deadline = System.currentTimeMillis() + 60_000
        while (!running.outputSoFar().contains('Creation complete') && System.currentTimeMillis() < deadline) {
            Thread.sleep(50)
        }

        when:
        running.interrupt()
        def interrupted = running.await()
        fly.faults(FLY)
        def rerun = flyform(['apply', '-auto-approve'])

        then:
        interrupted.exitCode != 0
        interrupted.output.contains('Interrupted.')
        interrupted.output.contains('The change in flight finished and was recorded')
        !interrupted.output.contains('Apply complete!')
        rerun.exitCode == 0
        !rerun.output.contains('Reconciled')        // nothing was left in flight
        assertInventoryExact()
        assertNoChangesAndNoMutation()
    }
}
