package dev.flyform.state.postgres;

/**
 * A write refused because the state moved on since this run read it: another writer got in
 * (one that lost its lock, say). Nothing of this write was kept.
 */
public final class StaleStateException extends RuntimeException {

    public StaleStateException(String where, String workspace, long expected, long found) {
        super("the state at " + where + " (workspace " + workspace + ") is at serial " + found + ", not " + expected
                + " as this run last saw it: another run wrote it since, so this write was refused. Run again to plan "
                + "against it as it is now");
    }
}
