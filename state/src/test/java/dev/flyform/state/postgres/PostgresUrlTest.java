package dev.flyform.state.postgres;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PostgresUrlTest {

    @TempDir
    Path home;

    @Test
    void theThreeSpellingsNameTheSameServerAndTheSchemaDefaultsToFlyform() {
        for (String text : new String[] {"postgres://ci@db:6432/infra", "postgresql://ci@db:6432/infra", "jdbc:postgresql://db:6432/infra?user=ci"}) {
            PostgresUrl url = PostgresUrl.parse(text, Map.of("HOME", home.toString()));
            assertEquals("jdbc:postgresql://db:6432/infra", url.jdbcUrl(), text);
            assertEquals("ci", url.user(), text);
            assertEquals("flyform", url.schema(), text);
            assertEquals("postgres://ci@db:6432/infra?schema=flyform", url.toString(), text);
        }
        assertEquals(5432, Integer.parseInt(PostgresUrl.parse("postgres://ci@db/infra?schema=team_a", Map.of("HOME", home.toString()))
                .jdbcUrl().replaceAll(".*:(\\d+)/.*", "$1")));
    }

    @Test
    void thePasswordComesFromTheUrlElsePgpasswordElsePgpassAndIsNeverShown() throws Exception {
        Files.writeString(home.resolve(".pgpass"), "# a comment\nother:5432:*:*:nope\ndb:5432:infra:ci:from\\:pgpass\n");
        Map<String, String> env = Map.of("HOME", home.toString());
        assertEquals("from:pgpass", PostgresUrl.parse("postgres://ci@db/infra", env).password());
        assertEquals("from-env", PostgresUrl.parse("postgres://ci@db/infra", Map.of("HOME", home.toString(), "PGPASSWORD", "from-env")).password());
        PostgresUrl inline = PostgresUrl.parse("postgres://ci:in%40line@db/infra", env);
        assertEquals("in@line", inline.password());
        assertFalse(inline.toString().contains("in@line") || inline.toString().contains("line"));
        assertNull(PostgresUrl.parse("postgres://someone@db/infra", env).password());
        assertEquals("from:pgpass", PostgresUrl.parse("postgres://ci@db/infra", Map.of("PGPASSFILE", home.resolve(".pgpass").toString()))
                .password());
    }

    @Test
    void aMalformedUrlOrSchemaIsAClearErrorWithoutThePassword() {
        IllegalArgumentException noDb = assertThrows(IllegalArgumentException.class,
                () -> PostgresUrl.parse("postgres://ci:secret-pw@db", Map.of()));
        assertTrue(noDb.getMessage().contains("needs a host and a database"));
        assertFalse(noDb.getMessage().contains("secret-pw"));
        IllegalArgumentException schema = assertThrows(IllegalArgumentException.class,
                () -> PostgresUrl.parse("postgres://ci@db/infra?schema=Drop;Table", Map.of()));
        assertTrue(schema.getMessage().contains("is not a plain lowercase PostgreSQL name"));
    }
}
