package dev.flyform.provider.fly.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flyform.engine.addr.ResourceAddress;
import dev.flyform.engine.config.Unknown;
import dev.flyform.engine.diag.Diagnostic;
import dev.flyform.engine.provider.ApplyRequest;
import dev.flyform.engine.provider.ApplyResponse;
import dev.flyform.engine.provider.AttributeSchema;
import dev.flyform.engine.provider.AttributeType;
import dev.flyform.engine.provider.Structure;
import dev.flyform.engine.provider.ImportRequest;
import dev.flyform.engine.provider.ImportResponse;
import dev.flyform.engine.provider.LookupRequest;
import dev.flyform.engine.provider.LookupResponse;
import dev.flyform.engine.provider.PrepareCreateRequest;
import dev.flyform.engine.provider.PrepareCreateResponse;
import dev.flyform.engine.provider.ReconcileRequest;
import dev.flyform.engine.provider.ReconcileResponse;
import dev.flyform.engine.provider.PlanRequest;
import dev.flyform.engine.provider.PlanResponse;
import dev.flyform.engine.provider.ReadRequest;
import dev.flyform.engine.provider.ReadResponse;
import dev.flyform.engine.provider.ResourceSchema;
import dev.flyform.engine.provider.ValidateRequest;
import dev.flyform.engine.provider.ValidateResponse;
import dev.flyform.engine.state.ResourceState;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code fly_machine}: a machine of an app. Fly replaces the whole config on update, so every
 * update sends all of what flyform owns; a read keeps only what flyform owns of what Fly holds
 * (Fly adds defaults of its own). Each machine carries flyform's tag in its metadata.
 */
public final class MachineResource extends AppScoped {

    public static final String TYPE = "fly_machine";
    /** The metadata key that marks a machine as flyform's, with its address as the value. */
    public static final String OWNER_TAG = "flyform_address";
    /**
     * The metadata key naming the state that manages a machine (where it lives, see
     * {@link PlanRequest#owner}): a machine marked by another is not adopted unasked.
     */
    public static final String STATE_TAG = "flyform_state";
    /** The metadata key that ties a machine to the intent that created it (unique per create). */
    public static final String INTENT_TAG = "flyform_intent";
    /** In a fixed order: Map.of's changes from one JVM to the next, and with it any text made from it. */
    private static final Map<String, Object> DEFAULT_GUEST = java.util.Collections.unmodifiableMap(
            new java.util.TreeMap<>(Map.of("cpu_kind", "shared", "cpus", 1, "memory_mb", 256)));
    /** Config fields flyform owns, besides image and metadata; each defaults to empty. */
    private static final List<String> CONFIG_FIELDS = List.of("env", "guest", "services", "checks", "mounts", "restart");

    /**
     * Config settings flyform leaves as Fly holds them unless they are declared (a machine made by
     * flyctl keeps its init, processes, files... when flyform updates its image): every other
     * setting of Fly's machine config, typed from Fly's OpenAPI document.
     */
    static final List<String> KEPT_FIELDS = MachineConfigSpec.settings().stream()
            .filter(f -> !CONFIG_FIELDS.contains(f) && !List.of("image", "metadata", "auto_destroy").contains(f)).toList();

    private static final Map<String, String> KEPT_DESCRIPTIONS = Map.ofEntries(
            Map.entry("init", "How the machine starts: init cmd: ['serve'], entrypoint: [...], exec: [...], tty: true, swapSizeMb: 512."),
            Map.entry("processes", "Processes to run instead of the image's command, one per process(cmd: [...], env: [...])."),
            Map.entry("files", "Files written into the machine, one per file(guestPath: '/etc/app.conf', rawValue: BASE64) "
                    + "or secretName:."),
            Map.entry("stop_config", "How it is stopped: stopConfig signal: 'SIGINT', timeout: '30s'."),
            Map.entry("dns", "DNS inside the machine: nameservers, searches, options, skipRegistration."),
            Map.entry("metrics", "Prometheus metrics Fly scrapes: metrics port: 9091, path: '/metrics'."),
            Map.entry("statics", "Static files served by Fly's proxy: statics = [[guestPath: '/app/public', urlPrefix: '/static']]."),
            Map.entry("schedule", "Run on a schedule: hourly, daily, weekly or monthly."),
            Map.entry("standbys", "Ids of the machines this one stands by for."),
            Map.entry("containers", "Containers run in the machine, one per container(name: 'app', image: ...)."),
            Map.entry("cache_drive", "A cache drive: cacheDrive sizeMb: 1024."),
            Map.entry("rootfs", "The root filesystem: rootfs sizeGb: 10, persist: 'always'."),
            Map.entry("spot", "Run on spare capacity: spot maxPriceFraction: 0.5."),
            Map.entry("size", "Deprecated by Fly (use guest): a preset size, e.g. shared-cpu-1x."),
            Map.entry("disable_machine_autostart", "Deprecated by Fly (use a service's autostart)."));

    /** Each kept setting: optional, and left as Fly holds it when it is not declared. */
    private static List<AttributeSchema> keptSettings() {
        List<AttributeSchema> out = new java.util.ArrayList<>();
        for (String field : KEPT_FIELDS) {
            AttributeSchema a = MachineConfigSpec.setting(field, KEPT_DESCRIPTIONS.getOrDefault(field,
                    "`" + field + "` of the machine's config, as Fly's Machines API takes it.") + " Left out, it stays as Fly has it.")
                    .withDefault();
            String singular = Map.of("processes", "process", "files", "file", "containers", "container").get(field);
            out.add(singular == null ? a : MachineConfigSpec.reshaped(a, st -> st.declaredAs(singular)));
        }
        return out;
    }

    private static AttributeSchema services() {
        AttributeSchema a = MachineConfigSpec.setting("services", "Services, one per service(internalPort: 8080) { port 443, "
                + "handlers: ['tls', 'http'] }.");
        return MachineConfigSpec.reshaped(a, st -> {
            Structure withPorts = MachineConfigSpec.withField(st, "internal_port", MachineConfigSpec::required);
            withPorts = MachineConfigSpec.withField(withPorts, "ports", ports -> MachineConfigSpec.reshaped(ports,
                    ps -> ps.declaredAs("port").givenFirst("port")));
            withPorts = MachineConfigSpec.withField(withPorts, "checks", checks -> MachineConfigSpec.reshaped(checks,
                    cs -> cs.declaredAs("check")));
            return withPorts.declaredAs("service");
        }).defaultingTo(List.of());
    }

    private static AttributeSchema mounts() {
        AttributeSchema a = MachineConfigSpec.setting("mounts", "Volumes: mount data, path: '/data' (a volume block or id).");
        return MachineConfigSpec.reshaped(a, st -> {
            Structure m = MachineConfigSpec.withField(st, "volume", v -> MachineConfigSpec.described(
                    MachineConfigSpec.required(v), "The volume: its block, or its id."));
            m = MachineConfigSpec.withField(m, "path", v -> MachineConfigSpec.described(
                    MachineConfigSpec.required(v), "Where it is mounted: mount data, path: '/data'."));
            return m.declaredAs("mount").givenFirst("volume");
        }).defaultingTo(List.of());
    }

    private static final ResourceSchema SCHEMA = ResourceSchema.of(TYPE, schemaAttributes(), AppResource.TYPE)
            .naming("app", AppResource.TYPE)
            .identifiedBy("app", "name")   // a machine's name is unique in its app
            .naming("mounts.volume", VolumeResource.TYPE)   // each mount's volume, by its id
            .madeAfter(SecretResource.TYPE, "app")   // started with its app's secrets in place: no restart for them
            .rolledOutBy("app", "strategy", "max_unavailable");   // one machine of an app at a time, as the app says

    private static List<AttributeSchema> schemaAttributes() {
        List<AttributeSchema> attrs = new java.util.ArrayList<>(List.of(
                AttributeSchema.required("app", AttributeType.STRING, "Name of the app.").forcingReplacement(),
                AttributeSchema.optional("name", AttributeType.STRING, "Machine name (default: one Fly makes up).")
                        .withDefault().forcingReplacement(),
                AttributeSchema.required("region", AttributeType.STRING, "Region, e.g. iad.").forcingReplacement(),
                AttributeSchema.required("image", AttributeType.STRING, "Image to run, e.g. flyio/hellofly:latest."),
                MachineConfigSpec.setting("env", "Environment variables: env PORT: '8080' (repeatable).").defaultingTo(Map.of()),
                MachineConfigSpec.setting("guest", "CPU and memory: guest cpuKind: 'shared', cpus: 1, memoryMb: 256 "
                        + "(the default).").defaultingTo(DEFAULT_GUEST),
                services(),
                MachineConfigSpec.reshaped(MachineConfigSpec.setting("checks",
                        "Health checks by name: check 'alive', type: 'tcp', port: 8080."), st -> st.declaredAs("check"))
                        .defaultingTo(Map.of()),
                mounts(),
                MachineConfigSpec.setting("restart", "Restart policy: restart policy: 'on-failure', maxRetries: 3.")
                        .defaultingTo(Map.of())));
        attrs.addAll(keptSettings());
        attrs.addAll(List.of(
                MachineConfigSpec.setting("metadata", "Metadata: metadata team: 'web' (repeatable); flyform adds "
                        + OWNER_TAG + " and " + STATE_TAG + ".").defaultingTo(Map.of()),
                AttributeSchema.optional("auto_destroy", AttributeType.BOOL, "Destroy the machine when it exits.").defaultingTo(false),
                AttributeSchema.optional("wait_for_checks", AttributeType.STRING, "How long apply waits, once the machine "
                        + "has started, for its health checks to pass before it counts as made (and a rolling change moves "
                        + "on): e.g. 90s, 5m (the default); 0s: not at all. flyform's own: Fly does not hold it.")
                        .defaultingTo("5m"),
                AttributeSchema.optional("owner_tag", AttributeType.BOOL, "Tag the machine as flyform's in its metadata "
                        + "(default true; an imported machine keeps its metadata untouched until this is set).").defaultingTo(true),
                AttributeSchema.readOnly("id", AttributeType.STRING, "Fly's machine id."),
                AttributeSchema.readOnly("private_ip", AttributeType.STRING, "The machine's 6PN address.")));
        return attrs;
    }

    /** How long an update or destroy waits while another client (a fly deploy) holds the machine's lease. */
    static final java.time.Duration LEASE_PATIENCE = java.time.Duration.ofSeconds(60);

    private final SecretRestarts restarts;

    private final Regions regions;

    public MachineResource(MachinesApi api, SecretRestarts restarts, Regions regions) {
        super(api, SCHEMA, "machines", "create", "update", "destroy");
        this.regions = regions;
        this.restarts = restarts;
    }

    @Override
    public ValidateResponse validate(ValidateRequest request) {
        Map<String, Object> c = request.config().attributes();
        List<Diagnostic> diags = new java.util.ArrayList<>();
        Checks check = new Checks(diags, regions);
        check.region(c.get("region"), "region");
        if (c.get("guest") instanceof Map<?, ?> g) {
            check.oneOf(g.get("cpu_kind"), Set.of("shared", "performance"), "guest cpuKind", "guest");
            check.integer(g.get("cpus"), 1, 16, "guest cpus", "guest");
            check.integer(g.get("memory_mb"), 256, 256L * 1024, "guest memoryMb", "guest");
            if (g.get("memory_mb") instanceof Number m && m.longValue() % 256 != 0) {
                diags.add(Diagnostic.error("guest memory_mb must be a multiple of 256, got " + m, "").forAttribute("guest"));
            }
        }
        if (c.get("restart") instanceof Map<?, ?> r) {
            // (its policy is one of the OpenAPI document's, checked by the engine)
            check.integer(r.get("max_retries"), 0, 1000, "restart maxRetries", "restart");
        }
        if (c.get("services") instanceof List<?> services) {
            for (Object s : services) {
                if (s instanceof Map<?, ?> service) {
                    check.integer(service.get("internal_port"), 1, 65535, "service internalPort", "services");
                    check.oneOf(service.get("protocol"), Set.of("tcp", "udp"), "service protocol", "services");
                    if (service.get("ports") instanceof List<?> ports) {
                        for (Object p : ports) {
                            if (p instanceof Map<?, ?> port) {
                                check.integer(port.get("port"), 1, 65535, "port", "services");
                            }
                        }
                    }
                }
            }
        }
        if (c.get("checks") instanceof Map<?, ?> checks) {
            for (Object k : checks.values()) {
                if (k instanceof Map<?, ?> healthCheck) {
                    check.oneOf(healthCheck.get("type"), Set.of("tcp", "http"), "check type", "checks");
                    check.integer(healthCheck.get("port"), 1, 65535, "check port", "checks");
                }
            }
        }
        if (c.get("wait_for_checks") instanceof String w && seconds(w) < 0) {
            diags.add(Diagnostic.error("Invalid waitForChecks \"" + w + "\"", "Give a duration: 90s, 5m, 1h; 0s not to wait.")
                    .forAttribute("wait_for_checks"));
        }
        checkMounts(request, c, diags);
        if (request.config().lifecycle().createFirstAt() != null && c.get("mounts") instanceof List<?> mounts && !mounts.isEmpty()) {
            diags.add(Diagnostic.error("createBeforeDestroy: a machine that mounts a volume cannot be made before the "
                    + "old one is gone", "A volume is attached to one machine at a time. Drop the rule, or the mount.")
                    .at(request.config().lifecycle().createFirstAt()));
        }
        return new ValidateResponse(diags);
    }

    /**
     * A volume is mounted by one machine, in the volume's region: both are known from the
     * declarations, before anything is made.
     */
    private static void checkMounts(ValidateRequest request, Map<String, Object> c, List<Diagnostic> diags) {
        if (!(c.get("mounts") instanceof List<?> mounts)) {
            return;
        }
        for (Object m : mounts) {
            if (!(m instanceof Map<?, ?> mount) || !(mount.get("volume") instanceof dev.flyform.engine.config.Reference ref)) {
                continue;
            }
            dev.flyform.engine.config.ResourceConfig volume = request.declared().get(ref.address());
            if (volume != null && volume.attributes().get("region") instanceof String vr && c.get("region") instanceof String mr
                    && !vr.equals(mr)) {
                diags.add(Diagnostic.error("Machine in " + mr + " mounts " + ref.address() + ", a volume in " + vr,
                        "A volume is mounted only by a machine in its region (declared at " + volume.location()
                                + "). Put both in one region.").forAttribute("mounts"));
            }
            for (dev.flyform.engine.config.ResourceConfig other : request.declared().values()) {
                if (other.address().equals(request.config().address()) || !other.address().type().equals(TYPE)
                        || other.address().compareTo(request.config().address()) > 0) {
                    continue;   // reported once, at the later of the two machines
                }
                if (other.attributes().get("mounts") instanceof List<?> theirs && theirs.stream().anyMatch(t ->
                        t instanceof Map<?, ?> tm && ref.equals(tm.get("volume")))) {
                    diags.add(Diagnostic.error(ref.address() + " is mounted by two machines",
                            "It is mounted by " + other.address() + " too (" + other.location() + "). A volume is attached to "
                                    + "one machine at a time: give each machine a volume of its own.").forAttribute("mounts"));
                }
            }
        }
    }

    /** A service declared without a protocol is a TCP one, as Fly takes it: said, so it reads back the same. */
    private static Object withProtocols(Object services) {
        if (!(services instanceof List<?> list)) {
            return services;
        }
        List<Object> out = new java.util.ArrayList<>();
        for (Object s : list) {
            if (s instanceof Map<?, ?> service && !service.containsKey("protocol")) {
                Map<String, Object> withProtocol = new LinkedHashMap<>();
                withProtocol.put("protocol", "tcp");
                service.forEach((k, v) -> withProtocol.put(String.valueOf(k), v));
                out.add(withProtocol);
            } else {
                out.add(s);
            }
        }
        return out;
    }

    @Override
    public PlanResponse plan(PlanRequest request) {
        Map<String, Object> c = request.config();
        Map<String, Object> prior = request.prior() == null ? null : request.prior().attributes();
        Map<String, Object> planned = new LinkedHashMap<>();
        planned.put("app", c.get("app"));
        planned.put("name", c.get("name") != null ? c.get("name") : prior != null ? prior.get("name") : Unknown.AFTER_APPLY);
        planned.put("region", c.get("region"));
        planned.put("image", c.get("image"));
        for (String field : CONFIG_FIELDS) {
            Object empty = field.equals("services") || field.equals("mounts") ? List.of() : Map.of();
            planned.put(field, c.get(field) != null ? c.get(field) : field.equals("guest") ? DEFAULT_GUEST : empty);
        }
        planned.put("services", withProtocols(planned.get("services")));
        for (String field : KEPT_FIELDS) {
            Object v = c.get(field) != null ? c.get(field) : prior != null ? prior.get(field) : null;
            if (v != null) {
                planned.put(field, v);
            }
        }
        Map<String, Object> metadata = new LinkedHashMap<>();
        if (c.get("metadata") instanceof Map<?, ?> m) {
            m.forEach((k, v) -> metadata.put(String.valueOf(k), v));
        }
        boolean tag = !Boolean.FALSE.equals(c.get("owner_tag"));
        if (tag) {
            metadata.put(OWNER_TAG, request.address().toString());
            // Marked with its state when made, or retagged when adopted from another (-adopt); one made before
            // the mark existed is left as it is (a change of metadata alone would restart it).
            boolean marked = prior == null || Attrs.map(prior.get("metadata")).containsKey(STATE_TAG);
            if (request.owner() != null && marked) {
                metadata.put(STATE_TAG, request.owner());
            } else if (prior != null && Attrs.map(prior.get("metadata")).get(STATE_TAG) instanceof String was) {
                metadata.put(STATE_TAG, was);
            }
        }
        planned.put("metadata", metadata);
        planned.put("owner_tag", tag);
        planned.put("auto_destroy", Attrs.configuredOrPrior(c, null, "auto_destroy", false));
        if (c.get("wait_for_checks") != null) {   // flyform's own, planned only when declared (the default: 5m)
            planned.put("wait_for_checks", c.get("wait_for_checks"));
        }
        planned.put("id", prior == null ? Unknown.AFTER_APPLY : prior.get("id"));
        planned.put("private_ip", prior == null ? Unknown.AFTER_APPLY : prior.get("private_ip"));
        return new PlanResponse(planned, Set.of(), List.of());
    }

    @Override
    public ReadResponse read(ReadRequest request) {
        ResourceState prior = request.prior();
        String app = Attrs.string(prior.attributes(), "app");
        return Failures.reading(prior.address(), () -> {
            JsonNode m = api.get("apps", app, "machines", prior.id());
            if ("destroyed".equals(m.path("state").asText()) || "destroying".equals(m.path("state").asText())) {
                return ReadResponse.gone();
            }
            return ReadResponse.of(toState(prior.address(), app, m, prior.attributes()));
        });
    }

    @Override
    public PrepareCreateResponse prepareCreate(PrepareCreateRequest request) {
        return new PrepareCreateResponse(Map.of(), List.of());
    }

    /** The machine carrying the intent's own tag, found with Fly's metadata list filter. */
    @Override
    public ReconcileResponse reconcile(ReconcileRequest request) {
        String app = Attrs.string(request.planned(), "app");
        String intent = String.valueOf(request.intentData().get("intent_id"));
        return Failures.reconciling(request.address(), () -> {
            for (JsonNode m : api.forIntent(intent).get(Map.of("metadata." + INTENT_TAG, intent), "apps", app, "machines")) {
                if (!"destroyed".equals(m.path("state").asText()) && !request.owned().contains(m.path("id").asText())) {
                    return ReconcileResponse.created(toState(request.address(), app, m, request.planned()));
                }
            }
            return ReconcileResponse.notCreated();
        });
    }

    /** With no state entry: a machine tagged with this address, owned by no other entry. */
    @Override
    public LookupResponse lookup(LookupRequest request) {
        if (!(request.planned().get("app") instanceof String app)) {
            return LookupResponse.none();
        }
        return Failures.lookingUp(request.address(), () -> {
            for (JsonNode m : api.get(Map.of("metadata." + OWNER_TAG, request.address().toString()), "apps", app, "machines")) {
                if (!"destroyed".equals(m.path("state").asText()) && !request.owned().contains(m.path("id").asText())) {
                    ResourceState found = toState(request.address(), app, m, request.planned());
                    String owner = otherOwner(m, request.owner());
                    return owner == null ? LookupResponse.of(found) : LookupResponse.ownedBy(found, owner);
                }
            }
            return LookupResponse.none();
        });
    }

    /** The state a machine is marked as managed by, when it is another than {@code self}; null otherwise. */
    static String otherOwner(JsonNode machine, String self) {
        String marked = machine.path("config").path("metadata").path(STATE_TAG).asText("");
        return self == null || marked.isEmpty() || marked.equals(self) ? null : marked;
    }

    /** Created, then waited for until it has started: a machine that fails to start is recorded, and an error. */
    @Override
    protected ApplyResponse create(ApplyRequest request) {
        Map<String, Object> p = request.planned();
        String app = Attrs.string(p, "app");
        Map<String, Object> config = config(p);
        Map<String, Object> metadata = new LinkedHashMap<>(Attrs.map(config.get("metadata")));
        String intent = String.valueOf(request.intent().get("intent_id"));
        metadata.put(INTENT_TAG, intent);
        config.put("metadata", metadata);
        Map<String, Object> body = new LinkedHashMap<>();
        if (Attrs.string(p, "name") != null) {
            body.put("name", p.get("name"));
        }
        body.put("region", p.get("region"));
        body.put("config", config);
        JsonNode m;
        long sentAt = System.nanoTime();
        try {
            m = api.forIntent(intent).create(body, "apps", app, "machines");
            restarts.booted(app, m.path("id").asText(), sentAt);
        } catch (FlyApiException | FlyUnreachableException e) {
            return Failures.createFailed("create", request.address(), e);
        }
        return settledOrFailed(request.address(), app, m, p, List.of());
    }

    /**
     * Read-modify-write under a lease: Fly replaces the whole config, so the update sends the
     * config Fly holds with only what flyform manages replaced (init, files, processes, dns,
     * metrics, Fly's metadata and anything else stay as they are), and names the version it was
     * made from, so a change made meanwhile is read again rather than overwritten.
     */
    @Override
    protected ApplyResponse update(ApplyRequest request) {
        Map<String, Object> p = request.planned();
        String app = Attrs.string(p, "app");
        String id = request.prior().id();
        try (Lease lease = Lease.acquire(api, app, id, LEASE_PATIENCE, request.progress())) {
            MachinesApi leased = lease.api();
            JsonNode m = null;
            for (int attempt = 1; m == null; attempt++) {
                JsonNode current = leased.get("apps", app, "machines", id);
                Map<String, Object> body = new LinkedHashMap<>();
                body.put("config", merged(current.path("config"), request.prior().attributes(), p));
                body.put("current_version", current.path("instance_id").asText());
                long sentAt = System.nanoTime();
                try {
                    m = leased.post(body, "apps", app, "machines", id);
                    if (!"stopped".equals(m.path("state").asText())) {
                        restarts.booted(app, id, sentAt);   // a new instance, with the secrets as they are now
                    }
                } catch (FlyApiException e) {
                    if (e.httpStatus() != 412 || !e.getMessage().contains("version") || attempt == 3) {
                        throw e;
                    }
                    // Changed since it was read: read it again.
                }
            }
            return settledOrFailed(request.address(), app, m, p, leaseWarnings(request.address(), lease));
        }
    }

    /** Under its lease, waiting (bounded) for another client that holds it; then until it is gone. */
    @Override
    protected ApplyResponse delete(ApplyRequest request) {
        String app = Attrs.string(request.prior().attributes(), "app");
        String id = request.prior().id();
        Lease lease;
        try {
            lease = Lease.acquire(api, app, id, LEASE_PATIENCE, request.progress());
        } catch (FlyApiException e) {
            if (Failures.notFound(e)) {
                return ApplyResponse.of(null);   // gone already: the goal of a destroy holds
            }
            throw e;
        }
        try {
            lease.api().delete(Map.of("force", "true"), "apps", app, "machines", id);
        } catch (FlyApiException e) {
            lease.close();
            if (!Failures.notFound(e)) {
                throw e;
            }
            return ApplyResponse.of(null);
        }
        // Destroyed asynchronously; its volumes are free only once it is gone. (The lease goes with it.)
        MachineWait.destroyed(api, app, id);
        return new ApplyResponse(null, leaseWarnings(request.address(), lease));
    }

    /**
     * Waits until the machine has settled. It exists whatever the wait finds, so it is always
     * returned, for the state to keep: one that failed, or that could not be waited for, with an
     * error naming it.
     */
    private ApplyResponse settledOrFailed(ResourceAddress address, String app, JsonNode m, Map<String, Object> planned,
                                          List<Diagnostic> warnings) {
        List<Diagnostic> diags = new java.util.ArrayList<>(warnings);
        JsonNode settled;
        try {
            settled = MachineWait.settled(api, app, m.path("id").asText(), m.path("instance_id").asText());
        } catch (FlyApiException | FlyUnreachableException e) {
            diags.add(Diagnostic.error("Machine " + m.path("id").asText() + " of " + address + " did not settle",
                    (e instanceof FlyApiException a ? a.describe() : e.getMessage())
                            + ". It is recorded in the state; the next apply reads it again.").forResource(address));
            return new ApplyResponse(toState(address, app, m, planned), diags);
        }
        if ("started".equals(settled.path("state").asText())) {
            try {
                Diagnostic unhealthy = healthy(app, settled, planned);
                if (unhealthy != null) {
                    diags.add(unhealthy.forResource(address));
                    return new ApplyResponse(toState(address, app, settled, planned), diags);
                }
            } catch (FlyApiException | FlyUnreachableException e) {
                diags.add(Diagnostic.error("The checks of machine " + m.path("id").asText() + " of " + address
                        + " could not be read", (e instanceof FlyApiException a ? a.describe() : e.getMessage())
                        + ". It is recorded in the state; the next apply reads it again.").forResource(address));
                return new ApplyResponse(toState(address, app, settled, planned), diags);
            }
        }
        ResourceState state = toState(address, app, settled, planned);
        if ("failed".equals(settled.path("state").asText())) {
            diags.add(Diagnostic.error("Machine " + settled.path("id").asText() + " of " + address + " failed to start",
                    "Fly reports it as failed (image " + settled.path("config").path("image").asText()
                            + "). It is recorded in the state; see `fly logs -a " + app + "` and `fly machine status "
                            + settled.path("id").asText() + "`.").forResource(address));
        }
        return new ApplyResponse(state, diags);
    }

    /**
     * Waits, up to the machine's {@code wait_for_checks}, until every health check Fly reports for
     * it passes (as flyctl waits on a deploy); null when they do, or when it has none. Polled
     * gently: Fly allows a few reads of a machine a second.
     */
    private Diagnostic healthy(String app, JsonNode machine, Map<String, Object> planned) {
        long limit = seconds(Attrs.stringOr(planned, "wait_for_checks", "5m"));
        if (limit <= 0 || !declaresChecks(machine.path("config"))) {
            return null;
        }
        String id = machine.path("id").asText();
        long deadline = System.nanoTime() + limit * 1_000_000_000L;
        long pause = 200;
        JsonNode current = machine;
        while (true) {
            List<String> failing = new java.util.ArrayList<>();
            current.path("checks").forEach(check -> {
                if (!"passing".equals(check.path("status").asText())) {
                    failing.add(check.path("name").asText() + " is " + check.path("status").asText("unknown")
                            + (check.path("output").asText("").isEmpty() ? "" : " (" + check.path("output").asText() + ")"));
                }
            });
            boolean reported = current.path("checks").size() > 0;
            if (reported && failing.isEmpty()) {
                return null;
            }
            if (System.nanoTime() >= deadline) {
                return Diagnostic.error("Machine " + id + " started, but its health checks did not pass within "
                                + Attrs.stringOr(planned, "wait_for_checks", "5m"),
                        (reported ? String.join("; ", failing) : "Fly reports no check results for it") + ". It is recorded in "
                                + "the state as it is; see `fly checks list -a " + app + "`. (waitForChecks sets how long to wait.)");
            }
            try {
                Thread.sleep(pause);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new FlyUnreachableException("interrupted while waiting for the checks of machine " + id);
            }
            pause = Math.min(2000, pause * 2);
            current = api.get("apps", app, "machines", id);
        }
    }

    private static boolean declaresChecks(JsonNode config) {
        if (config.path("checks").size() > 0) {
            return true;
        }
        for (JsonNode service : config.path("services")) {
            if (service.path("checks").size() > 0) {
                return true;
            }
        }
        return false;
    }

    /** {@code 90s}, {@code 5m}, {@code 1h}, {@code 0s} in seconds; -1 when it is no such duration. */
    static long seconds(String duration) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d{1,6})([smh])").matcher(duration.strip());
        if (!m.matches()) {
            return -1;
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "h" -> n * 3600;
            case "m" -> n * 60;
            default -> n;
        };
    }

    private static List<Diagnostic> leaseWarnings(ResourceAddress address, Lease lease) {
        if (lease.waitedFor == null) {
            return List.of();
        }
        return List.of(Diagnostic.warning("Waited " + Math.max(1, lease.waited.toSeconds()) + " s for the lease on " + address,
                "The machine was leased by " + lease.waitedFor + " (another client, such as fly deploy)."
                        + " flyform changed it once the lease was released.").forResource(address));
    }

    /**
     * The config Fly holds with what flyform manages replaced: image, env, guest, services,
     * checks, mounts, restart and auto_destroy as planned; the metadata keys flyform declared
     * (and its tag) set, the others kept.
     */
    static Map<String, Object> merged(JsonNode remote, Map<String, Object> prior, Map<String, Object> planned) {
        Map<String, Object> config = new LinkedHashMap<>(Attrs.map(Attrs.plain(remote)));
        Map<String, Object> mine = config(planned);
        config.put("image", mine.get("image"));
        for (String field : CONFIG_FIELDS) {
            if (mine.containsKey(field)) {
                config.put(field, mine.get(field));
            } else {
                config.remove(field);
            }
        }
        for (String field : KEPT_FIELDS) {
            if (mine.containsKey(field)) {
                config.put(field, mine.get(field));
            }
        }
        Map<String, Object> metadata = new LinkedHashMap<>(Attrs.map(config.get("metadata")));
        Attrs.map(prior.get("metadata")).keySet().forEach(metadata::remove);
        metadata.remove(OWNER_TAG);
        metadata.putAll(Attrs.map(planned.get("metadata")));
        config.put("metadata", metadata);
        config.put("auto_destroy", mine.get("auto_destroy"));
        return config;
    }

    /** What flyform manages of a machine's config, as planned; empty fields left out. */
    private static Map<String, Object> config(Map<String, Object> p) {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("image", p.get("image"));
        for (String field : CONFIG_FIELDS) {
            Object v = p.get(field);
            boolean empty = v == null || (v instanceof Map<?, ?> m && m.isEmpty()) || (v instanceof List<?> l && l.isEmpty());
            if (!empty) {
                config.put(field, v);
            }
        }
        for (String field : KEPT_FIELDS) {
            if (p.get(field) != null && !(p.get(field) instanceof Unknown)) {
                config.put(field, p.get(field));
            }
        }
        config.put("metadata", p.get("metadata"));
        config.put("auto_destroy", p.get("auto_destroy"));
        return config;
    }

    @Override
    public ImportResponse importResource(ImportRequest request) {
        return Failures.importing(request, "machine", "MACHINE_ID", (app, id) -> {
            JsonNode m = api.get("apps", app, "machines", id);
            if ("destroyed".equals(m.path("state").asText())) {
                throw new FlyApiException(404, null, "machine is destroyed", null);
            }
            return toState(request.address(), app, m, null);
        });
    }

    /** What Fly holds, cut to the shape flyform owns ({@code known}: the planned or prior attributes). */
    static ResourceState toState(ResourceAddress address, String app, JsonNode m, Map<String, Object> known) {
        JsonNode config = m.path("config");
        Map<String, Object> attrs = new LinkedHashMap<>();
        attrs.put("app", app);
        attrs.put("name", m.path("name").asText());
        attrs.put("region", m.path("region").asText());
        attrs.put("image", config.path("image").asText());
        for (String field : CONFIG_FIELDS) {
            Object remote = Attrs.plain(config.path(field));
            Object empty = field.equals("services") || field.equals("mounts") ? List.of() : Map.of();
            // (known may be the declaration, which can leave a service's protocol to its default)
            Object shape = known == null ? null : field.equals("services") ? withProtocols(known.get(field)) : known.get(field);
            attrs.put(field, remote == null ? empty : Attrs.project(remote, shape));
        }
        for (String field : KEPT_FIELDS) {
            Object remote = Attrs.plain(config.path(field));
            if (remote != null) {
                attrs.put(field, Attrs.project(remote, known == null ? null : known.get(field)));
            }
        }
        Object metadata = Attrs.plain(config.path("metadata"));
        Map<String, Object> owned = new LinkedHashMap<>();
        if (metadata != null && Attrs.project(metadata, known == null ? null : known.get("metadata")) instanceof Map<?, ?> projected) {
            projected.forEach((k, v) -> owned.put(String.valueOf(k), v));
        }
        owned.remove(INTENT_TAG);   // bookkeeping of the create, not part of what is declared
        attrs.put("metadata", owned);
        attrs.put("auto_destroy", config.path("auto_destroy").asBoolean(false));
        // Imported (nothing known), a machine keeps its metadata as it is, another flyform state's marks too:
        // taking it over is ownerTag = true, an update of its own.
        attrs.put("owner_tag", known != null && !Boolean.FALSE.equals(known.get("owner_tag")) && owned.containsKey(OWNER_TAG));
        if (known != null && known.get("wait_for_checks") instanceof String w) {
            attrs.put("wait_for_checks", w);
        }
        attrs.put("id", m.path("id").asText());
        attrs.put("private_ip", m.path("private_ip").asText(""));
        return new ResourceState(address, m.path("id").asText(), attrs);
    }
}
