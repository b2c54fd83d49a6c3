package dev.flyform.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flyform.engine.config.Outputs;
import dev.flyform.engine.config.Unknown;
import dev.flyform.engine.plan.Action;
import dev.flyform.engine.plan.AttributeChange;
import dev.flyform.engine.plan.Plan;
import dev.flyform.engine.plan.ResourceChange;
import dev.flyform.engine.state.ResourceState;
import dev.flyform.engine.state.State;

import java.util.List;

/**
 * flyform's machine-readable output, format version 1 (documented in docs/json-format.md,
 * with JSON Schemas beside it). Sensitive values are never written: they appear as
 * {@code "(sensitive)"}; values known only after apply are {@code null} and listed in
 * {@code after_unknown}.
 */
final class PlanJson {

    static final String FORMAT_VERSION = "1";
    static final String SENSITIVE = "(sensitive)";
    static final ObjectMapper JSON = new ObjectMapper();

    private PlanJson() {
    }

    static ObjectNode plan(Plan plan, List<Outputs.Value> before, List<Outputs.Value> after) {
        return plan(plan, before, after, type -> false);
    }

    /** @param holdsData which types hold data that destroying their objects loses: listed as data_loss */
    static ObjectNode plan(Plan plan, List<Outputs.Value> before, List<Outputs.Value> after, java.util.function.Predicate<String> holdsData) {
        ObjectNode root = JSON.createObjectNode();
        root.put("format_version", FORMAT_VERSION);
        root.put("lineage", plan.lineage());
        root.put("serial", plan.serial());
        ArrayNode loss = root.putArray("data_loss");
        PlanRenderer.dataLoss(plan, holdsData).forEach(c -> loss.add(c.address().toString()));
        ArrayNode forgotten = root.putArray("forgotten");
        for (var a : plan.forgotten()) {
            ObjectNode f = forgotten.addObject();
            f.put("address", a.toString());
            f.put("removed_at", plan.removedAt().get(a));   // null: it was deleted outside flyform
        }
        ArrayNode changes = root.putArray("resource_changes");
        for (ResourceChange c : plan.changes()) {
            ObjectNode change = changes.addObject();
            change.put("address", c.address().toString());
            change.put("type", c.address().type());
            change.put("name", c.address().name());
            ArrayNode actions = change.putArray("actions");
            (c.address().isData() ? List.of("read") : c.createdFirst() ? List.of("create", "delete") : actions(c.action()))
                    .forEach(actions::add);
            ObjectNode beforeNode = null;
            ObjectNode afterNode = null;
            ArrayNode unknown = JSON.createArrayNode();
            if (c.prior() != null) {
                beforeNode = JSON.createObjectNode();
            }
            if (c.planned() != null) {
                afterNode = JSON.createObjectNode();
            }
            for (AttributeChange a : c.attributes()) {
                if (beforeNode != null && c.prior().attributes().containsKey(a.name())) {
                    beforeNode.set(a.name(), value(a.before(), a.sensitive()));
                }
                if (afterNode != null && c.planned().containsKey(a.name())) {
                    if (a.after() instanceof Unknown) {
                        afterNode.putNull(a.name());
                        unknown.add(a.name());
                    } else {
                        afterNode.set(a.name(), value(a.after(), a.sensitive()));
                    }
                }
            }
            change.set("before", beforeNode);
            if (c.address().isData() && c.planned() != null) {
                afterNode = JSON.createObjectNode();   // what was read
                for (var e : new java.util.TreeMap<>(c.planned()).entrySet()) {
                    afterNode.set(e.getKey(), value(e.getValue(), false));
                }
            }
            change.set("after", afterNode);
            change.set("after_unknown", unknown);
            ArrayNode reasons = change.putArray("replace_reasons");
            c.replaceReasons().forEach(reasons::add);
            change.put("adopted", c.adopted());
            if (c.deletedWith() != null) {
                change.put("deleted_with", c.deletedWith().toString());
            } else {
                change.putNull("deleted_with");
            }
        }
        ObjectNode outputs = root.putObject("output_changes");
        java.util.Map<String, Outputs.Value> recorded = new java.util.HashMap<>();
        before.forEach(v -> recorded.put(v.name(), v));
        for (Outputs.Value now : after) {
            ObjectNode o = outputs.putObject(now.name());
            Outputs.Value was = recorded.get(now.name());
            o.set("before", was == null ? JSON.nullNode() : outputValue(was));
            o.set("after", outputValue(now));
            o.put("after_unknown", now.value() instanceof Unknown);
            o.put("sensitive", now.sensitive());
        }
        return root;
    }

    static ObjectNode outputs(List<Outputs.Value> values) {
        ObjectNode root = JSON.createObjectNode();
        root.put("format_version", FORMAT_VERSION);
        ObjectNode outputs = root.putObject("outputs");
        for (Outputs.Value v : values) {
            ObjectNode o = outputs.putObject(v.name());
            o.set("value", outputValue(v));
            o.put("sensitive", v.sensitive());
        }
        return root;
    }

    static ObjectNode state(State state, List<Outputs.Value> outputs, java.util.function.BiPredicate<String, String> sensitive) {
        ObjectNode root = JSON.createObjectNode();
        root.put("format_version", FORMAT_VERSION);
        root.put("lineage", state.lineage());
        root.put("serial", state.serial());
        ArrayNode resources = root.putArray("resources");
        for (ResourceState r : state.resources().values()) {
            ObjectNode node = resources.addObject();
            node.put("address", r.address().toString());
            node.put("type", r.address().type());
            node.put("name", r.address().name());
            node.put("id", r.id());
            ObjectNode attrs = node.putObject("attributes");
            r.attributes().forEach((k, v) -> attrs.set(k, value(v, sensitive.test(r.address().type(), k))));
            ArrayNode deps = node.putArray("dependencies");
            r.dependencies().forEach(d -> deps.add(d.toString()));
            if (r.protectedBy() != null) {
                node.put("protected_by", r.protectedBy());
            }
        }
        root.set("outputs", outputs(outputs).get("outputs"));
        return root;
    }

    private static com.fasterxml.jackson.databind.JsonNode outputValue(Outputs.Value v) {
        if (v.sensitive()) {
            return JSON.getNodeFactory().textNode(SENSITIVE);
        }
        if (v.value() instanceof Unknown || v.value() == null) {
            return JSON.nullNode();
        }
        return value(v.value(), v.sensitive());
    }

    static com.fasterxml.jackson.databind.JsonNode value(Object v, boolean sensitive) {
        if (v == null || v instanceof Unknown) {
            return JSON.nullNode();
        }
        if (sensitive) {
            return JSON.getNodeFactory().textNode(SENSITIVE);
        }
        return JSON.valueToTree(known(v));
    }

    /** Nested values known only after apply become null. */
    private static Object known(Object v) {
        if (v instanceof Unknown) {
            return null;
        }
        if (v instanceof List<?> list) {
            return list.stream().map(PlanJson::known).toList();
        }
        if (v instanceof java.util.Map<?, ?> map) {
            // Sorted: a plan file and its rendering never depend on a map's iteration order.
            java.util.Map<String, Object> out = new java.util.TreeMap<>();
            map.forEach((k, x) -> out.put(String.valueOf(k), known(x)));
            return out;
        }
        return v;
    }

    static List<String> actions(Action action) {
        return switch (action) {
            case CREATE -> List.of("create");
            case UPDATE -> List.of("update");
            case REPLACE -> List.of("delete", "create");
            case DELETE -> List.of("delete");
            case ADOPT -> List.of("adopt");
            case NO_OP -> List.of("no-op");
        };
    }
}
