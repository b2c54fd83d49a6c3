package dev.flyform.provider.fly.internal;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Duration;
import java.util.function.Supplier;

/**
 * A new app can answer 404 for a while after it was created. Before anything is built on it,
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
                if (e.httpStatus() != 404 || System.nanoTime() > deadline) {
                    throw e;
                }
            }
            try {
                Thread.sleep(pauseMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new FlyUnreachableException("interrupted while waiting for a new app to become visible");
            }
            pauseMillis = Math.min(pauseMillis * 2, 2_000);
        }
    }
}
