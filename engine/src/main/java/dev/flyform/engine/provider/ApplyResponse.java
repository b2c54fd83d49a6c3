package dev.flyform.engine.provider;

import dev.flyform.engine.diag.Diagnostic;
import dev.flyform.engine.state.ResourceState;

import java.util.List;

/**
 * The object after the change; null after a delete or when the change failed. A failed change
 * that still made or changed its object (a machine that failed to start) carries it, so that the
 * engine records it before it stops.
 *
 * @param ambiguous the change failed in a way that leaves unknown whether it was made (a timeout,
 *                  a 5xx, a dropped connection): a create must be reconciled, not resent
 */
public record ApplyResponse(ResourceState newState, List<Diagnostic> diagnostics, boolean ambiguous) {

    public ApplyResponse {
        diagnostics = List.copyOf(diagnostics);
    }

    public ApplyResponse(ResourceState newState, List<Diagnostic> diagnostics) {
        this(newState, diagnostics, false);
    }

    public static ApplyResponse of(ResourceState newState) {
        return new ApplyResponse(newState, List.of());
    }

    public static ApplyResponse failed(Diagnostic diagnostic) {
        return new ApplyResponse(null, List.of(diagnostic));
    }

    public static ApplyResponse ambiguous(Diagnostic diagnostic) {
        return new ApplyResponse(null, List.of(diagnostic), true);
    }

    public boolean failed() {
        return diagnostics.stream().anyMatch(Diagnostic::isError);
    }
}
