package dev.flyform.engine.provider;

import dev.flyform.engine.diag.Diagnostic;

import java.util.List;

public record ValidateResponse(List<Diagnostic> diagnostics) {

    public ValidateResponse {
        diagnostics = List.copyOf(diagnostics);
    }
}
