package dev.flyform.engine.provider;

import dev.flyform.engine.addr.ResourceAddress;
import dev.flyform.engine.state.ResourceState;

import java.util.Map;

/**
 * Makes one change: create ({@code prior} null), update (both set) or delete ({@code planned} null).
 */
public record ApplyRequest(ResourceAddress address, ResourceState prior, Map<String, Object> planned) {

    public boolean isCreate() {
        return prior == null && planned != null;
    }

    public boolean isDelete() {
        return planned == null;
    }
}
