package dev.flyform.provider.fly.internal;

import okhttp3.Interceptor;
import okhttp3.Response;

import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Keeps every request within Fly's documented limits, so a large apply is slowed, never
 * refused: per action, scoped per machine or app, 1 request/s with bursts of 3; Get Machine
 * 5/s with bursts of 10. A request waits for its token instead of meeting a 429.
 */
final class RateLimit implements Interceptor {

    private record Bucket(double tokens, long atNanos) {
    }

    private final Map<String, Bucket> buckets = new HashMap<>();

    @Override
    public Response intercept(Chain chain) throws IOException {
        List<String> path = chain.request().url().pathSegments();
        if (path.size() >= 2 && path.get(0).equals("v1") && path.get(1).equals("apps")) {
            StringBuilder action = new StringBuilder(chain.request().method()).append(' ');
            for (int i = 1; i < path.size(); i++) {
                boolean identifier = i == 2 || (i == 4 && path.size() > 4);
                action.append('/').append(identifier ? "*" : path.get(i));
            }
            // Per machine for a machine's actions, else per app (a secret's or certificate's name is
            // no scope: every app may have a TOKEN); creating or listing apps, per organization.
            String scope = path.size() > 4 && path.get(3).equals("machines") ? "machine:" + path.get(4)
                    : path.size() > 2 ? "app:" + path.get(2) : "org";
            waitFor(action.toString(), scope);
        }
        return chain.proceed(chain.request());
    }

    private void waitFor(String action, String scope) throws IOException {
        boolean getMachine = action.equals("GET /apps/*/machines/*");
        // A tenth under Fly's rate: requests arrive a little apart from when they leave, and
        // one that arrives early against a full bucket would still meet a 429.
        double rate = (getMachine ? 5 : 1) * 0.9;
        double burst = getMachine ? 10 : 3;
        String key = action + " " + scope;
        long waitNanos;
        synchronized (this) {
            long now = System.nanoTime();
            Bucket b = buckets.getOrDefault(key, new Bucket(burst, now));
            double tokens = Math.min(burst, b.tokens() + (now - b.atNanos()) / 1e9 * rate) - 1;
            buckets.put(key, new Bucket(tokens, now));
            // A negative balance is a debt: this request goes when it is paid back.
            waitNanos = tokens >= 0 ? 0 : (long) (-tokens / rate * 1e9);
        }
        if (waitNanos > 0) {
            try {
                Thread.sleep(waitNanos / 1_000_000, (int) (waitNanos % 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while keeping to Fly's rate limits");
            }
        }
    }
}
