package dev.flyform.engine.provider;

import dev.flyform.engine.addr.ResourceAddress;

import java.util.Map;

/** Before a create: what will the provider need to find this object again, whatever happens? */
public record PrepareCreateRequest(ResourceAddress address, Map<String, Object> planned, String intentId) {
}
