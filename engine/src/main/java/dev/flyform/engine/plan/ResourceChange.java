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
 * @param planned      the proposed attributes, {@link dev.flyform.engine.config.Unknown} where only
 *                     apply will tell; null for a delete
 * @param config       the declared attributes with their references unresolved, so apply can
 *                     resolve them once the resources they name exist; null for a delete
 * @param dependencies what it must wait for (creates) or outlive (deletes)
 * @param deletedWith  the resource whose deletion takes this one with it in the same apply (an
 *                     app's children go with the app); null when it is deleted on its own
 * @param location     the block that declared it; null for a delete
 * @param adopted      {@code prior} was not in state but found on Fly by the provider's lookup
 * @param createdFirst a replacement that makes the new object before it deletes the old one
 *                     ({@code createBeforeDestroy true})
 */
public record ResourceChange(
        ResourceAddress address,
        Action action,
        ResourceState prior,
        Map<String, Object> planned,
        Map<String, Object> config,
        List<AttributeChange> attributes,
        Set<String> replaceReasons,
        Set<ResourceAddress> dependencies,
        ResourceAddress deletedWith,
        SourceLocation location,
        boolean adopted,
        boolean createdFirst) {

    public ResourceChange(ResourceAddress address, Action action, ResourceState prior, Map<String, Object> planned,
                          Map<String, Object> config, List<AttributeChange> attributes, Set<String> replaceReasons,
                          Set<ResourceAddress> dependencies, ResourceAddress deletedWith, SourceLocation location, boolean adopted) {
        this(address, action, prior, planned, config, attributes, replaceReasons, dependencies, deletedWith, location, adopted, false);
    }

    public ResourceChange {
        planned = planned == null ? null : Collections.unmodifiableMap(new TreeMap<>(planned));
        config = config == null ? null : Collections.unmodifiableMap(new TreeMap<>(config));
        attributes = List.copyOf(attributes);
        replaceReasons = Collections.unmodifiableSet(new TreeSet<>(replaceReasons));
        dependencies = Collections.unmodifiableSet(new TreeSet<>(dependencies));
    }

    public ResourceChange withDeletedWith(ResourceAddress parent) {
        return new ResourceChange(address, action, prior, planned, config, attributes, replaceReasons, dependencies,
                parent, location, adopted, createdFirst);
    }
}
