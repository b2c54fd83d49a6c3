package dev.flyform.emulator;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;
import java.util.Set;

/**
 * How unkind the emulated Fly is. Everything is off by default; random choices come from
 * {@code seed}, so a run with the same settings and calls fails the same way again.
 *
 * @param latencyMs            added before every API answer
 * @param failureRate          share of API calls (0..1) answered with one of {@code failureStatuses}
 *                             before anything is done
 * @param failureStatuses      statuses to fail with (500, 502, 503, 408, 429); default 500, 502, 503
 * @param dropAfterCommit      for these mutating calls (1 = the first after these settings), do the
 *                             change, then drop the connection without answering
 * @param errorAfterCommit     for these mutating calls, do the change, then answer 503
 * @param appVisibilityDelayMs a new app answers 404 for this long after it was created
 * @param rateLimits           enforce Fly's documented rate limits (1/s burst 3 per action and app or
 *                             machine; Get Machine 5/s burst 10), answering 429
 */
@JsonIgnoreProperties(ignoreUnknown = false)
public record FaultSettings(
        @JsonProperty("seed") long seed,
        @JsonProperty("latency_ms") long latencyMs,
        @JsonProperty("failure_rate") double failureRate,
        @JsonProperty("failure_statuses") List<Integer> failureStatuses,
        @JsonProperty("drop_after_commit") Set<Long> dropAfterCommit,
        @JsonProperty("error_after_commit") Set<Long> errorAfterCommit,
        @JsonProperty("app_visibility_delay_ms") long appVisibilityDelayMs,
        @JsonProperty("rate_limits") boolean rateLimits) {

    public static final FaultSettings NONE = new FaultSettings(0, 0, 0, List.of(), Set.of(), Set.of(), 0, false);

    public FaultSettings {
        if (failureRate < 0 || failureRate > 1) {
            throw new IllegalArgumentException("failure_rate must be between 0 and 1");
        }
        if (latencyMs < 0 || appVisibilityDelayMs < 0) {
            throw new IllegalArgumentException("latency_ms and app_visibility_delay_ms must not be negative");
        }
        failureStatuses = failureStatuses == null || failureStatuses.isEmpty() ? List.of(500, 502, 503) : List.copyOf(failureStatuses);
        for (int s : failureStatuses) {
            if (s != 408 && s != 429 && (s < 500 || s > 599)) {
                throw new IllegalArgumentException("failure_statuses holds " + s + "; use 408, 429 or 5xx");
            }
        }
        dropAfterCommit = dropAfterCommit == null ? Set.of() : Set.copyOf(dropAfterCommit);
        errorAfterCommit = errorAfterCommit == null ? Set.of() : Set.copyOf(errorAfterCommit);
    }

    public FaultSettings withLatency(long ms) {
        return new FaultSettings(seed, ms, failureRate, failureStatuses, dropAfterCommit, errorAfterCommit, appVisibilityDelayMs, rateLimits);
    }

    public FaultSettings withFailures(long seed, double rate, List<Integer> statuses) {
        return new FaultSettings(seed, latencyMs, rate, statuses, dropAfterCommit, errorAfterCommit, appVisibilityDelayMs, rateLimits);
    }

    public FaultSettings droppingAfterCommit(Long... mutatingCalls) {
        return new FaultSettings(seed, latencyMs, failureRate, failureStatuses, Set.of(mutatingCalls), errorAfterCommit, appVisibilityDelayMs, rateLimits);
    }

    public FaultSettings failingAfterCommit(Long... mutatingCalls) {
        return new FaultSettings(seed, latencyMs, failureRate, failureStatuses, dropAfterCommit, Set.of(mutatingCalls), appVisibilityDelayMs, rateLimits);
    }

    public FaultSettings withAppVisibilityDelay(long ms) {
        return new FaultSettings(seed, latencyMs, failureRate, failureStatuses, dropAfterCommit, errorAfterCommit, ms, rateLimits);
    }

    public FaultSettings withRateLimits(boolean on) {
        return new FaultSettings(seed, latencyMs, failureRate, failureStatuses, dropAfterCommit, errorAfterCommit, appVisibilityDelayMs, on);
    }
}
