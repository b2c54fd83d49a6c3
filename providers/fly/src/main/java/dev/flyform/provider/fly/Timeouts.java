package dev.flyform.provider.fly;

import java.time.Duration;
import java.util.function.Consumer;

/**
 * How long flyform waits for Fly. Every wait is bounded and said:
 *
 * @param request how long one request may go unanswered before it is given up (and, when safe,
 *                sent again); a call with its retries gets three times as long
 * @param run     the budget of all API calls of one run: once spent, the run stops, naming the
 *                request it was waiting for
 * @param notice  after this long without an answer, {@code waiting} hears which request it is
 * @param waiting where a request that keeps the run waiting is reported
 */
public record Timeouts(Duration request, Duration run, Duration notice, Consumer<String> waiting) {

    public static final Timeouts DEFAULT = new Timeouts(Duration.ofSeconds(30), Duration.ofMinutes(60),
            Duration.ofSeconds(10), message -> { });

    public Timeouts {
        if (request.compareTo(Duration.ofSeconds(1)) < 0 || run.compareTo(request) < 0 || notice.isNegative() || notice.isZero()) {
            throw new IllegalArgumentException("a request timeout of at least 1 s, and a run budget no shorter, are needed");
        }
        waiting = waiting == null ? message -> { } : waiting;
    }

    /** All of one call, its retries included. */
    public Duration call() {
        return request.multipliedBy(3);
    }
}
