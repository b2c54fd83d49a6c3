package dev.flyform.engine.state;

import dev.flyform.engine.addr.ResourceAddress;

import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A snapshot of the state: its lineage (which state this is), serial (bumped by every write),
 * the API target it belongs to, the resources it holds, and the key its secret digests are
 * made with ({@link SecretDigest}).
 */
public record State(String lineage, long serial, String target, Map<ResourceAddress, ResourceState> resources,
                    String digestKey) {

    @Override
    public String toString() {
        return "State[lineage=" + lineage + ", serial=" + serial + ", target=" + target + ", resources=" + resources + "]";
    }


    public State {
        resources = Collections.unmodifiableMap(new TreeMap<>(resources));
    }

    public Optional<ResourceState> resource(ResourceAddress address) {
        return Optional.ofNullable(resources.get(address));
    }
}
