package dev.flyform.engine.provider;

import dev.flyform.engine.diag.Diagnostic;
import dev.flyform.engine.state.ResourceState;

import java.util.List;

/**
 * The existing object to adopt, or null. {@code ownedBy}: the other flyform state the object
 * is marked as managed by (null: none, or this run's): the engine adopts it only when asked to.
 */
public record LookupResponse(ResourceState found, List<Diagnostic> diagnostics, String ownedBy) {

    public LookupResponse {
        diagnostics = List.copyOf(diagnostics);
    }

    public LookupResponse(ResourceState found, List<Diagnostic> diagnostics) {
        this(found, diagnostics, null);
    }

    public static LookupResponse none() {
        return new LookupResponse(null, List.of());
    }

    public static LookupResponse of(ResourceState found) {
        return new LookupResponse(found, List.of());
    }

    /** Found, and marked as another state's. */
    public static LookupResponse ownedBy(ResourceState found, String otherState) {
        return new LookupResponse(found, List.of(), otherState);
    }
}
