package dev.flyform.emulator;

import java.util.List;
import java.util.Map;

/**
 * A request and the answer sent to it, raw, for observers such as contract checkers. The
 * status is 0 and the body empty when the connection was dropped.
 */
public record Exchange(String method, String path, String rawQuery, Map<String, List<String>> requestHeaders,
                       String requestBody, int status, Map<String, List<String>> responseHeaders, String responseBody) {
}
