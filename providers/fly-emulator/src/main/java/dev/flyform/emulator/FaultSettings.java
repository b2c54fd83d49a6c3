package dev.flyform.emulator;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;
import java.util.Set;

/**
 * How unkind the emulated Fly is. Two kinds of setting:
 *
 * <ul>
 * <li>what Fly always does, on by default: machines move through transient states
 *     ({@code machineTransitionMs}) and a deleted app lingers, its name taken
 *     ({@code appDeletionMs}); set 0 for an instant Fly;</li>
 * <li>what Fly does only sometimes, off by default: every other field.</li>
 * </ul>
 *
 * Random choices come from {@code seed}, so a run with the same settings and calls fails the same
 * way again.
 *
 * @param latencyMs                 added before every API answer
 * @param failureRate               share of API calls (0..1) answered with one of {@code failureStatuses}
 *                                  before anything is done
 * @param failureStatuses           statuses to fail with (500, 502, 503, 408, 429); default 500, 502, 503
 * @param dropAfterCommit           for these mutating calls (1 = the first after these settings), do the
 *                                  change, then drop the connection without answering
 * @param errorAfterCommit          for these mutating calls, do the change, then answer 503
 * @param appVisibilityDelayMs      a new app answers 404 for this long after it was created
 * @param rateLimits                enforce Fly's documented rate limits (1/s burst 3 per action and app or
 *                                  machine; Get Machine 5/s burst 10), answering 429
 * @param machineTransitionMs       how long a machine spends in a transient state (created or starting
 *                                  before started, replacing after an update, stopping, destroying);
 *                                  null: {@value #DEFAULT_MACHINE_TRANSITION_MS}
 * @param appDeletionMs             how long a deleted app (202) still reads and holds its name;
 *                                  null: {@value #DEFAULT_APP_DELETION_MS}
 * @param listOmissionRate          share of the items of every list answer (REST lists, GraphQL
 *                                  connections) left out, each chosen at random
 * @param partialGraphqlApps        apps whose GraphQL {@code machines} and {@code ipAddress} fields fail:
 *                                  an {@code errors} entry whose path points into the app, beside a null
 *                                  app (machines is non-null) or a null address, as Fly's GraphQL answers ("*": all)
 * @param unauthorizedAfterCreateMs a new app answers 401 for this long after it was created
 * @param idleCloseMs               a keep-alive connection idle for longer is closed by the server: a
 *                                  request sent on it is never seen, and the client gets no answer
 * @param foreignLeaseSeconds       the first change to each machine finds it leased for this long by
 *                                  another client (as {@code fly deploy} leases it)
 * @param failingImages             machines running one of these images fail to start
 * @param newRegions                regions this Fly has beyond the well-known ones (as Fly adds regions
 *                                  after a client was built): accepted, and listed by GraphQL's
 *                                  {@code platform.regions}
 * @param certificateIssuanceMs     how long after it was added a certificate is issued (as Fly issues it
 *                                  once DNS points at the app): its status turns {@code active}; null
 *                                  or negative: never, since no DNS points at an emulator
 * @param unhealthyImages           machines running one of these images start, but their health checks
 *                                  never pass (they stay {@code critical})
 * @param checksPassingMs           how long after it started a machine's health checks answer
 *                                  {@code critical} before they pass (on by default, as a real app
 *                                  takes a moment to listen); null: {@value #DEFAULT_CHECKS_PASSING_MS}
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
        @JsonProperty("rate_limits") boolean rateLimits,
        @JsonProperty("machine_transition_ms") Long machineTransitionMs,
        @JsonProperty("app_deletion_ms") Long appDeletionMs,
        @JsonProperty("list_omission_rate") double listOmissionRate,
        @JsonProperty("partial_graphql_apps") Set<String> partialGraphqlApps,
        @JsonProperty("unauthorized_after_create_ms") long unauthorizedAfterCreateMs,
        @JsonProperty("idle_close_ms") long idleCloseMs,
        @JsonProperty("foreign_lease_seconds") long foreignLeaseSeconds,
        @JsonProperty("failing_images") Set<String> failingImages,
        @JsonProperty("new_regions") Set<String> newRegions,
        @JsonProperty("certificate_issuance_ms") Long certificateIssuanceMs,
        @JsonProperty("unhealthy_images") Set<String> unhealthyImages,
        @JsonProperty("checks_passing_ms") Long checksPassingMs) {

    public static final long DEFAULT_MACHINE_TRANSITION_MS = 200;
    public static final long DEFAULT_APP_DELETION_MS = 500;
    public static final long DEFAULT_CHECKS_PASSING_MS = 300;
    /** {@link #certificateIssuanceMs}: no DNS points at the emulator, so by default nothing is issued. */
    public static final long NEVER = -1;

    /** No faults: Fly's everyday asynchrony only. */
    public static final FaultSettings NONE = new Builder().build();

    public FaultSettings {
        if (failureRate < 0 || failureRate > 1) {
            throw new IllegalArgumentException("failure_rate must be between 0 and 1");
        }
        if (listOmissionRate < 0 || listOmissionRate > 1) {
            throw new IllegalArgumentException("list_omission_rate must be between 0 and 1");
        }
        machineTransitionMs = machineTransitionMs == null ? DEFAULT_MACHINE_TRANSITION_MS : machineTransitionMs;
        appDeletionMs = appDeletionMs == null ? DEFAULT_APP_DELETION_MS : appDeletionMs;
        certificateIssuanceMs = certificateIssuanceMs == null || certificateIssuanceMs < 0 ? NEVER : certificateIssuanceMs;
        if (latencyMs < 0 || appVisibilityDelayMs < 0 || machineTransitionMs < 0 || appDeletionMs < 0
                || unauthorizedAfterCreateMs < 0 || idleCloseMs < 0 || foreignLeaseSeconds < 0) {
            throw new IllegalArgumentException("durations must not be negative");
        }
        failureStatuses = failureStatuses == null || failureStatuses.isEmpty() ? List.of(500, 502, 503) : List.copyOf(failureStatuses);
        for (int s : failureStatuses) {
            if (s != 408 && s != 429 && (s < 500 || s > 599)) {
                throw new IllegalArgumentException("failure_statuses holds " + s + "; use 408, 429 or 5xx");
            }
        }
        dropAfterCommit = dropAfterCommit == null ? Set.of() : Set.copyOf(dropAfterCommit);
        errorAfterCommit = errorAfterCommit == null ? Set.of() : Set.copyOf(errorAfterCommit);
        partialGraphqlApps = partialGraphqlApps == null ? Set.of() : Set.copyOf(partialGraphqlApps);
        failingImages = failingImages == null ? Set.of() : Set.copyOf(failingImages);
        newRegions = newRegions == null ? Set.of() : Set.copyOf(newRegions);
        unhealthyImages = unhealthyImages == null ? Set.of() : Set.copyOf(unhealthyImages);
        checksPassingMs = checksPassingMs == null ? DEFAULT_CHECKS_PASSING_MS : checksPassingMs;
        if (checksPassingMs < 0) {
            throw new IllegalArgumentException("durations must not be negative");
        }
    }

    /** Whether the GraphQL {@code machines} field of this app fails. */
    boolean partialGraphql(String app) {
        return partialGraphqlApps.contains(app) || partialGraphqlApps.contains("*");
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    public FaultSettings withLatency(long ms) {
        return toBuilder().latencyMs(ms).build();
    }

    public FaultSettings withFailures(long seed, double rate, List<Integer> statuses) {
        return toBuilder().seed(seed).failureRate(rate).failureStatuses(statuses).build();
    }

    public FaultSettings droppingAfterCommit(Long... mutatingCalls) {
        return toBuilder().dropAfterCommit(Set.of(mutatingCalls)).build();
    }

    public FaultSettings failingAfterCommit(Long... mutatingCalls) {
        return toBuilder().errorAfterCommit(Set.of(mutatingCalls)).build();
    }

    public FaultSettings withAppVisibilityDelay(long ms) {
        return toBuilder().appVisibilityDelayMs(ms).build();
    }

    public FaultSettings withRateLimits(boolean on) {
        return toBuilder().rateLimits(on).build();
    }

    /** Each setting by name; what is not set keeps its default. */
    public static final class Builder {
        private long seed;
        private long latencyMs;
        private double failureRate;
        private List<Integer> failureStatuses = List.of();
        private Set<Long> dropAfterCommit = Set.of();
        private Set<Long> errorAfterCommit = Set.of();
        private long appVisibilityDelayMs;
        private boolean rateLimits;
        private Long machineTransitionMs;
        private Long appDeletionMs;
        private double listOmissionRate;
        private Set<String> partialGraphqlApps = Set.of();
        private long unauthorizedAfterCreateMs;
        private long idleCloseMs;
        private long foreignLeaseSeconds;
        private Set<String> failingImages = Set.of();
        private Set<String> newRegions = Set.of();
        private Long certificateIssuanceMs;
        private Set<String> unhealthyImages = Set.of();
        private Long checksPassingMs;

        public Builder() {
        }

        private Builder(FaultSettings s) {
            seed = s.seed;
            latencyMs = s.latencyMs;
            failureRate = s.failureRate;
            failureStatuses = s.failureStatuses;
            dropAfterCommit = s.dropAfterCommit;
            errorAfterCommit = s.errorAfterCommit;
            appVisibilityDelayMs = s.appVisibilityDelayMs;
            rateLimits = s.rateLimits;
            machineTransitionMs = s.machineTransitionMs;
            appDeletionMs = s.appDeletionMs;
            listOmissionRate = s.listOmissionRate;
            partialGraphqlApps = s.partialGraphqlApps;
            unauthorizedAfterCreateMs = s.unauthorizedAfterCreateMs;
            idleCloseMs = s.idleCloseMs;
            foreignLeaseSeconds = s.foreignLeaseSeconds;
            failingImages = s.failingImages;
            newRegions = s.newRegions;
            certificateIssuanceMs = s.certificateIssuanceMs;
            unhealthyImages = s.unhealthyImages;
            checksPassingMs = s.checksPassingMs;
        }

        public Builder seed(long v) { seed = v; return this; }
        public Builder latencyMs(long v) { latencyMs = v; return this; }
        public Builder failureRate(double v) { failureRate = v; return this; }
        public Builder failureStatuses(List<Integer> v) { failureStatuses = v; return this; }
        public Builder dropAfterCommit(Set<Long> v) { dropAfterCommit = v; return this; }
        public Builder errorAfterCommit(Set<Long> v) { errorAfterCommit = v; return this; }
        public Builder appVisibilityDelayMs(long v) { appVisibilityDelayMs = v; return this; }
        public Builder rateLimits(boolean v) { rateLimits = v; return this; }
        public Builder machineTransitionMs(long v) { machineTransitionMs = v; return this; }
        public Builder appDeletionMs(long v) { appDeletionMs = v; return this; }
        public Builder listOmissionRate(double v) { listOmissionRate = v; return this; }
        public Builder partialGraphqlApps(Set<String> v) { partialGraphqlApps = v; return this; }
        public Builder unauthorizedAfterCreateMs(long v) { unauthorizedAfterCreateMs = v; return this; }
        public Builder idleCloseMs(long v) { idleCloseMs = v; return this; }
        public Builder foreignLeaseSeconds(long v) { foreignLeaseSeconds = v; return this; }
        public Builder failingImages(Set<String> v) { failingImages = v; return this; }
        public Builder newRegions(Set<String> v) { newRegions = v; return this; }
        public Builder certificateIssuanceMs(long v) { certificateIssuanceMs = v; return this; }
        public Builder unhealthyImages(Set<String> v) { unhealthyImages = v; return this; }
        public Builder checksPassingMs(long v) { checksPassingMs = v; return this; }

        public FaultSettings build() {
            return new FaultSettings(seed, latencyMs, failureRate, failureStatuses, dropAfterCommit, errorAfterCommit,
                    appVisibilityDelayMs, rateLimits, machineTransitionMs, appDeletionMs, listOmissionRate,
                    partialGraphqlApps, unauthorizedAfterCreateMs, idleCloseMs, foreignLeaseSeconds, failingImages, newRegions,
                    certificateIssuanceMs, unhealthyImages, checksPassingMs);
        }
    }
}
