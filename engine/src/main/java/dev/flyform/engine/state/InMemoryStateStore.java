package dev.flyform.engine.state;

import dev.flyform.engine.addr.ResourceAddress;

import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/** A state store that lives in memory: for tests, and for anything that needs no persistence. */
public final class InMemoryStateStore implements StateStore {

    private final String lineage = UUID.randomUUID().toString();
    private final String digestKey = SecretDigest.newKey();
    private final Map<ResourceAddress, ResourceState> resources = new TreeMap<>();
    private final Map<String, Intent> intents = new java.util.LinkedHashMap<>();
    private long serial;
    private String target;
    private String holder;

    @Override
    public synchronized State read() {
        return new State(lineage, serial, target, resources, digestKey);
    }

    @Override
    public synchronized StateLock lock(String operation) {
        if (holder != null) {
            throw new StateLockedException("memory", holder);
        }
        String me = operation + " in this process";
        holder = me;
        return new StateLock() {
            @Override
            public String holder() {
                return me;
            }

            @Override
            public void close() {
                synchronized (InMemoryStateStore.this) {
                    holder = null;
                }
            }
        };
    }

    @Override
    public synchronized void bindTarget(String requested) {
        if (target != null && !target.equals(requested)) {
            throw new StateTargetMismatchException(target, requested);
        }
        target = requested;
    }

    @Override
    public synchronized void put(ResourceState resource) {
        resources.put(resource.address(), resource);
        serial++;
    }

    @Override
    public synchronized void remove(ResourceAddress address) {
        if (resources.remove(address) != null) {
            serial++;
        }
    }

    @Override
    public synchronized void recordIntent(Intent intent) {
        intents.put(intent.id(), intent);
    }

    @Override
    public synchronized void completeIntent(String intentId, ResourceState resource) {
        intents.remove(intentId);
        put(resource);
    }

    @Override
    public synchronized void dropIntent(String intentId) {
        intents.remove(intentId);
    }

    @Override
    public synchronized java.util.List<Intent> intents() {
        return java.util.List.copyOf(intents.values());
    }

    private final java.util.List<RunRecord> runs = new java.util.ArrayList<>();
    private java.util.List<dev.flyform.engine.config.Outputs.Value> outputs = java.util.List.of();

    @Override
    public synchronized java.util.List<dev.flyform.engine.config.Outputs.Value> outputs() {
        return outputs;
    }

    @Override
    public synchronized void recordOutputs(java.util.List<dev.flyform.engine.config.Outputs.Value> values) {
        outputs = values.stream().map(v -> v.sensitive() ? new dev.flyform.engine.config.Outputs.Value(v.name(), null, true) : v)
                .toList();
    }

    @Override
    public synchronized java.util.Optional<String> lockHolder() {
        return java.util.Optional.ofNullable(holder);
    }

    @Override
    public synchronized void forceUnlock(String lockId) {
        holder = null;
    }

    @Override
    public synchronized void move(ResourceAddress from, ResourceAddress to) {
        ResourceState r = resources.remove(from);
        if (r != null) {
            resources.put(to, new ResourceState(to, r.id(), r.attributes(), r.dependencies()));
            serial++;
        }
    }

    @Override
    public synchronized void recordRun(String summary) {
        runs.add(new RunRecord(serial, java.time.Instant.now(), System.getProperty("user.name", "?"), "localhost", summary));
    }

    @Override
    public synchronized java.util.List<RunRecord> runs() {
        return java.util.List.copyOf(runs);
    }

    @Override
    public void close() {
    }
}
