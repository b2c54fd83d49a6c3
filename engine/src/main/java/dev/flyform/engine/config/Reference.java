package dev.flyform.engine.config;

import dev.flyform.engine.addr.ResourceAddress;

/**
 * A value taken from another resource ({@code fly_volume.data.id}): a dependency edge, resolved
 * when the other resource's value is known, at plan time or, for computed values, during apply.
 */
public record Reference(ResourceAddress address, String attribute) {

    public Reference {
        if (address == null || attribute == null || attribute.isBlank()) {
            throw new IllegalArgumentException("address and attribute are required");
        }
    }

    @Override
    public String toString() {
        return address + "." + attribute;
    }
}
