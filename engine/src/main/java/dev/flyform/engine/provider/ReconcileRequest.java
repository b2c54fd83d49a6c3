package dev.flyform.engine.provider;

import dev.flyform.engine.addr.ResourceAddress;

import java.util.Map;
import java.util.Set;

/**
 * Did the create recorded by an intent make an object? {@code owned} are the {@link Provider#identity identities} of objects of
 * the same type that other state entries hold: never claim one of those.
 */
public record ReconcileRequest(ResourceAddress address, Map<String, Object> intentData, Map<String, Object> planned,
                               Set<String> owned) {
}
