package dev.flyform.engine.provider;

import dev.flyform.engine.addr.ResourceAddress;
import dev.flyform.engine.state.ResourceState;

import java.util.Map;
import java.util.function.Consumer;

/**
 * Makes one change: create ({@code prior} null), update (both set) or delete ({@code planned} null).
 *
 * @param intent   for a create: the intent's id ({@code "intent_id"}) and the data the provider
 *                 gave in {@link PrepareCreateResponse}; empty otherwise
 * @param progress where the provider says what a long change is waiting for (another client's
 *                 lease, say), for the user to see while it waits
 */
public record ApplyRequest(ResourceAddress address, ResourceState prior, Map<String, Object> planned,
                           Map<String, Object> intent, Consumer<String> progress) {

    public ApplyRequest {
        intent = intent == null ? Map.of() : Map.copyOf(intent);
        progress = progress == null ? message -> { } : progress;
    }

    public ApplyRequest(ResourceAddress address, ResourceState prior, Map<String, Object> planned, Map<String, Object> intent) {
        this(address, prior, planned, intent, null);
    }

    public ApplyRequest(ResourceAddress address, ResourceState prior, Map<String, Object> planned) {
        this(address, prior, planned, Map.of());
    }

    public boolean isCreate() {
        return prior == null && planned != null;
    }

    public boolean isDelete() {
        return planned == null;
    }
}
