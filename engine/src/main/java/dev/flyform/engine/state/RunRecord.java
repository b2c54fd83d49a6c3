package dev.flyform.engine.state;

import java.time.Instant;

/** One apply, as `state history` lists it. */
public record RunRecord(long serial, Instant at, String user, String host, String summary) {
}
