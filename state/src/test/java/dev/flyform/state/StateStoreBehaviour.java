package dev.flyform.state;

import dev.flyform.engine.addr.ResourceAddress;
import dev.flyform.engine.config.Outputs;
import dev.flyform.engine.state.Intent;
import dev.flyform.engine.state.ResourceState;
import dev.flyform.engine.state.StateLock;
import dev.flyform.engine.state.StateLockedException;
import dev.flyform.engine.state.StateStore;
import dev.flyform.engine.state.StateTargetMismatchException;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What every state store guarantees, run against each (H2 and PostgreSQL): judged by what a
 * store opened afresh on the same state reads back.
 */
public abstract class StateStoreBehaviour {

    protected static final ResourceAddress WEB = new ResourceAddress("fly_app", "web");
    protected static final ResourceAddress IP = new ResourceAddress("fly_ip", "web_v6");

    /** A store on this test's state: the same state each time it is called. */
    protected abstract StateStore open();

    @Test
    void objectsSurviveReopeningAndEveryChangeBumpsTheSerial() {
        try (StateStore store = open(); StateLock ignored = store.lock("apply")) {
            store.put(new ResourceState(WEB, "web", Map.of("name", "acme-web"), Set.of()));
            store.put(new ResourceState(IP, "2a09::1", Map.of("app", "acme-web", "type", "v6"), Set.of(WEB)));
            store.remove(IP);
            store.put(new ResourceState(IP, "2a09::2", Map.of("app", "acme-web", "type", "v6"), Set.of(WEB)));
            store.move(IP, new ResourceAddress("fly_ip", "web_v6_b"));
        }
        try (StateStore again = open()) {
            var state = again.read();
            assertEquals(5, state.serial());
            assertEquals(List.of("fly_app.web", "fly_ip.web_v6_b"), state.resources().keySet().stream().map(Object::toString).toList());
            ResourceState ip = state.resource(new ResourceAddress("fly_ip", "web_v6_b")).orElseThrow();
            assertEquals("2a09::2", ip.id());
            assertEquals(Set.of(WEB), ip.dependencies());
            assertEquals("acme-web", state.resource(WEB).orElseThrow().attributes().get("name"));
        }
    }

    @Test
    void aHeldLockIsRefusedNamingItsHolderAndIsFreeOnceReleased() {
        try (StateStore a = open(); StateStore b = open()) {
            StateLock held = a.lock("apply");
            StateLockedException refused = assertThrows(StateLockedException.class, () -> b.lock("plan"));
            assertTrue(refused.getMessage().contains("apply by "), refused.getMessage());
            assertTrue(refused.getMessage().contains("pid " + ProcessHandle.current().pid()), refused.getMessage());
            assertTrue(b.lockHolder().orElseThrow().contains(held.id()));
            held.close();
            try (StateLock mine = b.lock("plan")) {
                assertTrue(mine.holder().startsWith("plan by "));
            }
        }
    }

    @Test
    void ofRunsLockingAtOnceExactlyOneWinsAndKeepsIt() throws Exception {
        for (int round = 0; round < 5; round++) {
            int runs = 4;
            List<StateStore> stores = new ArrayList<>();
            for (int i = 0; i < runs; i++) {
                stores.add(open());
            }
            CyclicBarrier start = new CyclicBarrier(runs);
            ExecutorService pool = Executors.newFixedThreadPool(runs);
            List<Future<StateLock>> attempts = new ArrayList<>();
            for (StateStore store : stores) {
                attempts.add(pool.submit(() -> {
                    start.await(10, TimeUnit.SECONDS);
                    try {
                        return store.lock("apply");
                    } catch (StateLockedException refused) {
                        return null;
                    }
                }));
            }
            List<Integer> winners = new ArrayList<>();
            for (int i = 0; i < runs; i++) {
                if (attempts.get(i).get() != null) {
                    winners.add(i);
                }
            }
            pool.shutdown();
            assertEquals(1, winners.size(), "round " + round + ": winners " + winners);
            StateStore winner = stores.get(winners.get(0));
            winner.put(new ResourceState(WEB, "web-" + round, Map.of(), Set.of()));   // refused if another had taken it over
            attempts.get(winners.get(0)).get().close();
            stores.forEach(StateStore::close);
        }
    }

    @Test
    void anIntentIsReplacedByItsResultAndOutputsKeepNoSensitiveValue() {
        Intent intent = new Intent("i-1", WEB, Instant.parse("2026-12-01T10:00:00Z"), Map.of("name", "acme-web"), Map.of("name", "acme-web"));
        try (StateStore store = open(); StateLock ignored = store.lock("apply")) {
            store.recordIntent(intent);
            try (StateStore other = open()) {
                assertEquals(List.of("i-1"), other.intents().stream().map(Intent::id).toList());
                assertEquals(Map.of("name", "acme-web"), other.intents().get(0).data());
            }
            store.completeIntent("i-1", new ResourceState(WEB, "web", Map.of("name", "acme-web"), Set.of()));
            store.recordOutputs(List.of(new Outputs.Value("url", "https://acme-web.fly.dev", false),
                    new Outputs.Value("token", null, true)));
            store.recordRun("apply: 1 added, 0 changed, 0 destroyed, 0 adopted");
        }
        try (StateStore again = open()) {
            assertEquals(List.of(), again.intents());
            assertEquals("web", again.read().resource(WEB).orElseThrow().id());
            List<Outputs.Value> outputs = again.outputs();
            assertEquals(List.of("url", "token"), outputs.stream().map(Outputs.Value::name).toList());
            assertEquals("https://acme-web.fly.dev", outputs.get(0).value());
            assertNull(outputs.get(1).value());
            assertTrue(again.runs().get(again.runs().size() - 1).summary().startsWith("apply: 1 added"));
        }
    }

    @Test
    void aStateBelongsToTheTargetItWasFirstUsedWith() {
        try (StateStore store = open(); StateLock ignored = store.lock("apply")) {
            store.bindTarget("https://api.machines.dev");
            store.bindTarget("https://api.machines.dev");
            assertThrows(StateTargetMismatchException.class, () -> store.bindTarget("http://127.0.0.1:4280"));
        }
        try (StateStore again = open()) {
            assertEquals("https://api.machines.dev", again.read().target());
        }
    }

    @Test
    void theLineageAndTheDigestKeyStayThoseTheStateWasMadeWith() {
        String lineage;
        String key;
        try (StateStore store = open()) {
            lineage = store.read().lineage();
            key = store.read().digestKey();
        }
        try (StateStore again = open()) {
            assertEquals(lineage, again.read().lineage());
            assertEquals(key, again.read().digestKey());
        }
    }
}
