package dev.flyform.engine.diag;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Carries user-facing diagnostics up to the command line, which prints them and exits 1.
 * Never a stack trace for a user's mistake.
 */
public class DiagnosticsException extends RuntimeException {

    private final List<Diagnostic> diagnostics;

    public DiagnosticsException(List<Diagnostic> diagnostics) {
        super(diagnostics.stream().map(Diagnostic::summary).collect(Collectors.joining("; ")), null, false, false);
        this.diagnostics = List.copyOf(diagnostics);
    }

    public DiagnosticsException(Diagnostic diagnostic) {
        this(List.of(diagnostic));
    }

    public List<Diagnostic> diagnostics() {
        return diagnostics;
    }
}
