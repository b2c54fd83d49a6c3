package dev.flyform.engine.provider;

import dev.flyform.engine.diag.Diagnostic;
import dev.flyform.engine.state.ResourceState;

import java.util.List;

/** The existing object to adopt, or null. */
public record LookupResponse(ResourceState found, List<Diagnostic> diagnostics) {

    public LookupResponse {
        diagnostics = List.copyOf(diagnostics);
    }

    public static LookupResponse none() {
        return new LookupResponse(null, List.of());
    }

    public static LookupResponse of(ResourceState found) {
        return new LookupResponse(found, List.of());
    }
}
