package dev.flyform.engine.config;

import dev.flyform.engine.addr.ResourceAddress;
import dev.flyform.engine.diag.SourceLocation;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * One declared resource: its address, the attributes the user set, where each was set, and
 * the resources it refers to (dependency edges), and its lifecycle rules.
 */
public record ResourceConfig(
        ResourceAddress address,
        Map<String, Object> attributes,
        SourceLocation location,
        Map<String, SourceLocation> attributeLocations,
        Set<ResourceAddress> dependsOn,
        Lifecycle lifecycle) {

    public ResourceConfig {
        if (address == null || location == null) {
            throw new IllegalArgumentException("address and location are required");
        }
        // Attribute values may be null (explicitly unset), so Map.copyOf does not fit.
        attributes = Collections.unmodifiableMap(new LinkedHashMap<>(attributes));
        attributeLocations = Map.copyOf(attributeLocations);
        dependsOn = Collections.unmodifiableSet(new TreeSet<>(dependsOn));
        lifecycle = lifecycle == null ? Lifecycle.NONE : lifecycle;
    }

    public ResourceConfig(ResourceAddress address, Map<String, Object> attributes, SourceLocation location,
                          Map<String, SourceLocation> attributeLocations, Set<ResourceAddress> dependsOn) {
        this(address, attributes, location, attributeLocations, dependsOn, Lifecycle.NONE);
    }

    public ResourceConfig(ResourceAddress address, Map<String, Object> attributes, SourceLocation location) {
        this(address, attributes, location, Map.of(), Set.of(), Lifecycle.NONE);
    }

    /** Where an attribute was set, or where the block starts when unknown. */
    public SourceLocation locationOf(String attribute) {
        return attribute == null ? location : attributeLocations.getOrDefault(attribute, location);
    }
}
