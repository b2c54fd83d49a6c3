package dev.flyform.engine.provider;

import dev.flyform.engine.config.ResourceConfig;

/** Checks one declared resource without calling any API. */
public record ValidateRequest(ResourceConfig config) {
}
