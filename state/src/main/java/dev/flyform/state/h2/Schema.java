package dev.flyform.state.h2;

import java.util.List;

/**
 * The state schema, one migration per version, applied in order. Never edit a released
 * migration: add the next one.
 */
final class Schema {

    private Schema() {
    }

    static final List<String> MIGRATIONS = List.of(
            // version 1
            """
            CREATE TABLE meta (
                id INT PRIMARY KEY CHECK (id = 1),
                lineage VARCHAR(64) NOT NULL,
                serial BIGINT NOT NULL,
                target VARCHAR(1024)
            );
            CREATE TABLE resources (
                address VARCHAR(512) PRIMARY KEY,
                type VARCHAR(128) NOT NULL,
                name VARCHAR(384) NOT NULL,
                remote_id VARCHAR(512) NOT NULL,
                attributes CHARACTER LARGE OBJECT NOT NULL,
                dependencies CHARACTER LARGE OBJECT NOT NULL,
                updated_at TIMESTAMP WITH TIME ZONE NOT NULL
            );
            CREATE TABLE history (
                serial BIGINT PRIMARY KEY,
                changed_at TIMESTAMP WITH TIME ZONE NOT NULL,
                address VARCHAR(512) NOT NULL,
                change VARCHAR(16) NOT NULL,
                resource CHARACTER LARGE OBJECT
            );
            CREATE TABLE locks (
                id INT PRIMARY KEY CHECK (id = 1),
                holder VARCHAR(1024),
                host VARCHAR(255),
                pid BIGINT,
                acquired_at TIMESTAMP WITH TIME ZONE,
                expires_at TIMESTAMP WITH TIME ZONE
            );
            INSERT INTO locks (id) VALUES (1);
            """,
            // version 2: the key secret digests are made with (never the secrets themselves)
            """
            ALTER TABLE meta ADD COLUMN digest_key VARCHAR(128);
            """,
            // version 3: the intent journal, written before every create
            """
            CREATE TABLE intents (
                id VARCHAR(64) PRIMARY KEY,
                address VARCHAR(512) NOT NULL,
                started_at TIMESTAMP WITH TIME ZONE NOT NULL,
                data CHARACTER LARGE OBJECT NOT NULL,
                planned CHARACTER LARGE OBJECT NOT NULL
            );
            """,
            // version 4: lock ids (for `state unlock ID`) and the history of applies
            """
            ALTER TABLE locks ADD COLUMN lock_id VARCHAR(64);
            CREATE TABLE runs (
                id BIGINT AUTO_INCREMENT PRIMARY KEY,
                serial BIGINT NOT NULL,
                at TIMESTAMP WITH TIME ZONE NOT NULL,
                user_name VARCHAR(255) NOT NULL,
                host VARCHAR(255) NOT NULL,
                summary VARCHAR(4096) NOT NULL
            );
            """,
            // version 5: the outputs the last apply recorded (a sensitive one without its value)
            """
            CREATE TABLE outputs (
                name VARCHAR(512) PRIMARY KEY,
                position INT NOT NULL,
                sensitive BOOLEAN NOT NULL,
                output_value CHARACTER LARGE OBJECT,
                recorded_at TIMESTAMP WITH TIME ZONE NOT NULL
            );
            """,
            // version 6: where preventDestroy protects an object, kept after its block is deleted
            """
            ALTER TABLE resources ADD COLUMN protected_by VARCHAR(1024);
            """);

    static int latest() {
        return MIGRATIONS.size();
    }
}
