package dev.flyform.provider.fly.internal;

import dev.flyform.provider.fly.Timeouts;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The waiting of one run, shared by its REST and GraphQL clients: each call's time limit (its
 * retries included), the run's budget, the notice of a request that keeps the run waiting, and
 * the message once a limit is reached.
 */
public final class Patience {

    private static final ScheduledExecutorService CLOCK = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "flyform-fly-patience");
        t.setDaemon(true);
        return t;
    });

    private final Timeouts timeouts;
    private final long deadline;
    private volatile dev.flyform.provider.fly.ApiLog log = dev.flyform.provider.fly.ApiLog.OFF;

    /** Where this run tells of its exchanges with Fly (FLYFORM_LOG). */
    public void logTo(dev.flyform.provider.fly.ApiLog log) {
        this.log = log;
    }

    public dev.flyform.provider.fly.ApiLog log() {
        return log;
    }

    public Patience(Timeouts timeouts) {
        this.timeouts = timeouts;
        this.deadline = System.nanoTime() + timeouts.run().toNanos();
    }

    public Timeouts timeouts() {
        return timeouts;
    }

    interface Exchange<T> {
        T run() throws IOException;
    }

    /** The call's time limit: its own, or what is left of the run's budget. */
    long callMillis(String what, Object at) {
        long left = (deadline - System.nanoTime()) / 1_000_000;
        if (left <= 0) {
            throw new FlyUnreachableException("gave up on " + what + " at " + at + ": this run's budget of "
                    + minutes(timeouts.run()) + " for the Fly API is spent (FLYFORM_RUN_TIMEOUT)");
        }
        return Math.min(left, timeouts.call().toMillis());
    }

    /** Runs the exchange; one that keeps the run waiting is reported, every notice interval. */
    <T> T noticing(String what, Exchange<T> exchange) throws IOException {
        long every = timeouts.notice().toMillis();
        long started = System.nanoTime();
        ScheduledFuture<?> notice = CLOCK.scheduleAtFixedRate(() -> timeouts.waiting().accept(
                what + " has not answered for " + (System.nanoTime() - started) / 1_000_000_000L + " s"), every, every, TimeUnit.MILLISECONDS);
        try {
            return exchange.run();
        } finally {
            notice.cancel(false);
        }
    }

    /** What a failed exchange says: a timeout names the limit that was reached. */
    FlyUnreachableException failure(String what, Object at, IOException e) {
        if (e instanceof InterruptedIOException && !Thread.currentThread().isInterrupted()) {
            return new FlyUnreachableException(what + " at " + at + " did not answer within " + timeouts.request().toSeconds()
                    + " s, tried for " + timeouts.call().toSeconds() + " s in all (FLYFORM_REQUEST_TIMEOUT)");
        }
        return new FlyUnreachableException(what + " at " + at + " failed: " + e.getMessage());
    }

    private static String minutes(java.time.Duration d) {
        return d.toMinutes() > 0 ? d.toMinutes() + " min" : d.toSeconds() + " s";
    }
}
