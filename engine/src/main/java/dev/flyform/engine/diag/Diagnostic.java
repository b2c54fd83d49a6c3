package dev.flyform.engine.diag;

import dev.flyform.engine.addr.ResourceAddress;

/**
 * A problem to show the user: what went wrong (summary), why or what to do (detail), and where.
 * Providers leave {@code location} empty and name the {@code attribute}; the engine fills in
 * the file and line from the configuration.
 */
public record Diagnostic(
        Severity severity,
        String summary,
        String detail,
        SourceLocation location,
        ResourceAddress resource,
        String attribute) {

    public Diagnostic {
        if (severity == null || summary == null || summary.isBlank()) {
            throw new IllegalArgumentException("severity and summary are required");
        }
        detail = detail == null ? "" : detail;
    }

    public static Diagnostic error(String summary, String detail) {
        return new Diagnostic(Severity.ERROR, summary, detail, null, null, null);
    }

    public static Diagnostic warning(String summary, String detail) {
        return new Diagnostic(Severity.WARNING, summary, detail, null, null, null);
    }

    public boolean isError() {
        return severity == Severity.ERROR;
    }

    public Diagnostic at(SourceLocation where) {
        return new Diagnostic(severity, summary, detail, where, resource, attribute);
    }

    public Diagnostic forResource(ResourceAddress address) {
        return new Diagnostic(severity, summary, detail, location, address, attribute);
    }

    public Diagnostic forAttribute(String name) {
        return new Diagnostic(severity, summary, detail, location, resource, name);
    }

    /** One line and the detail below it, the way the command line prints it. */
    public String render() {
        StringBuilder out = new StringBuilder();
        out.append(severity == Severity.ERROR ? "Error: " : "Warning: ").append(summary);
        if (location != null || resource != null) {
            out.append("\n\n  ");
            if (location != null) {
                out.append("on ").append(location);
                if (resource != null) {
                    out.append(", in ");
                }
            }
            if (resource != null) {
                out.append(resource);
                if (attribute != null) {
                    out.append(" (attribute ").append(attribute).append(')');
                }
            }
        }
        if (!detail.isEmpty()) {
            out.append("\n\n").append(detail);
        }
        return out.toString();
    }
}
