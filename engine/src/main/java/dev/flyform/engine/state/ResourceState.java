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
 *
 * @param protectedBy where {@code preventDestroy} was declared for it ({@code main.fly.groovy:12}),
 *                    kept so it protects after its block is deleted; null when unprotected
 */
public record ResourceState(
        ResourceAddress address,
        String id,
        Map<String, Object> attributes,
        Set<ResourceAddress> dependencies,
        String protectedBy) {

    public ResourceState {
        if (address == null || id == null || id.isBlank()) {
            throw new IllegalArgumentException("address and id are required");
        }
        attributes = Collections.unmodifiableMap(new TreeMap<>(attributes));
        dependencies = Collections.unmodifiableSet(new TreeSet<>(dependencies));
    }

    public ResourceState(ResourceAddress address, String id, Map<String, Object> attributes) {
        this(address, id, attributes, Set.of(), null);
    }

    public ResourceState(ResourceAddress address, String id, Map<String, Object> attributes, Set<ResourceAddress> dependencies) {
        this(address, id, attributes, dependencies, null);
    }

    public ResourceState withDependencies(Set<ResourceAddress> deps) {
        return new ResourceState(address, id, attributes, deps, protectedBy);
    }

    public ResourceState withAttributes(Map<String, Object> attrs) {
        return new ResourceState(address, id, attrs, dependencies, protectedBy);
    }

    /** The same object, protected from destruction by the rule declared at {@code where} (null: not). */
    public ResourceState withProtection(String where) {
        return new ResourceState(address, id, attributes, dependencies, where);
    }
}
