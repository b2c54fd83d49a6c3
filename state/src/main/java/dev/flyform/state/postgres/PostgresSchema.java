package dev.flyform.state.postgres;

import java.util.List;

/**
 * flyform's tables in PostgreSQL, one migration per version, each run in the transaction that
 * records it. Every table is keyed by workspace. Never edit a released migration: add the next.
 */
final class PostgresSchema {

    private PostgresSchema() {
    }

    /** @param s the schema, quoted, with a trailing dot */
    static List<String> migrations(String s) {
        return List.of(
                // version 1
                """
                CREATE TABLE %1$sstates (
                    workspace TEXT PRIMARY KEY,
                    lineage TEXT NOT NULL,
                    serial BIGINT NOT NULL,
                    target TEXT,
                    digest_key TEXT NOT NULL
                );
                CREATE TABLE %1$sresources (
                    workspace TEXT NOT NULL REFERENCES %1$sstates (workspace),
                    address TEXT NOT NULL,
                    type TEXT NOT NULL,
                    name TEXT NOT NULL,
                    remote_id TEXT NOT NULL,
                    attributes TEXT NOT NULL,
                    dependencies TEXT NOT NULL,
                    updated_at TIMESTAMPTZ NOT NULL,
                    PRIMARY KEY (workspace, address)
                );
                CREATE TABLE %1$shistory (
                    workspace TEXT NOT NULL REFERENCES %1$sstates (workspace),
                    serial BIGINT NOT NULL,
                    changed_at TIMESTAMPTZ NOT NULL,
                    address TEXT NOT NULL,
                    change TEXT NOT NULL,
                    resource TEXT,
                    PRIMARY KEY (workspace, serial)
                );
                CREATE TABLE %1$sintents (
                    workspace TEXT NOT NULL REFERENCES %1$sstates (workspace),
                    id TEXT NOT NULL,
                    address TEXT NOT NULL,
                    started_at TIMESTAMPTZ NOT NULL,
                    data TEXT NOT NULL,
                    planned TEXT NOT NULL,
                    PRIMARY KEY (workspace, id)
                );
                CREATE TABLE %1$soutputs (
                    workspace TEXT NOT NULL REFERENCES %1$sstates (workspace),
                    name TEXT NOT NULL,
                    position INT NOT NULL,
                    sensitive BOOLEAN NOT NULL,
                    output_value TEXT,
                    recorded_at TIMESTAMPTZ NOT NULL,
                    PRIMARY KEY (workspace, name)
                );
                CREATE TABLE %1$sruns (
                    id BIGSERIAL PRIMARY KEY,
                    workspace TEXT NOT NULL REFERENCES %1$sstates (workspace),
                    serial BIGINT NOT NULL,
                    at TIMESTAMPTZ NOT NULL,
                    user_name TEXT NOT NULL,
                    host TEXT NOT NULL,
                    summary TEXT NOT NULL
                );
                CREATE TABLE %1$slocks (
                    workspace TEXT PRIMARY KEY,
                    holder TEXT,
                    command TEXT,
                    user_name TEXT,
                    host TEXT,
                    pid BIGINT,
                    lock_id TEXT,
                    acquired_at TIMESTAMPTZ,
                    expires_at TIMESTAMPTZ
                );
                """.formatted(s),
                // version 2: where preventDestroy protects an object, kept after its block is deleted
                "ALTER TABLE " + s + "resources ADD COLUMN protected_by TEXT;");
    }
}
