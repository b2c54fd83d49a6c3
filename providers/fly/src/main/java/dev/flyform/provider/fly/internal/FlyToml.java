package dev.flyform.provider.fly.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import dev.flyform.engine.addr.ResourceAddress;
import dev.flyform.engine.config.Reference;
import dev.flyform.engine.provider.DeclarationReader;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@code flyToml('fly.toml')}: the app a flyctl project's fly.toml describes, as declarations:
 * the app; for each process group (one, {@code app}, when fly.toml names none) its machines
 * ({@code machines: N}, default 1) in the primary region, with the image, env, services (from
 * {@code [http_service]} and {@code [[services]]}), checks, {@code [[vm]]}, metrics, statics,
 * restart policy and kill signal fly.toml gives them, marked with their process group as flyctl
 * marks its own; and a volume for each mount of each machine. Both shapes flyctl writes are read:
 * Apps V2 ({@code primary_region}, {@code [http_service]}) and V1 ({@code [[services]]} with
 * {@code tcp_checks}, {@code kill_timeout} in seconds).
 */
public final class FlyToml implements DeclarationReader {

    private static final TomlMapper TOML = new TomlMapper();
    private static final Set<String> OPTIONS = Set.of("image", "region", "machines", "label");
    /** Fly's preset sizes: CPU kind, CPUs, memory in MB. */
    private static final Map<String, Object[]> SIZES = Map.ofEntries(
            Map.entry("shared-cpu-1x", new Object[] {"shared", 1, 256}), Map.entry("shared-cpu-2x", new Object[] {"shared", 2, 512}),
            Map.entry("shared-cpu-4x", new Object[] {"shared", 4, 1024}), Map.entry("shared-cpu-8x", new Object[] {"shared", 8, 2048}),
            Map.entry("performance-1x", new Object[] {"performance", 1, 2048}),
            Map.entry("performance-2x", new Object[] {"performance", 2, 4096}),
            Map.entry("performance-4x", new Object[] {"performance", 4, 8192}),
            Map.entry("performance-8x", new Object[] {"performance", 8, 16384}),
            Map.entry("performance-16x", new Object[] {"performance", 16, 32768}));

    @Override
    public String function() {
        return "flyToml";
    }

    @Override
    public List<Declared> read(Path file, Map<String, Object> options) {
        for (String option : options.keySet()) {
            if (!OPTIONS.contains(option)) {
                throw new IllegalArgumentException("flyToml takes no option `" + option + "`; its options: image, region, "
                        + "machines, label");
            }
        }
        JsonNode toml;
        try {
            toml = TOML.readTree(Files.readString(file));
        } catch (java.nio.file.NoSuchFileException e) {
            throw new IllegalArgumentException("No file " + file);
        } catch (IOException e) {
            String why = e.getMessage() == null ? e.toString() : e.getMessage().lines().findFirst().orElse("");
            throw new IllegalArgumentException(file.getFileName() + " is not valid TOML: " + why);
        }
        String app = toml.path("app").asText("");
        if (app.isEmpty()) {
            throw new IllegalArgumentException(file.getFileName() + " names no app (app = \"NAME\")");
        }
        String region = options.get("region") != null ? String.valueOf(options.get("region")) : toml.path("primary_region").asText("");
        if (region.isEmpty()) {
            throw new IllegalArgumentException(file.getFileName() + " has no primary_region (an Apps V1 file): give "
                    + "flyToml('" + file.getFileName() + "', region: 'iad')");
        }
        String image = options.get("image") != null ? String.valueOf(options.get("image")) : toml.path("build").path("image").asText("");
        if (image.isEmpty()) {
            throw new IllegalArgumentException(file.getFileName() + " builds its image ([build] names no image): give "
                    + "the image to run, flyToml('" + file.getFileName() + "', image: 'registry.fly.io/" + app + ":TAG')");
        }
        Object machines = options.get("machines");
        if (machines != null && !(machines instanceof Number) && !(machines instanceof Map<?, ?>)) {
            throw new IllegalArgumentException("flyToml machines: takes a count, or counts by process group: "
                    + "machines: [web: 2, worker: 1]");
        }
        String appLabel = options.get("label") != null ? String.valueOf(options.get("label")) : label(app);
        ResourceAddress appAddress = new ResourceAddress(AppResource.TYPE, appLabel);

        List<Declared> out = new ArrayList<>();
        Map<String, Object> appAttrs = new LinkedHashMap<>();
        appAttrs.put("name", app);
        String strategy = toml.path("deploy").path("strategy").asText("");
        if (strategy.equals("immediate")) {
            appAttrs.put("strategy", "immediate");
        }
        out.add(new Declared(AppResource.TYPE, appLabel, appAttrs, null));

        Map<String, List<String>> groups = processGroups(toml);
        for (Map.Entry<String, List<String>> group : groups.entrySet()) {
            Object given = machines instanceof Map<?, ?> byGroup ? byGroup.get(group.getKey()) : machines;
            int count = given instanceof Number n ? n.intValue() : given == null && !(machines instanceof Map<?, ?>) ? 1 : 0;
            if (count < 0) {
                throw new IllegalArgumentException("flyToml machines: must not be negative");
            }
            for (int n = 1; n <= count; n++) {
                String machineLabel = label(group.getKey()) + "_" + n;
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("app", new Reference(appAddress, "name"));
                m.put("region", region);
                m.put("image", image);
                Map<String, Object> env = env(toml.path("env"));
                if (!env.isEmpty()) {
                    m.put("env", env);
                }
                Map<String, Object> guest = guest(toml.path("vm"), group.getKey());
                if (!guest.isEmpty()) {
                    m.put("guest", guest);
                }
                List<Object> services = services(toml, group.getKey());
                if (!services.isEmpty()) {
                    m.put("services", services);
                }
                Map<String, Object> checks = checks(toml.path("checks"), group.getKey());
                if (!checks.isEmpty()) {
                    m.put("checks", checks);
                }
                List<Object> mounts = new ArrayList<>();
                for (JsonNode mount : each(toml.path("mounts"))) {
                    if (!appliesTo(mount, group.getKey())) {
                        continue;
                    }
                    String source = mount.path("source").asText("data");
                    String volumeLabel = label(source) + "_" + machineLabel;
                    Map<String, Object> v = new LinkedHashMap<>();
                    v.put("app", new Reference(appAddress, "name"));
                    v.put("name", source);
                    v.put("region", region);
                    v.put("size_gb", sizeGb(mount.path("initial_size")));
                    out.add(new Declared(VolumeResource.TYPE, volumeLabel, v, "volumes"));
                    Map<String, Object> mm = new LinkedHashMap<>();
                    mm.put("volume", new Reference(new ResourceAddress(VolumeResource.TYPE, volumeLabel), "id"));
                    mm.put("path", mount.path("destination").asText("/data"));
                    mounts.add(mm);
                }
                if (!mounts.isEmpty()) {
                    m.put("mounts", mounts);
                }
                Map<String, Object> restart = restart(toml.path("restart"), group.getKey());
                if (!restart.isEmpty()) {
                    m.put("restart", restart);
                }
                Map<String, Object> init = new LinkedHashMap<>();
                if (!group.getValue().isEmpty()) {
                    init.put("cmd", group.getValue());
                }
                JsonNode experimental = toml.path("experimental");
                if (experimental.path("cmd").isArray()) {
                    init.put("cmd", strings(experimental.path("cmd")));
                }
                if (experimental.path("entrypoint").isArray()) {
                    init.put("entrypoint", strings(experimental.path("entrypoint")));
                }
                if (!init.isEmpty()) {
                    m.put("init", init);
                }
                Map<String, Object> stop = stopConfig(toml);
                if (!stop.isEmpty()) {
                    m.put("stop_config", stop);
                }
                JsonNode metrics = toml.path("metrics").isArray() ? toml.path("metrics").path(0) : toml.path("metrics");
                if (metrics.isObject()) {
                    m.put("metrics", Attrs.plain(metrics));
                }
                List<Object> statics = new ArrayList<>();
                each(toml.path("statics")).forEach(s -> statics.add(Attrs.plain(s)));
                if (!statics.isEmpty()) {
                    m.put("statics", statics);
                }
                m.put("metadata", Map.of("fly_process_group", group.getKey()));
                out.add(new Declared(MachineResource.TYPE, machineLabel, m, "machines"));
            }
        }
        return out;
    }

    /** A label from a name: dashes kept, anything else not a letter, digit or underscore made one. */
    static String label(String name) {
        String l = name.replaceAll("[^A-Za-z0-9_-]", "_");
        return Character.isLetter(l.charAt(0)) || l.charAt(0) == '_' ? l : "_" + l;
    }

    /** Process group → its command ({@code [processes]}); one group, {@code app}, with the image's command, when none. */
    private static Map<String, List<String>> processGroups(JsonNode toml) {
        Map<String, List<String>> groups = new LinkedHashMap<>();
        JsonNode processes = toml.path("processes");
        if (processes.isObject()) {
            processes.fields().forEachRemaining(e -> groups.put(e.getKey(), words(e.getValue().asText())));
        }
        if (groups.isEmpty()) {
            groups.put("app", List.of());
        }
        return groups;
    }

    /** A command line split as a shell splits it: at blanks, quotes kept together. */
    static List<String> words(String command) {
        List<String> out = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        char quote = 0;
        boolean inWord = false;
        for (char ch : command.toCharArray()) {
            if (quote != 0) {
                if (ch == quote) {
                    quote = 0;
                } else {
                    word.append(ch);
                }
            } else if (ch == '"' || ch == '\'') {
                quote = ch;
                inWord = true;
            } else if (Character.isWhitespace(ch)) {
                if (inWord) {
                    out.add(word.toString());
                    word.setLength(0);
                    inWord = false;
                }
            } else {
                word.append(ch);
                inWord = true;
            }
        }
        if (inWord) {
            out.add(word.toString());
        }
        return out;
    }

    /** A table, or an array of tables, as a list of tables. */
    private static List<JsonNode> each(JsonNode node) {
        List<JsonNode> out = new ArrayList<>();
        if (node.isArray()) {
            node.forEach(out::add);
        } else if (node.isObject()) {
            out.add(node);
        }
        return out;
    }

    /** Whether a section with {@code processes = [...]} applies to {@code group} (none: to all). */
    private static boolean appliesTo(JsonNode section, String group) {
        JsonNode processes = section.path("processes");
        if (!processes.isArray() || processes.isEmpty()) {
            return true;
        }
        for (JsonNode p : processes) {
            if (p.asText().equals(group)) {
                return true;
            }
        }
        return false;
    }

    private static Map<String, Object> env(JsonNode env) {
        Map<String, Object> out = new LinkedHashMap<>();
        env.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText()));
        return out;
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(v -> out.add(v.asText()));
        return out;
    }

    /** {@code [[vm]]}: a preset size, then memory and CPUs given beside it. */
    private static Map<String, Object> guest(JsonNode vms, String group) {
        Map<String, Object> guest = new LinkedHashMap<>();
        for (JsonNode vm : each(vms)) {
            if (!appliesTo(vm, group)) {
                continue;
            }
            Object[] preset = SIZES.get(vm.path("size").asText("").toLowerCase(Locale.ROOT));
            if (preset != null) {
                guest.put("cpu_kind", preset[0]);
                guest.put("cpus", preset[1]);
                guest.put("memory_mb", preset[2]);
            }
            if (vm.has("cpu_kind")) {
                guest.put("cpu_kind", vm.get("cpu_kind").asText());
            }
            if (vm.has("cpus")) {
                guest.put("cpus", vm.get("cpus").asInt());
            }
            if (vm.has("memory")) {
                guest.put("memory_mb", megabytes(vm.get("memory")));
            }
            if (vm.has("memory_mb")) {
                guest.put("memory_mb", vm.get("memory_mb").asInt());
            }
            if (vm.has("gpu_kind")) {
                guest.put("gpu_kind", vm.get("gpu_kind").asText());
            }
            if (vm.has("gpus")) {
                guest.put("gpus", vm.get("gpus").asInt());
            }
            if (!guest.isEmpty()) {
                guest.putIfAbsent("cpu_kind", "shared");
                guest.putIfAbsent("cpus", 1);
                guest.putIfAbsent("memory_mb", 256);
            }
        }
        return guest;
    }

    /** {@code 512}, {@code "512mb"}, {@code "1gb"}: in MB. */
    static int megabytes(JsonNode memory) {
        if (memory.isNumber()) {
            return memory.asInt();
        }
        String m = memory.asText().strip().toLowerCase(Locale.ROOT).replace(" ", "");
        java.util.regex.Matcher match = java.util.regex.Pattern.compile("(\\d+)(gb|g|mb|m)?").matcher(m);
        if (!match.matches()) {
            throw new IllegalArgumentException("fly.toml: memory \"" + memory.asText() + "\" is no size (512mb, 1gb)");
        }
        int n = Integer.parseInt(match.group(1));
        return match.group(2) != null && match.group(2).startsWith("g") ? n * 1024 : n;
    }

    /** A volume's {@code initial_size} ({@code "10gb"}, {@code 10}) in GB; 1 when fly.toml leaves it out, as flyctl does. */
    static int sizeGb(JsonNode size) {
        if (size.isMissingNode() || size.isNull()) {
            return 1;
        }
        if (size.isNumber()) {
            return size.asInt();
        }
        String s = size.asText().strip().toLowerCase(Locale.ROOT);
        java.util.regex.Matcher match = java.util.regex.Pattern.compile("(\\d+)\\s*(gb|g)?").matcher(s);
        if (!match.matches()) {
            throw new IllegalArgumentException("fly.toml: initial_size \"" + size.asText() + "\" is no size in GB (10gb)");
        }
        return Integer.parseInt(match.group(1));
    }

    /** {@code [http_service]} (ports 80 and 443 for HTTP) and each {@code [[services]]}, for {@code group}'s machines. */
    private static List<Object> services(JsonNode toml, String group) {
        List<Object> out = new ArrayList<>();
        JsonNode http = toml.path("http_service");
        if (http.isObject() && appliesTo(http, group)) {
            Map<String, Object> service = service(http);
            List<Object> ports = new ArrayList<>();
            Map<String, Object> plain = new LinkedHashMap<>();
            plain.put("port", 80);
            plain.put("handlers", List.of("http"));
            if (http.path("force_https").asBoolean(false)) {
                plain.put("force_https", true);
            }
            ports.add(plain);
            Map<String, Object> tls = new LinkedHashMap<>();
            tls.put("port", 443);
            tls.put("handlers", List.of("tls", "http"));
            if (http.has("tls_options")) {
                tls.put("tls_options", Attrs.plain(http.get("tls_options")));
            }
            if (http.has("http_options")) {
                plain.put("http_options", Attrs.plain(http.get("http_options")));
                tls.put("http_options", Attrs.plain(http.get("http_options")));
            }
            ports.add(tls);
            service.put("ports", ports);
            List<Object> checks = new ArrayList<>();
            for (JsonNode c : each(http.path("checks"))) {
                checks.add(check("http", c));
            }
            if (!checks.isEmpty()) {
                service.put("checks", checks);
            }
            out.add(service);
        }
        for (JsonNode s : each(toml.path("services"))) {
            if (!appliesTo(s, group)) {
                continue;
            }
            Map<String, Object> service = service(s);
            List<Object> ports = new ArrayList<>();
            for (JsonNode p : each(s.path("ports"))) {
                Map<String, Object> port = new LinkedHashMap<>();
                p.fields().forEachRemaining(e -> port.put(e.getKey(), Attrs.plain(e.getValue())));
                ports.add(port);
            }
            if (!ports.isEmpty()) {
                service.put("ports", ports);
            }
            List<Object> checks = new ArrayList<>();
            each(s.path("tcp_checks")).forEach(c -> checks.add(check("tcp", c)));
            each(s.path("http_checks")).forEach(c -> checks.add(check("http", c)));
            if (!checks.isEmpty()) {
                service.put("checks", checks);
            }
            out.add(service);
        }
        return out;
    }

    private static Map<String, Object> service(JsonNode s) {
        Map<String, Object> service = new LinkedHashMap<>();
        service.put("protocol", s.path("protocol").asText("tcp"));
        service.put("internal_port", s.path("internal_port").asInt(8080));
        JsonNode autostop = s.path("auto_stop_machines");
        if (autostop.isBoolean()) {
            service.put("autostop", autostop.asBoolean() ? "stop" : "off");
        } else if (autostop.isTextual()) {
            service.put("autostop", autostop.asText());
        }
        if (s.path("auto_start_machines").isBoolean()) {
            service.put("autostart", s.get("auto_start_machines").asBoolean());
        }
        if (s.path("min_machines_running").isNumber()) {
            service.put("min_machines_running", s.get("min_machines_running").asInt());
        }
        if (s.path("concurrency").isObject()) {
            service.put("concurrency", Attrs.plain(s.get("concurrency")));
        }
        return service;
    }

    /** A check as the machine's config holds it, from a fly.toml check of {@code type}. */
    private static Map<String, Object> check(String type, JsonNode c) {
        Map<String, Object> check = new LinkedHashMap<>();
        check.put("type", c.path("type").asText(type));
        for (String field : List.of("port", "interval", "timeout", "grace_period", "method", "path", "protocol",
                "tls_skip_verify", "tls_server_name")) {
            if (c.has(field)) {
                check.put(field, Attrs.plain(c.get(field)));
            }
        }
        if (c.path("headers").isObject()) {
            List<Object> headers = new ArrayList<>();
            c.get("headers").fields().forEachRemaining(h -> headers.add(Map.of("name", h.getKey(),
                    "values", h.getValue().isArray() ? strings(h.getValue()) : List.of(h.getValue().asText()))));
            check.put("headers", headers);
        }
        if (check.get("type").equals("http")) {
            check.putIfAbsent("method", "GET");
            check.putIfAbsent("path", "/");
        }
        return check;
    }

    /** {@code [checks.NAME]}: the machine's own checks, by name. */
    private static Map<String, Object> checks(JsonNode checks, String group) {
        Map<String, Object> out = new LinkedHashMap<>();
        checks.fields().forEachRemaining(e -> {
            if (appliesTo(e.getValue(), group)) {
                out.put(e.getKey(), check(e.getValue().path("type").asText("tcp"), e.getValue()));
            }
        });
        return out;
    }

    private static Map<String, Object> restart(JsonNode restarts, String group) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (JsonNode r : each(restarts)) {
            if (appliesTo(r, group)) {
                if (r.has("policy")) {
                    out.put("policy", r.get("policy").asText());
                }
                if (r.has("retries")) {
                    out.put("max_retries", r.get("retries").asInt());
                }
            }
        }
        return out;
    }

    /** {@code kill_signal} and {@code kill_timeout} (seconds in Apps V1 files, a duration in V2 ones). */
    private static Map<String, Object> stopConfig(JsonNode toml) {
        Map<String, Object> stop = new LinkedHashMap<>();
        if (toml.has("kill_signal")) {
            stop.put("signal", toml.get("kill_signal").asText().toUpperCase(Locale.ROOT));
        }
        JsonNode timeout = toml.path("kill_timeout");
        if (timeout.isNumber()) {
            stop.put("timeout", timeout.asInt() + "s");
        } else if (timeout.isTextual()) {
            stop.put("timeout", timeout.asText());
        }
        return stop;
    }
}
