package dev.flyform.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flyform.engine.apply.ApplyListener;
import dev.flyform.engine.diag.Diagnostic;
import dev.flyform.engine.plan.Action;
import dev.flyform.engine.plan.Plan;
import dev.flyform.engine.plan.ResourceChange;
import dev.flyform.engine.state.ResourceState;

import java.io.PrintWriter;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code apply -json} and {@code destroy -json}: one JSON object per line, as Terraform's
 * machine-readable UI writes them (docs/events.schema.json): {@code version} first, then each
 * {@code planned_change}, a {@code change_summary}, {@code apply_start}, {@code apply_progress},
 * {@code apply_complete} or {@code apply_errored} for each change, {@code diagnostic}s, and the
 * {@code outputs}. Every event has {@code @level}, {@code @message}, {@code @module} and
 * {@code @timestamp}. A sensitive value is {@code "(sensitive)"}.
 */
final class JsonEvents implements ApplyListener {

    static final String UI_VERSION = "1.0";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final PrintWriter out;
    private final Map<String, Instant> started = new ConcurrentHashMap<>();

    JsonEvents(PrintWriter out) {
        this.out = out;
    }

    private ObjectNode event(String type, String level, String message) {
        ObjectNode e = JSON.createObjectNode();
        e.put("@level", level);
        e.put("@message", message);
        e.put("@module", "flyform.ui");
        e.put("@timestamp", Instant.now().truncatedTo(ChronoUnit.MICROS).toString());
        e.put("type", type);
        return e;
    }

    private void emit(ObjectNode e) {
        synchronized (out) {
            out.println(e.toString());
            out.flush();
        }
    }

    void version() {
        ObjectNode e = event("version", "info", "flyform " + Flyform.VERSION);
        e.put("flyform", Flyform.VERSION);
        e.put("ui", UI_VERSION);
        emit(e);
    }

    static String action(ResourceChange change) {
        return switch (change.action()) {
            case CREATE -> "create";
            case UPDATE -> "update";
            case REPLACE -> "replace";
            case DELETE -> "delete";
            case ADOPT -> "adopt";
            case NO_OP -> "noop";
        };
    }

    private static ObjectNode resource(ResourceChange change) {
        ObjectNode r = JSON.createObjectNode();
        r.put("addr", change.address().toString());
        r.put("resource_type", change.address().type());
        r.put("resource_name", change.address().name());
        return r;
    }

    void planned(Plan plan) {
        for (ResourceChange c : plan.changes()) {
            if (!c.action().mutates() || c.address().isData()) {
                continue;
            }
            ObjectNode e = event("planned_change", "info", c.address() + ": Plan to " + action(c));
            ObjectNode change = e.putObject("change");
            change.set("resource", resource(c));
            change.put("action", action(c));
            if (!c.replaceReasons().isEmpty()) {
                c.replaceReasons().forEach(change.putArray("reason")::add);
            }
            emit(e);
        }
        long add = plan.count(Action.CREATE) + plan.count(Action.REPLACE);
        long change = plan.count(Action.UPDATE);
        long remove = plan.count(Action.DELETE) + plan.count(Action.REPLACE);
        ObjectNode e = event("change_summary", "info", (plan.hasChanges() ? "Plan: " + add + " to add, " + change
                + " to change, " + remove + " to destroy." : "No changes."));
        ObjectNode changes = e.putObject("changes");
        changes.put("add", add);
        changes.put("change", change);
        changes.put("remove", remove);
        changes.put("operation", "plan");
        emit(e);
    }

    void summary(dev.flyform.engine.apply.ApplyResult result, String operation) {
        ObjectNode e = event("change_summary", "info", (operation.equals("destroy") ? "Destroy" : "Apply") + " complete! Resources: "
                + result.added() + " added, " + result.changed() + " changed, " + result.destroyed() + " destroyed.");
        ObjectNode changes = e.putObject("changes");
        changes.put("add", result.added());
        changes.put("change", result.changed());
        changes.put("remove", result.destroyed());
        changes.put("operation", operation);
        emit(e);
    }

    void outputs(List<dev.flyform.engine.config.Outputs.Value> values) {
        ObjectNode e = event("outputs", "info", "Outputs: " + values.size());
        ObjectNode all = e.putObject("outputs");
        for (var v : values) {
            ObjectNode o = all.putObject(v.name());
            o.put("sensitive", v.sensitive());
            o.set("value", v.sensitive() ? JSON.getNodeFactory().textNode("(sensitive)") : JSON.valueToTree(v.value()));
        }
        emit(e);
    }

    void diagnostic(Diagnostic d) {
        ObjectNode e = event("diagnostic", d.isError() ? "error" : "warn", (d.isError() ? "Error: " : "Warning: ") + d.summary());
        ValidateCommand.fill(e.putObject("diagnostic"), d);   // as validate -json writes one
        emit(e);
    }

    private ObjectNode hook(String type, String level, ResourceChange change, String message) {
        ObjectNode e = event(type, level, change.address() + ": " + message);
        ObjectNode hook = e.putObject("hook");
        hook.set("resource", resource(change));
        hook.put("action", action(change));
        return e;
    }

    @Override
    public void starting(ResourceChange change, boolean deleting) {
        started.put(change.address() + (deleting ? "-" : "+"), Instant.now());
        emit(hook("apply_start", "info", change, deleting ? "Destroying..." : "Creating..."));
    }

    private long elapsed(ResourceChange change, boolean deleting) {
        Instant t0 = started.remove(change.address() + (deleting ? "-" : "+"));
        return t0 == null ? 0 : java.time.Duration.between(t0, Instant.now()).toSeconds();
    }

    @Override
    public void created(ResourceChange change, ResourceState newState) {
        long s = elapsed(change, false);
        ObjectNode e = hook("apply_complete", "info", change, "Complete after " + s + "s [id=" + newState.id() + "]");
        ((ObjectNode) e.get("hook")).put("id_value", newState.id());
        ((ObjectNode) e.get("hook")).put("elapsed_seconds", s);
        emit(e);
    }

    @Override
    public void deleted(ResourceChange change) {
        long s = elapsed(change, true);
        ObjectNode e = hook("apply_complete", "info", change, "Destruction complete after " + s + "s");
        ((ObjectNode) e.get("hook")).put("elapsed_seconds", s);
        emit(e);
    }

    @Override
    public void failed(ResourceChange change, List<Diagnostic> diagnostics) {
        long s = Math.max(elapsed(change, false), elapsed(change, true));
        ObjectNode e = hook("apply_errored", "error", change, "Failed after " + s + "s");
        ((ObjectNode) e.get("hook")).put("elapsed_seconds", s);
        emit(e);
    }

    @Override
    public void rolling(ResourceChange change, int position, int total, String parent, int atOnce) {
        ObjectNode e = hook("apply_progress", "info", change, "Rolling out, " + position + " of " + total + " in " + parent);
        ((ObjectNode) e.get("hook")).put("message", "rolling out " + position + " of " + total + " in " + parent
                + ", " + atOnce + " at a time");
        emit(e);
    }

    @Override
    public void waiting(ResourceChange change, String what) {
        ObjectNode e = hook("apply_progress", "info", change, "Waiting for " + what);
        ((ObjectNode) e.get("hook")).put("message", "waiting for " + what);
        emit(e);
    }
}
