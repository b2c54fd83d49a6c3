package dev.flyform.engine.apply;

/**
 * Asked for by an interrupt: apply lets the change in flight finish and be recorded, then
 * starts nothing new.
 */
public final class Cancellation {

    private volatile boolean requested;

    public static Cancellation never() {
        return new Cancellation();
    }

    public void request() {
        requested = true;
    }

    public boolean requested() {
        return requested;
    }
}
