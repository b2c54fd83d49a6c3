package dev.flyform.engine.apply;

import dev.flyform.engine.addr.ResourceAddress;
import dev.flyform.engine.config.Unknown;
import dev.flyform.engine.config.Values;
import dev.flyform.engine.diag.Diagnostic;
import dev.flyform.engine.diag.DiagnosticsException;
import dev.flyform.engine.graph.DependencyGraph;
import dev.flyform.engine.plan.Action;
import dev.flyform.engine.plan.Plan;
import dev.flyform.engine.plan.ResourceChange;
import dev.flyform.engine.provider.ApplyRequest;
import dev.flyform.engine.provider.ApplyResponse;
import dev.flyform.engine.provider.Provider;
import dev.flyform.engine.state.ResourceState;
import dev.flyform.engine.state.State;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Executes exactly the plan it is given: deletes first, dependents before dependencies, then
 * creates and updates, dependencies first. Stops at the first failure; everything done before
 * it has already been reported to the listener (and so recorded in state).
 */
public final class Applier {

    private final Provider provider;

    public Applier(Provider provider) {
        this.provider = provider;
    }

    /**
     * @param current the state as it is now; apply refuses a plan made against another serial
     */
    public ApplyResult apply(Plan plan, State current, ApplyListener listener) {
        if (!plan.lineage().equals(current.lineage()) || plan.serial() != current.serial()) {
            throw new DiagnosticsException(Diagnostic.error("Saved plan is stale",
                    "The plan was made against state serial " + plan.serial() + ", but the state is now at serial "
                            + current.serial() + ". Run plan again."));
        }
        Map<ResourceAddress, ResourceChange> changes = plan.byAddress();
        Map<ResourceAddress, Set<ResourceAddress>> deps = new TreeMap<>();
        changes.forEach((a, c) -> deps.put(a, c.dependencies()));
        DependencyGraph graph = DependencyGraph.of(deps, a -> changes.get(a).location());

        int added = 0;
        int changed = 0;
        int destroyed = 0;
        List<Diagnostic> diags = new ArrayList<>(plan.warnings());

        plan.forgotten().forEach(listener::forgotten);
        for (ResourceAddress address : graph.deletionOrder()) {
            ResourceChange change = changes.get(address);
            if (change.action() != Action.DELETE && change.action() != Action.REPLACE) {
                continue;
            }
            listener.starting(change, true);
            ApplyResponse response = provider.apply(new ApplyRequest(address, change.prior(), null));
            diags.addAll(response.diagnostics());
            if (response.failed()) {
                listener.failed(change, response.diagnostics());
                return new ApplyResult(added, changed, destroyed, diags);
            }
            listener.deleted(change);
            destroyed++;
        }
        for (ResourceAddress address : graph.creationOrder()) {
            ResourceChange change = changes.get(address);
            Action action = change.action();
            if (action != Action.CREATE && action != Action.UPDATE && action != Action.REPLACE) {
                continue;
            }
            ResourceState prior = action == Action.UPDATE ? change.prior() : null;
            listener.starting(change, false);
            ApplyResponse response = provider.apply(new ApplyRequest(address, prior, change.planned()));
            diags.addAll(response.diagnostics());
            if (response.failed() || response.newState() == null) {
                List<Diagnostic> failure = response.failed() ? response.diagnostics()
                        : List.of(Diagnostic.error("Provider returned no object for " + address, "This is a bug in the provider."));
                if (!response.failed()) {
                    diags.addAll(failure);
                }
                listener.failed(change, failure);
                return new ApplyResult(added, changed, destroyed, diags);
            }
            diags.addAll(inconsistencies(change, response.newState()));
            listener.created(change, response.newState());
            if (action == Action.UPDATE) {
                changed++;
            } else {
                added++;
            }
        }
        return new ApplyResult(added, changed, destroyed, diags);
    }

    /** Distrust providers: every known planned value must be what the API now holds. */
    private static List<Diagnostic> inconsistencies(ResourceChange change, ResourceState result) {
        List<Diagnostic> found = new ArrayList<>();
        change.planned().forEach((name, planned) -> {
            if (planned instanceof Unknown) {
                return;
            }
            Object actual = result.attributes().get(name);
            if (!Values.same(planned, actual)) {
                boolean sensitive = change.attributes().stream().anyMatch(a -> a.name().equals(name) && a.sensitive());
                String values = sensitive ? " differs from its planned (sensitive) value"
                        : " was planned as " + planned + " but is " + actual;
                found.add(Diagnostic.warning("Provider produced an inconsistent result for " + change.address(),
                        "Attribute `" + name + "`" + values + " after apply. The next plan will show the difference.")
                        .forResource(change.address()));
            }
        });
        return found;
    }
}
