package dev.flyform.engine.state;

import dev.flyform.engine.config.Outputs;

import java.time.Instant;
import java.util.List;

/**
 * Everything a state holds, to move it to another store whole: its objects (with its lineage,
 * serial, target and digest key), the outputs last recorded, the history of every change, the
 * runs, and creates left unfinished.
 */
public record StateSnapshot(State state, List<Outputs.Value> outputs, List<Change> history, List<RunRecord> runs,
                            List<Intent> intents) {

    public StateSnapshot {
        outputs = List.copyOf(outputs);
        history = List.copyOf(history);
        runs = List.copyOf(runs);
        intents = List.copyOf(intents);
    }

    /** One change in the history: what was done to which address at which serial. */
    public record Change(long serial, Instant at, String address, String change, String resource) {
    }
}
