package dev.flyform.state.postgres;

import dev.flyform.engine.state.ResourceState;
import dev.flyform.engine.state.StateLock;
import dev.flyform.engine.state.StateLockLostException;
import dev.flyform.engine.state.StateStore;
import dev.flyform.state.StateStoreBehaviour;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The store behaviour every state store has, and what only a shared PostgreSQL state needs, on a real server. */
class PostgresStoreBehaviourTest extends StateStoreBehaviour {

    private String url;

    @BeforeEach
    void freshSchema() {
        url = TestPostgres.freshUrl();
    }

    @Override
    protected StateStore open() {
        return PostgresStateStore.open(TestPostgres.url(url), "default");
    }

    private PostgresStateStore open(String workspace, Duration lease) {
        return PostgresStateStore.open(TestPostgres.url(url), workspace, lease);
    }

    @Test
    void twoWorkspacesNeverBlockEachOtherAndHoldTheirOwnObjects() {
        try (PostgresStateStore pr1 = open("pr-1", PostgresStateStore.LEASE); PostgresStateStore pr2 = open("pr-2", PostgresStateStore.LEASE);
             StateLock a = pr1.lock("apply"); StateLock b = pr2.lock("apply")) {
            pr1.put(new ResourceState(WEB, "acme-pr-1", Map.of("name", "acme-pr-1"), Set.of()));
            pr2.put(new ResourceState(WEB, "acme-pr-2", Map.of("name", "acme-pr-2"), Set.of()));
            assertEquals("acme-pr-1", pr1.read().resource(WEB).orElseThrow().id());
            assertEquals("acme-pr-2", pr2.read().resource(WEB).orElseThrow().id());
            assertTrue(a.holder().contains(a.id()) && b.holder().contains(b.id()));
        }
    }

    @Test
    void aLockWhoseLeaseRanOutIsTakenOverAndItsFormerHolderCannotWriteAgain() throws Exception {
        try (PostgresStateStore dead = open("default", Duration.ofMillis(300)); PostgresStateStore next = open("default", Duration.ofSeconds(60))) {
            StateLock held = dead.lock("apply");
            dead.stopRenewing(held);   // as a killed run would: the row stays, its lease runs out
            Thread.sleep(600);
            StateLock taken = next.lock("apply");
            assertTrue(taken.tookOverFrom() != null && taken.tookOverFrom().contains(held.id()), String.valueOf(taken.tookOverFrom()));
            StateLockLostException lost = assertThrows(StateLockLostException.class,
                    () -> dead.put(new ResourceState(WEB, "late", Map.of(), Set.of())));
            assertTrue(lost.getMessage().contains("another run took it over"), lost.getMessage());
            next.put(new ResourceState(WEB, "web", Map.of(), Set.of()));
            assertEquals("web", next.read().resource(WEB).orElseThrow().id());
            taken.close();
        }
    }

    @Test
    void aStaleWriterIsRefusedAndWritesNothing() {
        try (PostgresStateStore early = open("default", PostgresStateStore.LEASE); PostgresStateStore later = open("default", PostgresStateStore.LEASE)) {
            early.read();   // serial 0
            try (StateLock lock = later.lock("apply")) {
                later.put(new ResourceState(WEB, "web", Map.of(), Set.of()));   // serial 1
            }
            assertThrows(StaleStateException.class, () -> early.put(new ResourceState(WEB, "overwritten", Map.of(), Set.of())));
            assertEquals("web", later.read().resource(WEB).orElseThrow().id());
            assertEquals(1, later.read().serial());
        }
    }

    @Test
    void everyCallIsATransactionOfItsOwnLeavingNoSessionStateBehind() throws Exception {
        try (PostgresStateStore store = open("default", PostgresStateStore.LEASE); StateLock ignored = store.lock("apply");
             Connection watcher = TestPostgres.server().getPostgresDatabase().getConnection(); Statement st = watcher.createStatement()) {
            store.put(new ResourceState(WEB, "web", Map.of(), Set.of()));
            store.read();
            store.intents();
            // between calls, flyform's connection is idle (no transaction left open), and holds no advisory lock
            try (ResultSet rs = st.executeQuery("SELECT count(*) FROM pg_stat_activity WHERE application_name = 'flyform' "
                    + "AND state <> 'idle'")) {
                rs.next();
                assertEquals(0, rs.getInt(1));
            }
            try (ResultSet rs = st.executeQuery("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'")) {
                rs.next();
                assertEquals(0, rs.getInt(1));
            }
            try (ResultSet rs = st.executeQuery("SELECT count(*) FROM pg_prepared_statements")) {
                rs.next();
                assertEquals(0, rs.getInt(1));
            }
        }
    }

    @Test
    void aWrongPasswordIsAClearErrorThatNeverShowsIt() {
        String secret = "s3cret-never-shown";
        PostgresUrl wrong = PostgresUrl.parse("postgres://nobody_here:" + secret + "@localhost:" + TestPostgres.server().getPort()
                + "/postgres?schema=x", Map.of());
        assertFalse(wrong.toString().contains(secret));
        RuntimeException e = assertThrows(RuntimeException.class, () -> PostgresStateStore.open(wrong, "default"));
        assertTrue(e.getMessage().contains("cannot connect to the state at postgres://nobody_here@localhost"), e.getMessage());
        assertFalse(e.getMessage().contains(secret), e.getMessage());
    }

    @Test
    void runsThatFindNoSchemaAndMigrateAtOnceAllSucceedAndAgreeOnOneState() throws Exception {
        int runs = 4;
        java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(runs);
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(runs);
        java.util.List<java.util.concurrent.Future<String>> lineages = new java.util.ArrayList<>();
        for (int i = 0; i < runs; i++) {
            lineages.add(pool.submit(() -> {
                start.await(10, java.util.concurrent.TimeUnit.SECONDS);
                try (StateStore store = open()) {
                    return store.read().lineage();
                }
            }));
        }
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (var l : lineages) {
            seen.add(l.get());
        }
        pool.shutdown();
        assertEquals(1, seen.size());
        try (Connection c = TestPostgres.server().getPostgresDatabase().getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT count(*), count(DISTINCT version) FROM \"" + TestPostgres.url(url).schema()
                     + "\".schema_version")) {
            rs.next();
            assertEquals(rs.getInt(2), rs.getInt(1));   // each version recorded once
        }
    }
}
