package dev.flyform.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * {@code /v1/apps/{app}/secrets}: values are write-only. The emulator keeps only a digest
 * (hex SHA-256; Fly's algorithm is undocumented, so tests must not depend on it) and bumps the
 * app's secrets version on every change, whether or not the value changed.
 */
final class SecretsApi {

    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private final World world;

    SecretsApi(World world) {
        this.world = world;
    }

    /** Path: v1 apps APP secrets [NAME]. */
    Reply handle(Request r) {
        String app = r.segment(2);
        world.visibleApp(r.caller(), app);
        Map<String, ObjectNode> secrets = world.inventory.secretsOf(app);
        if (r.is("GET", 4)) {
            ArrayNode list = Json.array();
            world.listed(secrets.values()).forEach(list::add);
            ObjectNode answer = Json.object();
            answer.set("secrets", list);
            return Reply.ok(answer);
        }
        if (r.is("POST", 4)) {
            JsonNode values = r.body().get("values");
            if (values == null || !values.isObject()) {
                throw new ApiError(400, "values is required: an object of NAME to value (null unsets)");
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = values.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                checkName(e.getKey());
                if (!e.getValue().isNull() && !e.getValue().isTextual()) {
                    throw new ApiError(400, "the value of " + e.getKey() + " must be a string or null");
                }
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = values.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (e.getValue().isNull()) {
                    secrets.remove(e.getKey());
                } else {
                    store(secrets, e.getKey(), e.getValue().asText());
                }
            }
            long version = bump(app);
            ArrayNode list = Json.array();
            secrets.values().forEach(list::add);
            ObjectNode answer = Json.object();
            answer.set("secrets", list);
            answer.put("version", version);
            answer.put("Version", version);
            return Reply.ok(answer);
        }
        String name = r.segment(4);
        if (r.is("GET", 5)) {
            ObjectNode secret = secrets.get(name);
            if (secret == null) {
                throw new ApiError(404, "secret " + name + " not found");
            }
            return Reply.ok(secret);
        }
        if (r.is("POST", 5)) {
            checkName(name);
            String value = Json.text(r.body(), "value");
            if (value == null) {
                throw new ApiError(400, "value is required");
            }
            ObjectNode answer = set(app, Map.of(name, value)).get(name).deepCopy();
            long version = world.inventory.secretVersions.get(app);
            answer.put("version", version);
            answer.put("Version", version);
            return Reply.created(answer);
        }
        if (r.is("DELETE", 5)) {
            if (secrets.remove(name) == null) {
                throw new ApiError(404, "secret " + name + " not found");
            }
            long version = bump(app);
            return Reply.ok(Json.object().put("version", version).put("Version", version));
        }
        return null;
    }

    /** Shared with GraphQL's setSecrets. Answers the app's secrets after the change. */
    Map<String, ObjectNode> set(String app, Map<String, String> values) {
        values.keySet().forEach(SecretsApi::checkName);
        Map<String, ObjectNode> secrets = world.inventory.secretsOf(app);
        values.forEach((k, v) -> store(secrets, k, v));
        bump(app);
        return secrets;
    }

    /** Shared with GraphQL's unsetSecrets; unknown names are ignored there. */
    void unset(String app, Iterable<String> names) {
        Map<String, ObjectNode> secrets = world.inventory.secretsOf(app);
        names.forEach(secrets::remove);
        bump(app);
    }

    long version(String app) {
        return world.inventory.secretVersions.getOrDefault(app, 0L);
    }

    private long bump(String app) {
        world.changed();
        return world.inventory.secretVersions.merge(app, 1L, Long::sum);
    }

    private static void store(Map<String, ObjectNode> secrets, String name, String value) {
        String now = Json.now();
        ObjectNode s = secrets.get(name);
        if (s == null) {
            s = Json.object();
            s.put("name", name);
            s.put("created_at", now);
            secrets.put(name, s);
        }
        s.put("digest", digest(value));
        s.put("updated_at", now);
    }

    private static void checkName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new ApiError(400, "invalid secret name: " + name);
        }
    }

    static String digest(String value) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
