package dev.flyform.provider.fly.internal;

import dev.flyform.engine.diag.Diagnostic;
import dev.flyform.engine.diag.Suggestions;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Values Fly refuses, found before any call (from Fly's OpenAPI document and docs): regions,
 * enums, integer ranges. Each check adds an error for {@code attribute} when the value is wrong;
 * a value not known before apply (a reference) is left alone.
 */
final class Checks {

    /**
     * Fly's regions. Kept here so a typo is found without a token or a call; a region Fly adds
     * later is refused here until this list has it.
     */
    static final Set<String> REGIONS = new TreeSet<>(List.of("ams", "arn", "atl", "bog", "bom", "bos", "cdg", "den", "dfw",
            "ewr", "eze", "fra", "gdl", "gig", "gru", "hkg", "iad", "jnb", "lax", "lhr", "mad", "mia", "nrt", "ord", "otp",
            "phx", "qro", "scl", "sea", "sin", "sjc", "syd", "waw", "yul", "yyz"));

    private final List<Diagnostic> found;
    private final Regions regions;

    Checks(List<Diagnostic> found, Regions regions) {
        this.found = found;
        this.regions = regions;
    }

    void region(Object value, String attribute) {
        if (value instanceof String s && !regions.known(s)) {
            Set<String> all = regions.all();
            String hint = Suggestions.didYouMean(s.toLowerCase(java.util.Locale.ROOT), all);
            found.add(Diagnostic.error("Unknown region \"" + s + "\"", (hint.isEmpty() ? "" : hint + " ")
                    + "Fly's regions are lowercase codes: " + String.join(", ", all) + ". If Fly has added this "
                    + "one since, `flyform regions` fetches Fly's current list.").forAttribute(attribute));
        }
    }

    void oneOf(Object value, Set<String> allowed, String what, String attribute) {
        if (value != null && !(value instanceof String s && allowed.contains(s)) && isKnown(value)) {
            String hint = value instanceof String s ? Suggestions.didYouMean(s, allowed) : "";
            found.add(Diagnostic.error("Invalid " + what + " " + describe(value),
                    (hint.isEmpty() ? "" : hint + " ") + "Use one of " + String.join(", ", new TreeSet<>(allowed)) + ".")
                    .forAttribute(attribute));
        }
    }

    /** A whole number from {@code min} to {@code max}: 2.5 or "two" is refused, not rounded. */
    void integer(Object value, long min, long max, String what, String attribute) {
        if (value == null || !isKnown(value)) {
            return;
        }
        boolean whole = value instanceof Integer || value instanceof Long || value instanceof Short
                || value instanceof java.math.BigInteger;
        if (!whole || ((Number) value).doubleValue() < min || ((Number) value).doubleValue() > max) {
            found.add(Diagnostic.error("Invalid " + what + " " + describe(value),
                    "It must be a whole number from " + min + " to " + max + ".").forAttribute(attribute));
        }
    }

    private static boolean isKnown(Object value) {
        return !(value instanceof dev.flyform.engine.config.Reference) && !(value instanceof dev.flyform.engine.config.Unknown);
    }

    private static String describe(Object value) {
        return value instanceof String s ? "\"" + s + "\"" : String.valueOf(value);
    }
}
