package dev.flyform.engine.plan;

import dev.flyform.engine.addr.ResourceAddress;
import dev.flyform.engine.diag.Diagnostic;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Every resource's planned change, taken against one state snapshot (lineage and serial):
 * apply refuses the plan when the state has moved since.
 *
 * @param forgotten resources in state that no longer exist and are no longer declared: apply
 *                  drops them from the state, with no API call
 * @param refreshed resources that need no change but whose recorded values are behind: values
 *                  set by Fly alone that moved on (a certificate's status, its DNS records), or a
 *                  secret's first declared value taken as what an imported secret holds. Apply
 *                  records them ({@code after}), with no API call
 * @param removedAt of {@code forgotten}, those a {@code removed} declaration asked to be no longer
 *                  managed (they stay on Fly): where it was said (file:line), or, for what such
 *                  an object takes along (an app's machines), the same
 */
public record Plan(String lineage, long serial, List<ResourceChange> changes, List<ResourceAddress> forgotten,
                   List<Diagnostic> warnings, Map<ResourceAddress, List<AttributeChange>> refreshed,
                   Map<ResourceAddress, String> removedAt) {

    public Plan {
        changes = List.copyOf(changes);
        forgotten = List.copyOf(forgotten);
        warnings = List.copyOf(warnings);
        refreshed = java.util.Collections.unmodifiableMap(new TreeMap<>(refreshed));
        removedAt = java.util.Collections.unmodifiableMap(new TreeMap<>(removedAt));
    }

    public Plan(String lineage, long serial, List<ResourceChange> changes, List<ResourceAddress> forgotten,
                List<Diagnostic> warnings, Map<ResourceAddress, List<AttributeChange>> refreshed) {
        this(lineage, serial, changes, forgotten, warnings, refreshed, Map.of());
    }

    public Plan(String lineage, long serial, List<ResourceChange> changes, List<ResourceAddress> forgotten,
                List<Diagnostic> warnings) {
        this(lineage, serial, changes, forgotten, warnings, Map.of());
    }

    /** Whether apply has anything to do, in Fly or in the state. */
    public boolean hasWork() {
        return hasChanges() || !forgotten.isEmpty() || !refreshed.isEmpty();
    }

    public boolean hasChanges() {
        return changes.stream().anyMatch(c -> c.action().mutates());
    }

    public long count(Action action) {
        return changes.stream().filter(c -> c.action() == action).count();
    }

    public Map<ResourceAddress, ResourceChange> byAddress() {
        Map<ResourceAddress, ResourceChange> map = new TreeMap<>();
        changes.forEach(c -> map.put(c.address(), c));
        return map;
    }

    public Optional<ResourceChange> change(ResourceAddress address) {
        return Optional.ofNullable(byAddress().get(address));
    }
}
