package dev.flyform.engine.provider;

import dev.flyform.engine.diag.Diagnostic;
import dev.flyform.engine.state.ResourceState;

import java.util.List;

public record ImportResponse(List<ResourceState> imported, List<Diagnostic> diagnostics) {

    public ImportResponse {
        imported = List.copyOf(imported);
        diagnostics = List.copyOf(diagnostics);
    }
}
