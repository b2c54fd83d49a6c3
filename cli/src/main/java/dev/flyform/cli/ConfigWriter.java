package dev.flyform.cli;

import dev.flyform.engine.addr.ResourceAddress;
import dev.flyform.engine.state.ResourceState;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Writes the {@code .fly.groovy} for an imported app: the app block with its IP, certificate
 * and secret shortcuts, then its volumes, then its machines referring to the volumes they mount.
 * Secrets become {@code env('NAME')}, since Fly never gives values back. The labels are those
 * the DSL gives the same declarations, so the written file declares exactly what was recorded.
 */
final class ConfigWriter {

    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    /** What was imported: the app, and its children by type, each with the address it was recorded at. */
    record ImportedApp(ResourceState app, List<ResourceState> ips, List<ResourceState> certificates,
                       List<ResourceState> secrets, List<ResourceState> volumes, List<ResourceState> machines,
                       List<ResourceState> others) {
    }

    /** The provider's types: an object of a type written here without an idiom of its own is written from its schema. */
    private final dev.flyform.engine.provider.ProviderSchema schema;

    ConfigWriter(dev.flyform.engine.provider.ProviderSchema schema) {
        this.schema = schema;
    }

    /** A label for an app name: app names may start with a digit, labels may not. */
    static String appLabel(String appName) {
        return ResourceAddress.isValidName(appName) ? appName : "app_" + appName;
    }

    static String childLabel(String appLabel, String name) {
        return appLabel + "_" + name.replaceAll("[^A-Za-z0-9_-]", "_");
    }

    /**
     * The label of an app's child of {@code type} that Fly names {@code hint}: the one the app's
     * shortcut for the type gives it in the DSL ({@code ip 'v6'}: {@code web_v6}), else
     * {@code <app>_<hint>}.
     */
    static String childLabel(dev.flyform.engine.provider.ProviderSchema schema, String appLabel, String type, String hint) {
        return schema.resourceType("fly_app").orElseThrow().shortcuts().stream().filter(s -> s.type().equals(type))
                .findFirst().map(s -> s.label(appLabel, java.util.Collections.nCopies(s.positional().size(), hint)))
                .orElse(childLabel(appLabel, hint));
    }

    /**
     * The environment variable an imported secret's value is read from: named after its app and
     * itself ({@code acme-web}'s {@code API_KEY}: {@code ACME_WEB_API_KEY}), so the same secret
     * name in two apps reads two variables.
     */
    static String secretVariable(String appName, String secretName) {
        return appName.toUpperCase(java.util.Locale.ROOT).replaceAll("[^A-Z0-9]+", "_") + "_" + secretName;
    }

    String write(ImportedApp imported) {
        Map<String, Object> app = imported.app().attributes();
        String label = imported.app().address().name();
        String appVar = variable("app_", label);
        StringBuilder out = new StringBuilder();
        out.append("// Imported from Fly with `flyform import app ").append(app.get("name")).append("`.\n");
        if (!imported.secrets().isEmpty()) {
            out.append("// Fly never shows secret values: each is read from an environment variable named after its app and itself.\n");
        }
        out.append('\n');
        out.append("def ").append(appVar).append(" = app(").append(str(label)).append(") {\n");
        out.append("    name = ").append(str(app.get("name"))).append('\n');
        out.append("    org = ").append(str(app.get("org"))).append('\n');
        if (!"default".equals(app.get("network"))) {
            out.append("    network = ").append(str(app.get("network"))).append('\n');
        }
        for (ResourceState ip : imported.ips()) {
            Map<String, Object> a = ip.attributes();
            List<String> options = new ArrayList<>();
            if (!ip.address().name().equals(childLabel(schema, label, ip.address().type(), (String) a.get("type")))) {
                options.add("label: " + str(ip.address().name()));
            }
            if (!"global".equals(a.get("region"))) {
                options.add("region: " + str(a.get("region")));
            }
            if (!"".equals(a.getOrDefault("service_name", ""))) {
                options.add("serviceName: " + str(a.get("service_name")));
            }
            out.append("    ip ").append(str(a.get("type")));
            options.forEach(o -> out.append(", ").append(o));
            out.append('\n');
        }
        for (ResourceState cert : imported.certificates()) {
            out.append("    certificate ").append(str(cert.attributes().get("hostname"))).append('\n');
        }
        for (ResourceState secret : imported.secrets()) {
            String name = (String) secret.attributes().get("name");
            out.append("    secret ").append(str(name)).append(", env(")
                    .append(str(secretVariable((String) app.get("name"), name))).append(")\n");
        }
        out.append("}\n");

        Map<String, String> volumeVars = new LinkedHashMap<>();
        for (ResourceState volume : imported.volumes()) {
            Map<String, Object> a = volume.attributes();
            String var = variable("volume_", volume.address().name());
            volumeVars.put(volume.id(), var);
            out.append("\ndef ").append(var).append(" = volume(").append(str(volume.address().name())).append(") {\n");
            out.append("    app = ").append(appVar).append('\n');
            out.append("    name = ").append(str(a.get("name"))).append('\n');
            out.append("    region = ").append(str(a.get("region"))).append('\n');
            out.append("    sizeGb = ").append(a.get("size_gb")).append('\n');
            if (Boolean.FALSE.equals(a.get("encrypted"))) {
                out.append("    encrypted = false\n");
            }
            if (!Integer.valueOf(5).equals(number(a.get("snapshot_retention")))) {
                out.append("    snapshotRetention = ").append(a.get("snapshot_retention")).append('\n');
            }
            if (Boolean.FALSE.equals(a.get("auto_backup_enabled"))) {
                out.append("    autoBackupEnabled = false\n");
            }
            out.append("}\n");
        }

        for (ResourceState machine : imported.machines()) {
            writeMachine(out, machine, appVar, volumeVars);
        }
        for (ResourceState other : imported.others()) {
            writeFromSchema(out, other, appVar);
        }
        return out.toString();
    }

    /**
     * A block of a type with no idiom here, from its schema alone: each settable attribute Fly
     * holds a value for, in the schema's order, its app as a reference to the app block.
     */
    private void writeFromSchema(StringBuilder out, ResourceState object, String appVar) {
        dev.flyform.engine.provider.ResourceSchema type = schema.resourceType(object.address().type()).orElseThrow();
        out.append('\n').append(type.shortName()).append('(').append(str(object.address().name())).append(") {\n");
        for (String name : type.settableNames()) {
            Object value = object.attributes().get(name);
            if (value == null) {
                continue;
            }
            out.append("    ").append(camel(name)).append(" = ")
                    .append(name.equals("app") ? appVar : value instanceof String ? str(value) : String.valueOf(value)).append('\n');
        }
        out.append("}\n");
    }

    @SuppressWarnings("unchecked")
    private void writeMachine(StringBuilder out, ResourceState machine, String appVar, Map<String, String> volumeVars) {
        Map<String, Object> a = machine.attributes();
        out.append("\nmachine(").append(str(machine.address().name())).append(") {\n");
        out.append("    app = ").append(appVar).append('\n');
        out.append("    name = ").append(str(a.get("name"))).append('\n');
        out.append("    region = ").append(str(a.get("region"))).append('\n');
        out.append("    image = ").append(str(a.get("image"))).append('\n');
        if (a.get("env") instanceof Map<?, ?> env && !env.isEmpty()) {
            out.append("    env ").append(namedArgs((Map<String, Object>) env, false)).append('\n');
        }
        if (a.get("guest") instanceof Map<?, ?> guest && !guest.isEmpty()) {
            out.append("    guest ").append(namedArgs((Map<String, Object>) guest, true)).append('\n');
        }
        if (a.get("services") instanceof List<?> services) {
            for (Object o : services) {
                Map<String, Object> service = new LinkedHashMap<>((Map<String, Object>) o);
                Object ports = service.remove("ports");
                out.append("    service(").append(namedArgs(service, true)).append(")");
                if (ports instanceof List<?> list && !list.isEmpty()) {
                    out.append(" {\n");
                    for (Object p : list) {
                        Map<String, Object> port = new LinkedHashMap<>((Map<String, Object>) p);
                        Object number = port.remove("port");
                        out.append("        port ").append(number);
                        if (!port.isEmpty()) {
                            out.append(", ").append(namedArgs(port, true));
                        }
                        out.append('\n');
                    }
                    out.append("    }");
                }
                out.append('\n');
            }
        }
        if (a.get("checks") instanceof Map<?, ?> checks) {
            ((Map<String, Object>) checks).forEach((name, check) -> out.append("    check ").append(str(name)).append(", ")
                    .append(namedArgs((Map<String, Object>) check, true)).append('\n'));
        }
        if (a.get("mounts") instanceof List<?> mounts) {
            for (Object o : mounts) {
                Map<String, Object> mount = (Map<String, Object>) o;
                String volume = String.valueOf(mount.get("volume"));
                out.append("    mount ").append(volumeVars.getOrDefault(volume, str(volume)))
                        .append(", path: ").append(str(mount.get("path"))).append('\n');
            }
        }
        if (a.get("restart") instanceof Map<?, ?> restart && !restart.isEmpty()) {
            out.append("    restart ").append(namedArgs((Map<String, Object>) restart, true)).append('\n');
        }
        Map<String, Object> metadata = new LinkedHashMap<>();
        if (a.get("metadata") instanceof Map<?, ?> m) {
            m.forEach((k, v) -> metadata.put(String.valueOf(k), v));
        }
        boolean tagged = machine.address().toString().equals(metadata.remove("flyform_address"));
        metadata.remove("flyform_intent");
        if (!metadata.isEmpty()) {
            out.append("    metadata ").append(namedArgs(metadata, false)).append('\n');
        }
        if (Boolean.TRUE.equals(a.get("auto_destroy"))) {
            out.append("    autoDestroy = true\n");
        }
        if (!tagged) {
            out.append("    ownerTag = false      // set to true to let flyform tag this machine as its own\n");
        }
        out.append("}\n");
    }

    /** {@code key: value, ...} as Groovy named arguments; DSL keys are camelCase unless they are the user's own. */
    private static String namedArgs(Map<String, Object> values, boolean camel) {
        List<String> parts = new ArrayList<>();
        values.forEach((k, v) -> {
            String key = camel ? camel(k) : k;
            parts.add((IDENTIFIER.matcher(key).matches() ? key : str(key)) + ": " + literal(v, camel));
        });
        return String.join(", ", parts);
    }

    @SuppressWarnings("unchecked")
    private static String literal(Object v, boolean camel) {
        if (v instanceof String s) {
            return str(s);
        }
        if (v instanceof List<?> list) {
            List<String> items = new ArrayList<>();
            list.forEach(i -> items.add(literal(i, camel)));
            return "[" + String.join(", ", items) + "]";
        }
        if (v instanceof Map<?, ?> map) {
            return map.isEmpty() ? "[:]" : "[" + namedArgs((Map<String, Object>) map, camel) + "]";
        }
        return String.valueOf(v);
    }

    static String str(Object s) {
        return "'" + String.valueOf(s).replace("\\", "\\\\").replace("'", "\\'") + "'";
    }

    private static String camel(String snake) {
        StringBuilder out = new StringBuilder();
        boolean upper = false;
        for (char c : snake.toCharArray()) {
            if (c == '_') {
                upper = true;
            } else {
                out.append(upper ? Character.toUpperCase(c) : c);
                upper = false;
            }
        }
        return out.toString();
    }

    private static String variable(String prefix, String label) {
        return prefix + label.replaceAll("[^A-Za-z0-9_]", "_");
    }

    private static Integer number(Object v) {
        return v instanceof Number n ? n.intValue() : null;
    }
}
