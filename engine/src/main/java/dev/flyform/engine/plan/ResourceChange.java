package dev.flyform.engine.plan;

import dev.flyform.engine.addr.ResourceAddress;
import dev.flyform.engine.diag.SourceLocation;
import dev.flyform.engine.state.ResourceState;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The planned change to one resource.
 *
 * @param prior        the object as refreshed; null when it does not exist yet
 * @param planned      the proposed attributes; null for a delete
 * @param dependencies what it must wait for (creates) or outlive (deletes)
 * @param location     the block that declared it; null for a delete
 */
public record ResourceChange(
        ResourceAddress address,
        Action action,
        ResourceState prior,
        Map<String, Object> planned,
        List<AttributeChange> attributes,
        Set<String> replaceReasons,
        Set<ResourceAddress> dependencies,
        SourceLocation location) {

    public ResourceChange {
        planned = planned == null ? null : Collections.unmodifiableMap(new TreeMap<>(planned));
        attributes = List.copyOf(attributes);
        replaceReasons = Collections.unmodifiableSet(new TreeSet<>(replaceReasons));
        dependencies = Collections.unmodifiableSet(new TreeSet<>(dependencies));
    }
}
