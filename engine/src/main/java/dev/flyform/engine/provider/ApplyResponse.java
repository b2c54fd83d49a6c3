package dev.flyform.engine.provider;

import dev.flyform.engine.diag.Diagnostic;
import dev.flyform.engine.state.ResourceState;

import java.util.List;

/** The object after the change; null after a delete or when the change failed. */
public record ApplyResponse(ResourceState newState, List<Diagnostic> diagnostics) {

    public ApplyResponse {
        diagnostics = List.copyOf(diagnostics);
    }

    public static ApplyResponse of(ResourceState newState) {
        return new ApplyResponse(newState, List.of());
    }

    public static ApplyResponse failed(Diagnostic diagnostic) {
        return new ApplyResponse(null, List.of(diagnostic));
    }

    public boolean failed() {
        return diagnostics.stream().anyMatch(Diagnostic::isError);
    }
}
