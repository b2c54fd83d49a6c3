package dev.flyform.engine.state;

/**
 * This run's lock on the state lapsed (it could not be renewed, and another run may have taken
 * it over): the run stops before its next write rather than write without the lock.
 */
public class StateLockLostException extends RuntimeException {

    public StateLockLostException(String where, String why) {
        super("this run lost its lock on the state at " + where + " (" + why + ") and stopped before its next write; "
                + "what it did before is recorded. Run it again once the other run is done", null, false, false);
    }
}
