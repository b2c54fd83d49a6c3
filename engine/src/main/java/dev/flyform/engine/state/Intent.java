package dev.flyform.engine.state;

import dev.flyform.engine.addr.ResourceAddress;

import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * A create about to be sent, recorded durably before the request leaves: what is being made,
 * and what the provider needs to find it again after a crash or a lost answer (a natural key,
 * an ownership tag, a snapshot of what the listing held before). Replaced by the created object
 * in the same transaction once the answer is in; reconciled on the next run if it never was.
 *
 * @param data    the provider's own matching data
 * @param planned the planned attributes, without sensitive values
 */
public record Intent(String id, ResourceAddress address, Instant startedAt, Map<String, Object> data,
                     Map<String, Object> planned) {

    public Intent {
        if (id == null || address == null || startedAt == null) {
            throw new IllegalArgumentException("id, address and start time are required");
        }
        data = Collections.unmodifiableMap(new TreeMap<>(data));
        planned = Collections.unmodifiableMap(new TreeMap<>(planned));
    }
}
