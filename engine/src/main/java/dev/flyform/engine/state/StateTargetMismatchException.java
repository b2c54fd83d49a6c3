package dev.flyform.engine.state;

/** The state was made against another API endpoint or organization. */
public class StateTargetMismatchException extends RuntimeException {

    public StateTargetMismatchException(String stateTarget, String requested) {
        super("this state belongs to " + stateTarget + " but the run points at " + requested
                + "; refusing, so it cannot plan deletions against the wrong Fly", null, false, false);
    }
}
