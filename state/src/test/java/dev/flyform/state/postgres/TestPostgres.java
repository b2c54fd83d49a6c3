package dev.flyform.state.postgres;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.UUID;

/**
 * One real PostgreSQL server for the tests of this JVM, started by them from binaries taken
 * from Maven Central (nothing to install), stopped when the JVM ends. Each test gets a schema
 * of its own.
 */
final class TestPostgres {

    private static EmbeddedPostgres server;

    private TestPostgres() {
    }

    static synchronized EmbeddedPostgres server() {
        if (server == null) {
            try {
                server = EmbeddedPostgres.builder().start();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    server.close();
                } catch (IOException ignored) {
                    // the JVM is ending
                }
            }));
        }
        return server;
    }

    /** A URL for a schema no other test uses. */
    static String freshUrl() {
        return "postgres://postgres@localhost:" + server().getPort() + "/postgres?schema=t_" + UUID.randomUUID().toString().replace("-", "");
    }

    static PostgresUrl url(String text) {
        return PostgresUrl.parse(text, Map.of());
    }
}
