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
        Configuration config = ws.configuration(flags.variables);
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
            files.put(file, read(provider, name));
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
        files.forEach((file, objects) -> written.put(file, writer.write(objects)));
        dev.flyform.engine.Engine engine = ws.engine(offline, store);
        try (StateLock ignored = ws.lock(engine, "import", flags.lockWait())) {
            State state = store.read();
            // Each file is read back as a plan would read it, before anything is written: the
            // dependencies and declared secret values recorded are the ones its declarations have.
            Map<Path, Configuration> declared = new LinkedHashMap<>();
            for (Map.Entry<Path, ConfigWriter.Written> e : written.entrySet()) {
                declared.put(e.getKey(), readBack(offline, e.getKey().getFileName().toString(), e.getValue(), unsetSecrets));
            }
            List<ResourceState> recordable = new ArrayList<>();
            for (Map.Entry<Path, List<ResourceState>> e : files.entrySet()) {
                Configuration config = declared.get(e.getKey());
                for (ResourceState r : e.getValue()) {
                    ResourceConfig d = config.resource(r.address()).orElseThrow();
                    recordable.add(withDeclared(r, d.attributes(), offline.schema(), state.digestKey()).withDependencies(Planner.dependencies(d)));
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
    private Configuration readBack(Provider offline, String fileName, ConfigWriter.Written written, List<String> unset) {
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
                .loadSources(Map.of(fileName, written.text()), Map.of(), environment);
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
