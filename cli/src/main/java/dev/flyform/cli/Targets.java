package dev.flyform.cli;

import dev.flyform.engine.state.State;
import dev.flyform.engine.state.StateStore;
import dev.flyform.engine.state.StateTargetMismatchException;

/** A state belongs to the API endpoint it was made against; another one is refused. */
final class Targets {

    private Targets() {
    }

    static void check(StateStore store, String target) {
        State state = store.read();
        if (state.target() != null && !state.target().equals(target)) {
            throw new StateTargetMismatchException(state.target(), target);
        }
    }
}
