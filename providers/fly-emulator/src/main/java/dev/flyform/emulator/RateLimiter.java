package dev.flyform.emulator;

import java.util.HashMap;
import java.util.Map;

/**
 * Fly's documented limits: per action, scoped per machine or app, 1 request/s with bursts of 3;
 * Get Machine 5/s with bursts of 10. Token buckets, one per (action, scope).
 */
final class RateLimiter {

    private record Bucket(double tokens, long atNanos) {
    }

    private final Map<String, Bucket> buckets = new HashMap<>();

    /** Takes one token for {@code action} on {@code scope}; false when the bucket is empty. */
    synchronized boolean allow(String action, String scope, long nowNanos) {
        boolean getMachine = action.equals("GET /apps/*/machines/*");
        double rate = getMachine ? 5 : 1;
        double burst = getMachine ? 10 : 3;
        String key = action + " " + scope;
        Bucket b = buckets.getOrDefault(key, new Bucket(burst, nowNanos));
        double tokens = Math.min(burst, b.tokens() + (nowNanos - b.atNanos()) / 1e9 * rate);
        if (tokens < 1) {
            buckets.put(key, new Bucket(tokens, nowNanos));
            return false;
        }
        buckets.put(key, new Bucket(tokens - 1, nowNanos));
        return true;
    }

    synchronized void reset() {
        buckets.clear();
    }
}
