package dev.flyform.engine.provider;

import dev.flyform.engine.addr.ResourceAddress;
import dev.flyform.engine.state.ResourceState;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** Proposes the state that applying {@code config} over {@code prior} (null: nothing yet) would give. */
public record PlanRequest(ResourceAddress address, ResourceState prior, Map<String, Object> config) {

    public PlanRequest {
        config = Collections.unmodifiableMap(new LinkedHashMap<>(config));
    }
}
