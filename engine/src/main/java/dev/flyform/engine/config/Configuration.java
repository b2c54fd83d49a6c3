package dev.flyform.engine.config;

import dev.flyform.engine.addr.ResourceAddress;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Everything the user declared: resources keyed and sorted by address, and outputs by name; and
 * what is to be no longer managed ({@code removed 'fly_machine.web_1'}): forgotten by the state,
 * left as it is on Fly, by where it was said.
 */
public record Configuration(Map<ResourceAddress, ResourceConfig> resources, Map<String, Output> outputs,
                            Map<ResourceAddress, dev.flyform.engine.diag.SourceLocation> removed) {

    public Configuration {
        resources = Collections.unmodifiableMap(new TreeMap<>(resources));
        outputs = Collections.unmodifiableMap(new TreeMap<>(outputs));
        removed = Collections.unmodifiableMap(new TreeMap<>(removed));
    }

    public Configuration(Map<ResourceAddress, ResourceConfig> resources, Map<String, Output> outputs) {
        this(resources, outputs, Map.of());
    }

    /** The same, with these to be forgotten. */
    public Configuration removing(Map<ResourceAddress, dev.flyform.engine.diag.SourceLocation> more) {
        Map<ResourceAddress, dev.flyform.engine.diag.SourceLocation> all = new TreeMap<>(removed);
        all.putAll(more);
        return new Configuration(resources, outputs, all);
    }

    public static Configuration of(List<ResourceConfig> resources) {
        return of(resources, List.of());
    }

    public static Configuration of(List<ResourceConfig> resources, List<Output> outputs) {
        TreeMap<ResourceAddress, ResourceConfig> byAddress = new TreeMap<>();
        for (ResourceConfig r : resources) {
            if (byAddress.putIfAbsent(r.address(), r) != null) {
                throw new IllegalArgumentException("duplicate resource " + r.address());
            }
        }
        TreeMap<String, Output> byName = new TreeMap<>();
        outputs.forEach(o -> byName.put(o.name(), o));
        return new Configuration(byAddress, byName);
    }

    public Optional<ResourceConfig> resource(ResourceAddress address) {
        return Optional.ofNullable(resources.get(address));
    }
}
