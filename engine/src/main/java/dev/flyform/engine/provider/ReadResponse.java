package dev.flyform.engine.provider;

import dev.flyform.engine.diag.Diagnostic;
import dev.flyform.engine.state.ResourceState;

import java.util.List;

/** The object as the API holds it now; {@code current} is null when it no longer exists. */
public record ReadResponse(ResourceState current, List<Diagnostic> diagnostics) {

    public ReadResponse {
        diagnostics = List.copyOf(diagnostics);
    }

    public static ReadResponse of(ResourceState current) {
        return new ReadResponse(current, List.of());
    }

    public static ReadResponse gone() {
        return new ReadResponse(null, List.of());
    }
}
