package dev.flyform.engine.state;

/** A held state lock; closing it releases the lock. */
public interface StateLock extends AutoCloseable {

    /** Who holds it, e.g. "apply by root@host (pid 4242) since 2026-11-27T20:00:00Z". */
    String holder();

    /** The lock's id, which `state unlock ID` takes. */
    default String id() {
        return "";
    }

    /** When this lock was taken over from a holder whose lease had run out: who that was. */
    default String tookOverFrom() {
        return null;
    }

    @Override
    void close();
}
