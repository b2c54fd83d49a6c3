package dev.flyform.state.postgres;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flyform.engine.addr.ResourceAddress;
import dev.flyform.engine.config.Outputs;
import dev.flyform.engine.state.Intent;
import dev.flyform.engine.state.ResourceState;
import dev.flyform.engine.state.RunRecord;
import dev.flyform.engine.state.SecretDigest;
import dev.flyform.engine.state.State;
import dev.flyform.engine.state.StateLock;
import dev.flyform.engine.state.StateLockLostException;
import dev.flyform.engine.state.StateLockedException;
import dev.flyform.engine.state.StateStore;
import dev.flyform.engine.state.StateTargetMismatchException;
import dev.flyform.state.h2.StateDamagedException;

import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * A state kept in PostgreSQL (12 or later), for a team and for CI: every workspace's objects,
 * intents, outputs, history and runs as rows of flyform's own schema.
 *
 * <p>Each call is one transaction, complete in itself: nothing relies on a server session
 * outliving it (no session advisory lock, no session setting, no server-side prepared
 * statement), so it works through a pooler in transaction mode. The lock is a row per workspace
 * with its holder and a lease the holder renews; an expired lease is taken over, and so is the
 * lock of a process of this machine that is gone (killed). Every write
 * checks, in its own transaction and under the lock row's lock, that this run still holds the
 * lock and that the serial is the one it last saw: a stale writer is refused, never merged in.
 * Times are the server's, so clocks of different runners do not matter.
 */
public final class PostgresStateStore implements StateStore {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() { };
    private static final TypeReference<List<String>> LIST = new TypeReference<>() { };

    /** How long a lock lasts unless its holder renews it (every third of it). */
    public static final Duration LEASE = Duration.ofSeconds(60);

    private final PostgresUrl url;
    private final String workspace;
    private final Duration lease;
    private final String s;   // the schema, quoted, with a dot: "flyform".
    private Connection db;
    private String heldLockId;
    /** The serial this run last read or wrote: a write finding another is refused. */
    private long knownSerial = -1;

    private PostgresStateStore(PostgresUrl url, String workspace, Duration lease) {
        this.url = url;
        this.workspace = workspace;
        this.lease = lease;
        this.s = "\"" + url.schema() + "\".";
    }

    /** Connects, creating or migrating flyform's schema, and the workspace's header row. */
    public static PostgresStateStore open(PostgresUrl url, String workspace) {
        return open(url, workspace, LEASE);
    }

    /** @param lease how long a lock lasts unrenewed (tests shorten it) */
    public static PostgresStateStore open(PostgresUrl url, String workspace, Duration lease) {
        PostgresStateStore store = new PostgresStateStore(url, workspace, lease);
        store.connect();
        store.migrate();
        return store;
    }

    public String workspace() {
        return workspace;
    }

    private void connect() {
        try {
            db = DriverManager.getConnection(url.jdbcUrl(), url.properties());
            db.setAutoCommit(false);
        } catch (SQLException e) {
            throw new StateDamagedException("cannot connect to the state at " + url + ": " + reason(e));
        }
    }

    /** Runs {@code work} as one transaction, committed; rolled back and reported on failure. */
    private <T> T transaction(String what, Work<T> work) {
        try {
            if (db.isClosed()) {
                connect();
            }
            T result = work.run(db);
            db.commit();
            return result;
        } catch (SQLException | IOException e) {
            rollbackQuietly();
            throw new StateDamagedException("cannot " + what + " the state at " + url + ": " + reason(e));
        } catch (RuntimeException e) {
            rollbackQuietly();
            throw e;
        }
    }

    private interface Work<T> {
        T run(Connection db) throws SQLException, IOException;
    }

    /**
     * flyform's tables, versioned; two runs migrating at once take turns on a transaction-scoped
     * advisory lock (released at commit, so no session needs to outlive the transaction).
     */
    private void migrate() {
        transaction("migrate", c -> {
            try (var st = c.createStatement()) {
                st.execute("SELECT pg_advisory_xact_lock(hashtext('flyform-migrate-' || '" + url.schema() + "'))");
                st.execute("CREATE SCHEMA IF NOT EXISTS \"" + url.schema() + "\"");
                st.execute("CREATE TABLE IF NOT EXISTS " + s + "schema_version (version INT NOT NULL)");
                int version;
                try (ResultSet rs = st.executeQuery("SELECT COALESCE(MAX(version), 0) FROM " + s + "schema_version")) {
                    rs.next();
                    version = rs.getInt(1);
                }
                List<String> migrations = PostgresSchema.migrations(s);
                if (version > migrations.size()) {
                    throw new StateDamagedException("the state at " + url + " has schema version " + version
                            + ", newer than this flyform understands (" + migrations.size() + "); upgrade flyform");
                }
                for (int v = version + 1; v <= migrations.size(); v++) {
                    st.execute(migrations.get(v - 1));
                    st.execute("INSERT INTO " + s + "schema_version (version) VALUES (" + v + ")");
                }
            }
            try (PreparedStatement p = c.prepareStatement("INSERT INTO " + s + "states (workspace, lineage, serial, digest_key) "
                    + "VALUES (?, ?, 0, ?) ON CONFLICT (workspace) DO NOTHING")) {
                p.setString(1, workspace);
                p.setString(2, UUID.randomUUID().toString());
                p.setString(3, SecretDigest.newKey());
                p.executeUpdate();
            }
            try (PreparedStatement p = c.prepareStatement("INSERT INTO " + s + "locks (workspace) VALUES (?) ON CONFLICT DO NOTHING")) {
                p.setString(1, workspace);
                p.executeUpdate();
            }
            return null;
        });
    }

    @Override
    public synchronized State read() {
        return transaction("read", c -> {
            String lineage;
            long serial;
            String target;
            String digestKey;
            try (PreparedStatement p = c.prepareStatement("SELECT lineage, serial, target, digest_key FROM " + s + "states WHERE workspace = ?")) {
                p.setString(1, workspace);
                try (ResultSet rs = p.executeQuery()) {
                    if (!rs.next()) {
                        throw new StateDamagedException("the state at " + url + " has no workspace " + workspace);
                    }
                    lineage = rs.getString(1);
                    serial = rs.getLong(2);
                    target = rs.getString(3);
                    digestKey = rs.getString(4);
                }
            }
            Map<ResourceAddress, ResourceState> resources = new TreeMap<>();
            try (PreparedStatement p = c.prepareStatement(
                    "SELECT address, remote_id, attributes, dependencies, protected_by FROM " + s + "resources WHERE workspace = ?")) {
                p.setString(1, workspace);
                try (ResultSet rs = p.executeQuery()) {
                    while (rs.next()) {
                        ResourceAddress address = ResourceAddress.parse(rs.getString(1));
                        Map<String, Object> attrs = JSON.readValue(rs.getString(3), MAP);
                        Set<ResourceAddress> deps = JSON.readValue(rs.getString(4), LIST).stream()
                                .map(ResourceAddress::parse).collect(Collectors.toSet());
                        resources.put(address, new ResourceState(address, rs.getString(2), attrs, deps, rs.getString(5)));
                    }
                }
            }
            knownSerial = serial;
            return new State(lineage, serial, target, resources, digestKey);
        });
    }

    /**
     * A write of this run: in one transaction with the lock row locked, refused when another
     * run holds the lock (or this run's lease ran out), or when the serial moved since this run
     * last saw it; then the serial is bumped when {@code bumps}.
     */
    private void write(String what, boolean bumps, Work<Void> work) {
        transaction(what, c -> {
            if (heldLockId != null) {
                try (PreparedStatement p = c.prepareStatement("SELECT lock_id, expires_at > now() FROM " + s
                        + "locks WHERE workspace = ? FOR UPDATE")) {
                    p.setString(1, workspace);
                    try (ResultSet rs = p.executeQuery()) {
                        rs.next();
                        if (!heldLockId.equals(rs.getString(1))) {
                            throw new StateLockLostException(url.toString(), rs.getString(1) == null
                                    ? "the lock was released by someone else" : "another run took it over");
                        }
                        if (!rs.getBoolean(2)) {
                            throw new StateLockLostException(url.toString(), "its lease ran out without being renewed");
                        }
                    }
                }
            }
            long serial;
            try (PreparedStatement p = c.prepareStatement("SELECT serial FROM " + s + "states WHERE workspace = ? FOR UPDATE")) {
                p.setString(1, workspace);
                try (ResultSet rs = p.executeQuery()) {
                    rs.next();
                    serial = rs.getLong(1);
                }
            }
            if (knownSerial >= 0 && serial != knownSerial) {
                throw new StaleStateException(url.toString(), workspace, knownSerial, serial);
            }
            work.run(c);
            if (bumps) {
                bump(c);
            } else {
                knownSerial = serial;
            }
            return null;
        });
    }

    private void bump(Connection c) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("UPDATE " + s + "states SET serial = serial + 1 WHERE workspace = ? RETURNING serial")) {
            p.setString(1, workspace);
            try (ResultSet rs = p.executeQuery()) {
                rs.next();
                knownSerial = rs.getLong(1);
            }
        }
    }

    private void history(Connection c, ResourceAddress address, String change, String resource) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("INSERT INTO " + s + "history (workspace, serial, changed_at, address, change, resource) "
                + "SELECT workspace, serial + 1, now(), ?, ?, ? FROM " + s + "states WHERE workspace = ?")) {
            p.setString(1, address.toString());
            p.setString(2, change);
            p.setString(3, resource);
            p.setString(4, workspace);
            p.executeUpdate();
        }
    }

    @Override
    public synchronized void bindTarget(String target) {
        State state = read();
        if (state.target() != null && !state.target().equals(target)) {
            throw new StateTargetMismatchException(state.target(), target);
        }
        if (state.target() == null) {
            write("bind", false, c -> {
                try (PreparedStatement p = c.prepareStatement("UPDATE " + s + "states SET target = ? WHERE workspace = ?")) {
                    p.setString(1, target);
                    p.setString(2, workspace);
                    p.executeUpdate();
                }
                return null;
            });
        }
    }

    @Override
    public synchronized void put(ResourceState resource) {
        write("write", true, c -> {
            putRow(c, resource);
            return null;
        });
    }

    private void putRow(Connection c, ResourceState resource) throws SQLException, IOException {
        try (PreparedStatement p = c.prepareStatement("INSERT INTO " + s + "resources (workspace, address, type, name, remote_id, "
                + "attributes, dependencies, updated_at, protected_by) VALUES (?, ?, ?, ?, ?, ?, ?, now(), ?) ON CONFLICT (workspace, address) "
                + "DO UPDATE SET remote_id = EXCLUDED.remote_id, attributes = EXCLUDED.attributes, dependencies = EXCLUDED.dependencies, "
                + "updated_at = EXCLUDED.updated_at, protected_by = EXCLUDED.protected_by")) {
            p.setString(1, workspace);
            p.setString(2, resource.address().toString());
            p.setString(3, resource.address().type());
            p.setString(4, resource.address().name());
            p.setString(5, resource.id());
            p.setString(6, JSON.writeValueAsString(resource.attributes()));
            p.setString(7, JSON.writeValueAsString(resource.dependencies().stream().map(Object::toString).toList()));
            p.setString(8, resource.protectedBy());
            p.executeUpdate();
        }
        history(c, resource.address(), "put", JSON.writeValueAsString(Map.of("id", resource.id(), "attributes", resource.attributes())));
    }

    @Override
    public synchronized void remove(ResourceAddress address) {
        write("write", true, c -> {
            try (PreparedStatement p = c.prepareStatement("DELETE FROM " + s + "resources WHERE workspace = ? AND address = ?")) {
                p.setString(1, workspace);
                p.setString(2, address.toString());
                p.executeUpdate();
            }
            history(c, address, "remove", null);
            return null;
        });
    }

    @Override
    public synchronized void move(ResourceAddress from, ResourceAddress to) {
        write("write", true, c -> {
            try (PreparedStatement p = c.prepareStatement("UPDATE " + s + "resources SET address = ?, type = ?, name = ? "
                    + "WHERE workspace = ? AND address = ?")) {
                p.setString(1, to.toString());
                p.setString(2, to.type());
                p.setString(3, to.name());
                p.setString(4, workspace);
                p.setString(5, from.toString());
                p.executeUpdate();
            }
            history(c, to, "move", JSON.writeValueAsString(Map.of("from", from.toString())));
            return null;
        });
    }

    @Override
    public synchronized void recordIntent(Intent intent) {
        write("write", false, c -> {
            try (PreparedStatement p = c.prepareStatement("INSERT INTO " + s + "intents (workspace, id, address, started_at, data, planned) "
                    + "VALUES (?, ?, ?, ?, ?, ?)")) {
                p.setString(1, workspace);
                p.setString(2, intent.id());
                p.setString(3, intent.address().toString());
                p.setTimestamp(4, Timestamp.from(intent.startedAt()));
                p.setString(5, JSON.writeValueAsString(intent.data()));
                p.setString(6, JSON.writeValueAsString(intent.planned()));
                p.executeUpdate();
            }
            return null;
        });
    }

    /** The intent is replaced by its result in one transaction: never both, never neither. */
    @Override
    public synchronized void completeIntent(String intentId, ResourceState resource) {
        write("write", true, c -> {
            deleteIntent(c, intentId);
            putRow(c, resource);
            return null;
        });
    }

    @Override
    public synchronized void dropIntent(String intentId) {
        write("write", false, c -> {
            deleteIntent(c, intentId);
            return null;
        });
    }

    private void deleteIntent(Connection c, String intentId) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("DELETE FROM " + s + "intents WHERE workspace = ? AND id = ?")) {
            p.setString(1, workspace);
            p.setString(2, intentId);
            p.executeUpdate();
        }
    }

    @Override
    public synchronized List<Intent> intents() {
        return transaction("read", c -> {
            List<Intent> found = new ArrayList<>();
            try (PreparedStatement p = c.prepareStatement("SELECT id, address, started_at, data, planned FROM " + s
                    + "intents WHERE workspace = ? ORDER BY started_at, id")) {
                p.setString(1, workspace);
                try (ResultSet rs = p.executeQuery()) {
                    while (rs.next()) {
                        found.add(new Intent(rs.getString(1), ResourceAddress.parse(rs.getString(2)), rs.getTimestamp(3).toInstant(),
                                JSON.readValue(rs.getString(4), MAP), JSON.readValue(rs.getString(5), MAP)));
                    }
                }
            }
            return found;
        });
    }

    @Override
    public synchronized List<Outputs.Value> outputs() {
        return transaction("read", c -> {
            List<Outputs.Value> found = new ArrayList<>();
            try (PreparedStatement p = c.prepareStatement("SELECT name, sensitive, output_value FROM " + s
                    + "outputs WHERE workspace = ? ORDER BY position")) {
                p.setString(1, workspace);
                try (ResultSet rs = p.executeQuery()) {
                    while (rs.next()) {
                        boolean sensitive = rs.getBoolean(2);
                        String json = rs.getString(3);
                        found.add(new Outputs.Value(rs.getString(1), sensitive || json == null ? null : JSON.readValue(json, Object.class),
                                sensitive));
                    }
                }
            }
            return found;
        });
    }

    @Override
    public synchronized void recordOutputs(List<Outputs.Value> outputs) {
        write("write", false, c -> {
            try (PreparedStatement p = c.prepareStatement("DELETE FROM " + s + "outputs WHERE workspace = ?")) {
                p.setString(1, workspace);
                p.executeUpdate();
            }
            try (PreparedStatement p = c.prepareStatement("INSERT INTO " + s + "outputs (workspace, name, position, sensitive, "
                    + "output_value, recorded_at) VALUES (?, ?, ?, ?, ?, now())")) {
                int position = 0;
                for (Outputs.Value v : outputs) {
                    p.setString(1, workspace);
                    p.setString(2, v.name());
                    p.setInt(3, position++);
                    p.setBoolean(4, v.sensitive());
                    p.setString(5, v.sensitive() ? null : JSON.writeValueAsString(v.value()));
                    p.executeUpdate();
                }
            }
            return null;
        });
    }

    @Override
    public synchronized void recordRun(String summary) {
        write("write", false, c -> {
            try (PreparedStatement p = c.prepareStatement("INSERT INTO " + s + "runs (workspace, serial, at, user_name, host, summary) "
                    + "SELECT workspace, serial, now(), ?, ?, ? FROM " + s + "states WHERE workspace = ?")) {
                p.setString(1, System.getProperty("user.name", "?"));
                p.setString(2, hostName());
                p.setString(3, summary);
                p.setString(4, workspace);
                p.executeUpdate();
            }
            return null;
        });
    }

    @Override
    public synchronized List<RunRecord> runs() {
        return transaction("read", c -> {
            List<RunRecord> found = new ArrayList<>();
            try (PreparedStatement p = c.prepareStatement("SELECT serial, at, user_name, host, summary FROM " + s
                    + "runs WHERE workspace = ? ORDER BY id")) {
                p.setString(1, workspace);
                try (ResultSet rs = p.executeQuery()) {
                    while (rs.next()) {
                        found.add(new RunRecord(rs.getLong(1), rs.getTimestamp(2).toInstant(), rs.getString(3), rs.getString(4),
                                rs.getString(5)));
                    }
                }
            }
            return found;
        });
    }

    /**
     * Takes this workspace's lock row: free, or held past its lease (taken over, and said so).
     * Other workspaces' rows are never touched, so two workspaces never block each other.
     */
    @Override
    public synchronized StateLock lock(String operation) {
        String lockId = UUID.randomUUID().toString();
        String user = System.getProperty("user.name", "?");
        long pid = ProcessHandle.current().pid();
        String[] result = transaction("lock", c -> {
            String tookOverFrom = null;
            String since;
            try (PreparedStatement p = c.prepareStatement("SELECT holder, expires_at > now(), host, pid FROM " + s
                    + "locks WHERE workspace = ? FOR UPDATE")) {
                p.setString(1, workspace);
                try (ResultSet rs = p.executeQuery()) {
                    rs.next();
                    String holder = rs.getString(1);
                    // Free: nobody's, past its lease, or held by a process of this machine that is gone.
                    boolean deadHere = dev.flyform.state.h2.H2StateStore.hostIdentity().equals(rs.getString(3))
                            && ProcessHandle.of(rs.getLong(4)).map(h -> !h.isAlive()).orElse(true);
                    if (holder != null && rs.getBoolean(2) && !deadHere) {
                        throw new StateLockedException(url + " (workspace " + workspace + ")", holder);
                    }
                    tookOverFrom = holder;
                }
            }
            try (PreparedStatement p = c.prepareStatement("UPDATE " + s + "locks SET holder = ?, command = ?, user_name = ?, host = ?, "
                    + "pid = ?, lock_id = ?, acquired_at = now(), expires_at = now() + ? * interval '1 millisecond' "
                    + "WHERE workspace = ? RETURNING to_char(acquired_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')")) {
                p.setString(1, "pending");
                p.setString(2, operation);
                p.setString(3, user);
                p.setString(4, dev.flyform.state.h2.H2StateStore.hostIdentity());
                p.setLong(5, pid);
                p.setString(6, lockId);
                p.setLong(7, lease.toMillis());
                p.setString(8, workspace);
                try (ResultSet rs = p.executeQuery()) {
                    rs.next();
                    since = rs.getString(1);
                }
            }
            String holder = operation + " by " + user + "@" + hostName() + " (pid " + pid + ") since " + since + ", lock id " + lockId;
            try (PreparedStatement p = c.prepareStatement("UPDATE " + s + "locks SET holder = ? WHERE workspace = ?")) {
                p.setString(1, holder);
                p.setString(2, workspace);
                p.executeUpdate();
            }
            return new String[] {holder, tookOverFrom};
        });
        heldLockId = lockId;
        return new Lease(result[0], lockId, result[1]);
    }

    /** The workspaces the state at {@code url} holds, in name order (none when flyform's schema is not there yet). */
    public static List<String> workspaces(PostgresUrl url) {
        try (Connection c = DriverManager.getConnection(url.jdbcUrl(), url.properties())) {
            try (PreparedStatement p = c.prepareStatement("SELECT workspace FROM \"" + url.schema() + "\".states ORDER BY workspace")) {
                List<String> names = new ArrayList<>();
                try (ResultSet rs = p.executeQuery()) {
                    while (rs.next()) {
                        names.add(rs.getString(1));
                    }
                }
                return names;
            } catch (SQLException e) {
                return List.of();   // no schema yet: no workspace
            }
        } catch (SQLException e) {
            throw new StateDamagedException("cannot connect to the state at " + url + ": " + reason(e));
        }
    }

    /**
     * Deletes this workspace, refused while it holds objects or unfinished creates (destroy them,
     * or `state rm` them, first) or while another run holds its lock.
     */
    public synchronized void deleteWorkspace() {
        transaction("delete a workspace of", c -> {
            try (PreparedStatement p = c.prepareStatement("SELECT holder, expires_at > now() FROM " + s + "locks WHERE workspace = ? FOR UPDATE")) {
                p.setString(1, workspace);
                try (ResultSet rs = p.executeQuery()) {
                    if (rs.next() && rs.getString(1) != null && rs.getBoolean(2)) {
                        throw new StateLockedException(url + " (workspace " + workspace + ")", rs.getString(1));
                    }
                }
            }
            for (String table : List.of("resources", "intents")) {
                try (PreparedStatement p = c.prepareStatement("SELECT count(*) FROM " + s + table + " WHERE workspace = ?")) {
                    p.setString(1, workspace);
                    try (ResultSet rs = p.executeQuery()) {
                        rs.next();
                        if (rs.getLong(1) > 0) {
                            throw new IllegalStateException("workspace " + workspace + " still holds " + rs.getLong(1)
                                    + (table.equals("resources") ? " object(s)" : " unfinished create(s)"));
                        }
                    }
                }
            }
            for (String table : List.of("outputs", "runs", "history", "locks", "states")) {
                try (PreparedStatement p = c.prepareStatement("DELETE FROM " + s + table + " WHERE workspace = ?")) {
                    p.setString(1, workspace);
                    p.executeUpdate();
                }
            }
            return null;
        });
    }

    @Override
    public synchronized dev.flyform.engine.state.StateSnapshot snapshot() {
        List<dev.flyform.engine.state.StateSnapshot.Change> history = transaction("read", c -> {
            List<dev.flyform.engine.state.StateSnapshot.Change> found = new ArrayList<>();
            try (PreparedStatement p = c.prepareStatement("SELECT serial, changed_at, address, change, resource FROM " + s
                    + "history WHERE workspace = ? ORDER BY serial")) {
                p.setString(1, workspace);
                try (ResultSet rs = p.executeQuery()) {
                    while (rs.next()) {
                        found.add(new dev.flyform.engine.state.StateSnapshot.Change(rs.getLong(1), rs.getTimestamp(2).toInstant(),
                                rs.getString(3), rs.getString(4), rs.getString(5)));
                    }
                }
            }
            return found;
        });
        return new dev.flyform.engine.state.StateSnapshot(read(), outputs(), history, runs(), intents());
    }

    @Override
    public synchronized void load(dev.flyform.engine.state.StateSnapshot snapshot) {
        transaction("write", c -> {
            try (PreparedStatement p = c.prepareStatement("SELECT serial, (SELECT count(*) FROM " + s + "history h WHERE h.workspace = st.workspace) "
                    + "+ (SELECT count(*) FROM " + s + "resources r WHERE r.workspace = st.workspace) FROM " + s + "states st WHERE workspace = ? FOR UPDATE")) {
                p.setString(1, workspace);
                try (ResultSet rs = p.executeQuery()) {
                    rs.next();
                    if (rs.getLong(1) != 0 || rs.getLong(2) != 0) {
                        throw new IllegalStateException("the state at " + url + " (workspace " + workspace + ") is not empty");
                    }
                }
            }
            State state = snapshot.state();
            try (PreparedStatement p = c.prepareStatement("UPDATE " + s + "states SET lineage = ?, serial = ?, target = ?, digest_key = ? WHERE workspace = ?")) {
                p.setString(1, state.lineage());
                p.setLong(2, state.serial());
                p.setString(3, state.target());
                p.setString(4, state.digestKey());
                p.setString(5, workspace);
                p.executeUpdate();
            }
            new dev.flyform.state.SnapshotRows(c, s, workspace).insert(snapshot);
            knownSerial = state.serial();
            return null;
        });
    }

    /** Stops renewing {@code lock}, leaving its row: what a run killed while holding it leaves behind. */
    void stopRenewing(StateLock lock) {
        ((Lease) lock).stopRenewing();
    }

    @Override
    public synchronized Optional<String> lockHolder() {
        return transaction("read", c -> {
            try (PreparedStatement p = c.prepareStatement("SELECT holder FROM " + s + "locks WHERE workspace = ? AND expires_at > now()")) {
                p.setString(1, workspace);
                try (ResultSet rs = p.executeQuery()) {
                    return rs.next() ? Optional.ofNullable(rs.getString(1)) : Optional.<String>empty();
                }
            }
        });
    }

    /** Releases the lock with this id; a lock still within its lease is another run's to release, unless it is gone. */
    @Override
    public synchronized void forceUnlock(String lockId) {
        transaction("unlock", c -> {
            try (PreparedStatement p = c.prepareStatement("UPDATE " + s + "locks SET holder = NULL, command = NULL, user_name = NULL, "
                    + "host = NULL, pid = NULL, lock_id = NULL, acquired_at = NULL, expires_at = NULL WHERE workspace = ? AND lock_id = ?")) {
                p.setString(1, workspace);
                p.setString(2, lockId);
                if (p.executeUpdate() == 0) {
                    throw new IllegalArgumentException("the state's lock does not have id " + lockId);
                }
            }
            return null;
        });
    }

    @Override
    public synchronized void close() {
        try {
            if (db != null) {
                db.close();
            }
        } catch (SQLException ignored) {
            // closing what is gone
        }
    }

    private void rollbackQuietly() {
        try {
            if (db != null && !db.isClosed()) {
                db.rollback();
            }
        } catch (SQLException ignored) {
            // the transaction is gone with its connection
        }
    }

    /** The driver's message, which names no password (the URL it was given has none). */
    private static String reason(Exception e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().lines().findFirst().orElse("");
        return m;
    }

    private static String hostName() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "?";
        }
    }

    /** The held lock, renewed until it is closed. */
    private final class Lease extends dev.flyform.state.RenewedLock {

        Lease(String holder, String lockId, String tookOverFrom) {
            super(holder, lockId, tookOverFrom, lease, PostgresStateStore.this);
        }

        @Override
        protected void renew() {
            try {
                transaction("renew the lock of", c -> {
                    try (PreparedStatement p = c.prepareStatement("UPDATE " + s + "locks SET expires_at = now() + ? * "
                            + "interval '1 millisecond' WHERE workspace = ? AND lock_id = ?")) {
                        p.setLong(1, lease.toMillis());
                        p.setString(2, workspace);
                        p.setString(3, id());
                        p.executeUpdate();
                    }
                    return null;
                });
            } catch (RuntimeException ignored) {
                // not renewed this time: the next write says whether the lock is still ours
            }
        }

        @Override
        protected void release() {
            if (id().equals(heldLockId)) {
                heldLockId = null;
            }
            try {
                transaction("unlock", c -> {
                    try (PreparedStatement p = c.prepareStatement("UPDATE " + s + "locks SET holder = NULL, command = NULL, "
                            + "user_name = NULL, host = NULL, pid = NULL, lock_id = NULL, acquired_at = NULL, expires_at = NULL "
                            + "WHERE workspace = ? AND lock_id = ?")) {
                        p.setString(1, workspace);
                        p.setString(2, id());
                        p.executeUpdate();
                    }
                    return null;
                });
            } catch (RuntimeException ignored) {
                // unreleased, it expires with its lease
            }
        }
    }
}
