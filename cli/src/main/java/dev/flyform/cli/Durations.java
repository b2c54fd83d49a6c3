package dev.flyform.cli;

import dev.flyform.engine.diag.Diagnostic;
import dev.flyform.engine.diag.DiagnosticsException;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Terraform's duration spelling: 500ms, 30s, 2m, 1h. */
final class Durations {

    private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h)?");

    private Durations() {
    }

    static Duration parse(String flag, String text) {
        Matcher m = DURATION.matcher(text.strip());
        if (!m.matches()) {
            throw new DiagnosticsException(Diagnostic.error(flag + " " + text + ": not a duration", "Write e.g. 30s, 2m or 500ms."));
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2) == null ? "s" : m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofSeconds(n);
        };
    }
}
