package dev.flyform.examples

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres

import java.sql.DriverManager

/**
 * The same contract over examples/full with the state on a real PostgreSQL server (started by
 * the test from Maven Central binaries): every call of a clean apply killed before and after,
 * the state lost, failures and lost answers, an interrupt. Each iteration has a schema of its own.
 */
class CrashSafetyOnPostgresSpec extends CrashSafetySpec {

    private static EmbeddedPostgres server

    static synchronized EmbeddedPostgres server() {
        if (server == null) {
            server = EmbeddedPostgres.builder().start()
            Runtime.getRuntime().addShutdownHook(new Thread({ server.close() }))
        }
        return server
    }

    String schema

    def setup() {
        schema = 't_' + UUID.randomUUID().toString().replace('-', '')
    }

    @Override
    Map<String, String> env(Map<String, String> extra) {
        super.env(extra) + [FLYFORM_STATE: "postgres://postgres@localhost:${server().port}/postgres?schema=${schema}".toString()]
    }

    /** The state is lost: its schema dropped. */
    @Override
    void loseState() {
        DriverManager.getConnection("jdbc:postgresql://localhost:${server().port}/postgres", 'postgres', '').withCloseable {
            it.createStatement().execute("DROP SCHEMA \"${schema}\" CASCADE")
        }
    }
}
