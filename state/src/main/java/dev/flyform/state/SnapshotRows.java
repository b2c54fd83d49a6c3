package dev.flyform.state;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flyform.engine.config.Outputs;
import dev.flyform.engine.state.Intent;
import dev.flyform.engine.state.ResourceState;
import dev.flyform.engine.state.RunRecord;
import dev.flyform.engine.state.StateSnapshot;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A snapshot's rows written into flyform's tables, which both stores share but for the
 * workspace column PostgreSQL's have: objects, history, runs, outputs and unfinished creates.
 * The caller writes the header row and commits.
 */
public final class SnapshotRows {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Connection c;
    private final String prefix;
    private final String workspace;

    /**
     * @param prefix    before each table's name: a quoted schema and a dot, or nothing
     * @param workspace the value of each row's workspace column; null when the tables have none
     */
    public SnapshotRows(Connection c, String prefix, String workspace) {
        this.c = c;
        this.prefix = prefix;
        this.workspace = workspace;
    }

    public void insert(StateSnapshot snapshot) throws SQLException, IOException {
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        List<List<Object>> rows = new ArrayList<>();
        for (ResourceState r : snapshot.state().resources().values()) {
            rows.add(nullable(r.address().toString(), r.address().type(), r.address().name(), r.id(),
                    JSON.writeValueAsString(r.attributes()), JSON.writeValueAsString(r.dependencies().stream().map(Object::toString).toList()),
                    now, r.protectedBy()));
        }
        insert("resources", List.of("address", "type", "name", "remote_id", "attributes", "dependencies", "updated_at", "protected_by"), rows);
        rows = new ArrayList<>();
        for (StateSnapshot.Change h : snapshot.history()) {
            rows.add(nullable(h.serial(), at(h.at()), h.address(), h.change(), h.resource()));
        }
        insert("history", List.of("serial", "changed_at", "address", "change", "resource"), rows);
        rows = new ArrayList<>();
        for (RunRecord r : snapshot.runs()) {
            rows.add(List.of(r.serial(), at(r.at()), r.user(), r.host(), r.summary()));
        }
        insert("runs", List.of("serial", "at", "user_name", "host", "summary"), rows);
        rows = new ArrayList<>();
        int position = 0;
        for (Outputs.Value v : snapshot.outputs()) {
            rows.add(nullable(v.name(), position++, v.sensitive(), v.sensitive() ? null : JSON.writeValueAsString(v.value()), now));
        }
        insert("outputs", List.of("name", "position", "sensitive", "output_value", "recorded_at"), rows);
        rows = new ArrayList<>();
        for (Intent i : snapshot.intents()) {
            rows.add(List.of(i.id(), i.address().toString(), at(i.startedAt()), JSON.writeValueAsString(i.data()),
                    JSON.writeValueAsString(i.planned())));
        }
        insert("intents", List.of("id", "address", "started_at", "data", "planned"), rows);
    }

    private void insert(String table, List<String> columns, List<List<Object>> rows) throws SQLException {
        List<String> all = new ArrayList<>(columns);
        if (workspace != null) {
            all.add(0, "workspace");
        }
        String sql = "INSERT INTO " + prefix + table + " (" + String.join(", ", all) + ") VALUES ("
                + String.join(", ", Collections.nCopies(all.size(), "?")) + ")";
        try (PreparedStatement p = c.prepareStatement(sql)) {
            for (List<Object> row : rows) {
                int i = 1;
                if (workspace != null) {
                    p.setString(i++, workspace);
                }
                for (Object value : row) {
                    if (value == null) {
                        p.setNull(i++, Types.VARCHAR);
                    } else {
                        p.setObject(i++, value);
                    }
                }
                p.executeUpdate();
            }
        }
    }

    private static OffsetDateTime at(Instant instant) {
        return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }

    private static List<Object> nullable(Object... values) {
        return java.util.Arrays.asList(values);
    }
}
