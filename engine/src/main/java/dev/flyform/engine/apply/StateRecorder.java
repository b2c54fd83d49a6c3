package dev.flyform.engine.apply;

import dev.flyform.engine.addr.ResourceAddress;
import dev.flyform.engine.plan.ResourceChange;
import dev.flyform.engine.state.Intent;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import dev.flyform.engine.state.ResourceState;
import dev.flyform.engine.state.StateStore;

/**
 * Writes every change to the state store the moment it is made: an intent before each create,
 * replaced by the created object in the same transaction once it exists.
 */
public final class StateRecorder implements ApplyListener {

    private final StateStore store;
    private final Map<ResourceAddress, String> openIntents = new ConcurrentHashMap<>();

    public StateRecorder(StateStore store) {
        this.store = store;
    }

    @Override
    public void intending(ResourceChange change, Intent intent) {
        store.recordIntent(intent);
        openIntents.put(change.address(), intent.id());
    }

    @Override
    public void abandoned(Intent intent) {
        store.dropIntent(intent.id());
        openIntents.remove(intent.address(), intent.id());
    }

    @Override
    public void created(ResourceChange change, ResourceState newState) {
        ResourceState recorded = newState.withDependencies(change.dependencies());
        if (recorded.protectedBy() == null && change.action() != dev.flyform.engine.plan.Action.REPLACE && change.prior() != null) {
            recorded = recorded.withProtection(change.prior().protectedBy());   // the provider knows nothing of it: kept
        }
        String intent = openIntents.remove(change.address());
        if (intent != null) {
            store.completeIntent(intent, recorded);
        } else {
            store.put(recorded);
        }
    }

    @Override
    public void deposed(ResourceChange change, ResourceAddress at) {
        store.move(change.address(), at);
    }

    @Override
    public void deleted(ResourceChange change) {
        store.remove(change.address());
    }

    @Override
    public void forgotten(ResourceAddress address) {
        store.remove(address);
    }

    @Override
    public void refreshed(ResourceChange change, ResourceState current) {
        ResourceState recorded = current.withDependencies(change.dependencies());
        if (recorded.protectedBy() == null && change.prior() != null) {
            recorded = recorded.withProtection(change.prior().protectedBy());
        }
        store.put(recorded);
    }
}
