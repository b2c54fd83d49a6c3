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
import dev.flyform.engine.provider.PlanRequest;
import dev.flyform.engine.provider.PlanResponse;
import dev.flyform.engine.provider.Provider;
import dev.flyform.engine.provider.ResourceSchema;
import dev.flyform.engine.state.ResourceState;
import dev.flyform.engine.state.SecretDigest;
import dev.flyform.engine.state.State;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Executes exactly the plan it is given: deletes first, dependents before dependencies, then
 * creates and updates, dependencies first. A value that was unknown at plan time (a new
 * volume's id) is filled in from what apply has just made, and the provider's final proposal
 * must agree with every value the plan already knew. Stops at the first failure; everything
 * done before it has already been reported to the listener (and so recorded in state).
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

        Map<ResourceAddress, Map<String, Object>> known = new HashMap<>();
        changes.forEach((a, c) -> known.put(a, c.planned() != null ? c.planned() : c.prior().attributes()));
        Run run = new Run(listener, new ArrayList<>(plan.warnings()), current.digestKey());

        plan.forgotten().forEach(listener::forgotten);

        Map<ResourceAddress, List<ResourceChange>> cascaded = new HashMap<>();
        for (ResourceAddress address : graph.deletionOrder()) {
            ResourceChange change = changes.get(address);
            if (change.action() != Action.DELETE && change.action() != Action.REPLACE) {
                continue;
            }
            if (change.deletedWith() != null) {
                // Fly deletes it with its parent: no call of its own.
                cascaded.computeIfAbsent(change.deletedWith(), k -> new ArrayList<>()).add(change);
                continue;
            }
            listener.starting(change, true);
            ApplyResponse response = provider.apply(new ApplyRequest(address, change.prior(), null));
            run.diags.addAll(response.diagnostics());
            if (response.failed()) {
                listener.failed(change, response.diagnostics());
                return run.result();
            }
            listener.deleted(change);
            run.destroyed++;
            for (ResourceChange child : cascaded.getOrDefault(address, List.of())) {
                listener.deleted(child);
                run.destroyed++;
            }
        }
        for (ResourceAddress address : graph.creationOrder()) {
            ResourceChange change = changes.get(address);
            Action action = change.action();
            if (action != Action.CREATE && action != Action.UPDATE && action != Action.REPLACE) {
                continue;
            }
            ResourceState prior = action == Action.UPDATE ? change.prior() : null;
            Map<String, Object> planned = finalPlan(change, prior, known, run);
            if (planned == null) {
                return run.result();
            }
            listener.starting(change, false);
            ApplyResponse response = provider.apply(new ApplyRequest(address, prior, planned));
            run.diags.addAll(response.diagnostics());
            if (response.failed() || response.newState() == null) {
                List<Diagnostic> failure = response.failed() ? response.diagnostics()
                        : List.of(Diagnostic.error("Provider returned no object for " + address, "This is a bug in the provider."));
                if (!response.failed()) {
                    run.diags.addAll(failure);
                }
                listener.failed(change, failure);
                return run.result();
            }
            ResourceState made = redact(response.newState(), run.digestKey);
            run.diags.addAll(inconsistencies(change, planned, made, run.digestKey));
            known.put(address, made.attributes());
            listener.created(change, made);
            if (action == Action.UPDATE) {
                run.changed++;
            } else {
                run.added++;
            }
        }
        return run.result();
    }

    private static final class Run {
        final ApplyListener listener;
        final List<Diagnostic> diags;
        final String digestKey;
        int added;
        int changed;
        int destroyed;

        Run(ApplyListener listener, List<Diagnostic> diags, String digestKey) {
            this.listener = listener;
            this.diags = diags;
            this.digestKey = digestKey;
        }

        ApplyResult result() {
            return new ApplyResult(added, changed, destroyed, diags);
        }
    }

    /**
     * The planned values with every reference resolved from what exists now. When the plan had
     * unknowns, the provider proposes again; anything the plan already knew must not change.
     */
    private Map<String, Object> finalPlan(ResourceChange change, ResourceState prior,
                                          Map<ResourceAddress, Map<String, Object>> known, Run run) {
        if (change.config() == null || !Values.containsUnknown(change.planned())
                || Values.references(change.config()).isEmpty()) {
            return change.planned();
        }
        Map<String, Object> resolved = Values.resolveAll(change.config(), ref -> known.getOrDefault(ref.address(), Map.of())
                .getOrDefault(ref.attribute(), Unknown.AFTER_APPLY));
        // Proposed against the same prior as at plan time, so defaults taken from it agree.
        PlanResponse response = provider.plan(new PlanRequest(change.address(), change.prior(), resolved));
        if (response.diagnostics().stream().anyMatch(Diagnostic::isError)) {
            run.diags.addAll(response.diagnostics());
            run.listener.failed(change, response.diagnostics());
            return null;
        }
        Map<String, Object> finalPlanned = new LinkedHashMap<>(response.planned());
        if (change.action() == Action.REPLACE) {
            // The new object's API-set values (id, address) are new, whatever the old one had.
            provider.schema().resourceType(change.address().type()).ifPresent(type -> type.attributes().values().stream()
                    .filter(a -> a.computed() && !a.settable()).forEach(a -> finalPlanned.put(a.name(), Unknown.AFTER_APPLY)));
        }
        for (Map.Entry<String, Object> e : change.planned().entrySet()) {
            Object was = e.getValue();
            if (Values.containsUnknown(was)) {
                continue;
            }
            if (!Values.same(was, finalPlanned.get(e.getKey()))) {
                Diagnostic d = Diagnostic.error("Provider produced an inconsistent final plan for " + change.address(),
                        "Attribute `" + e.getKey() + "` was planned before apply but changed once the values it depends on "
                                + "became known. This is a bug in the provider; nothing was changed for this resource.")
                        .forResource(change.address());
                run.diags.add(d);
                run.listener.failed(change, List.of(d));
                return null;
            }
        }
        return finalPlanned;
    }

    /** The state never holds a sensitive value: only its keyed digest. */
    private ResourceState redact(ResourceState made, String digestKey) {
        ResourceSchema type = provider.schema().resourceType(made.address().type()).orElse(null);
        if (type == null) {
            return made;
        }
        Map<String, Object> attrs = new LinkedHashMap<>(made.attributes());
        boolean touched = false;
        for (Map.Entry<String, Object> e : attrs.entrySet()) {
            if (type.isSensitive(e.getKey()) && e.getValue() instanceof String s && !SecretDigest.isDigest(s)) {
                e.setValue(SecretDigest.of(digestKey, s));
                touched = true;
            }
        }
        return touched ? made.withAttributes(attrs) : made;
    }

    /** Distrust providers: every known planned value must be what the API now holds. */
    private List<Diagnostic> inconsistencies(ResourceChange change, Map<String, Object> planned, ResourceState result,
                                             String digestKey) {
        ResourceSchema type = provider.schema().resourceType(change.address().type()).orElse(null);
        List<Diagnostic> found = new ArrayList<>();
        planned.forEach((name, value) -> {
            if (Values.containsUnknown(value) || (type != null && type.attributes().containsKey(name)
                    && type.attributes().get(name).computed() && !type.attributes().get(name).settable())) {
                return;
            }
            Object actual = result.attributes().get(name);
            boolean sensitive = type != null && type.isSensitive(name);
            Object expected = sensitive && value instanceof String s ? SecretDigest.of(digestKey, s) : value;
            if (!Values.same(expected, actual)) {
                String values = sensitive ? " differs from its planned (sensitive) value"
                        : " was planned as " + value + " but is " + actual;
                found.add(Diagnostic.warning("Provider produced an inconsistent result for " + change.address(),
                        "Attribute `" + name + "`" + values + " after apply. The next plan will show the difference.")
                        .forResource(change.address()));
            }
        });
        return found;
    }
}
