package dev.flyform.engine.state;

/** Another process holds the state lock. */
public class StateLockedException extends RuntimeException {

    private final String holder;

    public StateLockedException(String where, String holder) {
        super("the state at " + where + " is locked by " + holder, null, false, false);
        this.holder = holder;
    }

    public String holder() {
        return holder;
    }
}
