package dev.flyform.cli;

import dev.flyform.engine.apply.ApplyListener;
import dev.flyform.engine.diag.Diagnostic;
import dev.flyform.engine.plan.Action;
import dev.flyform.engine.plan.ResourceChange;
import dev.flyform.engine.state.ResourceState;

import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Prints each change as it starts and ends, with how long it took. */
final class ApplyProgress implements ApplyListener {

    private final PrintWriter out;
    private final Style style;
    private final Map<String, Long> started = new ConcurrentHashMap<>();

    ApplyProgress(PrintWriter out, Style style) {
        this.out = out;
        this.style = style;
    }

    @Override
    public void starting(ResourceChange change, boolean deleting) {
        started.put(change.address() + (deleting ? "-" : "+"), System.nanoTime());
        String verb = deleting ? "Destroying..." : change.action() == Action.UPDATE ? "Modifying..." : "Creating...";
        String id = deleting && change.prior() != null ? " [id=" + change.prior().id() + "]" : "";
        out.println(style.bold(change.address() + ": " + verb + id));
        out.flush();
    }

    @Override
    public void created(ResourceChange change, ResourceState newState) {
        if (change.action() == Action.ADOPT) {
            out.println(style.bold(change.address() + ": Adopted the existing object [id=" + newState.id() + "]"));
            out.flush();
            return;
        }
        String verb = change.action() == Action.UPDATE ? "Modifications complete" : "Creation complete";
        out.println(style.bold(change.address() + ": " + verb + " after " + elapsed(change, "+") + " [id=" + newState.id() + "]"));
        out.flush();
    }

    @Override
    public void deleted(ResourceChange change) {
        out.println(style.bold(change.address() + ": Destruction complete after " + elapsed(change, "-")));
        out.flush();
    }

    @Override
    public void failed(ResourceChange change, List<Diagnostic> diagnostics) {
        out.println(style.red(change.address() + ": failed"));
        out.flush();
    }

    private String elapsed(ResourceChange change, String phase) {
        Long t0 = started.remove(change.address() + phase);
        long seconds = t0 == null ? 0 : (System.nanoTime() - t0) / 1_000_000_000L;
        return seconds + "s";
    }
}
