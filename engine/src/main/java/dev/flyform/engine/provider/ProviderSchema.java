package dev.flyform.engine.provider;

import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** Every resource type a provider serves. */
public record ProviderSchema(Map<String, ResourceSchema> resourceTypes) {

    public ProviderSchema {
        resourceTypes = Map.copyOf(new TreeMap<>(resourceTypes));
    }

    public Optional<ResourceSchema> resourceType(String type) {
        return Optional.ofNullable(resourceTypes.get(type));
    }
}
