package dev.flyform.engine.provider;

import dev.flyform.engine.diag.Diagnostic;

import java.util.List;
import java.util.Map;

/**
 * @param intentData what to record in the intent (a natural key, a tag, a snapshot of a listing);
 *                   given back to {@link Provider#apply} and {@link Provider#reconcile}
 */
public record PrepareCreateResponse(Map<String, Object> intentData, List<Diagnostic> diagnostics) {

    public PrepareCreateResponse {
        intentData = Map.copyOf(intentData);
        diagnostics = List.copyOf(diagnostics);
    }
}
