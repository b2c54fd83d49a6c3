package dev.flyform.state.postgres;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Pattern;

/**
 * Where a PostgreSQL state lives: {@code postgres://USER@HOST:PORT/DB?schema=S} (or
 * {@code postgresql://}, or a plain {@code jdbc:postgresql://} URL). The password is taken from
 * the URL when it has one, else {@code PGPASSWORD}, else {@code ~/.pgpass} (or {@code PGPASSFILE})
 * as libpq reads it; it is never part of {@link #toString()}, nor of any message.
 *
 * @param jdbcUrl   the driver's URL, without user or password
 * @param user      the user to connect as
 * @param schema    the schema flyform's tables live in (default {@code flyform})
 * @param shown     the URL as it may be shown: no password
 */
public record PostgresUrl(String jdbcUrl, String user, String password, String schema, String shown) {

    private static final Pattern IDENTIFIER = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

    /** Whether {@code text} names a PostgreSQL state rather than a file. */
    public static boolean isPostgres(String text) {
        return text.startsWith("postgres://") || text.startsWith("postgresql://") || text.startsWith("jdbc:postgresql://");
    }

    /**
     * @param env the process environment (PGPASSWORD, PGPASSFILE, PGUSER, HOME)
     * @throws IllegalArgumentException saying what is wrong, never with the password in it
     */
    public static PostgresUrl parse(String text, Map<String, String> env) {
        String plain = text.startsWith("jdbc:") ? text.substring(5) : text;
        URI uri;
        try {
            uri = new URI(plain.replaceFirst("^postgres(ql)?://", "postgresql://"));
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("not a PostgreSQL URL: write postgres://USER@HOST:PORT/DATABASE?schema=SCHEMA");
        }
        if (uri.getHost() == null || uri.getPath() == null || uri.getPath().length() < 2) {
            throw new IllegalArgumentException("a PostgreSQL URL needs a host and a database: postgres://USER@HOST:PORT/DATABASE");
        }
        Map<String, String> query = query(uri.getRawQuery());
        String schema = query.getOrDefault("schema", "flyform");
        if (!IDENTIFIER.matcher(schema).matches()) {
            throw new IllegalArgumentException("schema \"" + schema + "\" is not a plain lowercase PostgreSQL name");
        }
        String user = query.get("user");
        String password = query.get("password");
        if (uri.getRawUserInfo() != null) {
            String[] info = uri.getRawUserInfo().split(":", 2);
            user = decode(info[0]);
            if (info.length == 2) {
                password = decode(info[1]);
            }
        }
        if (user == null) {
            user = env.getOrDefault("PGUSER", System.getProperty("user.name"));
        }
        String database = uri.getPath().substring(1);
        int port = uri.getPort() < 0 ? 5432 : uri.getPort();
        if (password == null) {
            password = env.get("PGPASSWORD");
        }
        if (password == null) {
            password = fromPassFile(env, uri.getHost(), port, database, user);
        }
        StringBuilder jdbc = new StringBuilder("jdbc:postgresql://").append(uri.getHost()).append(':').append(port)
                .append('/').append(database);
        StringBuilder rest = new StringBuilder();
        query.forEach((k, v) -> {
            if (!List.of("schema", "user", "password").contains(k)) {
                rest.append(rest.isEmpty() ? "?" : "&").append(k).append('=').append(v);
            }
        });
        jdbc.append(rest);
        String shown = "postgres://" + user + "@" + uri.getHost() + ":" + port + "/" + database + "?schema=" + schema;
        return new PostgresUrl(jdbc.toString(), user, password, schema, shown);
    }

    /**
     * The driver's properties: no server-side prepared statements, so a pooler in transaction
     * mode (PgBouncer) may hand each transaction to another server connection.
     */
    public Properties properties() {
        Properties p = new Properties();
        p.setProperty("user", user);
        if (password != null) {
            p.setProperty("password", password);
        }
        p.setProperty("prepareThreshold", "0");
        p.setProperty("ApplicationName", "flyform");
        return p;
    }

    @Override
    public String toString() {
        return shown;
    }

    /** Which state this is, whoever connects to it: the URL as shown, without its user. */
    public String place() {
        return shown.replaceFirst("^postgres://[^@]*@", "postgres://");
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> out = new LinkedHashMap<>();
        if (raw != null) {
            for (String pair : raw.split("&")) {
                String[] kv = pair.split("=", 2);
                out.put(decode(kv[0]), kv.length == 2 ? decode(kv[1]) : "");
            }
        }
        return out;
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }

    /** libpq's password file: lines of host:port:database:user:password, {@code *} matching anything, {@code \} escaping. */
    static String fromPassFile(Map<String, String> env, String host, int port, String database, String user) {
        Path file = env.containsKey("PGPASSFILE") ? Path.of(env.get("PGPASSFILE"))
                : Path.of(env.getOrDefault("HOME", System.getProperty("user.home")), ".pgpass");
        if (!Files.isRegularFile(file)) {
            return null;
        }
        try {
            for (String line : Files.readAllLines(file)) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                List<String> fields = fields(line);
                if (fields.size() == 5 && matches(fields.get(0), host) && matches(fields.get(1), String.valueOf(port))
                        && matches(fields.get(2), database) && matches(fields.get(3), user)) {
                    return fields.get(4);
                }
            }
        } catch (IOException e) {
            return null;   // as libpq: an unreadable file gives no password
        }
        return null;
    }

    private static boolean matches(String pattern, String value) {
        return pattern.equals("*") || pattern.equals(value);
    }

    private static List<String> fields(String line) {
        List<String> out = new java.util.ArrayList<>();
        StringBuilder field = new StringBuilder();
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '\\' && i + 1 < line.length()) {
                field.append(line.charAt(++i));
            } else if (c == ':' && out.size() < 4) {
                out.add(field.toString());
                field.setLength(0);
            } else {
                field.append(c);
            }
        }
        out.add(field.toString());
        return out;
    }
}
