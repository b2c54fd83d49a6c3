package dev.flyform.engine.provider;

import dev.flyform.engine.addr.ResourceAddress;

import java.util.Map;
import java.util.Set;

/**
 * A declared object has no state entry: does one already exist (made by an earlier run whose
 * state was lost, or by hand)? {@code owned} are the {@link Provider#identity identities} of the objects other state
 * entries hold; {@code owner} is where this run's state lives (see {@link PlanRequest#owner}),
 * null when it has no lasting place: an object marked with another owner is another state's.
 */
public record LookupRequest(ResourceAddress address, Map<String, Object> planned, Set<String> owned, String owner) {

    public LookupRequest(ResourceAddress address, Map<String, Object> planned, Set<String> owned) {
        this(address, planned, owned, null);
    }
}
