package dev.flyform.provider.fly.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flyform.engine.config.Unknown;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reading attribute maps and converting between them and Fly's JSON. */
final class Attrs {

    static final ObjectMapper JSON = new ObjectMapper();

    private Attrs() {
    }

    static String string(Map<String, Object> attrs, String name) {
        Object v = attrs.get(name);
        return v == null || v instanceof Unknown ? null : v.toString();
    }

    static String stringOr(Map<String, Object> attrs, String name, String fallback) {
        String v = string(attrs, name);
        return v == null ? fallback : v;
    }

    /** The configured value, else the one the prior object had, else {@code fallback}. */
    static Object configuredOrPrior(Map<String, Object> config, Map<String, Object> prior, String name, Object fallback) {
        Object v = config.get(name);
        if (v != null) {
            return v;
        }
        if (prior != null && prior.get(name) != null) {
            return prior.get(name);
        }
        return fallback;
    }

    /** A map value with string keys; anything else (null, unknown) is an empty map. */
    static Map<String, Object> map(Object value) {
        Map<String, Object> out = new LinkedHashMap<>();
        if (value instanceof Map<?, ?> m) {
            m.forEach((k, v) -> out.put(String.valueOf(k), v));
        }
        return out;
    }

    /** A JSON tree as plain Java values (maps, lists, strings, numbers, booleans). */
    static Object plain(JsonNode node) {
        return node == null || node.isMissingNode() || node.isNull() ? null : JSON.convertValue(node, Object.class);
    }

    /** {@code remote} cut to the shape of {@code shape} (see {@link dev.flyform.engine.config.Values#project}). */
    static Object project(Object remote, Object shape) {
        return dev.flyform.engine.config.Values.project(remote, shape);
    }
}
