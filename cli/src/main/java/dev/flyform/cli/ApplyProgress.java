package dev.flyform.cli;

import dev.flyform.engine.apply.ApplyListener;
import dev.flyform.engine.diag.Diagnostic;
import dev.flyform.engine.plan.Action;
import dev.flyform.engine.plan.ResourceChange;
import dev.flyform.engine.state.ResourceState;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Prints each change as it starts and ends, with how long it took, as Terraform does; a change
 * that takes long says so every interval ({@code Still creating... [10s elapsed]}).
 */
final class ApplyProgress implements ApplyListener, AutoCloseable {

    private final PrintWriter out;
    private final Style style;
    private final Duration interval;
    private final Map<String, Long> started = new ConcurrentHashMap<>();
    private final Map<String, ScheduledFuture<?>> tickers = new ConcurrentHashMap<>();
    private final ScheduledExecutorService clock = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "flyform-progress");
        t.setDaemon(true);
        return t;
    });

    ApplyProgress(PrintWriter out, Style style, Duration interval) {
        this.out = out;
        this.style = style;
        this.interval = interval;
    }

    @Override
    public void starting(ResourceChange change, boolean deleting) {
        String key = change.address() + (deleting ? "-" : "+");
        long t0 = System.nanoTime();
        started.put(key, t0);
        String verb = deleting ? "Destroying..." : change.action() == Action.UPDATE ? "Modifying..." : "Creating...";
        String still = deleting ? "Still destroying..." : change.action() == Action.UPDATE ? "Still modifying..." : "Still creating...";
        String id = deleting && change.prior() != null ? " [id=" + change.prior().id() + "]" : "";
        print(style.bold(change.address() + ": " + verb + id));
        long millis = Math.max(1, interval.toMillis());
        tickers.put(key, clock.scheduleAtFixedRate(() -> print(style.bold(change.address() + ": " + still + " ["
                + (System.nanoTime() - t0) / 1_000_000_000L + "s elapsed]")), millis, millis, TimeUnit.MILLISECONDS));
    }

    @Override
    public void created(ResourceChange change, ResourceState newState) {
        if (change.action() == Action.ADOPT) {
            print(style.bold(change.address() + ": Adopted the existing object [id=" + newState.id() + "]"));
            return;
        }
        String verb = change.action() == Action.UPDATE ? "Modifications complete" : "Creation complete";
        print(style.bold(change.address() + ": " + verb + " after " + elapsed(change, "+") + " [id=" + newState.id() + "]"));
    }

    @Override
    public void deleted(ResourceChange change) {
        if (change.deletedWith() != null) {
            print(style.bold(change.address() + ": Destroyed with " + change.deletedWith()));
            return;
        }
        print(style.bold(change.address() + ": Destruction complete after " + elapsed(change, "-")));
    }

    @Override
    public void failed(ResourceChange change, List<Diagnostic> diagnostics) {
        stop(change.address() + "+");
        stop(change.address() + "-");
        print(style.red(change.address() + ": failed"));
    }

    @Override
    public void rolling(ResourceChange change, int position, int total, String parent, int atOnce) {
        print(change.address() + ": Rolling out, " + position + " of " + total + " in " + parent + " ("
                + (atOnce == 1 ? "one" : String.valueOf(atOnce)) + " at a time, each started and healthy before the next)");
    }

    @Override
    public void waiting(ResourceChange change, String what) {
        print(style.bold(change.address() + ": Waiting for " + what + "..."));
    }

    private String elapsed(ResourceChange change, String phase) {
        stop(change.address() + phase);
        Long t0 = started.remove(change.address() + phase);
        long seconds = t0 == null ? 0 : (System.nanoTime() - t0) / 1_000_000_000L;
        return seconds + "s";
    }

    private void stop(String key) {
        ScheduledFuture<?> ticker = tickers.remove(key);
        if (ticker != null) {
            ticker.cancel(false);
        }
    }

    private synchronized void print(String line) {
        out.println(line);
        out.flush();
    }

    @Override
    public void close() {
        clock.shutdownNow();
    }
}
