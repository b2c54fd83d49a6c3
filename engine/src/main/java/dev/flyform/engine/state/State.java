package dev.flyform.engine.state;

import dev.flyform.engine.addr.ResourceAddress;

import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A snapshot of the state: its lineage (which state this is), serial (bumped by every write),
 * the API target it belongs to, and the resources it holds.
 */
public record State(String lineage, long serial, String target, Map<ResourceAddress, ResourceState> resources) {

    public State {
        resources = Collections.unmodifiableMap(new TreeMap<>(resources));
    }

    public Optional<ResourceState> resource(ResourceAddress address) {
        return Optional.ofNullable(resources.get(address));
    }
}
