package dev.flyform.emulator;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;
import java.util.Map;

/**
 * One API request as the handlers see it: the path after {@code /v1} split into segments, the
 * query, the headers (names lower-cased), the parsed body, and the caller's organization.
 */
record Request(String method, List<String> path, Map<String, List<String>> query, Map<String, String> headers,
               JsonNode body, Organization caller) {

    String segment(int i) {
        return i < path.size() ? path.get(i) : null;
    }

    String param(String name) {
        List<String> values = query.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    String header(String name) {
        return headers.get(name.toLowerCase(java.util.Locale.ROOT));
    }

    boolean is(String method, int segments) {
        return this.method.equals(method) && path.size() == segments;
    }
}
