package dev.flyform.cli;

import dev.flyform.dsl.CompiledScripts;
import dev.flyform.dsl.ConfigLoader;
import dev.flyform.emulator.FlyEmulator;
import dev.flyform.engine.addr.ResourceAddress;
import dev.flyform.engine.config.Configuration;
import dev.flyform.engine.config.Outputs;
import dev.flyform.engine.plan.ResourceChange;
import dev.flyform.engine.state.ResourceState;
import dev.flyform.engine.diag.Diagnostic;
import dev.flyform.engine.diag.DiagnosticsException;
import dev.flyform.engine.plan.Plan;
import dev.flyform.engine.plan.PlanOptions;
import dev.flyform.engine.plan.Planner;
import dev.flyform.engine.provider.Provider;
import dev.flyform.engine.state.State;
import dev.flyform.engine.state.StateTargetMismatchException;
import dev.flyform.engine.state.InMemoryStateStore;
import dev.flyform.engine.state.StateLock;
import dev.flyform.engine.state.StateStore;
import dev.flyform.provider.fly.CrashPoints;
import dev.flyform.provider.fly.FlyProvider;
import dev.flyform.provider.fly.FlySettings;
import dev.flyform.state.h2.H2StateStore;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One command's wiring: the working directory, its configuration, the provider (real Fly or the
 * sandbox emulator) and the state store. Closing it stops the sandbox and closes the state.
 */
final class Workspace implements AutoCloseable {

    static final String USER_AGENT = "flyform/0.1";

    private final Path dir;
    private final GlobalOptions options;
    private final CliEnvironment env;
    private final List<AutoCloseable> open = new ArrayList<>();
    private FlyEmulator sandbox;
    private FlyProvider flyProvider;
    private FlySettings settings;
    private FutureTask<FlyProvider> nextProvider;
    private FutureTask<Connection> nextState;

    private Workspace(Path dir, GlobalOptions options, CliEnvironment env) {
        this.dir = dir;
        this.options = options;
        this.env = env;
    }

    static Workspace open(GlobalOptions options, CliEnvironment env) {
        Path dir = options.chdir == null ? env.workingDirectory() : env.workingDirectory().resolve(options.chdir).normalize();
        if (!Files.isDirectory(dir)) {
            throw new DiagnosticsException(Diagnostic.error("-chdir: no such directory: " + options.chdir,
                    "Give the directory that holds your *.fly.groovy files."));
        }
        return new Workspace(dir, options, env);
    }

    Path directory() {
        return dir;
    }

    /**
     * Starts, on another thread, what the command needs after its configuration: the provider (an
     * HTTP client, no request yet) and a connection to the state file when there is one (nothing
     * read, nothing migrated). On two cores this overlaps most of their start-up with Groovy's.
     * A failure there is thrown by {@link #provider()} or {@link #state(boolean)}, in the order
     * the command would meet it anyway: a configuration error still comes first.
     */
    Workspace prefetch() {
        if (!options.sandbox) { // the sandbox's provider starts an emulator: only once asked to
            nextProvider = new FutureTask<>(this::newProvider);
        }
        if (sharedState() == null && Files.exists(stateDir().resolve("state.mv.db"))) {
            nextState = new FutureTask<>(() -> H2StateStore.connectDirectory(stateDir()));
        }
        List<Runnable> tasks = new ArrayList<>();
        if (nextProvider != null) {
            tasks.add(nextProvider);
        }
        if (nextState != null) {
            tasks.add(nextState);
        }
        Thread thread = new Thread(() -> tasks.forEach(Runnable::run), "flyform-prefetch");
        thread.setDaemon(true);
        thread.start();
        return this;
    }

    private static <T> T await(FutureTask<T> task) {
        try {
            return task.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /**
     * Loads the configuration. Once the workspace has a .flyform/ directory (its first apply made
     * it), compiled scripts are kept in .flyform/cache/ and reused while their text is unchanged;
     * before that, nothing is written.
     */
    Configuration configuration(VariableValues variables) {
        Path flyform = dir.resolve(".flyform");
        CompiledScripts compiled = Files.isDirectory(flyform) ? new CompiledScripts(flyform.resolve("cache")) : CompiledScripts.NONE;
        java.util.Set<String> implicit = new java.util.TreeSet<>(variables.values().keySet());
        implicit.removeAll(variables.explicit());
        return new ConfigLoader(compiled, offlineProvider().schema()).inWorkspace(workspace()).allowingUndeclared(implicit)
                .load(dir, variables.values(), env.workingDirectory(), env.variables());
    }

    /** A provider for checks that make no API call: it needs no token. */
    Provider offlineProvider() {
        FlyProvider offline = new FlyProvider(new FlySettings(FlySettings.DEFAULT_MACHINES_URL, FlySettings.DEFAULT_GRAPHQL_URL,
                Optional.empty(), "none"), defaultOrg(), USER_AGENT);
        offline.addRegions(keptRegions());
        return withPlugins(offline);
    }

    /** Providers found on the class path beside Fly's ({@code META-INF/services/...ProviderPlugin}). */
    private static final List<dev.flyform.engine.provider.ProviderPlugin> PLUGINS =
            java.util.ServiceLoader.load(dev.flyform.engine.provider.ProviderPlugin.class).stream()
                    .map(java.util.ServiceLoader.Provider::get).toList();

    /** Fly's provider, and every plugin's, as one: each call goes to the provider of its resource type. */
    private Provider withPlugins(FlyProvider fly) {
        if (PLUGINS.isEmpty()) {
            return fly;
        }
        List<Provider> all = new ArrayList<>();
        all.add(fly);
        PLUGINS.forEach(plugin -> all.add(plugin.open(env.variables(), dir)));
        return dev.flyform.engine.provider.CompositeProvider.of(all);
    }

    /** The Fly provider itself, for what only it does (import, regions). */
    FlyProvider flyProvider() {
        provider();
        return flyProvider;
    }

    /** Where {@code flyform regions} keeps Fly's regions: for every workspace of this user. */
    Path regionsFile() {
        return env.home().resolve(".flyform").resolve("regions.json");
    }

    /** Regions fetched from Fly earlier; none when there is no such file or it cannot be read. */
    private java.util.Set<String> keptRegions() {
        Path file = regionsFile();
        if (!Files.isRegularFile(file)) {
            return java.util.Set.of();
        }
        try {
            java.util.Set<String> regions = new java.util.TreeSet<>();
            new com.fasterxml.jackson.databind.ObjectMapper().readTree(file.toFile()).forEach(r -> regions.add(r.asText()));
            return regions;
        } catch (java.io.IOException e) {
            return java.util.Set.of();   // the list flyform keeps still applies
        }
    }

    void keepRegions(java.util.Set<String> regions) {
        Path file = regionsFile();
        try {
            Files.createDirectories(file.getParent());
            Path partial = file.resolveSibling("regions.json.partial");
            Files.writeString(partial, new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(regions) + "\n");
            Files.move(partial, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (java.io.IOException e) {
            throw new DiagnosticsException(Diagnostic.error("Cannot write " + file, e.getMessage()));
        }
    }

    Provider provider() {
        if (nextProvider != null) {
            FutureTask<FlyProvider> next = nextProvider;
            nextProvider = null;
            flyProvider = await(next);
            return withPlugins(flyProvider);
        }
        flyProvider = newProvider();
        return withPlugins(flyProvider);
    }

    private FlyProvider newProvider() {
        // FLYFORM_REFRESH=per-resource: one REST read per object, the naive baseline the benchmark compares with.
        // The sandbox's emulator runs in this process, where REST reads cost next to nothing and GraphQL would
        // first have to parse Fly's whole schema: it refreshes over REST.
        boolean batched = !"per-resource".equals(env.variable("FLYFORM_REFRESH")) && !options.sandbox;
        FlyProvider provider = new FlyProvider(settings(), defaultOrg(), USER_AGENT, CrashPoints.from(env.variables()), batched,
                timeouts());
        provider.addRegions(keptRegions());
        provider.logTo(apiLog());
        return provider;
    }

    private static final java.util.Map<String, java.io.PrintWriter> LOG_FILES = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * FLYFORM_LOG=info|debug|trace: flyform's exchanges with Fly, told on stderr, or appended to
     * FLYFORM_LOG_PATH (see {@link dev.flyform.provider.fly.ApiLog}).
     */
    private dev.flyform.provider.fly.ApiLog apiLog() {
        dev.flyform.provider.fly.ApiLog.Level level;
        try {
            level = dev.flyform.provider.fly.ApiLog.level(env.variable("FLYFORM_LOG"));
        } catch (IllegalArgumentException e) {
            throw new DiagnosticsException(Diagnostic.error(e.getMessage(), "FLYFORM_LOG takes info, debug or trace; unset, "
                    + "flyform tells nothing of its exchanges with Fly."));
        }
        if (level == dev.flyform.provider.fly.ApiLog.Level.OFF) {
            return dev.flyform.provider.fly.ApiLog.OFF;
        }
        String path = env.variable("FLYFORM_LOG_PATH");
        if (path == null || path.isBlank()) {
            return new dev.flyform.provider.fly.ApiLog(level, env.err());
        }
        Path file = env.workingDirectory().resolve(path).toAbsolutePath().normalize();
        java.io.PrintWriter out = LOG_FILES.computeIfAbsent(file.toString(), f -> {
            try {
                return new java.io.PrintWriter(new java.io.OutputStreamWriter(new java.io.FileOutputStream(f, true),
                        java.nio.charset.StandardCharsets.UTF_8), true);
            } catch (IOException e) {
                throw new DiagnosticsException(Diagnostic.error("FLYFORM_LOG_PATH=" + path + " cannot be written", e.getMessage()));
            }
        });
        return new dev.flyform.provider.fly.ApiLog(level, out);
    }

    /**
     * FLYFORM_REQUEST_TIMEOUT (one request, default 30s; a call with its retries gets three times
     * that), FLYFORM_RUN_TIMEOUT (all of a run's API calls, default 60m); a request unanswered
     * for FLYFORM_PROGRESS_INTERVAL (default 10s) is reported while it waits.
     */
    private dev.flyform.provider.fly.Timeouts timeouts() {
        dev.flyform.provider.fly.Timeouts d = dev.flyform.provider.fly.Timeouts.DEFAULT;
        java.time.Duration request = duration("FLYFORM_REQUEST_TIMEOUT", d.request());
        java.time.Duration run = duration("FLYFORM_RUN_TIMEOUT", d.run());
        java.time.Duration notice = duration("FLYFORM_PROGRESS_INTERVAL", d.notice());
        if (notice.isZero()) {
            notice = d.notice();
        }
        if (request.toSeconds() < 1 || run.compareTo(request) < 0) {
            throw new DiagnosticsException(Diagnostic.error("FLYFORM_REQUEST_TIMEOUT must be at least 1s, and FLYFORM_RUN_TIMEOUT "
                    + "no shorter than it", "Got " + request.toSeconds() + " s and " + run.toSeconds() + " s."));
        }
        return new dev.flyform.provider.fly.Timeouts(request, run, notice, message -> {
            synchronized (env.err()) {
                env.err().println("Waiting for Fly: " + message + "...");
                env.err().flush();
            }
        });
    }

    private java.time.Duration duration(String variable, java.time.Duration fallback) {
        String value = env.variable(variable);
        return value == null || value.isBlank() ? fallback : Durations.parse(variable, value);
    }

    private synchronized FlySettings settings() {
        if (settings != null) {
            return settings;
        }
        if (options.sandbox) {
            createPrivateDirectories(sandboxDir());
            sandbox = FlyEmulator.start(0, sandboxDir().resolve("emulator"));
            open.add(sandbox);
            settings = FlySettings.of(sandbox.baseUrl(), sandbox.baseUrl(), FlyEmulator.PERSONAL_TOKEN);
            return settings;
        }
        FlySettings fromEnv;
        try {
            fromEnv = FlySettings.from(env.variables(), env.home());
        } catch (IllegalArgumentException e) {
            throw new DiagnosticsException(Diagnostic.error("Cannot read the Fly API settings", e.getMessage()));
        }
        if (fromEnv.token().isEmpty()) {
            throw new DiagnosticsException(Diagnostic.error("No Fly API token",
                    "Set FLY_API_TOKEN (or FLY_ACCESS_TOKEN), or log in with `fly auth login`, which writes "
                            + fromEnv.tokenSource() + ". To try flyform without Fly, add -sandbox."));
        }
        settings = fromEnv;
        return settings;
    }

    /** The API endpoint this run talks to; a state made against another one is refused. */
    String target() {
        return options.sandbox ? "sandbox" : settings().machinesBaseUrl().toString();
    }

    /** The engine for one run of {@code provider} over the state in {@code store}, against this target. */
    dev.flyform.engine.Engine engine(Provider provider, StateStore store) {
        return new dev.flyform.engine.Engine(provider, store, target(), owner());
    }

    /**
     * Where this run's state lives, as marked on the machines it makes: a shared state's database
     * (no password) and workspace, else the local state's directory. A lost local state comes
     * back in the same directory, so its objects are adopted again unasked; another directory's
     * are not.
     */
    String owner() {
        dev.flyform.state.postgres.PostgresUrl shared = sharedState();
        if (shared != null) {
            return shared.place() + " workspace " + workspace();
        }
        return stateDir().toAbsolutePath().normalize().toString();
    }

    /**
     * Takes the state lock through the engine (which then checks the state's target), waiting up
     * to {@code wait}; warns when the lock was taken over from a holder whose lease had run out.
     */
    StateLock lock(dev.flyform.engine.Engine engine, String operation, java.time.Duration wait) {
        StateLock lock = engine.lock(operation, wait);
        if (lock.tookOverFrom() != null) {
            env.err().println("Warning: took over the state lock from " + lock.tookOverFrom()
                    + ": it stopped renewing its lease, so it is gone.");
            env.err().flush();
        }
        return lock;
    }

    /** API calls the provider retried after transient failures, in this run. */
    long transportRetries() {
        return flyProvider == null ? 0 : flyProvider.transportRetries();
    }

    String defaultOrg() {
        for (String name : new String[] {"FLY_ORG", "FLY_ORGANIZATION"}) {
            String value = env.variable(name);
            if (value != null && !value.isBlank()) {
                return value.strip();
            }
        }
        return "personal";
    }

    /** The local state's directory: .flyform/, a workspace other than the default's under .flyform/workspaces/. */
    Path stateDir() {
        Path base = options.sandbox ? sandboxDir() : dir.resolve(".flyform");
        return workspace().equals(DEFAULT_WORKSPACE) ? base : base.resolve("workspaces").resolve(workspace());
    }

    static final String DEFAULT_WORKSPACE = "default";

    /**
     * The workspace this run works in: -workspace, else FLYFORM_WORKSPACE, else the one
     * `flyform workspace select` chose (.flyform/workspace), else "default".
     */
    String workspace() {
        String from = options.workspace != null ? "-workspace" : env.variable("FLYFORM_WORKSPACE") != null ? "FLYFORM_WORKSPACE" : null;
        String name = options.workspace != null ? options.workspace : env.variable("FLYFORM_WORKSPACE");
        if (name == null && settingsFile().containsKey("workspace")) {
            name = settingsFile().get("workspace");
            from = "workspace in " + SETTINGS;
        }
        if (name == null && Files.isRegularFile(selectedFile())) {
            try {
                name = Files.readString(selectedFile()).strip();
                from = selectedFile().toString();
            } catch (IOException e) {
                throw new DiagnosticsException(Diagnostic.error("Cannot read " + selectedFile(), e.getMessage()));
            }
        }
        if (name == null || name.isEmpty()) {
            return DEFAULT_WORKSPACE;
        }
        checkWorkspaceName(name, from);
        return name;
    }

    static void checkWorkspaceName(String name, String from) {
        if (!name.matches("[a-z0-9][a-z0-9_-]{0,62}")) {
            throw new DiagnosticsException(Diagnostic.error("Invalid workspace name \"" + name + "\"",
                    from + ": use lowercase letters, digits, '-' and '_', starting with a letter or digit, at most 63."));
        }
    }

    /** Where `workspace select` keeps its choice: in this directory, whatever the store. */
    Path selectedFile() {
        return dir.resolve(".flyform").resolve("workspace");
    }

    /** The workspaces of this store, "default" always among them, in name order. */
    List<String> workspaces() {
        java.util.TreeSet<String> names = new java.util.TreeSet<>(List.of(DEFAULT_WORKSPACE));
        dev.flyform.state.postgres.PostgresUrl shared = sharedState();
        if (shared != null) {
            names.addAll(dev.flyform.state.postgres.PostgresStateStore.workspaces(shared));
        } else {
            Path base = (options.sandbox ? sandboxDir() : dir.resolve(".flyform")).resolve("workspaces");
            if (Files.isDirectory(base)) {
                try (var list = Files.list(base)) {
                    list.filter(p -> Files.exists(p.resolve("state.mv.db"))).forEach(p -> names.add(p.getFileName().toString()));
                } catch (IOException e) {
                    throw new DiagnosticsException(Diagnostic.error("Cannot list " + base, e.getMessage()));
                }
            }
        }
        return List.copyOf(names);
    }

    /**
     * Deletes this run's workspace from its store: refused while it holds objects or unfinished
     * creates, or another run holds its lock.
     */
    void deleteWorkspace() {
        StateStore store = state(false);
        if (!store.read().resources().isEmpty() || !store.intents().isEmpty()) {
            throw new DiagnosticsException(Diagnostic.error("Workspace " + workspace() + " still holds "
                    + store.read().resources().size() + " object(s)", "Destroy them first (flyform destroy -workspace "
                    + workspace() + "), or forget them with `state rm`; nothing was deleted."));
        }
        if (store instanceof dev.flyform.state.postgres.PostgresStateStore shared) {
            try {
                shared.deleteWorkspace();
            } catch (IllegalStateException e) {
                throw new DiagnosticsException(Diagnostic.error("Workspace " + workspace() + ": " + e.getMessage(), "Nothing was deleted."));
            }
            return;
        }
        try (StateLock ignored = store.lock("workspace delete")) {
            store.close();
            try (var files = Files.walk(stateDir())) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        } catch (IOException e) {
            throw new DiagnosticsException(Diagnostic.error("Cannot delete " + stateDir(), e.getMessage()));
        }
    }

    /** The settings file of the working directory: where the state is, and the workspace. */
    static final String SETTINGS = "flyform.yml";
    private Map<String, String> directorySettings;

    /**
     * {@code flyform.yml} in the working directory, when there is one: {@code state:} and
     * {@code workspace:}, below -state/-workspace and FLYFORM_STATE/FLYFORM_WORKSPACE. Anything
     * else in it is an error naming the file.
     */
    private Map<String, String> settingsFile() {
        if (directorySettings != null) {
            return directorySettings;
        }
        Path file = dir.resolve(SETTINGS);
        directorySettings = new java.util.TreeMap<>();
        if (!Files.isRegularFile(file)) {
            return directorySettings;
        }
        Object read;
        try {
            read = new com.fasterxml.jackson.databind.ObjectMapper(new com.fasterxml.jackson.dataformat.yaml.YAMLFactory())
                    .readValue(file.toFile(), Object.class);
        } catch (IOException e) {
            String why = e.getMessage() == null ? "" : e.getMessage().lines().findFirst().orElse("");
            throw new DiagnosticsException(Diagnostic.error("Cannot read " + SETTINGS, "It is no YAML flyform can read: "
                    + why.replaceAll(" at \\[Source.*", "")));
        }
        if (read == null) {
            return directorySettings;
        }
        if (!(read instanceof Map<?, ?> map)) {
            throw new DiagnosticsException(Diagnostic.error(SETTINGS + " must be a map of directorySettings", "Write: state: postgres://..."));
        }
        for (Map.Entry<?, ?> e : map.entrySet()) {
            String key = String.valueOf(e.getKey());
            if (!List.of("state", "workspace").contains(key)) {
                throw new DiagnosticsException(Diagnostic.error("Unknown setting `" + key + "` in " + SETTINGS,
                        ("Settings: state, workspace. " + dev.flyform.engine.diag.Suggestions.didYouMean(key, List.of("state", "workspace"))).strip()));
            }
            if (!(e.getValue() instanceof String value)) {
                throw new DiagnosticsException(Diagnostic.error("Setting `" + key + "` in " + SETTINGS + " must be text", ""));
            }
            directorySettings.put(key, value);
        }
        return directorySettings;
    }

    /** The store this run's state is in, as it may be shown (never with a password). */
    String storeName() {
        dev.flyform.state.postgres.PostgresUrl shared = sharedState();
        return (shared != null ? shared.toString() : stateDir().resolve("state.mv.db").toAbsolutePath().normalize().toString())
                + (workspace().equals(DEFAULT_WORKSPACE) || shared == null ? "" : " (workspace " + workspace() + ")");
    }

    private java.util.Optional<dev.flyform.state.postgres.PostgresUrl> shared;

    /** The PostgreSQL state given by -state, FLYFORM_STATE or flyform.yml, or null for the local one: worked out once. */
    private dev.flyform.state.postgres.PostgresUrl sharedState() {
        if (shared == null) {
            shared = java.util.Optional.ofNullable(findSharedState());
        }
        return shared.orElse(null);
    }

    private dev.flyform.state.postgres.PostgresUrl findSharedState() {
        String given = options.state != null ? options.state : env.variable("FLYFORM_STATE");
        String flag = options.state != null ? "-state" : "FLYFORM_STATE";
        if (given == null) {
            given = settingsFile().get("state");
            flag = "state in " + SETTINGS;
        }
        if (given == null || given.isEmpty() || options.sandbox) {
            return null;
        }
        if (!dev.flyform.state.postgres.PostgresUrl.isPostgres(given)) {
            throw new DiagnosticsException(Diagnostic.error(flag + " takes a PostgreSQL URL",
                    "Write postgres://USER@HOST:PORT/DATABASE?schema=SCHEMA; leave it out for the local .flyform/ state."));
        }
        try {
            return dev.flyform.state.postgres.PostgresUrl.parse(given, env.variables());
        } catch (IllegalArgumentException e) {
            throw new DiagnosticsException(Diagnostic.error(flag + ": " + e.getMessage(), ""));
        }
    }

    private Path sandboxDir() {
        return dir.resolve(".flyform").resolve("sandbox");
    }

    /**
     * The state store. Without {@code create}, a state that does not exist yet is read as empty
     * and nothing is written to disk (plan leaves no file behind).
     */
    StateStore state(boolean create) {
        dev.flyform.state.postgres.PostgresUrl shared = sharedState();
        if (shared != null) {
            String lease = env.variable("FLYFORM_LOCK_LEASE");
            StateStore store = dev.flyform.state.postgres.PostgresStateStore.open(shared, workspace(),
                    lease == null ? dev.flyform.state.postgres.PostgresStateStore.LEASE : Durations.parse("FLYFORM_LOCK_LEASE", lease));
            open.add(store);
            return store;
        }
        FutureTask<Connection> next = nextState;
        nextState = null;
        if (next == null && !create && !Files.exists(stateDir().resolve("state.mv.db"))) {
            return new InMemoryStateStore();
        }
        // Another process that has the state file open holds it whole: wait for it as for its lock.
        long deadline = System.nanoTime() + lockWait.toNanos();
        StateStore store;
        while (true) {
            try {
                store = next != null
                        ? H2StateStore.open(await(next), stateDir().resolve("state.mv.db").toString())
                        : H2StateStore.openDirectory(stateDir());
                break;
            } catch (dev.flyform.engine.state.StateLockedException e) {
                if (System.nanoTime() >= deadline) {
                    throw e;
                }
                next = null;
                try {
                    Thread.sleep(Math.min(500, Math.max(10, (deadline - System.nanoTime()) / 1_000_000)));
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
        open.add(store);
        return store;
    }

    private java.time.Duration lockWait = java.time.Duration.ZERO;

    /** How long {@link #state} waits while another run has the state (-lock-timeout). */
    Workspace waitingForLock(java.time.Duration wait) {
        this.lockWait = wait;
        return this;
    }

    /** .flyform/ and what is below it: the owner's only, like the state file in it. */
    private void createPrivateDirectories(Path target) {
        try {
            Path p = dir;
            for (Path part : dir.relativize(target)) {
                p = p.resolve(part);
                if (!Files.isDirectory(p)) {
                    Files.createDirectory(p, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
                }
            }
        } catch (IOException e) {
            throw new DiagnosticsException(Diagnostic.error("Cannot create " + target, e.getMessage()));
        }
    }

    @Override
    public void close() {
        if (nextState != null) { // prefetched but never used: the command stopped before it needed the state
            try {
                await(nextState).close();
            } catch (Exception ignored) {
                // it never opened
            }
        }
        for (int i = open.size() - 1; i >= 0; i--) {
            try {
                open.get(i).close();
            } catch (Exception ignored) {
                // Closing is best effort: every change was recorded when it was made.
            }
        }
    }
}
