package dev.flyform.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flyform.engine.addr.ResourceAddress;
import dev.flyform.engine.config.Output;
import dev.flyform.engine.config.Reference;
import dev.flyform.engine.config.Unknown;
import dev.flyform.engine.diag.Diagnostic;
import dev.flyform.engine.diag.DiagnosticsException;
import dev.flyform.engine.diag.Severity;
import dev.flyform.engine.diag.SourceLocation;
import dev.flyform.engine.plan.Action;
import dev.flyform.engine.plan.AttributeChange;
import dev.flyform.engine.plan.Plan;
import dev.flyform.engine.plan.ResourceChange;
import dev.flyform.engine.provider.ProviderSchema;
import dev.flyform.engine.state.ResourceState;
import dev.flyform.engine.state.SecretDigest;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A plan written out whole, so {@code apply PLANFILE} makes exactly its changes without planning
 * again: every change with its prior object, planned and declared values, dependencies and
 * declaration, and the outputs to record after it. A secret is never written: each sensitive
 * value is kept as its keyed digest ({@code {"$secret": "hmac-sha256:..."}}) and given again when
 * the plan is applied, from the configuration, and only if its digest is the same.
 *
 * <p>Values: text, numbers, booleans, lists and maps as JSON; a reference as {@code {"$ref":
 * "fly_app.web.name"}}; a value known only after apply as {@code {"$unknown": true}}; a map one of
 * whose keys starts with {@code $} inside {@code {"$map": ...}}.
 */
final class SavedPlan {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final ProviderSchema schema;
    private final String digestKey;

    SavedPlan(ProviderSchema schema, String digestKey) {
        this.schema = schema;
        this.digestKey = digestKey;
    }

    /** Where a secret is found again: the raw value declared for an attribute now, or null. */
    interface Secrets {
        Object declared(ResourceAddress address, String attribute);
    }

    // ---- writing --------------------------------------------------------------------------------

    ObjectNode write(Plan plan, List<Output> outputs) {
        ObjectNode root = NODES.objectNode();
        root.put("lineage", plan.lineage());
        root.put("serial", plan.serial());
        ArrayNode changes = root.putArray("changes");
        plan.changes().forEach(c -> changes.add(change(c)));
        ArrayNode forgotten = root.putArray("forgotten");
        plan.forgotten().forEach(a -> forgotten.add(a.toString()));
        ObjectNode removed = root.putObject("removed_at");
        plan.removedAt().forEach((a, where) -> removed.put(a.toString(), where));
        ArrayNode warnings = root.putArray("warnings");
        plan.warnings().forEach(d -> warnings.add(diagnostic(d)));
        ObjectNode refreshed = root.putObject("refreshed");
        plan.refreshed().forEach((a, moved) -> {
            ArrayNode list = refreshed.putArray(a.toString());
            moved.forEach(m -> list.add(attributeChange(m)));
        });
        ArrayNode outs = root.putArray("outputs");
        for (Output o : outputs) {
            ObjectNode n = outs.addObject();
            n.put("name", o.name());
            n.put("sensitive", o.sensitive());
            // A sensitive output is recorded without its value: nothing of it is kept here either.
            n.set("value", o.sensitive() ? NODES.nullNode() : value(o.value(), false));
            n.set("location", location(o.location()));
        }
        return root;
    }

    private ObjectNode change(ResourceChange c) {
        ObjectNode n = NODES.objectNode();
        n.put("address", c.address().toString());
        n.put("action", c.action().name());
        n.set("prior", c.prior() == null ? NODES.nullNode() : state(c.prior()));
        n.set("planned", c.planned() == null ? NODES.nullNode() : attributes(c.address(), c.planned()));
        n.set("config", c.config() == null ? NODES.nullNode() : attributes(c.address(), c.config()));
        ArrayNode attrs = n.putArray("attributes");
        c.attributes().forEach(a -> attrs.add(attributeChange(a)));
        ArrayNode reasons = n.putArray("replace_reasons");
        c.replaceReasons().forEach(reasons::add);
        ArrayNode deps = n.putArray("dependencies");
        c.dependencies().forEach(d -> deps.add(d.toString()));
        n.put("deleted_with", c.deletedWith() == null ? null : c.deletedWith().toString());
        n.set("location", location(c.location()));
        n.put("adopted", c.adopted());
        n.put("created_first", c.createdFirst());
        return n;
    }

    private ObjectNode state(ResourceState s) {
        ObjectNode n = NODES.objectNode();
        n.put("address", s.address().toString());
        n.put("id", s.id());
        n.set("attributes", attributes(s.address(), s.attributes()));
        ArrayNode deps = n.putArray("dependencies");
        s.dependencies().forEach(d -> deps.add(d.toString()));
        if (s.protectedBy() != null) {
            n.put("protected_by", s.protectedBy());
        }
        return n;
    }

    private ObjectNode attributes(ResourceAddress address, Map<String, Object> values) {
        ObjectNode n = NODES.objectNode();
        new TreeMap<>(values).forEach((k, v) -> n.set(k, value(v, sensitive(address, k))));
        return n;
    }

    private ObjectNode attributeChange(AttributeChange a) {
        ObjectNode n = NODES.objectNode();
        n.put("name", a.name());
        n.set("before", value(a.before(), a.sensitive()));
        n.set("after", value(a.after(), a.sensitive()));
        n.put("forces_replacement", a.forcesReplacement());
        n.put("sensitive", a.sensitive());
        return n;
    }

    private static ObjectNode diagnostic(Diagnostic d) {
        ObjectNode n = NODES.objectNode();
        n.put("severity", d.severity().name());
        n.put("summary", d.summary());
        n.put("detail", d.detail());
        n.set("location", location(d.location()));
        n.put("resource", d.resource() == null ? null : d.resource().toString());
        n.put("attribute", d.attribute());
        return n;
    }

    private static JsonNode location(SourceLocation l) {
        if (l == null) {
            return NODES.nullNode();
        }
        return NODES.objectNode().put("file", l.file()).put("line", l.line());
    }

    private boolean sensitive(ResourceAddress address, String attribute) {
        return schema.resourceType(address.type()).map(t -> t.isSensitive(attribute)).orElse(false);
    }

    private JsonNode value(Object v, boolean sensitive) {
        if (v == null) {
            return NODES.nullNode();
        }
        if (v instanceof Unknown) {
            return NODES.objectNode().put("$unknown", true);
        }
        if (v instanceof Reference r) {
            return NODES.objectNode().put("$ref", r.toString());
        }
        if (sensitive && v instanceof CharSequence s && !SecretDigest.isDigest(s.toString())) {
            return NODES.objectNode().put("$secret", SecretDigest.of(digestKey, s.toString()));
        }
        if (v instanceof CharSequence s) {
            return NODES.textNode(s.toString());
        }
        if (v instanceof Boolean b) {
            return NODES.booleanNode(b);
        }
        if (v instanceof Number) {
            return PlanJson.JSON.valueToTree(v);
        }
        if (v instanceof List<?> list) {
            ArrayNode a = NODES.arrayNode();
            list.forEach(x -> a.add(value(x, sensitive)));
            return a;
        }
        if (v instanceof Map<?, ?> map) {
            ObjectNode o = NODES.objectNode();
            boolean dollar = false;
            for (Map.Entry<?, ?> e : new TreeMap<>(map).entrySet()) {
                String key = String.valueOf(e.getKey());
                dollar |= key.startsWith("$");
                o.set(key, value(e.getValue(), sensitive));
            }
            return dollar ? NODES.objectNode().set("$map", o) : o;
        }
        throw new IllegalArgumentException("a value a saved plan cannot hold: " + v.getClass().getSimpleName());
    }

    // ---- reading --------------------------------------------------------------------------------

    /** The plan as it was saved, each secret given again by {@code secrets} and checked against its digest. */
    Plan read(JsonNode root, Secrets secrets) {
        List<ResourceChange> changes = new ArrayList<>();
        for (JsonNode n : root.path("changes")) {
            ResourceAddress address = ResourceAddress.parse(n.path("address").asText());
            List<AttributeChange> attrs = new ArrayList<>();
            n.path("attributes").forEach(a -> attrs.add(attributeChange(address, a, secrets)));
            Set<String> reasons = new TreeSet<>();
            n.path("replace_reasons").forEach(r -> reasons.add(r.asText()));
            changes.add(new ResourceChange(address, Action.valueOf(n.path("action").asText()),
                    n.path("prior").isNull() ? null : state(n.path("prior"), secrets),
                    n.path("planned").isNull() ? null : attributes(address, n.path("planned"), secrets),
                    n.path("config").isNull() ? null : attributes(address, n.path("config"), secrets),
                    attrs, reasons, addresses(n.path("dependencies")),
                    n.path("deleted_with").isNull() ? null : ResourceAddress.parse(n.path("deleted_with").asText()),
                    location(n.path("location")), n.path("adopted").asBoolean(), n.path("created_first").asBoolean()));
        }
        List<ResourceAddress> forgotten = new ArrayList<>(addresses(root.path("forgotten")));
        List<Diagnostic> warnings = new ArrayList<>();
        for (JsonNode d : root.path("warnings")) {
            warnings.add(new Diagnostic(Severity.valueOf(d.path("severity").asText()), d.path("summary").asText(),
                    d.path("detail").asText(), location(d.path("location")),
                    d.path("resource").isNull() ? null : ResourceAddress.parse(d.path("resource").asText()),
                    d.path("attribute").isNull() ? null : d.path("attribute").asText()));
        }
        Map<ResourceAddress, List<AttributeChange>> refreshed = new TreeMap<>();
        root.path("refreshed").fields().forEachRemaining(e -> {
            ResourceAddress address = ResourceAddress.parse(e.getKey());
            List<AttributeChange> moved = new ArrayList<>();
            e.getValue().forEach(a -> moved.add(attributeChange(address, a, secrets)));
            refreshed.put(address, moved);
        });
        Map<ResourceAddress, String> removedAt = new TreeMap<>();
        root.path("removed_at").fields().forEachRemaining(e -> removedAt.put(ResourceAddress.parse(e.getKey()), e.getValue().asText()));
        return new Plan(root.path("lineage").asText(), root.path("serial").asLong(), changes, forgotten, warnings, refreshed,
                removedAt);
    }

    /** The outputs the configuration declared when the plan was made: recorded after it is applied. */
    List<Output> outputs(JsonNode root) {
        List<Output> outputs = new ArrayList<>();
        for (JsonNode o : root.path("outputs")) {
            outputs.add(new Output(o.path("name").asText(), value(o.path("value"), null, null, null),
                    o.path("sensitive").asBoolean(), location(o.path("location"))));
        }
        return outputs;
    }

    private ResourceState state(JsonNode n, Secrets secrets) {
        ResourceAddress address = ResourceAddress.parse(n.path("address").asText());
        return new ResourceState(address, n.path("id").asText(), attributes(address, n.path("attributes"), secrets),
                addresses(n.path("dependencies")), n.hasNonNull("protected_by") ? n.path("protected_by").asText() : null);
    }

    private Map<String, Object> attributes(ResourceAddress address, JsonNode n, Secrets secrets) {
        Map<String, Object> out = new LinkedHashMap<>();
        n.fields().forEachRemaining(e -> out.put(e.getKey(), value(e.getValue(), address, e.getKey(), secrets)));
        return out;
    }

    private AttributeChange attributeChange(ResourceAddress address, JsonNode a, Secrets secrets) {
        String name = a.path("name").asText();
        return new AttributeChange(name, value(a.path("before"), address, name, secrets), value(a.path("after"), address, name, secrets),
                a.path("forces_replacement").asBoolean(), a.path("sensitive").asBoolean());
    }

    private static Set<ResourceAddress> addresses(JsonNode list) {
        Set<ResourceAddress> out = new TreeSet<>();
        list.forEach(a -> out.add(ResourceAddress.parse(a.asText())));
        return out;
    }

    private static SourceLocation location(JsonNode n) {
        return n == null || n.isNull() || n.isMissingNode() ? null : new SourceLocation(n.path("file").asText(), n.path("line").asInt());
    }

    private Object value(JsonNode n, ResourceAddress address, String attribute, Secrets secrets) {
        if (n == null || n.isNull() || n.isMissingNode()) {
            return null;
        }
        if (n.isObject() && n.has("$unknown")) {
            return Unknown.AFTER_APPLY;
        }
        if (n.isObject() && n.has("$ref")) {
            String ref = n.path("$ref").asText();
            int dot = ref.lastIndexOf('.');
            return new Reference(ResourceAddress.parse(ref.substring(0, dot)), ref.substring(dot + 1));
        }
        if (n.isObject() && n.has("$secret")) {
            return secret(n.path("$secret").asText(), address, attribute, secrets);
        }
        return plain(n.isObject() && n.has("$map") ? n.path("$map") : n, address, attribute, secrets);
    }

    /** Text, a boolean, a number, a list or a map, whose items may be special values again. */
    private Object plain(JsonNode n, ResourceAddress address, String attribute, Secrets secrets) {
        if (n.isTextual()) {
            return n.asText();
        }
        if (n.isBoolean()) {
            return n.asBoolean();
        }
        if (n.isIntegralNumber()) {
            return n.canConvertToLong() ? (Object) n.asLong() : n.bigIntegerValue();
        }
        if (n.isNumber()) {
            return n.decimalValue();
        }
        if (n.isArray()) {
            List<Object> list = new ArrayList<>();
            n.forEach(x -> list.add(value(x, address, attribute, secrets)));
            return list;
        }
        Map<String, Object> map = new LinkedHashMap<>();
        n.fields().forEachRemaining(e -> map.put(e.getKey(), value(e.getValue(), address, attribute, secrets)));
        return map;
    }

    /** A secret the plan file does not hold: the one declared now, if it is the one planned with. */
    private Object secret(String digest, ResourceAddress address, String attribute, Secrets secrets) {
        Object declared = secrets == null || address == null ? null : secrets.declared(address, attribute);
        if (declared instanceof CharSequence s && SecretDigest.of(digestKey, s.toString()).equals(digest)) {
            return s.toString();
        }
        throw new DiagnosticsException(Diagnostic.error("The saved plan's secret for " + address + " (" + attribute
                        + ") is not given any more",
                "A plan file never holds a secret value, only its keyed digest: apply takes the value from the configuration "
                        + "(env() or -var) again, and it differs now or is no longer declared. Make a new plan.")
                .forResource(address));
    }
}
