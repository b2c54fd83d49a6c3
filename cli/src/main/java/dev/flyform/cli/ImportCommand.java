package dev.flyform.cli;

import dev.flyform.engine.addr.ResourceAddress;
import dev.flyform.engine.config.Configuration;
import dev.flyform.engine.config.ResourceConfig;
import dev.flyform.engine.diag.Diagnostic;
import dev.flyform.engine.diag.DiagnosticsException;
import dev.flyform.engine.plan.Planner;
import dev.flyform.engine.provider.ImportRequest;
import dev.flyform.engine.provider.ImportResponse;
import dev.flyform.engine.provider.Provider;
import dev.flyform.engine.state.ResourceState;
import dev.flyform.engine.state.SecretDigest;
import dev.flyform.engine.state.State;
import dev.flyform.engine.state.StateLock;
import dev.flyform.engine.state.StateStore;
import dev.flyform.provider.fly.Discovered;
import dev.flyform.provider.fly.FlyProvider;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

@Command(name = "import", mixinStandardHelpOptions = true,
        description = {"Bring existing Fly objects under flyform without recreating them.",
                "",
                "  flyform import ADDR ID                           record one object at a declared address",
                "  flyform import app NAME -generate-config FILE    an app and all it holds; writes FILE",
                "  flyform import org SLUG -generate-config DIR     every app of an organization, a file each",
                "  flyform import app NAME -fly-toml fly.toml -generate-config FILE",
                "                                                   the same, FILE reading the app and its machines",
                "                                                   and volumes from the project's fly.toml",
                "",
                "IDs: an app by its name; app/hostname (certificate), app/address (IP), app/machine_id, "
                        + "app/volume_id, app/SECRET_NAME. Fly never shows secret values: an imported secret is "
                        + "assumed to hold the value the configuration gives it (for `import app`, the environment "
                        + "variable of its name, when set; otherwise the next apply sets it)."},
        footer = {"", "Examples:", "  flyform import fly_app.web acme-web",
                "  flyform import fly_certificate.www acme-web/www.acme.example",
                "  flyform import app acme-web -generate-config acme-web.fly.groovy"})
final class ImportCommand extends FlyformCommand {

    @Parameters(index = "0", paramLabel = "ADDR|app|org", description = "A declared address, or `app`, or `org`.")
    String what;

    @Parameters(index = "1", paramLabel = "ID|NAME|SLUG", description = "The object's import id, the app's name, or the organization's slug.")
    String id;

    @Option(names = {"-generate-config", "--generate-config"}, paramLabel = "FILE|DIR",
            description = "For `import app`: the .fly.groovy file to write; for `import org`: the directory. Never overwritten.")
    Path generateConfig;

    @Option(names = {"-fly-toml", "--fly-toml"}, paramLabel = "FILE",
            description = "For `import app`: the app's fly.toml. The file written reads the app, its machines (by process "
                    + "group) and their volumes with flyToml('FILE'), and declares the rest (IPs, certificates, secrets) "
                    + "inside it; the machines keep their metadata (ownerTag = false) and the image fly deploy gave them "
                    + "(ignoreChanges 'image').")
    Path flyToml;

    /** For each file written, the reader call that declares its app (with -fly-toml). */
    private final Map<Path, ConfigWriter.FromFile> fromFiles = new LinkedHashMap<>();

    @Mixin
    PlanFlags flags;

    @Override
    public Integer call() {
        try (Workspace ws = Workspace.open(options(), env())) {
            return switch (what) {
                case "app" -> importApps(ws, List.of(id), generateConfig == null ? null : ws.directory().resolve(generateConfig), false);
                case "org" -> importOrg(ws);
                default -> importOne(ws);
            };
        }
    }

    /** {@code import ADDR ID}: the address must be declared, and not be in the state yet. */
    private int importOne(Workspace ws) {
        ResourceAddress address;
        try {
            address = ResourceAddress.parse(what);
        } catch (IllegalArgumentException e) {
            throw new DiagnosticsException(Diagnostic.error("Invalid address \"" + what + "\"",
                    "Give a declared address such as fly_app.web, or `app NAME`, or `org SLUG`."));
        }
        Configuration config = ws.configuration(flags.values(ws, env()));
        ResourceConfig declared = config.resource(address).orElseThrow(() -> new DiagnosticsException(Diagnostic.error(
                address + " is not declared in the configuration",
                "Declare it first (its attributes as they are on Fly), then import into it. `flyform import app NAME "
                        + "-generate-config FILE` writes the declarations for a whole app.")));
        Provider provider = ws.provider();
        StateStore existing = ws.state(false);
        if (existing.read().resource(address).isPresent()) {
            throw new DiagnosticsException(Diagnostic.error(address + " is already in the state",
                    "It holds " + existing.read().resource(address).get().id() + ". Remove it from the state first to import another object there."));
        }
        ImportResponse response = provider.importResource(new ImportRequest(address, id));
        if (response.imported().isEmpty() || response.diagnostics().stream().anyMatch(Diagnostic::isError)) {
            throw new DiagnosticsException(response.diagnostics().isEmpty()
                    ? List.of(Diagnostic.error("Nothing to import at " + id, "")) : response.diagnostics());
        }
        StateStore store = ws.state(true);
        dev.flyform.engine.Engine engine = ws.engine(provider, store);
        try (StateLock ignored = ws.lock(engine, "import", flags.lockWait())) {
            ResourceConfig linked = new Planner(ws.offlineProvider()).linked(config).resource(address).orElseThrow();
            ResourceState imported = withDeclared(response.imported().get(0), linked.attributes(), ws.offlineProvider().schema(),
                    store.read().digestKey()).withDependencies(Planner.dependencies(linked));
            engine.recordImported(List.of(imported), () -> { });
        }
        env().out().println(style().green("Import successful!") + " " + address + " now holds " + id + ".");
        env().out().println("Run `flyform plan` to see how the object differs from its declaration.");
        return 0;
    }

    /**
     * A sensitive value (a secret's) cannot be read back: record the one declared, as a digest, as
     * adoption does; one not declared stays unknown.
     */
    private static ResourceState withDeclared(ResourceState imported, Map<String, Object> declared,
                                              dev.flyform.engine.provider.ProviderSchema schema, String digestKey) {
        Map<String, Object> attrs = new LinkedHashMap<>(imported.attributes());
        schema.resourceType(imported.address().type()).ifPresent(t -> t.attributes().values().forEach(a -> {
            if (a.sensitive() && declared.get(a.name()) instanceof String value) {
                attrs.put(a.name(), SecretDigest.of(digestKey, value));
            }
        }));
        return imported.withAttributes(attrs);
    }

    private int importOrg(Workspace ws) {
        if (generateConfig == null) {
            throw new DiagnosticsException(Diagnostic.error("-generate-config DIR is required with `import org`",
                    "flyform writes one .fly.groovy file per app there."));
        }
        FlyProvider provider = ws.flyProvider();
        List<String> apps = guarded(() -> provider.appsOf(id));
        if (apps.isEmpty()) {
            throw new DiagnosticsException(Diagnostic.error("Organization \"" + id + "\" has no apps", ""));
        }
        return importApps(ws, apps, ws.directory().resolve(generateConfig), true);
    }

    /**
     * Reads each app and all it holds, checks nothing collides, then writes the files and records
     * everything. Nothing is written when anything is wrong.
     */
    private int importApps(Workspace ws, List<String> appNames, Path target, boolean oneFilePerApp) {
        if (target == null) {
            throw new DiagnosticsException(Diagnostic.error("-generate-config FILE is required with `import app`",
                    "flyform records every object of the app and writes the matching declarations to FILE, so the "
                            + "next plan shows no change."));
        }
        FlyProvider provider = ws.flyProvider();
        Map<Path, List<ResourceState>> files = new LinkedHashMap<>();
        for (String name : appNames) {
            Path file = oneFilePerApp ? target.resolve(name + ".fly.groovy") : target;
            if (!file.getFileName().toString().endsWith(".fly.groovy")) {
                throw new DiagnosticsException(Diagnostic.error("-generate-config " + generateConfig + " does not end in .fly.groovy",
                        "flyform reads only *.fly.groovy files."));
            }
            if (Files.exists(file)) {
                throw new DiagnosticsException(Diagnostic.error(ws.directory().relativize(file) + " exists already",
                        "flyform never overwrites a file: choose another name, or move it away."));
            }
            List<ResourceState> objects = read(provider, name);
            if (flyToml != null) {
                if (oneFilePerApp) {
                    throw new DiagnosticsException(Diagnostic.error("-fly-toml is for `import app`", "An organization's apps "
                            + "have a fly.toml each: import them one at a time."));
                }
                ReadFromFile read = fromFlyToml(provider, objects, ws.directory().resolve(flyToml).toAbsolutePath().normalize(),
                        file.toAbsolutePath().getParent());
                objects = read.objects();
                fromFiles.put(file, read.call());
            }
            files.put(file, objects);
        }
        // The state belongs with the configuration: beside the files written, wherever they are.
        Path configDir = (oneFilePerApp ? target : target.toAbsolutePath().getParent()).toAbsolutePath().normalize();
        if (!options().sandbox && !configDir.equals(ws.directory().toAbsolutePath().normalize())) {
            try {
                Files.createDirectories(configDir);
            } catch (IOException e) {
                throw new DiagnosticsException(Diagnostic.error("Cannot create " + configDir, e.getMessage()));
            }
            GlobalOptions there = new GlobalOptions();
            there.chdir = configDir;
            there.noColor = options().noColor;
            try (Workspace stateWs = Workspace.open(there, env())) {
                return record(stateWs, files, ws.directory());
            }
        }
        return record(ws, files, ws.directory());
    }

    /** @param shownFrom file names are shown relative to it (the workspace the command ran in) */
    private int record(Workspace ws, Map<Path, List<ResourceState>> files, Path shownFrom) {
        StateStore store = ws.state(true);
        List<String> unsetSecrets = new ArrayList<>();
        int recorded = 0;
        Provider offline = ws.offlineProvider();
        ConfigWriter writer = new ConfigWriter(offline.schema());
        Map<Path, ConfigWriter.Written> written = new LinkedHashMap<>();
        files.forEach((file, objects) -> written.put(file, fromFiles.containsKey(file)
                ? writer.write(objects, fromFiles.get(file)) : writer.write(objects)));
        dev.flyform.engine.Engine engine = ws.engine(offline, store);
        try (StateLock ignored = ws.lock(engine, "import", flags.lockWait())) {
            State state = store.read();
            // Each file is read back as a plan would read it, before anything is written: the
            // dependencies and declared secret values recorded are the ones its declarations have.
            Map<Path, Configuration> declared = new LinkedHashMap<>();
            for (Map.Entry<Path, ConfigWriter.Written> e : written.entrySet()) {
                declared.put(e.getKey(), readBack(offline, e.getKey(), e.getValue(), unsetSecrets));
            }
            List<ResourceState> recordable = new ArrayList<>();
            for (Map.Entry<Path, List<ResourceState>> e : files.entrySet()) {
                Configuration config = declared.get(e.getKey());
                ConfigWriter.FromFile from = fromFiles.get(e.getKey());
                for (ResourceState r : e.getValue()) {
                    ResourceConfig d = config.resource(r.address()).orElseThrow();
                    ResourceState declaredAs = from != null && from.covered().contains(r.address()) ? shapedAs(r, d.attributes()) : r;
                    recordable.add(withDeclared(declaredAs, d.attributes(), offline.schema(), state.digestKey())
                            .withDependencies(Planner.dependencies(d)));
                }
            }
            engine.recordImported(recordable, () -> written.forEach((file, w) -> {
                try {
                    Files.createDirectories(file.getParent());
                    Files.writeString(file, w.text());
                } catch (IOException io) {
                    throw new DiagnosticsException(Diagnostic.error("Cannot write " + file, io.getMessage()));
                }
            }));
            recorded = recordable.size();
        }
        for (Path file : files.keySet()) {
            env().out().println("Wrote " + shownFrom.toAbsolutePath().normalize().relativize(file.toAbsolutePath().normalize()));
        }
        env().out().println(style().green("Import successful!") + " " + recorded + " objects recorded in the state.");
        if (!unsetSecrets.isEmpty()) {
            env().out().println("Fly never shows secret values. Export these variables before plan, each with its "
                    + "secret's value; the first value given is taken as what Fly holds, with no change planned: "
                    + String.join(", ", unsetSecrets));
        }
        return 0;
    }

    /** Fly's objects of one app, each at the address its generated declaration will have. */
    private List<ResourceState> read(FlyProvider provider, String appName) {
        List<Discovered> found = guarded(() -> provider.discoverApp(appName));
        String label = ConfigWriter.appLabel(appName);
        List<ResourceState> objects = new ArrayList<>();
        Set<String> used = new TreeSet<>();
        for (Discovered d : found) {
            String name = d.type().equals("fly_app") ? label
                    : unique(used, d.type(), ConfigWriter.childLabel(provider.schema(), label, d.type(), d.hint()));
            ResourceAddress address = new ResourceAddress(d.type(), name);
            used.add(address.toString());
            ImportResponse r = provider.importResource(new ImportRequest(address, d.importId()));
            if (r.imported().isEmpty()) {
                throw new DiagnosticsException(r.diagnostics());
            }
            objects.add(r.imported().get(0));
        }
        return objects;
    }

    /** The label, or label_2, label_3... when one of the same type already has it. */
    private static String unique(Set<String> used, String type, String label) {
        String candidate = label;
        for (int i = 2; used.contains(type + "." + candidate); i++) {
            candidate = label + "_" + i;
        }
        return candidate;
    }

    /**
     * The written declarations as a plan reads them (names linked, the schema's edges added),
     * checked: a file flyform writes that it would not read back is refused before it is written.
     * A variable a sensitive value is read from and the environment lacks is noted in
     * {@code unset}; the value is then left unknown.
     */
    private Configuration readBack(Provider offline, Path file, ConfigWriter.Written written, List<String> unset) {
        String fileName = file.getFileName().toString();
        Map<String, String> environment = new LinkedHashMap<>(env().variables());
        for (Map<String, String> variables : written.variables().values()) {
            for (String variable : variables.values()) {
                if (env().variable(variable) == null) {
                    if (!unset.contains(variable)) {
                        unset.add(variable);
                    }
                    environment.put(variable, UNSET);
                }
            }
        }
        Configuration config = new dev.flyform.dsl.ConfigLoader(dev.flyform.dsl.CompiledScripts.NONE, offline.schema())
                .loadSources(Map.of(fileName, written.text()), Map.of(), environment, file.toAbsolutePath().getParent());
        Planner planner = new Planner(offline);
        planner.validate(config).throwIfErrors();
        Map<ResourceAddress, ResourceConfig> out = new LinkedHashMap<>();
        planner.linked(config).resources().forEach((address, r) -> {
            Map<String, Object> attrs = new LinkedHashMap<>(r.attributes());
            attrs.replaceAll((k, v) -> UNSET.equals(v) ? null : v);
            out.put(address, new ResourceConfig(address, attrs, r.location(), r.attributeLocations(), r.dependsOn()));
        });
        return Configuration.of(List.copyOf(out.values()), List.of());
    }

    /** The app's objects at the addresses a reader gives them, and the call that declares them. */
    private record ReadFromFile(List<ResourceState> objects, ConfigWriter.FromFile call) {
    }

    /**
     * The app's objects at the addresses flyToml gives them: the app, each machine by its process
     * group ({@code fly_process_group}, else {@code app}) and name, each volume by the machine
     * that mounts it; and the flyToml call that declares them.
     */
    private ReadFromFile fromFlyToml(FlyProvider provider, List<ResourceState> objects, Path toml, Path configDir) {
        dev.flyform.engine.provider.DeclarationReader reader = provider.schema().readers().get("flyToml");
        if (!Files.exists(toml)) {
            throw new DiagnosticsException(Diagnostic.error("-fly-toml " + flyToml + ": no such file", ""));
        }
        Map<String, List<ResourceState>> byGroup = new java.util.TreeMap<>();
        for (ResourceState o : objects) {
            if (o.address().type().equals("fly_machine")) {
                Object group = o.attributes().get("metadata") instanceof Map<?, ?> m ? m.get("fly_process_group") : null;
                byGroup.computeIfAbsent(group == null ? "app" : group.toString(), g -> new ArrayList<>()).add(o);
            }
        }
        byGroup.values().forEach(ms -> ms.sort(java.util.Comparator.comparing(m -> String.valueOf(m.attributes().get("name")))));
        Map<String, Object> options = new LinkedHashMap<>();
        List<ResourceState> machines = byGroup.values().stream().flatMap(List::stream).toList();
        if (!machines.isEmpty()) {
            options.put("image", machines.get(0).attributes().get("image"));
        }
        Map<String, Object> counts = new LinkedHashMap<>();
        byGroup.forEach((g, ms) -> counts.put(g, ms.size()));
        List<dev.flyform.engine.provider.DeclarationReader.Declared> read;
        try {
            read = readFlyToml(reader, toml, options, counts);
        } catch (IllegalArgumentException e) {
            if (machines.isEmpty() || !e.getMessage().contains("primary_region")) {
                throw new DiagnosticsException(Diagnostic.error("-fly-toml " + flyToml + ": " + e.getMessage(), ""));
            }
            options.put("region", machines.get(0).attributes().get("region"));   // an Apps V1 file names none
            read = readFlyToml(reader, toml, options, counts);
        }
        Map<ResourceAddress, ResourceAddress> moved = new LinkedHashMap<>();
        Map<String, ResourceAddress> volumes = new LinkedHashMap<>();   // volume id -> the address flyToml gives it
        moved.put(objects.get(0).address(), new ResourceAddress("fly_app", read.get(0).label()));
        for (var d : read) {
            if (!d.type().equals("fly_machine")) {
                continue;
            }
            String group = String.valueOf(((Map<?, ?>) d.attributes().get("metadata")).get("fly_process_group"));
            int n = Integer.parseInt(d.label().substring(d.label().lastIndexOf('_') + 1));
            List<ResourceState> ofGroup = byGroup.getOrDefault(group, List.of());
            if (n > ofGroup.size()) {
                continue;
            }
            ResourceState m = ofGroup.get(n - 1);
            moved.put(m.address(), new ResourceAddress("fly_machine", d.label()));
            List<?> declaredMounts = d.attributes().get("mounts") instanceof List<?> l ? l : List.of();
            List<?> heldMounts = m.attributes().get("mounts") instanceof List<?> l ? l : List.of();
            for (int i = 0; i < Math.min(declaredMounts.size(), heldMounts.size()); i++) {
                if (declaredMounts.get(i) instanceof Map<?, ?> dm && dm.get("volume") instanceof dev.flyform.engine.config.Reference ref
                        && heldMounts.get(i) instanceof Map<?, ?> hm) {
                    volumes.put(String.valueOf(hm.get("volume")), ref.address());
                }
            }
        }
        List<ResourceState> out = new ArrayList<>();
        for (ResourceState o : objects) {
            ResourceAddress to = o.address().type().equals("fly_volume") ? volumes.get(o.id()) : moved.get(o.address());
            out.add(to == null ? o : new ResourceState(to, o.id(), o.attributes()));
        }
        String path = configDir.relativize(toml).toString();
        StringBuilder call = new StringBuilder("flyToml(").append(ConfigWriter.str(path));
        options.forEach((k, v) -> call.append(", ").append(k).append(": ").append(ConfigWriter.str(v)));
        if (!counts.equals(defaultCounts(read))) {
            call.append(", machines: [").append(counts.entrySet().stream().map(e -> e.getKey() + ": " + e.getValue())
                    .collect(java.util.stream.Collectors.joining(", "))).append(']');
        }
        call.append(')');
        java.util.Set<ResourceAddress> covered = new TreeSet<>(moved.values());
        covered.addAll(volumes.values());
        ConfigWriter.FromFile from = new ConfigWriter.FromFile(call.toString(), covered,
                List.of("machines {", "    ownerTag = false          // their metadata stays as fly deploy left it",
                        "    ignoreChanges 'image'     // fly deploy ships the images", "}"));
        return new ReadFromFile(out, from);
    }

    private static List<dev.flyform.engine.provider.DeclarationReader.Declared> readFlyToml(
            dev.flyform.engine.provider.DeclarationReader reader, Path toml, Map<String, Object> options, Map<String, Object> counts) {
        List<dev.flyform.engine.provider.DeclarationReader.Declared> plain = reader.read(toml, options);
        if (counts.equals(defaultCounts(plain))) {
            return plain;
        }
        Map<String, Object> withCounts = new LinkedHashMap<>(options);
        withCounts.put("machines", counts);
        return reader.read(toml, withCounts);
    }

    /** Machines by process group as flyToml declares them with no count given: one each. */
    private static Map<String, Object> defaultCounts(List<dev.flyform.engine.provider.DeclarationReader.Declared> read) {
        Map<String, Object> counts = new java.util.TreeMap<>();
        read.stream().filter(d -> d.type().equals("fly_machine")).forEach(d -> counts.merge(String.valueOf(
                ((Map<?, ?>) d.attributes().get("metadata")).get("fly_process_group")), 1, (a, b) -> (Integer) a + (Integer) b));
        return counts;
    }

    /** What Fly holds of an object flyToml declares, cut to what the declaration says (no more of Fly's own keys). */
    private static ResourceState shapedAs(ResourceState imported, Map<String, Object> declared) {
        Map<String, Object> attrs = new LinkedHashMap<>(imported.attributes());
        declared.forEach((name, shape) -> {
            if ((shape instanceof Map<?, ?> || shape instanceof List<?>) && attrs.get(name) != null) {
                attrs.put(name, dev.flyform.engine.config.Values.project(attrs.get(name), shape));
            }
        });
        return imported.withAttributes(attrs);
    }

    /** Stands in for a variable the environment lacks while the written file is read back. */
    private static final String UNSET = "\u0000unset\u0000";

    private static <T> T guarded(java.util.function.Supplier<T> call) {
        try {
            return call.get();
        } catch (IllegalArgumentException e) {
            throw new DiagnosticsException(Diagnostic.error(e.getMessage(), ""));
        }
    }

    @Override
    java.util.List<String> notHonoured() {
        return java.util.List.of("-target", "-replace", "-refresh", "-input");
    }
}
