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

    @Override
    void close();
}
