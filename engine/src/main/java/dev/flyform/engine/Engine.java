package dev.flyform.engine;

import dev.flyform.engine.apply.ApplyListener;
import dev.flyform.engine.apply.ApplyResult;
import dev.flyform.engine.apply.Applier;
import dev.flyform.engine.apply.Cancellation;
import dev.flyform.engine.apply.Recovery;
import dev.flyform.engine.apply.StateRecorder;
import dev.flyform.engine.config.Configuration;
import dev.flyform.engine.plan.Plan;
import dev.flyform.engine.plan.PlanOptions;
import dev.flyform.engine.plan.Planner;
import dev.flyform.engine.provider.Provider;
import dev.flyform.engine.state.State;
import dev.flyform.engine.state.StateStore;
import dev.flyform.engine.state.StateTargetMismatchException;

/**
 * One run over one state, in the order that keeps the guarantee: the state's target checked,
 * creates an earlier run left open settled, then refresh and plan, then apply with every step
 * recorded as it is made, then the run in the history. The caller holds the state's lock
 * around it; the command line only parses options and renders.
 */
public final class Engine {

    private final Provider provider;
    private final StateStore store;
    private final String target;

    /** @param target the API endpoint this state belongs to (recorded by the first apply) */
    public Engine(Provider provider, StateStore store, String target) {
        this.provider = provider;
        this.store = store;
        this.target = target;
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
        return new Planner(provider).plan(config, store.read(), options);
    }

    /**
     * A plan that changes nothing on Fly may still leave the state behind (an object gone from
     * Fly, values only Fly sets): recorded with no approval, since nothing is sent.
     */
    public void record(Plan plan) {
        if (!plan.hasChanges() && plan.hasWork()) {
            new Applier(provider).apply(plan, store.read(), new StateRecorder(store));
        }
    }

    /** Makes the plan, each step recorded before the next that depends on it, then the run in the history. */
    public ApplyResult apply(Plan plan, String operation, int parallelism, ApplyListener display, Cancellation cancellation) {
        store.bindTarget(target);
        ApplyResult result = new Applier(provider, parallelism).apply(plan, store.read(),
                ApplyListener.all(new StateRecorder(store), display), cancellation);
        store.recordRun(operation + ": " + (result.interrupted() ? "interrupted, " : !result.succeeded() ? "failed, " : "")
                + result.added() + " added, " + result.changed() + " changed, " + result.destroyed() + " destroyed, "
                + result.adopted() + " adopted");
        return result;
    }
}
