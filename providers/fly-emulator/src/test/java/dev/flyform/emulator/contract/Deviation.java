package dev.flyform.emulator.contract;

import java.util.regex.Pattern;

/**
 * A place where the emulator knowingly differs from Fly's OpenAPI document, because Fly's
 * documented behaviour or its own clients say otherwise. Each one names its reason and source.
 *
 * @param method    HTTP method, or "*"
 * @param path      regular expression over the request path
 * @param message   substring of the validator's message key or text
 */
public record Deviation(String method, String path, String message, String reason, String reference) {

    boolean covers(String method, String path, String key, String text) {
        return (this.method.equals("*") || this.method.equalsIgnoreCase(method))
                && Pattern.matches(this.path, path)
                && (key.contains(message) || text.contains(message));
    }
}
