package dev.flyform.emulator;

import dev.flyform.emulator.EmulatorClient.Answer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The emulator reproduces the hazards that make naive clients leak or duplicate: the reason
 * flyform records intents and reconciles instead of resending.
 */
class HazardsTest {

    private final FlyEmulator fly = FlyEmulator.start(0);
    private final EmulatorClient api = new EmulatorClient(fly);

    @AfterEach
    void stop() {
        fly.close();
    }

    @Test
    void aNaiveResendOfAnAppCreateWhoseAnswerWasLostGets422NameTaken() {
        fly.faults(FaultSettings.NONE.droppingAfterCommit(1L));

        assertThrows(UncheckedIOException.class, () -> api.createApp("lost-answer"));
        Answer resend = api.createApp("lost-answer");

        assertEquals(422, resend.status());
        assertEquals("name_taken", resend.text("status"));
        assertEquals(1, fly.apps().size());
    }

    @Test
    void aNaiveResendOfAnIpAllocationWhoseAnswerWasLostLeavesTwoAddresses() {
        api.createApp("ip-hazard");
        fly.faults(FaultSettings.NONE.droppingAfterCommit(1L));

        assertThrows(UncheckedIOException.class,
                () -> api.post("/v1/apps/ip-hazard/ip_assignments", "{\"type\":\"v4\"}"));
        Answer resend = api.post("/v1/apps/ip-hazard/ip_assignments", "{\"type\":\"v4\"}");

        assertEquals(200, resend.status());
        assertEquals(2, fly.ips("ip-hazard").size(), "two dedicated IPv4 addresses, one of them paid for by mistake");
    }

    @Test
    void anAnswerOf503AfterTheCommitMisleadsARetryToo() {
        api.createApp("vol-hazard");
        fly.faults(FaultSettings.NONE.failingAfterCommit(1L));

        Answer first = api.post("/v1/apps/vol-hazard/volumes", "{\"name\":\"data\",\"region\":\"iad\"}");
        Answer retry = api.post("/v1/apps/vol-hazard/volumes", "{\"name\":\"data\",\"region\":\"iad\"}");

        assertEquals(503, first.status());
        assertEquals(200, retry.status());
        assertEquals(2, fly.inventory().path("apps").path("vol-hazard").path("volumes").size());
    }

    @Test
    void aNewAppIsInvisibleForAWhileAndItsChildrenCannotBeMadeYet() {
        java.util.concurrent.atomic.AtomicLong now = new java.util.concurrent.atomic.AtomicLong(1_000_000);
        fly.clock(now::get);   // time moves only when the test moves it
        fly.faults(FaultSettings.NONE.withAppVisibilityDelay(400));

        assertEquals(201, api.createApp("slow-app").status());
        assertEquals(404, api.get("/v1/apps/slow-app").status());
        assertEquals(404, api.post("/v1/apps/slow-app/ip_assignments", "{\"type\":\"v6\"}").status());
        assertEquals(422, api.createApp("slow-app").status(), "yet the name is taken at once");
        now.addAndGet(399);
        assertEquals(404, api.get("/v1/apps/slow-app").status(), "still within the delay");
        now.addAndGet(1);
        assertEquals(200, api.get("/v1/apps/slow-app").status());
    }

    @Test
    void aDeletedAppReadsAndHoldsItsNameUntilItsDeletionIsDone() {
        java.util.concurrent.atomic.AtomicLong now = new java.util.concurrent.atomic.AtomicLong(1_000_000);
        fly.clock(now::get);
        fly.faults(FaultSettings.NONE.toBuilder().appDeletionMs(500).build());
        api.createApp("going");

        assertEquals(202, api.delete("/v1/apps/going").status());
        now.addAndGet(499);
        assertEquals(200, api.get("/v1/apps/going").status(), "accepted, not done");
        assertEquals(422, api.createApp("going").status(), "its name still taken");
        now.addAndGet(1);
        assertEquals(404, api.get("/v1/apps/going").status());
        assertEquals(201, api.createApp("going").status());
    }

    @Test
    void failuresBeforeCommitAreSeededAndChangeNothing() {
        List<Integer> first = failurePattern(7);
        List<Integer> again = failurePattern(7);

        assertEquals(first, again, "the same seed fails the same calls");
        assertTrue(first.contains(503) && first.contains(200), first.toString());
        long failed = first.stream().filter(s -> s == 503).count();
        assertEquals(20 - failed, fly.ips("seeded").size(), "a failed call made nothing");
    }

    private List<Integer> failurePattern(long seed) {
        fly.faults(FaultSettings.NONE.toBuilder().appDeletionMs(0).build());   // the name is free again at once
        fly.app("seeded").ifPresentOrElse(a -> api.delete("/v1/apps/seeded"), () -> { });
        api.createApp("seeded");
        fly.faults(FaultSettings.NONE.toBuilder().appDeletionMs(0).build().withFailures(seed, 0.5, List.of(503)));
        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            statuses.add(api.post("/v1/apps/seeded/ip_assignments", "{\"type\":\"v6\"}").status());
        }
        fly.faults(FaultSettings.NONE);
        return statuses;
    }

    /** A lower bound only: an answer can come late on a slow machine, never early. */
    @Test
    void latencyIsAddedToEveryAnswer() {
        api.createApp("slow");
        fly.faults(FaultSettings.NONE.withLatency(150));

        long t0 = System.nanoTime();
        api.get("/v1/apps/slow");

        assertTrue(System.nanoTime() - t0 >= 150_000_000L);
    }

    @Test
    void faultsCanBeSetOverHttpOnTheControlEndpoint() {
        EmulatorClient anonymous = api.as(null);
        Answer set = anonymous.post("/_emulator/faults",
                "{\"error_after_commit\":[2],\"latency_ms\":1,\"failure_statuses\":[503]}");
        assertEquals(200, set.status(), set.body().toString());
        assertEquals(1, fly.faults().latencyMs());

        assertEquals(201, api.createApp("one").status());
        assertEquals(503, api.createApp("two").status());
        assertEquals(2, fly.apps().size());
        assertEquals(400, anonymous.post("/_emulator/faults", "{\"failure_rate\":2}").status());
        assertEquals(400, anonymous.post("/_emulator/faults", "{\"no_such_setting\":1}").status());
        assertTrue(anonymous.get("/_emulator/calls").body().path("calls").size() >= 2);
        assertTrue(anonymous.get("/_emulator/inventory").body().path("apps").has("two"));
    }
}
