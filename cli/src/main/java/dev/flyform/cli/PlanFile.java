package dev.flyform.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flyform.engine.addr.ResourceAddress;
import dev.flyform.engine.diag.Diagnostic;
import dev.flyform.engine.diag.DiagnosticsException;
import dev.flyform.engine.plan.AttributeChange;
import dev.flyform.engine.plan.Plan;
import dev.flyform.engine.plan.PlanOptions;
import dev.flyform.engine.plan.ResourceChange;
import dev.flyform.engine.state.SecretDigest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A saved plan ({@code plan -out FILE}): the plan as {@code plan -json} shows it, its changes
 * written out whole ({@link SavedPlan}, what {@code apply FILE} makes, without planning again),
 * the text {@code plan} printed, bound to the state's lineage and serial, with the options and
 * variables it was made with. No secret value is in it: sensitive values are "(sensitive)" or
 * keyed digests.
 *
 * @param sensitiveVariables the {@code -var}s whose values reach a sensitive attribute: only their
 *                           keyed digests are kept, and apply takes the values again
 */
record PlanFile(ObjectNode plan, String lineage, long serial,
                PlanOptions options, Map<String, String> variables, Map<String, String> sensitiveVariables, String text,
                JsonNode saved) {

    /** The same plan, with the text {@code plan} printed for it (what {@code show PLANFILE} prints). */
    PlanFile withText(String rendered) {
        return new PlanFile(plan, lineage, serial, options, variables, sensitiveVariables, rendered, saved);
    }

    /** The same plan, with every change written out whole ({@link SavedPlan}): what apply makes. */
    PlanFile withSaved(JsonNode whole) {
        return new PlanFile(plan, lineage, serial, options, variables, sensitiveVariables, text, whole);
    }

    /**
     * The plan's {@code -var}s split in two: those kept as they are, and those whose value is in
     * (or is) a sensitive attribute's planned value, kept as keyed digests only.
     */
    static PlanFile of(ObjectNode json, Plan plan, String digestKey, PlanOptions options,
                       Map<String, String> given) {
        java.util.List<String> secrets = new java.util.ArrayList<>();
        for (ResourceChange c : plan.changes()) {
            for (AttributeChange a : c.attributes()) {
                if (a.sensitive() && a.after() instanceof String s && !SecretDigest.isDigest(s)) {
                    secrets.add(s);
                }
            }
        }
        Map<String, String> plain = new TreeMap<>();
        Map<String, String> sensitive = new TreeMap<>();
        given.forEach((name, value) -> {
            if (!value.isEmpty() && secrets.stream().anyMatch(s -> s.contains(value))) {
                sensitive.put(name, SecretDigest.of(digestKey, value));
            } else {
                plain.put(name, value);
            }
        });
        return new PlanFile(json, plan.lineage(), plan.serial(), options, plain, sensitive, "", null);
    }

    /**
     * The variables to plan with again: the plan's own, and the sensitive ones given anew on the
     * command line, each checked against its digest.
     */
    VariableValues variablesWith(VariableValues values, String digestKey) {
        Map<String, String> given = values.values();
        Map<String, String> all = new TreeMap<>(variables);
        for (String name : values.explicit()) {
            if (!sensitiveVariables.containsKey(name)) {
                throw new DiagnosticsException(Diagnostic.error("-var " + name + " cannot be given with a saved plan",
                        "The plan was made with its own values; only the sensitive ones it does not keep ("
                                + (sensitiveVariables.isEmpty() ? "none here" : String.join(", ", sensitiveVariables.keySet()))
                                + ") are given again. Make a new plan to change it."));
            }
        }
        for (Map.Entry<String, String> e : sensitiveVariables.entrySet()) {
            String value = given.get(e.getKey());
            if (value == null) {
                throw new DiagnosticsException(Diagnostic.error("The saved plan needs -var " + e.getKey() + " again",
                        "Its value reaches a sensitive attribute, so the plan file keeps only a keyed digest of it. "
                                + "Give the same value as when the plan was made: flyform apply -var " + e.getKey() + "=... PLANFILE."));
            }
            if (!SecretDigest.of(digestKey, value).equals(e.getValue())) {
                throw new DiagnosticsException(Diagnostic.error("-var " + e.getKey() + " differs from the value the plan was made with",
                        "Give the same value as when the plan was made, or make a new plan."));
            }
            all.put(e.getKey(), value);
        }
        return new VariableValues(all, java.util.Set.of());   // (the plan's own: none undeclared)
    }

    static final String KIND = "flyform-plan";

    void write(Path file) {
        ObjectNode root = PlanJson.JSON.createObjectNode();
        root.put("kind", KIND);
        root.put("format_version", PlanJson.FORMAT_VERSION);
        ObjectNode opts = root.putObject("options");
        opts.put("refresh", options.refresh());
        opts.put("destroy", options.destroy());
        options.targets().stream().map(Object::toString).sorted().forEach(opts.withArray("targets")::add);
        options.replace().stream().map(Object::toString).sorted().forEach(opts.withArray("replace")::add);
        root.set("variables", PlanJson.JSON.valueToTree(new TreeMap<>(variables)));
        root.set("sensitive_variables", PlanJson.JSON.valueToTree(new TreeMap<>(sensitiveVariables)));
        root.put("text", text);
        root.set("plan", plan);
        root.set("saved", saved);
        try {
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.deleteIfExists(tmp);
            Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(tmp, PlanJson.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root));
            Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new DiagnosticsException(Diagnostic.error("Cannot write the plan to " + file, e.getMessage()));
        }
    }

    /** A plan file of this flyform holds its changes whole; an older one cannot be applied. */
    boolean whole() {
        return saved != null && saved.isObject() && saved.has("changes");
    }

    static PlanFile read(Path file) {
        JsonNode root;
        try {
            root = PlanJson.JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new DiagnosticsException(Diagnostic.error("Cannot read the saved plan " + file,
                    "It is missing or not a plan written by `flyform plan -out`."));
        }
        if (root == null || !KIND.equals(root.path("kind").asText()) || !PlanJson.FORMAT_VERSION.equals(root.path("format_version").asText())) {
            throw new DiagnosticsException(Diagnostic.error(file + " is not a saved plan this flyform can apply",
                    "Make it again with `flyform plan -out " + file.getFileName() + "`."));
        }
        JsonNode opts = root.path("options");
        Set<ResourceAddress> targets = new TreeSet<>();
        opts.path("targets").forEach(t -> targets.add(ResourceAddress.parse(t.asText())));
        Set<ResourceAddress> replace = new TreeSet<>();
        opts.path("replace").forEach(t -> replace.add(ResourceAddress.parse(t.asText())));
        Map<String, String> vars = new LinkedHashMap<>();
        root.path("variables").fields().forEachRemaining(e -> vars.put(e.getKey(), e.getValue().asText()));
        Map<String, String> sensitive = new LinkedHashMap<>();
        root.path("sensitive_variables").fields().forEachRemaining(e -> sensitive.put(e.getKey(), e.getValue().asText()));
        ObjectNode plan = (ObjectNode) root.path("plan");
        return new PlanFile(plan, plan.path("lineage").asText(), plan.path("serial").asLong(),
                new PlanOptions(opts.path("refresh").asBoolean(true), targets, replace, opts.path("destroy").asBoolean(false)), vars,
                sensitive, root.path("text").asText(""), root.path("saved"));
    }


}
