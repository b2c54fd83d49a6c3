package dev.flyform.engine.provider;

import dev.flyform.engine.addr.ResourceAddress;
import dev.flyform.engine.config.ResourceConfig;

import java.util.Map;

/**
 * Checks one declared resource without calling any API.
 *
 * @param declared every resource of the configuration, for rules across objects (a machine
 *                 mounting a volume of another region)
 */
public record ValidateRequest(ResourceConfig config, Map<ResourceAddress, ResourceConfig> declared) {

    public ValidateRequest {
        declared = Map.copyOf(declared);
    }

    public ValidateRequest(ResourceConfig config) {
        this(config, Map.of(config.address(), config));
    }
}
