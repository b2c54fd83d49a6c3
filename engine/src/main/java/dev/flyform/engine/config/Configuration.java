package dev.flyform.engine.config;

import dev.flyform.engine.addr.ResourceAddress;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** Everything the user declared: resources keyed and sorted by address, and outputs by name. */
public record Configuration(Map<ResourceAddress, ResourceConfig> resources, Map<String, Output> outputs) {

    public Configuration {
        resources = Collections.unmodifiableMap(new TreeMap<>(resources));
        outputs = Collections.unmodifiableMap(new TreeMap<>(outputs));
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
