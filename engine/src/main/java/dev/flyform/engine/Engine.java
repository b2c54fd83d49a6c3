package dev.flyform.engine;

import dev.flyform.engine.apply.ApplyListener;
import dev.flyform.engine.apply.ApplyResult;
import dev.flyform.engine.apply.Applier;
import dev.flyform.engine.apply.Cancellation;
import dev.flyform.engine.apply.Recovery;
import dev.flyform.engine.apply.StateRecorder;
import dev.flyform.engine.addr.ResourceAddress;
import dev.flyform.engine.config.Configuration;
import dev.flyform.engine.config.Outputs;
import dev.flyform.engine.config.Values;
import dev.flyform.engine.diag.Diagnostic;
import dev.flyform.engine.diag.DiagnosticsException;
import dev.flyform.engine.plan.Plan;
import dev.flyform.engine.plan.PlanOptions;
import dev.flyform.engine.plan.Planner;
import dev.flyform.engine.plan.ResourceChange;
import dev.flyform.engine.provider.Provider;
import dev.flyform.engine.provider.ReadManyRequest;
import dev.flyform.engine.provider.ReadRequest;
import dev.flyform.engine.provider.ReadResponse;
import dev.flyform.engine.state.ResourceState;
import dev.flyform.engine.state.State;
import dev.flyform.engine.state.StateLock;
import dev.flyform.engine.state.StateStore;
import dev.flyform.engine.state.StateTargetMismatchException;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiPredicate;

/**
 * One run over one state, in the order that keeps the guarantee: the state's lock taken and its
 * target checked, creates an earlier run left open settled, then refresh and plan (or a saved
 * plan checked against the state and the API), then apply with every step recorded as it is
 * made, then the outputs and the run in the history; and import, which records objects the API
 * holds. The command line only parses options and renders.
 */
public final class Engine {

    private final Provider provider;
    private final StateStore store;
    private final String target;
    private final String owner;

    /** @param target the API endpoint this state belongs to (recorded by the first apply) */
    public Engine(Provider provider, StateStore store, String target) {
        this(provider, store, target, null);
    }

    /**
     * @param owner where the state lives (a directory; a database and workspace), marked on the
     *              objects made where Fly lets them carry it, so another state does not take them
     *              over unasked; null when it has no lasting place
     */
    public Engine(Provider provider, StateStore store, String target, String owner) {
        this.provider = provider;
        this.store = store;
        this.target = target;
        this.owner = owner;
    }

    /**
     * Takes the state's lock for {@code operation}, waiting up to {@code wait}, and checks the
     * state belongs to this target: everything after happens under the lock the caller closes.
     */
    public StateLock lock(String operation, Duration wait) {
        StateLock lock = store.lock(operation, wait);
        try {
            checkTarget();
        } catch (RuntimeException e) {
            lock.close();
            throw e;
        }
        return lock;
    }

    /** A state made against one API endpoint is refused against another, before anything is read from it. */
    public void checkTarget() {
        checkTarget(store, target);
    }

    /** The same check, for what writes a state without a run (import). */
    public static void checkTarget(StateStore store, String target) {
        State state = store.read();
        if (state.target() != null && !state.target().equals(target)) {
            throw new StateTargetMismatchException(state.target(), target);
        }
    }

    /** Creates an earlier run left unfinished, settled before anything is planned; null when there were none. */
    public Recovery.Outcome recover() {
        return store.intents().isEmpty() ? null : Recovery.reconcile(provider, store);
    }

    /** Refreshes what the state holds and plans the configuration against it. */
    public Plan plan(Configuration config, PlanOptions options) {
        checkTarget();
        return new Planner(provider, owner).plan(config, store.read(), options);
    }

    /**
     * A plan that changes nothing on Fly may still leave the state behind (an object gone from
     * Fly, values only Fly sets): recorded with no approval, since nothing is sent.
     */
    public void record(Plan plan) {
        if (!plan.hasChanges() && plan.hasWork()) {
            new Applier(provider).ownedBy(owner).apply(plan, store.read(), new StateRecorder(store));
        }
    }

    /**
     * Records, for each declared object the state holds, whether {@code preventDestroy} protects
     * it and where: kept in the state, it protects after the block is deleted too.
     */
    public void recordProtections(Configuration config) {
        State state = store.read();   // once: a state of thousands of objects is not read for each
        for (var declared : config.resources().values()) {
            state.resource(declared.address()).ifPresent(r -> {
                String wanted = declared.lifecycle().protectedAt() == null ? null : declared.lifecycle().protectedAt().toString();
                if (!java.util.Objects.equals(wanted, r.protectedBy())) {
                    store.put(r.withProtection(wanted));
                }
            });
        }
    }

    /** Makes the plan, each step recorded before the next that depends on it, then the run in the history. */
    public ApplyResult apply(Plan plan, String operation, int parallelism, ApplyListener display, Cancellation cancellation) {
        store.bindTarget(target);
        ApplyResult result = new Applier(provider, parallelism).ownedBy(owner).apply(plan, store.read(),
                ApplyListener.all(new StateRecorder(store), display), cancellation);
        store.recordRun(operation + ": " + (result.interrupted() ? "interrupted, " : !result.succeeded() ? "failed, " : "")
                + result.added() + " added, " + result.changed() + " changed, " + result.destroyed() + " destroyed, "
                + result.adopted() + " adopted");
        return result;
    }

    /**
     * A saved plan applies only to the state it was made against ({@code lineage} at
     * {@code serial}), with nothing left unfinished since.
     */
    public void checkSaved(String lineage, long serial) {
        State state = store.read();
        if (!lineage.equals(state.lineage()) || serial != state.serial()) {
            throw new DiagnosticsException(Diagnostic.error("Saved plan is stale",
                    "It was made against state serial " + serial + " but the state is now at serial "
                            + state.serial() + (lineage.equals(state.lineage()) ? "" : " of another lineage")
                            + ": something was applied since. Run plan again."));
        }
        if (!store.intents().isEmpty()) {
            throw new DiagnosticsException(Diagnostic.error("An earlier run left creates unfinished",
                    "Run `flyform apply` without a saved plan to reconcile them first."));
        }
    }

    /**
     * Every object a saved plan ({@code what}) was made against is as it was then: read again, it
     * is refused when the API changed it (or it is gone) since, as the plan would no longer say
     * what apply does.
     */
    public void checkUnchanged(Plan plan, String what) {
        List<ResourceState> priors = plan.changes().stream()
                .filter(c -> c.prior() != null && (c.action().mutates() || plan.refreshed().containsKey(c.address())))
                .map(ResourceChange::prior).toList();
        if (priors.isEmpty()) {
            return;
        }
        var read = provider.readMany(new ReadManyRequest(priors));
        List<Diagnostic> changed = new ArrayList<>();
        for (ResourceState prior : priors) {
            ReadResponse now = read.results().containsKey(prior.address()) ? read.results().get(prior.address())
                    : provider.read(new ReadRequest(prior));
            if (now.diagnostics().stream().anyMatch(Diagnostic::isError)) {
                changed.addAll(now.diagnostics());
                continue;
            }
            if (now.current() == null) {
                changed.add(Diagnostic.error("Saved plan no longer matches: " + prior.address() + " is gone from Fly",
                        "It was deleted since " + what + " was saved. Run plan again.").forResource(prior.address()));
                continue;
            }
            Set<String> names = new TreeSet<>(prior.attributes().keySet());
            names.addAll(now.current().attributes().keySet());
            List<String> moved = names.stream()
                    .filter(n -> !Values.same(prior.attributes().get(n), now.current().attributes().get(n)))
                    .toList();
            if (!moved.isEmpty()) {
                changed.add(Diagnostic.error("Saved plan no longer matches: " + prior.address() + " changed on Fly since it was saved",
                        "Changed: " + String.join(", ", moved) + ". Run plan again to see what apply would do now.")
                        .forResource(prior.address()));
            }
        }
        if (!changed.isEmpty()) {
            throw new DiagnosticsException(changed);
        }
    }

    /** The outputs as they will be after {@code plan} is applied. */
    public List<Outputs.Value> plannedOutputs(Configuration config, Plan plan) {
        Map<ResourceAddress, ResourceChange> changes = plan.byAddress();
        return Outputs.evaluate(config, a -> changes.containsKey(a) ? changes.get(a).planned() : null, sensitivity());
    }

    /**
     * Records the outputs as the state now holds them (none after a destroy), data sources as the
     * plan read them, when they differ from those recorded: only known values, a sensitive one
     * without its value. {@code output} reads them from there.
     */
    public void recordOutputs(Configuration config, Plan plan, boolean destroyed) {
        Map<ResourceAddress, ResourceChange> changes = plan.byAddress();
        State state = store.read();
        List<Outputs.Value> values = destroyed ? List.of() : Outputs.evaluate(config,
                a -> a.isData() ? (changes.containsKey(a) ? changes.get(a).planned() : null)
                        : state.resource(a).map(ResourceState::attributes).orElse(null), sensitivity());
        List<Outputs.Value> recordable = values.stream().filter(v -> !Values.containsUnknown(v.value()))
                .map(v -> v.sensitive() ? new Outputs.Value(v.name(), null, true) : v).toList();
        List<Outputs.Value> recorded = store.outputs();
        boolean same = recorded.size() == recordable.size();
        for (int i = 0; same && i < recorded.size(); i++) {
            Outputs.Value a = recorded.get(i);
            Outputs.Value b = recordable.get(i);
            same = a.name().equals(b.name()) && a.sensitive() == b.sensitive()
                    && (a.value() == null ? b.value() == null : b.value() != null && Values.same(a.value(), b.value()));
        }
        if (!same) {
            store.recordOutputs(recordable);
        }
    }

    private BiPredicate<String, String> sensitivity() {
        return (type, attribute) -> provider.schema().resourceType(type).map(t -> t.isSensitive(attribute)).orElse(false);
    }

    /**
     * Import: records {@code objects}, which the API holds, each with the dependencies its
     * declaration has. None may be in the state yet; {@code beforeRecording} runs (writing the
     * declarations, say) once that is known and before anything is recorded.
     */
    public void recordImported(List<ResourceState> objects, Runnable beforeRecording) {
        State state = store.read();
        for (ResourceState r : objects) {
            state.resource(r.address()).ifPresent(existing -> {
                throw new DiagnosticsException(Diagnostic.error(r.address() + " is already in the state",
                        "It holds " + existing.id() + ". Nothing was imported or written; remove it from the state first "
                                + "to import another object there."));
            });
        }
        beforeRecording.run();
        store.bindTarget(target);
        objects.forEach(store::put);
    }
}
