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
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A saved plan ({@code plan -out FILE}): the plan as JSON (no secret value: sensitive values are
 * "(sensitive)"), bound to the state's lineage and serial and to a hash of the configuration,
 * with the options and variables it was made with, and a fingerprint of every change (secrets by
 * their keyed digests). {@code apply FILE} plans again and applies only when the fingerprints agree.
 */
record PlanFile(ObjectNode plan, String lineage, long serial, String configHash, String fingerprint,
                PlanOptions options, Map<String, String> variables) {

    static final String KIND = "flyform-plan";

    void write(Path file) {
        ObjectNode root = PlanJson.JSON.createObjectNode();
        root.put("kind", KIND);
        root.put("format_version", PlanJson.FORMAT_VERSION);
        root.put("config_hash", configHash);
        root.put("fingerprint", fingerprint);
        ObjectNode opts = root.putObject("options");
        opts.put("refresh", options.refresh());
        opts.put("destroy", options.destroy());
        options.targets().stream().map(Object::toString).sorted().forEach(opts.withArray("targets")::add);
        options.replace().stream().map(Object::toString).sorted().forEach(opts.withArray("replace")::add);
        root.set("variables", PlanJson.JSON.valueToTree(new TreeMap<>(variables)));
        root.set("plan", plan);
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
        ObjectNode plan = (ObjectNode) root.path("plan");
        return new PlanFile(plan, plan.path("lineage").asText(), plan.path("serial").asLong(), root.path("config_hash").asText(),
                root.path("fingerprint").asText(),
                new PlanOptions(opts.path("refresh").asBoolean(true), targets, replace, opts.path("destroy").asBoolean(false)), vars);
    }

    /** Every change and value, secrets by their keyed digest: two plans that do the same have the same fingerprint. */
    static String fingerprint(Plan plan, String digestKey) {
        StringBuilder canonical = new StringBuilder();
        for (ResourceChange c : plan.changes()) {
            canonical.append(c.address()).append(' ').append(c.action()).append(' ').append(c.deletedWith()).append('\n');
            for (AttributeChange a : c.attributes()) {
                canonical.append("  ").append(a.name()).append('=').append(canonical(a.before(), a.sensitive(), digestKey))
                        .append("->").append(canonical(a.after(), a.sensitive(), digestKey)).append('\n');
            }
        }
        return sha256(canonical.toString());
    }

    private static String canonical(Object v, boolean sensitive, String digestKey) {
        if (sensitive && v instanceof String s && !SecretDigest.isDigest(s)) {
            return SecretDigest.of(digestKey, s);
        }
        try {
            return PlanJson.JSON.writeValueAsString(PlanJson.value(v, false));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The configuration's files (names and contents) and the variables given. */
    static String configHash(Path dir, Map<String, String> variables) {
        StringBuilder all = new StringBuilder();
        try {
            for (Path file : dev.flyform.dsl.ConfigLoader.scriptsIn(dir)) {
                all.append(file.getFileName()).append('\0').append(Files.readString(file)).append('\0');
            }
        } catch (IOException e) {
            throw new DiagnosticsException(Diagnostic.error("Cannot read the configuration in " + dir, e.getMessage()));
        }
        new TreeMap<>(variables).forEach((k, v) -> all.append(k).append('=').append(v).append('\0'));
        return sha256(all.toString());
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

}
