package dev.flyform.engine.apply;

import dev.flyform.engine.addr.ResourceAddress;
import dev.flyform.engine.plan.ResourceChange;
import dev.flyform.engine.state.ResourceState;
import dev.flyform.engine.state.StateStore;

/** Writes every change to the state store the moment it is made. */
public final class StateRecorder implements ApplyListener {

    private final StateStore store;

    public StateRecorder(StateStore store) {
        this.store = store;
    }

    @Override
    public void created(ResourceChange change, ResourceState newState) {
        store.put(newState.withDependencies(change.dependencies()));
    }

    @Override
    public void deleted(ResourceChange change) {
        store.remove(change.address());
    }

    @Override
    public void forgotten(ResourceAddress address) {
        store.remove(address);
    }
}
