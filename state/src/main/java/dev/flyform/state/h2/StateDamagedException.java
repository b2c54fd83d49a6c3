package dev.flyform.state.h2;

/** The state store cannot be opened or read: damaged, not a state, or from a newer flyform. */
public class StateDamagedException extends RuntimeException {

    public StateDamagedException(String message) {
        super(message, null, false, false);
    }
}
