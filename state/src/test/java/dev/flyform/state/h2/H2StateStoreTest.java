package dev.flyform.state.h2;

import dev.flyform.engine.addr.ResourceAddress;
import dev.flyform.engine.state.ResourceState;
import dev.flyform.engine.state.State;
import dev.flyform.engine.state.StateLock;
import dev.flyform.engine.state.StateLockLostException;
import dev.flyform.engine.state.StateLockedException;
import dev.flyform.engine.state.StateTargetMismatchException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class H2StateStoreTest {

    @TempDir
    Path dir;

    private static final ResourceAddress WEB = new ResourceAddress("fly_app", "web");
    private static final ResourceAddress IP = new ResourceAddress("fly_ip", "v6");

    @Test
    void theStateFileIsReadableByItsOwnerOnly() throws Exception {
        try (H2StateStore ignored = H2StateStore.openDirectory(dir.resolve(".flyform"))) {
            assertEquals("rw-------", PosixFilePermissions.toString(
                    Files.getPosixFilePermissions(dir.resolve(".flyform/state.mv.db"))));
            assertEquals("rwx------", PosixFilePermissions.toString(
                    Files.getPosixFilePermissions(dir.resolve(".flyform"))));
        }
    }

    @Test
    void resourcesSurviveReopeningAndEveryWriteBumpsTheSerial() {
        String lineage;
        try (H2StateStore store = H2StateStore.openDirectory(dir)) {
            State empty = store.read();
            lineage = empty.lineage();
            assertEquals(0, empty.serial());
            store.put(new ResourceState(WEB, "acme-web", Map.of("name", "acme-web", "count", 2)));
            store.put(new ResourceState(IP, "fdaa::1", Map.of("type", "v6"), Set.of(WEB)));
            store.remove(new ResourceAddress("fly_app", "never-there"));
            assertEquals(2, store.read().serial());
        }
        try (H2StateStore store = H2StateStore.openDirectory(dir)) {
            State state = store.read();
            assertEquals(lineage, state.lineage());
            assertEquals(2, state.serial());
            assertEquals(Map.of("name", "acme-web", "count", 2), state.resource(WEB).orElseThrow().attributes());
            assertEquals(Set.of(WEB), state.resource(IP).orElseThrow().dependencies());
            store.remove(IP);
            assertEquals(3, store.read().serial());
            assertEquals(Set.of(WEB), store.read().resources().keySet());
        }
    }

    @Test
    void everyChangeIsKeptInTheHistory() throws Exception {
        try (H2StateStore store = H2StateStore.openDirectory(dir)) {
            store.put(new ResourceState(WEB, "acme-web", Map.of("name", "acme-web")));
            store.remove(WEB);
        }
        try (Connection db = DriverManager.getConnection("jdbc:h2:file:" + dir.resolve("state") + ";FILE_LOCK=FS", "flyform", "");
             var rs = db.createStatement().executeQuery("SELECT serial, address, change FROM history ORDER BY serial")) {
            StringBuilder rows = new StringBuilder();
            while (rs.next()) {
                rows.append(rs.getLong(1)).append(' ').append(rs.getString(2)).append(' ').append(rs.getString(3)).append(';');
            }
            assertEquals("1 fly_app.web put;2 fly_app.web remove;", rows.toString());
        }
    }

    @Test
    void aHeldLockIsRefusedNamingItsHolderAndIsFreeAgainOnceReleased() {
        try (H2StateStore first = H2StateStore.openDirectory(dir);
             H2StateStore second = H2StateStore.openDirectory(dir)) {
            StateLock held = first.lock("apply");
            StateLockedException e = assertThrows(StateLockedException.class, () -> second.lock("plan"));
            assertTrue(e.holder().startsWith("apply by "), e.holder());
            assertTrue(e.holder().contains("(pid " + ProcessHandle.current().pid() + ")"), e.holder());
            held.close();
            second.lock("plan").close();
        }
    }

    /** Many runs asking at once: exactly one holds the lock, and it still holds it afterwards (no one overwrote it). */
    @Test
    void ofRunsLockingAtOnceExactlyOneWinsAndKeepsIt() throws Exception {
        for (int round = 0; round < 10; round++) {
            java.nio.file.Path state = dir.resolve("round-" + round);
            H2StateStore.openDirectory(state).close();
            int runs = 4;
            java.util.List<H2StateStore> stores = new java.util.ArrayList<>();
            for (int i = 0; i < runs; i++) {
                stores.add(H2StateStore.openDirectory(state));
            }
            java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(runs);
            java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(runs);
            java.util.List<java.util.concurrent.Future<dev.flyform.engine.state.StateLock>> attempts = new java.util.ArrayList<>();
            for (H2StateStore store : stores) {
                attempts.add(pool.submit(() -> {
                    start.await(10, java.util.concurrent.TimeUnit.SECONDS);
                    try {
                        return store.lock("apply");
                    } catch (dev.flyform.engine.state.StateLockedException refused) {
                        return null;
                    }
                }));
            }
            java.util.List<Integer> winners = new java.util.ArrayList<>();
            for (int i = 0; i < runs; i++) {
                if (attempts.get(i).get() != null) {
                    winners.add(i);
                }
            }
            pool.shutdown();
            assertEquals(1, winners.size(), "round " + round + ": winners " + winners);
            H2StateStore winner = stores.get(winners.get(0));
            winner.bindTarget("https://api.machines.dev");   // a write: refused if another run had taken the lock over
            for (H2StateStore store : stores) {
                store.close();
            }
        }
    }

    /** First runs that find no state, all at once: each creates or opens it, exactly one holds the lock and keeps it. */
    @Test
    void ofFirstRunsCreatingTheStateAtOnceExactlyOneLocksItAndKeepsIt() throws Exception {
        for (int round = 0; round < 50; round++) {
            java.nio.file.Path state = dir.resolve("new-" + round);
            int runs = 2;
            java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(runs);
            java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(runs);
            java.util.List<java.util.concurrent.Future<H2StateStore>> attempts = new java.util.ArrayList<>();
            java.util.List<H2StateStore> opened = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
            for (int i = 0; i < runs; i++) {
                attempts.add(pool.submit(() -> {
                    start.await(10, java.util.concurrent.TimeUnit.SECONDS);
                    H2StateStore store;
                    try {
                        store = H2StateStore.openDirectory(state);
                    } catch (dev.flyform.engine.state.StateLockedException busy) {
                        return null;
                    }
                    opened.add(store);
                    try {
                        store.lock("apply");
                        return store;
                    } catch (dev.flyform.engine.state.StateLockedException refused) {
                        return null;
                    }
                }));
            }
            java.util.List<H2StateStore> winners = new java.util.ArrayList<>();
            for (var attempt : attempts) {
                if (attempt.get() != null) {
                    winners.add(attempt.get());
                }
            }
            pool.shutdown();
            assertEquals(1, winners.size(), "round " + round + ": " + winners.size() + " runs hold the lock");
            winners.get(0).bindTarget("https://api.machines.dev");   // a write: refused if another run had taken the lock over
            for (H2StateStore store : opened) {
                store.close();
            }
        }
    }

    @Test
    void aLockWhoseLeaseRanOutIsTakenOver() throws Exception {
        try (H2StateStore store = H2StateStore.openDirectory(dir)) {
            store.lock("apply");   // never closed: as if the holder hung
        }
        try (Connection db = DriverManager.getConnection("jdbc:h2:file:" + dir.resolve("state") + ";FILE_LOCK=FS", "flyform", "")) {
            db.createStatement().executeUpdate("UPDATE locks SET expires_at = DATEADD(MINUTE, -1, CURRENT_TIMESTAMP)");
        }
        try (H2StateStore store = H2StateStore.openDirectory(dir)) {
            StateLock taken = store.lock("plan");
            assertTrue(taken.tookOverFrom() != null && taken.tookOverFrom().startsWith("apply by "), taken.tookOverFrom());
            assertTrue(store.lockHolder().orElseThrow().startsWith("plan by "), store.lockHolder().toString());
            taken.close();
            assertTrue(store.lockHolder().isEmpty(), "released again");
        }
    }

    @Test
    void aStateBelongsToTheTargetItWasFirstUsedWith() {
        try (H2StateStore store = H2StateStore.openDirectory(dir)) {
            store.bindTarget("sandbox");
            store.bindTarget("sandbox");
            assertThrows(StateTargetMismatchException.class, () -> store.bindTarget("https://api.machines.dev"));
            assertEquals("sandbox", store.read().target());
        }
    }

    @Test
    void aDamagedFileIsAClearErrorNamingIt() throws Exception {
        Files.write(dir.resolve("state.mv.db"), "this is not a database".repeat(300).getBytes());

        StateDamagedException e = assertThrows(StateDamagedException.class, () -> H2StateStore.openDirectory(dir));

        assertTrue(e.getMessage().contains(dir.resolve("state.mv.db").toString()), e.getMessage());
    }

    @Test
    void aStateFromANewerFlyformIsRefused() throws Exception {
        H2StateStore.openDirectory(dir).close();
        try (Connection db = DriverManager.getConnection("jdbc:h2:file:" + dir.resolve("state") + ";FILE_LOCK=FS", "flyform", "")) {
            db.createStatement().executeUpdate("INSERT INTO schema_version (version) VALUES (99)");
        }

        StateDamagedException e = assertThrows(StateDamagedException.class, () -> H2StateStore.openDirectory(dir));

        assertTrue(e.getMessage().contains("schema version 99"), e.getMessage());
    }

    @Test
    void aRunWhoseLockWasTakenOverOrRanOutStopsBeforeItsNextWrite() throws Exception {
        ResourceAddress web = new ResourceAddress("fly_app", "web");
        try (H2StateStore store = H2StateStore.openDirectory(dir); StateLock lock = store.lock("apply")) {
            store.put(new ResourceState(web, "acme-web", Map.of("name", "acme-web")));
            try (Connection other = DriverManager.getConnection("jdbc:h2:file:" + dir.resolve("state") + ";FILE_LOCK=FS", "flyform", "")) {
                other.createStatement().executeUpdate("UPDATE locks SET expires_at = DATEADD(SECOND, -1, CURRENT_TIMESTAMP)");
                StateLockLostException ranOut = assertThrows(StateLockLostException.class,
                        () -> store.put(new ResourceState(new ResourceAddress("fly_app", "late"), "late", Map.of())));
                assertTrue(ranOut.getMessage().contains("its lease ran out"), ranOut.getMessage());

                other.createStatement().executeUpdate("UPDATE locks SET lock_id = 'someone-else', "
                        + "expires_at = DATEADD(MINUTE, 1, CURRENT_TIMESTAMP)");
                StateLockLostException takenOver = assertThrows(StateLockLostException.class,
                        () -> store.remove(web));
                assertTrue(takenOver.getMessage().contains("another run took it over"), takenOver.getMessage());
            }
            assertEquals(Set.of(web), store.read().resources().keySet(), "nothing was written without the lock");
        }
    }

    @Test
    void theHostOfALockIsTheMachineNotOnlyItsName() throws Exception {
        String identity = H2StateStore.hostIdentity();
        assertTrue(identity.startsWith(java.net.InetAddress.getLocalHost().getHostName() + " #"), identity);
        if (Files.isReadable(Path.of("/etc/machine-id"))) {
            assertTrue(identity.endsWith(Files.readString(Path.of("/etc/machine-id")).strip()), identity);
        }
        try (H2StateStore store = H2StateStore.openDirectory(dir); StateLock lock = store.lock("apply");
             Connection other = DriverManager.getConnection("jdbc:h2:file:" + dir.resolve("state") + ";FILE_LOCK=FS", "flyform", "")) {
            var rs = other.createStatement().executeQuery("SELECT host FROM locks");
            rs.next();
            assertEquals(identity, rs.getString(1));
        }
    }
}
