package dev.flyform.engine.provider;

import dev.flyform.engine.addr.ResourceAddress;
import dev.flyform.engine.state.ResourceState;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Proposes the state that applying {@code config} over {@code prior} (null: nothing yet) would give.
 *
 * @param owner where this run's state lives (a directory, a database and workspace), for a
 *              provider to mark the objects it makes with, where the API lets objects carry
 *              marks; null when the state has no lasting place (tests, a sandbox)
 */
public record PlanRequest(ResourceAddress address, ResourceState prior, Map<String, Object> config, String owner) {

    public PlanRequest {
        config = Collections.unmodifiableMap(new LinkedHashMap<>(config));
    }

    public PlanRequest(ResourceAddress address, ResourceState prior, Map<String, Object> config) {
        this(address, prior, config, null);
    }
}
