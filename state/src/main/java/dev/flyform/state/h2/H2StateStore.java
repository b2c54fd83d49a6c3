package dev.flyform.state.h2;

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

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * State in an H2 database: by default the file {@code .flyform/state.mv.db}, readable by its
 * owner only. Every write is one transaction that also bumps the serial and appends to the
 * history. The lock is a lease row: a holder that died (on this host) or stopped renewing
 * cannot keep it.
 */
public final class H2StateStore implements StateStore {

    /** How long a lock lasts without renewal; the holder renews it while it runs. */
    static final Duration LEASE = Duration.ofSeconds(60);

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() { };
    private static final TypeReference<List<String>> LIST = new TypeReference<>() { };

    private final Connection db;
    private final String where;

    /** The state file, when this store is one (not a JDBC URL): its backup, serial and holder are kept beside it. */
    private final Path file;

    private H2StateStore(Connection db, String where) {
        this.db = db;
        this.where = where;
        Path asPath = Path.of(where);
        this.file = asPath.getFileName() != null && asPath.getFileName().toString().equals("state.mv.db") ? asPath : null;
    }

    /** Opens (creating if needed) {@code dir/state.mv.db}, with the directory 0700 and the file 0600. */
    public static H2StateStore openDirectory(Path dir) {
        return open(connectDirectory(dir), dir.resolve("state.mv.db").toString());
    }

    /**
     * The first half of {@link #openDirectory}: makes the file (owner only) and connects to it,
     * reading nothing and migrating nothing; {@link #open(Connection, String)} is the second half.
     * The command line starts it on another thread while the configuration loads.
     */
    public static Connection connectDirectory(Path dir) {
        Path file = dir.resolve("state.mv.db");
        boolean existed;
        try {
            if (!Files.isDirectory(dir)) {
                Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            }
            existed = Files.exists(file);
            // H2 takes an empty file for a new database: a state emptied by accident would start over.
            // Unless no run ever finished with it: then another run is making it right now, or one
            // was stopped before it wrote anything, and there is nothing to lose.
            if (existed && Files.size(file) == 0 && recordedSerial(dir) >= 0) {
                throw damaged(dir, "the state file " + file + " is empty");
            }
        } catch (IOException e) {
            throw new StateDamagedException("cannot create the state file " + file + ": " + e.getMessage());
        }
        String base = dir.toAbsolutePath().resolve("state").toString();
        if (existed) {
            checkReadable(base, file, dir);
        }
        // WRITE_DELAY=0: a commit reaches the file before it returns, so an intent survives the
        // process being killed right after (H2 otherwise writes up to half a second later).
        // FILE_LOCK=FS: one process at a time has the file, by an OS lock that its death releases at
        // once; no server and no TCP port (H2's AUTO_SERVER mode listened on every interface).
        Connection db = connect("jdbc:h2:file:" + base + ";" + FILE_MODE + ";WRITE_DELAY=0;MAX_COMPACT_TIME=50", file.toString(), dir);
        try {
            // Owner only (the directory is already); an existing state is made so again.
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (IOException e) {
            closeQuietly(db);
            throw new StateDamagedException("cannot protect the state file " + file + ": " + e.getMessage());
        }
        return db;
    }

    /**
     * Opens an existing state read-only first: H2 repairs a damaged file it can partly read by
     * rolling it back and writing over it, which would lose what is left. A state that cannot be
     * read, or that reads as an empty database, is refused with the file as it was.
     */
    private static void checkReadable(String base, Path file, Path dir) {
        Connection db;
        try {
            db = DriverManager.getConnection("jdbc:h2:file:" + base + ";ACCESS_MODE_DATA=r;" + FILE_MODE, "flyform", "");
        } catch (SQLException e) {
            if (e.getErrorCode() == org.h2.api.ErrorCode.DATABASE_ALREADY_OPEN_1) {
                return;   // another run has it open, so it was read when that run opened it
            }
            throw damaged(dir, "cannot open the state at " + file + ": it cannot be read (" + reason(e) + ")");
        }
        try {
            long recorded = recordedSerial(dir);
            if (!holdsState(db)) {
                if (recorded < 0) {
                    return;   // no run ever finished with it (a first run was stopped at once): nothing to lose
                }
                throw damaged(dir, "the state file " + file + " holds no flyform state (H2 reads it as an empty database)");
            }
            try (Statement s = db.createStatement(); ResultSet rs = s.executeQuery("SELECT serial FROM meta WHERE id = 1")) {
                long serial = rs.next() ? rs.getLong(1) : -1;
                if (serial < recorded) {
                    throw damaged(dir, "the state file " + file + " reads as serial " + serial + ", older than the serial "
                            + recorded + " it had when its last run ended: part of it cannot be read");
                }
            } catch (SQLException e) {
                if (recorded < 0) {
                    return;   // no run ever finished with it: another run is making its tables right now
                }
                throw damaged(dir, "cannot read the state at " + file + ": " + reason(e));
            }
        } finally {
            closeQuietly(db);
        }
    }

    /** Whether the database has flyform's tables. */
    private static boolean holdsState(Connection db) {
        try (Statement s = db.createStatement(); ResultSet rs = s.executeQuery(
                "SELECT COUNT(*) FROM INFORMATION_SCHEMA.TABLES WHERE TABLE_NAME = 'SCHEMA_VERSION'")) {
            rs.next();
            return rs.getInt(1) > 0;
        } catch (SQLException e) {
            return false;
        }
    }

    private static void closeQuietly(Connection db) {
        try {
            db.close();
        } catch (SQLException ignored) {
            // closing is all that is left to do
        }
    }

    /** The serial recorded beside the state when its last run ended; -1 when none was. */
    private static long recordedSerial(Path dir) {
        try {
            return Long.parseLong(Files.readString(dir.resolve(SERIAL)).strip());
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
    }

    /** Where the state as it was before the last run that changed it is kept. */
    public static final String BACKUP = "state.backup.zip";

    /** A state that cannot be read completely: refused, naming it, with what to do. */
    private static StateDamagedException damaged(Path dir, String what) {
        Path backup = dir.resolve(BACKUP);
        return new StateDamagedException(what + ". flyform leaves it as it is."
                + (Files.exists(backup) ? "\nThe state as it was before the last run that changed it is kept in " + backup
                + ": restore it with `flyform state restore`," : "\nRestore it from a backup,")
                + " or move the damaged file away to start over (the next plan then adopts what exists on Fly).");
    }

    /**
     * Puts the backup in the damaged state's place ({@code flyform state restore}), keeping the
     * damaged file beside it.
     *
     * @return where the damaged file was moved, or null when there was none
     */
    public static Path restoreBackup(Path dir) {
        Path backup = dir.resolve(BACKUP);
        Path file = dir.resolve("state.mv.db");
        if (!Files.isRegularFile(backup)) {
            throw new StateDamagedException("there is no backup of the state at " + backup
                    + " (one is kept once a run has changed the state)");
        }
        Path aside = null;
        try {
            if (Files.exists(file)) {
                aside = dir.resolve("state.mv.db.damaged-" + Instant.now().getEpochSecond());
                Files.move(file, aside);
            }
            try (java.util.zip.ZipInputStream zip = new java.util.zip.ZipInputStream(Files.newInputStream(backup))) {
                for (java.util.zip.ZipEntry e = zip.getNextEntry(); e != null; e = zip.getNextEntry()) {
                    if (Path.of(e.getName()).getFileName().toString().equals("state.mv.db")) {
                        Files.copy(zip, file, StandardCopyOption.REPLACE_EXISTING);
                    }
                }
            }
            if (!Files.isRegularFile(file)) {
                throw new StateDamagedException("the backup at " + backup + " holds no state.mv.db");
            }
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            // The restored state is older than the serial recorded for the damaged one, by design.
            Files.deleteIfExists(dir.resolve(SERIAL));
            // The copy was taken by a run holding the lock, which has ended since.
            try (Connection db = DriverManager.getConnection("jdbc:h2:file:" + dir.toAbsolutePath().resolve("state")
                    + ";" + FILE_MODE, "flyform", ""); Statement s = db.createStatement()) {
                s.executeUpdate("UPDATE locks SET holder = NULL, host = NULL, pid = NULL, acquired_at = NULL, "
                        + "expires_at = NULL, lock_id = NULL WHERE id = 1");
            }
            return aside;
        } catch (SQLException e) {
            throw new StateDamagedException("cannot restore the state from " + backup + ": " + reason(e));
        } catch (IOException e) {
            throw new StateDamagedException("cannot restore the state from " + backup + ": " + e.getMessage());
        }
    }

    /** Opens the store at a JDBC URL (the {@code -state} option). */
    public static H2StateStore open(String jdbcUrl, String where) {
        try {
            return open(DriverManager.getConnection(jdbcUrl, "flyform", ""), where);
        } catch (SQLException e) {
            throw new StateDamagedException("cannot open the state at " + where + ": " + reason(e));
        }
    }

    private static Connection connect(String jdbcUrl, String where, Path dir) {
        try {
            return DriverManager.getConnection(jdbcUrl, "flyform", "");
        } catch (SQLException e) {
            if (e.getErrorCode() == org.h2.api.ErrorCode.DATABASE_ALREADY_OPEN_1) {
                throw new StateLockedException(where, holderOf(dir));
            }
            throw damaged(dir, "cannot open the state at " + where + ": " + reason(e));
        }
    }

    /** How flyform opens a state file; tests that look into one open it the same way. */
    public static final String FILE_MODE = "FILE_LOCK=FS";

    /** Beside the state, who holds its lock (read by a run that finds the file in use). */
    private static final String HOLDER = "state.lock.info";

    private static String holderOf(Path dir) {
        try {
            return Files.readString(dir.resolve(HOLDER)).strip();
        } catch (IOException e) {
            return "another flyform run, which has the state file open (it is starting or finishing)";
        }
    }

    /** Opens the store on a connection to it, bringing its schema up to date. */
    public static H2StateStore open(Connection connection, String where) {
        H2StateStore store = new H2StateStore(connection, where);
        // Two runs may open a new state at once; DDL commits as it goes in H2, so the one that
        // loses the race (whatever error it meets) looks again at how far the other got.
        for (int attempt = 1; ; attempt++) {
            try {
                synchronized (monitor(where)) {   // runs of one JVM migrate one at a time (see lock)
                    store.migrate();
                    store.probe();
                }
                return store;
            } catch (StateDamagedException e) {
                if (attempt >= 10 || e.getMessage().contains("newer than this flyform")) {
                    store.close();
                    throw e;
                }
                try {
                    Thread.sleep(50L * attempt);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    /** Rolls back the transaction the failed write was in, and says which state could not be written. */
    private UncheckedIOException writeFailed(Exception e) {
        rollbackQuietly();
        return new UncheckedIOException(new IOException("cannot write the state at " + where + ": " + reason(e)));
    }

    /**
     * What went wrong, in words a user can act on: H2's own messages ("IO Exception", codes such
     * as [90030-252]) mean nothing outside H2.
     */
    static String reason(Exception e) {
        if (e instanceof SQLException sql) {
            switch (sql.getErrorCode()) {
                case org.h2.api.ErrorCode.FILE_CORRUPTED_1:
                    return "its contents are damaged";
                case org.h2.api.ErrorCode.IO_EXCEPTION_1, org.h2.api.ErrorCode.IO_EXCEPTION_2:
                    return "it is not a database file flyform can read, or the disk refused the read or write";
                case org.h2.api.ErrorCode.FILE_VERSION_ERROR_1:
                    return "it was written in a database format this flyform cannot read";
                case org.h2.api.ErrorCode.CONNECTION_BROKEN_1, org.h2.api.ErrorCode.DATABASE_IS_CLOSED:
                    return "the file was closed under flyform (deleted, moved, or its disk went away)";
                case org.h2.api.ErrorCode.TABLE_OR_VIEW_NOT_FOUND_1, org.h2.api.ErrorCode.TABLE_OR_VIEW_NOT_FOUND_WITH_CANDIDATES_2,
                        org.h2.api.ErrorCode.COLUMN_NOT_FOUND_1:
                    return "it lacks part of a flyform state (a table or column is missing)";
                case org.h2.api.ErrorCode.FILE_NOT_FOUND_1:
                    return "the file is gone";
                default:
                    break;
            }
        }
        return firstLine(e.getMessage()).replaceAll(" ?\\[\\d+-\\d+]$", "");
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unknown error";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }

    /**
     * The header can be read: a run that found the schema made by another run at the same
     * moment may not see the other's tables yet, and looks again.
     */
    private void probe() {
        try (Statement s = db.createStatement(); ResultSet rs = s.executeQuery("SELECT serial FROM meta WHERE id = 1")) {
            if (!rs.next()) {
                throw new StateDamagedException("the state at " + where + " has no header row");
            }
            db.commit();
        } catch (SQLException e) {
            rollbackQuietly();
            throw new StateDamagedException("cannot read the state at " + where + ": " + reason(e));
        }
    }

    private void migrate() {
        try (Statement s = db.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS schema_version (version INT NOT NULL)");
            int version;
            try (ResultSet rs = s.executeQuery("SELECT MAX(version) FROM schema_version")) {
                rs.next();
                version = rs.getInt(1);
            }
            if (version > Schema.latest()) {
                throw new StateDamagedException("the state at " + where + " has schema version " + version
                        + ", newer than this flyform understands (" + Schema.latest() + "); upgrade flyform");
            }
            db.setAutoCommit(false);
            for (int v = version + 1; v <= Schema.latest(); v++) {
                for (String sql : Schema.MIGRATIONS.get(v - 1).split(";")) {
                    if (!sql.isBlank()) {
                        s.execute(sql);
                    }
                }
                if (v == 1) {
                    try (PreparedStatement p = db.prepareStatement("INSERT INTO meta (id, lineage, serial) VALUES (1, ?, 0)")) {
                        p.setString(1, UUID.randomUUID().toString());
                        p.executeUpdate();
                    }
                }
                s.execute("INSERT INTO schema_version (version) VALUES (" + v + ")");
            }
            try (PreparedStatement p = db.prepareStatement("UPDATE meta SET digest_key = ? WHERE id = 1 AND digest_key IS NULL")) {
                p.setString(1, SecretDigest.newKey());
                p.executeUpdate();
            }
            db.commit();
        } catch (SQLException e) {
            rollbackQuietly();
            throw new StateDamagedException("the state at " + where + " is not a readable flyform state: " + reason(e));
        }
    }

    @Override
    public synchronized State read() {
        try (Statement s = db.createStatement()) {
            String lineage;
            long serial;
            String target;
            String digestKey;
            try (ResultSet rs = s.executeQuery("SELECT lineage, serial, target, digest_key FROM meta WHERE id = 1")) {
                if (!rs.next()) {
                    throw new StateDamagedException("the state at " + where + " has no header row");
                }
                lineage = rs.getString(1);
                serial = rs.getLong(2);
                target = rs.getString(3);
                digestKey = rs.getString(4);
            }
            Map<ResourceAddress, ResourceState> resources = new TreeMap<>();
            try (ResultSet rs = s.executeQuery("SELECT address, remote_id, attributes, dependencies, protected_by FROM resources")) {
                while (rs.next()) {
                    ResourceAddress address = ResourceAddress.parse(rs.getString(1));
                    Map<String, Object> attrs = JSON.readValue(rs.getString(3), MAP);
                    Set<ResourceAddress> deps = JSON.readValue(rs.getString(4), LIST).stream()
                            .map(ResourceAddress::parse).collect(Collectors.toSet());
                    resources.put(address, new ResourceState(address, rs.getString(2), attrs, deps, rs.getString(5)));
                }
            }
            db.commit();
            return new State(lineage, serial, target, resources, digestKey);
        } catch (SQLException | IOException | IllegalArgumentException e) {
            rollbackQuietly();
            throw new StateDamagedException("cannot read the state at " + where + ": " + reason(e));
        }
    }

    @Override
    public synchronized void bindTarget(String target) {
        ensureLease();
        State state = read();
        if (state.target() != null && !state.target().equals(target)) {
            throw new StateTargetMismatchException(state.target(), target);
        }
        if (state.target() == null) {
            update("UPDATE meta SET target = ? WHERE id = 1", target);
        }
    }

    @Override
    public synchronized void put(ResourceState resource) {
        ensureLease();
        try {
            writeResource(resource);
            db.commit();
        } catch (SQLException | IOException e) {
            throw writeFailed(e);
        }
    }

    /** Stores one resource and its history row; the caller commits. */
    private void writeResource(ResourceState resource) throws SQLException, IOException {
        String attributes = JSON.writeValueAsString(resource.attributes());
        String deps = JSON.writeValueAsString(resource.dependencies().stream().map(Object::toString).toList());
        try (PreparedStatement p = db.prepareStatement(
                "MERGE INTO resources (address, type, name, remote_id, attributes, dependencies, updated_at, protected_by) "
                        + "KEY (address) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
            p.setString(1, resource.address().toString());
            p.setString(2, resource.address().type());
            p.setString(3, resource.address().name());
            p.setString(4, resource.id());
            p.setString(5, attributes);
            p.setString(6, deps);
            p.setObject(7, now());
            p.setString(8, resource.protectedBy());
            p.executeUpdate();
        }
        appendHistory(resource.address(), "put", JSON.writeValueAsString(Map.of(
                "id", resource.id(), "attributes", resource.attributes())));
    }

    @Override
    public synchronized void recordIntent(Intent intent) {
        ensureLease();
        try (PreparedStatement p = db.prepareStatement(
                "INSERT INTO intents (id, address, started_at, data, planned) VALUES (?, ?, ?, ?, ?)")) {
            p.setString(1, intent.id());
            p.setString(2, intent.address().toString());
            p.setObject(3, OffsetDateTime.ofInstant(intent.startedAt(), ZoneOffset.UTC));
            p.setString(4, JSON.writeValueAsString(intent.data()));
            p.setString(5, JSON.writeValueAsString(intent.planned()));
            p.executeUpdate();
            db.commit();
        } catch (SQLException | IOException e) {
            throw writeFailed(e);
        }
    }

    @Override
    public synchronized void completeIntent(String intentId, ResourceState resource) {
        ensureLease();
        try {
            try (PreparedStatement p = db.prepareStatement("DELETE FROM intents WHERE id = ?")) {
                p.setString(1, intentId);
                p.executeUpdate();
            }
            writeResource(resource);
            db.commit();
        } catch (SQLException | IOException e) {
            throw writeFailed(e);
        }
    }

    @Override
    public synchronized void dropIntent(String intentId) {
        ensureLease();
        try (PreparedStatement p = db.prepareStatement("DELETE FROM intents WHERE id = ?")) {
            p.setString(1, intentId);
            p.executeUpdate();
            db.commit();
        } catch (SQLException e) {
            throw writeFailed(e);
        }
    }

    @Override
    public synchronized List<Intent> intents() {
        List<Intent> found = new java.util.ArrayList<>();
        try (Statement s = db.createStatement();
             ResultSet rs = s.executeQuery("SELECT id, address, started_at, data, planned FROM intents ORDER BY started_at, id")) {
            while (rs.next()) {
                found.add(new Intent(rs.getString(1), ResourceAddress.parse(rs.getString(2)),
                        rs.getObject(3, OffsetDateTime.class).toInstant(), JSON.readValue(rs.getString(4), MAP),
                        JSON.readValue(rs.getString(5), MAP)));
            }
            db.commit();
            return found;
        } catch (SQLException | IOException | IllegalArgumentException e) {
            rollbackQuietly();
            throw new StateDamagedException("cannot read the intents in the state at " + where + ": " + reason(e));
        }
    }

    @Override
    public synchronized List<Outputs.Value> outputs() {
        List<Outputs.Value> found = new java.util.ArrayList<>();
        try (Statement s = db.createStatement();
             ResultSet rs = s.executeQuery("SELECT name, sensitive, output_value FROM outputs ORDER BY position")) {
            while (rs.next()) {
                boolean sensitive = rs.getBoolean(2);
                String json = rs.getString(3);
                found.add(new Outputs.Value(rs.getString(1), sensitive || json == null ? null : JSON.readValue(json, Object.class),
                        sensitive));
            }
            db.commit();
            return found;
        } catch (SQLException | IOException e) {
            rollbackQuietly();
            throw new StateDamagedException("cannot read the outputs in the state at " + where + ": " + reason(e));
        }
    }

    @Override
    public synchronized void recordOutputs(List<Outputs.Value> outputs) {
        ensureLease();
        try {
            try (Statement s = db.createStatement()) {
                s.executeUpdate("DELETE FROM outputs");
            }
            try (PreparedStatement p = db.prepareStatement(
                    "INSERT INTO outputs (name, position, sensitive, output_value, recorded_at) VALUES (?, ?, ?, ?, ?)")) {
                int position = 0;
                for (Outputs.Value v : outputs) {
                    p.setString(1, v.name());
                    p.setInt(2, position++);
                    p.setBoolean(3, v.sensitive());
                    p.setString(4, v.sensitive() ? null : JSON.writeValueAsString(v.value()));
                    p.setObject(5, now());
                    p.executeUpdate();
                }
            }
            db.commit();
        } catch (SQLException | IOException e) {
            throw writeFailed(e);
        }
    }

    @Override
    public synchronized void remove(ResourceAddress address) {
        ensureLease();
        try {
            int removed;
            try (PreparedStatement p = db.prepareStatement("DELETE FROM resources WHERE address = ?")) {
                p.setString(1, address.toString());
                removed = p.executeUpdate();
            }
            if (removed > 0) {
                appendHistory(address, "remove", null);
            }
            db.commit();
        } catch (SQLException e) {
            throw writeFailed(e);
        }
    }

    private void appendHistory(ResourceAddress address, String change, String resource) throws SQLException {
        try (Statement s = db.createStatement()) {
            s.executeUpdate("UPDATE meta SET serial = serial + 1 WHERE id = 1");
        }
        try (PreparedStatement p = db.prepareStatement(
                "INSERT INTO history (serial, changed_at, address, change, resource) "
                        + "SELECT serial, ?, ?, ?, ? FROM meta WHERE id = 1")) {
            p.setObject(1, now());
            p.setString(2, address.toString());
            p.setString(3, change);
            p.setString(4, resource);
            p.executeUpdate();
        }
    }

    /** For a run that finds the state file in use: who holds it. Best effort, like the message it feeds. */
    private void writeHolder(String holder) {
        if (file == null) {
            return;
        }
        try {
            Path partial = file.resolveSibling(HOLDER + "." + UUID.randomUUID() + ".partial");
            Files.writeString(partial, holder + "\n");
            Files.move(partial, file.resolveSibling(HOLDER), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException ignored) {
            // the lock itself is in the database; this only names it to others
        }
    }

    /** The id of the lock this store holds now, or null. */
    private String heldLockId;
    /** One monitor per state, for migrating it and taking its lock within this JVM. */
    private static final java.util.concurrent.ConcurrentHashMap<String, Object> MONITORS = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * The monitor of the state at {@code where} (a file, or a JDBC URL). Runs in one JVM (tests, a
     * program embedding flyform) share one H2 database; H2's row locks and DDL alone have let two
     * of them interleave a migration or both take the lock. Runs in separate processes never
     * share the file (FILE_LOCK=FS).
     */
    private static Object monitor(String where) {
        String key = where.startsWith("jdbc:") ? where : Path.of(where).toAbsolutePath().normalize().toString();
        return MONITORS.computeIfAbsent(key, k -> new Object());
    }

    /**
     * Before a write under a lock: the lock must still be this run's and unexpired. A lease that
     * could not be renewed may have been taken over by another run; writing on would mix two
     * runs' changes.
     */
    private void ensureLease() {
        if (heldLockId == null) {
            return;
        }
        try (PreparedStatement p = db.prepareStatement("SELECT lock_id, expires_at FROM locks WHERE id = 1")) {
            try (ResultSet rs = p.executeQuery()) {
                rs.next();
                String current = rs.getString(1);
                OffsetDateTime expires = rs.getObject(2, OffsetDateTime.class);
                db.commit();
                if (!heldLockId.equals(current)) {
                    throw new StateLockLostException(where, current == null ? "the lock was released by someone else"
                            : "another run took it over");
                }
                if (expires == null || expires.isBefore(now())) {
                    throw new StateLockLostException(where, "its lease ran out without being renewed");
                }
            }
        } catch (SQLException e) {
            rollbackQuietly();
            throw new StateLockLostException(where, "the lock could not be read: " + reason(e));
        }
    }

    /** Takes the lock row for {@code holder} by compare-and-set; the holder taken over from, or null. */
    private String acquire(String holder, String host, long pid, String lockId) {
        String tookOverFrom = null;
        try (PreparedStatement select = db.prepareStatement(
                "SELECT holder, host, pid, expires_at, lock_id FROM locks WHERE id = 1 FOR UPDATE")) {
            String seenLockId;
            try (ResultSet rs = select.executeQuery()) {
                rs.next();
                String current = rs.getString(1);
                seenLockId = rs.getString(5);
                if (current != null) {
                    if (!expiredOrDead(rs.getString(2), rs.getLong(3), rs.getObject(4, OffsetDateTime.class))) {
                        db.rollback();
                        throw new StateLockedException(where, current);
                    }
                    tookOverFrom = current;
                }
            }
            // Compare and set: a run that took the lock since this one read it is never overwritten.
            int taken;
            try (PreparedStatement p = db.prepareStatement(
                    "UPDATE locks SET holder = ?, host = ?, pid = ?, acquired_at = ?, expires_at = ?, lock_id = ? "
                            + "WHERE id = 1 AND lock_id IS NOT DISTINCT FROM ?")) {
                p.setString(1, holder);
                p.setString(2, host);
                p.setLong(3, pid);
                p.setObject(4, now());
                p.setObject(5, now().plus(LEASE));
                p.setString(6, lockId);
                p.setString(7, seenLockId);
                taken = p.executeUpdate();
            }
            if (taken == 0) {
                db.rollback();
                throw new StateLockedException(where, lockHolder().orElse("another run, which took it a moment ago"));
            }
            db.commit();
        } catch (SQLException e) {
            rollbackQuietly();
            throw new StateDamagedException("cannot lock the state at " + where + ": " + reason(e));
        }
        return tookOverFrom;
    }

    @Override
    public synchronized StateLock lock(String operation) {
        String host = hostIdentity();
        long pid = ProcessHandle.current().pid();
        String lockId = UUID.randomUUID().toString();
        String holder = operation + " by " + System.getProperty("user.name", "?") + "@" + hostName() + " (pid " + pid
                + ") since " + Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS) + ", lock id " + lockId;
        String tookOverFrom;
        synchronized (monitor(where)) {
            tookOverFrom = acquire(holder, host, pid, lockId);
        }
        LeaseLock lock = new LeaseLock(holder, lockId, tookOverFrom);
        heldLockId = lockId;
        writeHolder(holder);
        if (!operation.equals("plan")) {
            try {
                backUp();   // by the lock's holder alone: one consistent copy, no two runs writing it
            } catch (RuntimeException e) {
                lock.close();
                throw e;
            }
        }
        return lock;
    }

    /**
     * Before a run that may change the state: the state as it is now, kept beside it (like
     * Terraform's terraform.tfstate.backup), so that a state damaged later can be restored.
     * H2's online backup gives a consistent copy while other runs are connected.
     */
    private void backUp() {
        if (file == null) {
            return;   // a store opened by JDBC URL: its database keeps its own backups
        }
        Path backup = file.resolveSibling(BACKUP);
        Path partial = file.resolveSibling(BACKUP + "." + UUID.randomUUID() + ".partial");
        try (Statement s = db.createStatement()) {
            Files.deleteIfExists(partial);
            s.execute("BACKUP TO '" + partial.toAbsolutePath().toString().replace("'", "''") + "'");
            db.commit();
            Files.setPosixFilePermissions(partial, PosixFilePermissions.fromString("rw-------"));
            Files.move(partial, backup, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (SQLException | IOException e) {
            rollbackQuietly();
            throw new StateDamagedException("cannot back up the state at " + where + " to " + backup + ": "
                    + reason(e));
        }
    }

    @Override
    public synchronized dev.flyform.engine.state.StateSnapshot snapshot() {
        List<dev.flyform.engine.state.StateSnapshot.Change> history = new java.util.ArrayList<>();
        try (Statement s = db.createStatement();
             ResultSet rs = s.executeQuery("SELECT serial, changed_at, address, change, resource FROM history ORDER BY serial")) {
            while (rs.next()) {
                history.add(new dev.flyform.engine.state.StateSnapshot.Change(rs.getLong(1), rs.getObject(2, OffsetDateTime.class).toInstant(),
                        rs.getString(3), rs.getString(4), rs.getString(5)));
            }
            db.commit();
        } catch (SQLException e) {
            rollbackQuietly();
            throw new StateDamagedException("cannot read the history of the state at " + where + ": " + reason(e));
        }
        return new dev.flyform.engine.state.StateSnapshot(read(), outputs(), history, runs(), intents());
    }

    @Override
    public synchronized void load(dev.flyform.engine.state.StateSnapshot snapshot) {
        ensureLease();
        State now = read();
        try (Statement s = db.createStatement(); ResultSet rs = s.executeQuery("SELECT count(*) FROM history")) {
            rs.next();
            if (now.serial() != 0 || !now.resources().isEmpty() || rs.getLong(1) != 0) {
                db.rollback();
                throw new IllegalStateException("the state at " + where + " is not empty");
            }
        } catch (SQLException e) {
            throw writeFailed(e);
        }
        State state = snapshot.state();
        try {
            try (PreparedStatement p = db.prepareStatement("UPDATE meta SET lineage = ?, serial = ?, target = ?, digest_key = ? WHERE id = 1")) {
                p.setString(1, state.lineage());
                p.setLong(2, state.serial());
                p.setString(3, state.target());
                p.setString(4, state.digestKey());
                p.executeUpdate();
            }
            new dev.flyform.state.SnapshotRows(db, "", null).insert(snapshot);
            db.commit();
        } catch (SQLException | IOException e) {
            throw writeFailed(e);
        }
    }

    @Override
    public synchronized java.util.Optional<String> lockHolder() {
        try (Statement s = db.createStatement(); ResultSet rs = s.executeQuery("SELECT holder FROM locks WHERE id = 1")) {
            rs.next();
            String holder = rs.getString(1);
            db.commit();
            return java.util.Optional.ofNullable(holder);
        } catch (SQLException e) {
            rollbackQuietly();
            throw new StateDamagedException("cannot read the lock of the state at " + where + ": " + reason(e));
        }
    }

    @Override
    public synchronized void forceUnlock(String lockId) {
        try (PreparedStatement select = db.prepareStatement("SELECT lock_id, host, pid FROM locks WHERE id = 1 FOR UPDATE")) {
            try (ResultSet rs = select.executeQuery()) {
                rs.next();
                if (lockId == null || !lockId.equals(rs.getString(1))) {
                    db.rollback();
                    throw new IllegalArgumentException("the state's lock does not have id " + lockId);
                }
                long pid = rs.getLong(3);
                if (hostIdentity().equals(rs.getString(2)) && ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
                    db.rollback();
                    throw new IllegalStateException("the lock is held by process " + pid + " on this host, which is still "
                            + "running: stop it (Ctrl-C lets it finish its change and release the lock) rather than unlock");
                }
            }
            try (PreparedStatement p = db.prepareStatement(
                    "UPDATE locks SET holder = NULL, host = NULL, pid = NULL, acquired_at = NULL, expires_at = NULL, lock_id = NULL "
                            + "WHERE id = 1")) {
                p.executeUpdate();
            }
            db.commit();
        } catch (SQLException e) {
            rollbackQuietly();
            throw new StateDamagedException("cannot unlock the state at " + where + ": " + reason(e));
        }
    }

    @Override
    public synchronized void move(ResourceAddress from, ResourceAddress to) {
        ensureLease();
        try {
            try (PreparedStatement p = db.prepareStatement(
                    "UPDATE resources SET address = ?, type = ?, name = ? WHERE address = ?")) {
                p.setString(1, to.toString());
                p.setString(2, to.type());
                p.setString(3, to.name());
                p.setString(4, from.toString());
                if (p.executeUpdate() == 0) {
                    db.rollback();
                    return;
                }
            }
            appendHistory(to, "move", JSON.writeValueAsString(Map.of("from", from.toString())));
            db.commit();
        } catch (SQLException | IOException e) {
            throw writeFailed(e);
        }
    }

    @Override
    public synchronized void recordRun(String summary) {
        ensureLease();
        try (PreparedStatement p = db.prepareStatement(
                "INSERT INTO runs (serial, at, user_name, host, summary) SELECT serial, ?, ?, ?, ? FROM meta WHERE id = 1")) {
            p.setObject(1, now());
            p.setString(2, System.getProperty("user.name", "?"));
            p.setString(3, hostName());
            p.setString(4, summary);
            p.executeUpdate();
            db.commit();
        } catch (SQLException e) {
            throw writeFailed(e);
        }
    }

    @Override
    public synchronized List<RunRecord> runs() {
        List<RunRecord> found = new java.util.ArrayList<>();
        try (Statement s = db.createStatement();
             ResultSet rs = s.executeQuery("SELECT serial, at, user_name, host, summary FROM runs ORDER BY id")) {
            while (rs.next()) {
                found.add(new RunRecord(rs.getLong(1), rs.getObject(2, OffsetDateTime.class).toInstant(), rs.getString(3),
                        rs.getString(4), rs.getString(5)));
            }
            db.commit();
            return found;
        } catch (SQLException e) {
            rollbackQuietly();
            throw new StateDamagedException("cannot read the history of the state at " + where + ": " + reason(e));
        }
    }

    private static boolean expiredOrDead(String host, long pid, OffsetDateTime expiresAt) {
        if (expiresAt != null && expiresAt.isBefore(now())) {
            return true;
        }
        // A holder on this machine whose process is gone cannot release the lock; it is free.
        return hostIdentity().equals(host) && ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true);
    }

    /** The held lock, renewed until it is closed. */
    private final class LeaseLock extends dev.flyform.state.RenewedLock {

        LeaseLock(String holder, String lockId, String tookOverFrom) {
            super(holder, lockId, tookOverFrom, LEASE, H2StateStore.this);
        }

        @Override
        protected void renew() {
            try (PreparedStatement p = db.prepareStatement("UPDATE locks SET expires_at = ? WHERE id = 1 AND lock_id = ?")) {
                p.setObject(1, now().plus(LEASE));
                p.setString(2, id());
                p.executeUpdate();
                db.commit();
            } catch (SQLException e) {
                rollbackQuietly();
            }
        }

        @Override
        protected void release() {
            if (id().equals(heldLockId)) {
                heldLockId = null;
                if (file != null) {
                    try {
                        Files.deleteIfExists(file.resolveSibling(HOLDER));
                    } catch (IOException ignored) {
                        // a stale name is only shown to a run that finds the file in use
                    }
                }
            }
            try (PreparedStatement p = db.prepareStatement(
                    "UPDATE locks SET holder = NULL, host = NULL, pid = NULL, acquired_at = NULL, expires_at = NULL, "
                            + "lock_id = NULL WHERE id = 1 AND lock_id = ?")) {
                p.setString(1, id());
                p.executeUpdate();
                db.commit();
            } catch (SQLException e) {
                rollbackQuietly();
            }
        }
    }

    private void update(String sql, String value) {
        try (PreparedStatement p = db.prepareStatement(sql)) {
            p.setString(1, value);
            p.executeUpdate();
            db.commit();
        } catch (SQLException e) {
            throw writeFailed(e);
        }
    }

    private void rollbackQuietly() {
        try {
            db.rollback();
        } catch (SQLException ignored) {
            // The connection is broken; the caller reports the original problem.
        }
    }

    private static OffsetDateTime now() {
        return OffsetDateTime.now(ZoneOffset.UTC);
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "unknown-host";
        }
    }

    private static volatile String hostIdentity;

    /**
     * What tells this machine apart from every other that may share a state, for "a holder on
     * this host whose process is gone": the host name with the machine's id (systemd's
     * machine-id, else one made once and kept in ~/.flyform/host-id). Two machines whose name
     * lookup fails, or that share a name, never take each other's live lock for dead.
     */
    public static String hostIdentity() {
        String known = hostIdentity;
        if (known == null) {
            known = hostName() + " #" + machineId();
            hostIdentity = known;
        }
        return known;
    }

    private static String machineId() {
        for (String candidate : List.of("/etc/machine-id", "/var/lib/dbus/machine-id")) {
            try {
                String id = Files.readString(Path.of(candidate)).strip();
                if (id.length() >= 8) {
                    return id.substring(0, Math.min(32, id.length()));
                }
            } catch (IOException | RuntimeException absent) {
                // try the next one
            }
        }
        Path kept = Path.of(System.getProperty("user.home"), ".flyform", "host-id");
        try {
            if (Files.isRegularFile(kept)) {
                return Files.readString(kept).strip();
            }
            Files.createDirectories(kept.getParent());
            String made = UUID.randomUUID().toString();
            Files.writeString(kept, made + "\n");
            return made;
        } catch (IOException e) {
            // Nowhere to keep one: an id for this process alone never matches another machine's.
            return "process-" + UUID.randomUUID();
        }
    }

    @Override
    public synchronized void close() {
        recordSerial();
        try {
            db.close();
        } catch (SQLException ignored) {
            // Closing is best effort; every write was already committed.
        }
    }

    /**
     * Beside a state file, the serial it had when its last run ended: a state that later reads
     * with a lower serial was rolled back by H2 over a damaged file, and is refused.
     */
    private void recordSerial() {
        if (file == null) {
            return;
        }
        try (Statement s = db.createStatement(); ResultSet rs = s.executeQuery("SELECT serial FROM meta WHERE id = 1")) {
            if (rs.next()) {
                Path partial = file.resolveSibling(SERIAL + ".partial");
                Files.writeString(partial, rs.getLong(1) + "\n");
                Files.move(partial, file.resolveSibling(SERIAL), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            }
            db.commit();
        } catch (SQLException | IOException e) {
            // Only a later check is weaker for it; the state itself is as it was.
        }
    }

    private static final String SERIAL = "state.serial";
}
