package dev.flyform.engine.provider;

import dev.flyform.engine.addr.ResourceAddress;

import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Every resource type a provider serves, and its data sources: read-only lookups of objects
 * flyform does not manage ({@code data('fly_app', 'legacy') { name = 'legacy-app' }}), each
 * described like a resource type (what is given: settable; what is read: computed); and the
 * {@link DeclarationReader}s scripts call by name.
 */
public record ProviderSchema(Map<String, ResourceSchema> resourceTypes, Map<String, ResourceSchema> dataSources,
                             Map<String, DeclarationReader> readers) {

    public ProviderSchema {
        resourceTypes = Map.copyOf(new TreeMap<>(resourceTypes));
        dataSources = Map.copyOf(new TreeMap<>(dataSources));
        readers = Map.copyOf(new TreeMap<>(readers));
    }

    public ProviderSchema(Map<String, ResourceSchema> resourceTypes, Map<String, ResourceSchema> dataSources) {
        this(resourceTypes, dataSources, Map.of());
    }

    public ProviderSchema(Map<String, ResourceSchema> resourceTypes) {
        this(resourceTypes, Map.of());
    }

    /** The same, with functions scripts call to declare blocks from another tool's file ({@code flyToml}). */
    public ProviderSchema withReaders(DeclarationReader... more) {
        Map<String, DeclarationReader> all = new TreeMap<>(readers);
        for (DeclarationReader r : more) {
            all.put(r.function(), r);
        }
        return new ProviderSchema(resourceTypes, dataSources, all);
    }

    public Optional<ResourceSchema> resourceType(String type) {
        return Optional.ofNullable(resourceTypes.get(type));
    }

    public Optional<ResourceSchema> dataSource(String type) {
        return Optional.ofNullable(dataSources.get(type));
    }

    /** The schema of what is at {@code address}: a data source's or a resource type's. */
    public Optional<ResourceSchema> of(ResourceAddress address) {
        return address.isData() ? dataSource(address.baseType()) : resourceType(address.type());
    }
}
