package dev.flyform.engine.state;

import dev.flyform.engine.addr.ResourceAddress;

import java.util.Collections;
import java.util.Set;
import java.util.TreeMap;
import java.util.Map;
import java.util.TreeSet;

/**
 * What flyform knows about one remote object: the id the API gave it, its attributes as last
 * read or applied, and the resources it depended on when it was applied (so deletes run in the
 * right order even after its block is gone from the configuration).
 */
public record ResourceState(
        ResourceAddress address,
        String id,
        Map<String, Object> attributes,
        Set<ResourceAddress> dependencies) {

    public ResourceState {
        if (address == null || id == null || id.isBlank()) {
            throw new IllegalArgumentException("address and id are required");
        }
        attributes = Collections.unmodifiableMap(new TreeMap<>(attributes));
        dependencies = Collections.unmodifiableSet(new TreeSet<>(dependencies));
    }

    public ResourceState(ResourceAddress address, String id, Map<String, Object> attributes) {
        this(address, id, attributes, Set.of());
    }

    public ResourceState withDependencies(Set<ResourceAddress> deps) {
        return new ResourceState(address, id, attributes, deps);
    }

    public ResourceState withAttributes(Map<String, Object> attrs) {
        return new ResourceState(address, id, attrs, dependencies);
    }
}
