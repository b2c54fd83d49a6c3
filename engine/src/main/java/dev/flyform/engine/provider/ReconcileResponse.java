package dev.flyform.engine.provider;

import dev.flyform.engine.diag.Diagnostic;
import dev.flyform.engine.state.ResourceState;

import java.util.List;

/** What the listing says about an intent's create. */
public record ReconcileResponse(Outcome outcome, ResourceState found, List<Diagnostic> diagnostics) {

    public enum Outcome {
        /** It exists: {@code found} is it. */
        CREATED,
        /** Certainly not created: the create may be sent again. */
        NOT_CREATED,
        /** Could not tell (the API failed): keep the intent, send nothing. */
        UNKNOWN
    }

    public ReconcileResponse {
        diagnostics = List.copyOf(diagnostics);
    }

    public static ReconcileResponse created(ResourceState found) {
        return new ReconcileResponse(Outcome.CREATED, found, List.of());
    }

    public static ReconcileResponse notCreated() {
        return new ReconcileResponse(Outcome.NOT_CREATED, null, List.of());
    }

    public static ReconcileResponse unknown(Diagnostic why) {
        return new ReconcileResponse(Outcome.UNKNOWN, null, List.of(why));
    }
}
