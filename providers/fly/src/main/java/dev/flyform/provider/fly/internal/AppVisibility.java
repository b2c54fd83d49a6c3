package dev.flyform.provider.fly.internal;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Duration;
import java.util.function.Supplier;

/**
 * A new app can answer 404 (or 401) for a while after it was created. Before anything is built on it,
 * wait (bounded, with backoff) until Fly shows it, as flyctl does.
 */
public final class AppVisibility {

    private final Duration limit;

    public AppVisibility(Duration limit) {
        this.limit = limit;
    }

    public JsonNode awaitVisible(Supplier<JsonNode> read) {
        long deadline = System.nanoTime() + limit.toNanos();
        long pauseMillis = 50;
        while (true) {
            try {
                return read.get();
            } catch (FlyApiException e) {
                // 401 too: Fly's auth can lag behind a new app, as flyctl's WaitForApp allows for.
                if ((e.httpStatus() != 404 && e.httpStatus() != 401) || System.nanoTime() > deadline) {
                    throw e;
                }
            }
            Failures.pause(pauseMillis, "waiting for a new app to become visible");
            pauseMillis = Math.min(pauseMillis * 2, 2_000);
        }
    }
}
