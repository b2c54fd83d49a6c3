package dev.flyform.engine.state;

import dev.flyform.engine.addr.ResourceAddress;

/**
 * The port through which the engine's callers read and persist state. The H2 store lives in the
 * {@code state} module; {@link InMemoryStateStore} is the fake for tests.
 */
public interface StateStore extends AutoCloseable {

    /** The current snapshot. An empty store answers serial 0 and no resources. */
    State read();

    /**
     * Takes the state lock for {@code operation} ("apply", "plan"...).
     *
     * @throws StateLockedException naming the holder when another process has it
     */
    StateLock lock(String operation);

    /** Takes the lock, waiting up to {@code wait} for another holder to release it. */
    default StateLock lock(String operation, java.time.Duration wait) {
        long deadline = System.nanoTime() + wait.toNanos();
        while (true) {
            try {
                return lock(operation);
            } catch (StateLockedException e) {
                if (System.nanoTime() >= deadline) {
                    throw e;
                }
                try {
                    Thread.sleep(Math.min(500, Math.max(10, (deadline - System.nanoTime()) / 1_000_000)));
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    /** Who holds the lock now, with its id; empty when it is free. */
    java.util.Optional<String> lockHolder();

    /**
     * Releases the lock when {@code lockId} is its id, unless its holder is a process still
     * running on this host.
     *
     * @throws IllegalArgumentException the lock has another id (or none)
     * @throws IllegalStateException    the holder is alive on this host
     */
    void forceUnlock(String lockId);

    /** Moves a resource to another address (same type), bumping the serial. */
    void move(ResourceAddress from, ResourceAddress to);

    /** Records an apply in the history. */
    void recordRun(String summary);

    /** Every apply recorded, oldest first. */
    java.util.List<RunRecord> runs();

    /** Records the API target this state belongs to; refuses when it already belongs to another. */
    void bindTarget(String target);

    /** Stores one resource after a change, bumping the serial, in one transaction. */
    void put(ResourceState resource);

    /** Forgets one resource after it was deleted, bumping the serial. */
    void remove(ResourceAddress address);

    /** Records, durably, a create about to be sent. */
    void recordIntent(Intent intent);

    /** In one transaction: the intent is done, and its object is stored (bumping the serial). */
    void completeIntent(String intentId, ResourceState resource);

    /** The intent's create certainly made nothing: forget it. */
    void dropIntent(String intentId);

    /** Creates that were started and never completed or dropped: a crash or a lost answer. */
    java.util.List<Intent> intents();

    /**
     * The outputs the last apply recorded, in their declared order. A sensitive one comes back
     * without its value (null): the state never holds it.
     */
    java.util.List<dev.flyform.engine.config.Outputs.Value> outputs();

    /**
     * Replaces the recorded outputs, in one transaction. Only known values are given; a
     * sensitive one is stored without its value.
     */
    void recordOutputs(java.util.List<dev.flyform.engine.config.Outputs.Value> outputs);

    @Override
    void close();

    /** Everything this state holds, for `state migrate`. */
    default StateSnapshot snapshot() {
        throw new UnsupportedOperationException("this store cannot be copied");
    }

    /**
     * Makes this store, which must hold nothing yet (no object, no change in its history), a copy
     * of {@code snapshot}: same lineage, serial, target and digest key (so secret digests still
     * match), same history, outputs and runs.
     *
     * @throws IllegalStateException when this store is not empty
     */
    default void load(StateSnapshot snapshot) {
        throw new UnsupportedOperationException("this store cannot be written whole");
    }
}
