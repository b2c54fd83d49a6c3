package dev.flyform.engine.config;

import dev.flyform.engine.addr.ResourceAddress;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** Everything the user declared, keyed and sorted by address. */
public record Configuration(Map<ResourceAddress, ResourceConfig> resources) {

    public Configuration {
        resources = Collections.unmodifiableMap(new TreeMap<>(resources));
    }

    public static Configuration of(List<ResourceConfig> resources) {
        TreeMap<ResourceAddress, ResourceConfig> byAddress = new TreeMap<>();
        for (ResourceConfig r : resources) {
            if (byAddress.putIfAbsent(r.address(), r) != null) {
                throw new IllegalArgumentException("duplicate resource " + r.address());
            }
        }
        return new Configuration(byAddress);
    }

    public Optional<ResourceConfig> resource(ResourceAddress address) {
        return Optional.ofNullable(resources.get(address));
    }
}
