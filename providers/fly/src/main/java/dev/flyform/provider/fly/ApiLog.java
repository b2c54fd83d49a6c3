package dev.flyform.provider.fly;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.ArrayNode;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * What flyform tells of its talk with Fly, for whoever debugs it ({@code FLYFORM_LOG}):
 * {@code info} one line per change sent, per retry and per failure; {@code debug} one line per
 * exchange (method, path, status, Fly's request id, duration); {@code trace} their bodies too.
 * Never a token (no header is written) and never a secret's value: in bodies, the values of
 * fields named like {@code value}, {@code token}, {@code secret}, {@code password} or
 * {@code raw_value} are written as {@code (redacted)}, and a body that is not JSON is not written.
 */
public final class ApiLog {

    public enum Level { OFF, INFO, DEBUG, TRACE }

    public static final ApiLog OFF = new ApiLog(Level.OFF, null);

    private static final Pattern SECRET_KEY = Pattern.compile("(?i).*(value|token|secret|password|passphrase|private|key_pem).*");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Level level;
    private final PrintWriter out;

    public ApiLog(Level level, PrintWriter out) {
        this.level = level;
        this.out = out;
    }

    /**
     * From {@code FLYFORM_LOG} (info, debug, trace; anything else, or unset: off).
     *
     * @throws IllegalArgumentException naming the variable, for a level it does not know
     */
    public static Level level(String given) {
        if (given == null || given.isBlank() || given.equalsIgnoreCase("off")) {
            return Level.OFF;
        }
        try {
            return Level.valueOf(given.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("FLYFORM_LOG=" + given + ": give info, debug or trace");
        }
    }

    public boolean at(Level wanted) {
        return level != Level.OFF && level.compareTo(wanted) >= 0;
    }

    /** One exchange: at debug always, at info when it changed something or failed (a 404 is no failure). */
    public void exchange(String method, String path, int status, String requestId, long millis,
                         String requestBody, String responseBody) {
        boolean mutating = !method.equals("GET") && !method.equals("HEAD");
        boolean failed = status >= 400 && status != 404;   // a 404 is how flyform learns something is not there
        if (!at(Level.DEBUG) && !(at(Level.INFO) && (mutating || failed))) {
            return;
        }
        StringBuilder line = new StringBuilder().append(method).append(' ').append(path).append(" -> ").append(status)
                .append(" in ").append(millis).append(" ms");
        if (requestId != null) {
            line.append(" (fly-request-id ").append(requestId).append(')');
        }
        write(failed ? "warn" : at(Level.DEBUG) ? "debug" : "info", line.toString());
        if (at(Level.TRACE)) {
            if (requestBody != null && !requestBody.isEmpty()) {
                write("trace", "  sent: " + redacted(requestBody));
            }
            if (responseBody != null && !responseBody.isEmpty()) {
                write("trace", "  got:  " + redacted(responseBody));
            }
        }
    }

    /** An exchange that got no answer. */
    public void failed(String method, String path, long millis, String why) {
        if (at(Level.INFO)) {
            write("warn", method + " " + path + " -> no answer after " + millis + " ms: " + why);
        }
    }

    /** Something of flyform's own dealing with Fly: a retry's wait, a reconcile. */
    public void note(String message) {
        if (at(Level.INFO)) {
            write("info", message);
        }
    }

    private void write(String kind, String message) {
        synchronized (out) {
            out.println("flyform " + java.time.Instant.now() + " " + kind + ": " + message);
            out.flush();
        }
    }

    /** A body as it may be written: JSON with every secret-looking field's value hidden; anything else not at all. */
    static String redacted(String body) {
        JsonNode node;
        try {
            node = JSON.readTree(body);
        } catch (java.io.IOException notJson) {
            return "(" + body.length() + " characters, not JSON: not shown)";
        }
        if (node == null) {
            return "";
        }
        hide(node);
        return node.toString();
    }

    private static void hide(JsonNode node) {
        if (node instanceof ObjectNode object) {
            java.util.List<String> names = new java.util.ArrayList<>();
            object.fieldNames().forEachRemaining(names::add);
            for (String name : names) {
                JsonNode v = object.get(name);
                if (SECRET_KEY.matcher(name).matches() && (v.isValueNode() && !v.isNull() || v.isArray() || v.isObject())) {
                    if (v.isContainerNode() && !name.equalsIgnoreCase("secrets")) {
                        hide(v);
                    } else {
                        object.put(name, "(redacted)");
                    }
                } else {
                    hide(v);
                }
            }
        } else if (node instanceof ArrayNode array) {
            array.forEach(ApiLog::hide);
        }
    }
}
