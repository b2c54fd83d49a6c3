package dev.flyform.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code /v1/apps/{app}/machines}: create, list with {@code region} and {@code metadata.KEY=VALUE}
 * filters, whole-config update with name and region immutable, start, stop, wait, delete,
 * metadata, and leases whose nonce every mutating call must carry while one is held.
 */
final class MachinesApi {

    private static final String HEX = "0123456789abcdef";
    private static final String ULID = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    /** What {@code wait?state=} accepts (the spec's enum); several may be given, repeated or comma-separated. */
    private static final Set<String> WAITABLE = Set.of("started", "stopped", "suspended", "destroyed", "failed", "settled");
    /** Fly's persistent and terminal states: a machine in one of them, with nothing pending, has settled. */
    private static final Set<String> SETTLED = Set.of("created", "started", "stopped", "suspended", "failed", "destroyed");
    private static final String[] ADJECTIVES = {"aged", "bold", "calm", "damp", "eager", "fancy", "green", "holy"};
    private static final String[] NOUNS = {"thunder", "river", "forest", "meadow", "sun", "cloud", "stone", "wave"};

    private final World world;
    /** Machines whose first change already met another client's lease, under the current fault settings. */
    private final Set<String> contested = new java.util.HashSet<>();

    MachinesApi(World world) {
        this.world = world;
    }

    /** New fault settings: every machine may be contested again. */
    void reset() {
        contested.clear();
    }

    /** Moves machines on through the transient states that are due. */
    void settle(long now) {
        var it = world.inventory.transitions.entrySet().iterator();
        while (it.hasNext()) {
            var e = it.next();
            String[] key = e.getKey().split("/", 2);
            ObjectNode machine = world.inventory.machinesOf(key[0]).get(key[1]);
            List<ObjectNode> steps = e.getValue();
            while (machine != null && !steps.isEmpty() && steps.get(0).get("at").asLong() <= now) {
                ObjectNode step = steps.remove(0);
                setState(machine, step.get("state").asText(), step.get("event").asText());
                if (state(machine).equals("destroyed")) {
                    detachMounts(key[0], key[1]);
                    world.inventory.leases.remove(key[1]);
                }
            }
            if (machine == null || steps.isEmpty()) {
                it.remove();
            }
        }
    }

    /** When the next transition is due (epoch ms), or Long.MAX_VALUE. */
    private long nextTransition() {
        long next = Long.MAX_VALUE;
        for (List<ObjectNode> steps : world.inventory.transitions.values()) {
            if (!steps.isEmpty()) {
                next = Math.min(next, steps.get(0).get("at").asLong());
            }
        }
        return next;
    }

    /**
     * Puts the machine into {@code now} at once (null: it stays as it is) and into {@code next}
     * once the transition delay has passed; with no delay, straight into {@code next}. A machine
     * whose image fails goes to failed instead of started.
     */
    private void transition(String app, ObjectNode machine, String now, String next, String event) {
        long delay = world.faults().machineTransitionMs();
        String target = next.equals("started") && world.faults().failingImages().contains(
                machine.path("config").path("image").asText()) ? "failed" : next;
        String key = app + "/" + machine.get("id").asText();
        world.inventory.transitions.remove(key);
        if (delay == 0) {
            setState(machine, target, event);
            if (target.equals("destroyed")) {
                detachMounts(app, machine.get("id").asText());
                world.inventory.leases.remove(machine.get("id").asText());
            }
            return;
        }
        if (now != null) {
            setState(machine, now, event);
        }
        long at = System.currentTimeMillis();
        List<ObjectNode> steps = new java.util.ArrayList<>();
        if (target.equals("started") || target.equals("failed")) {
            if (!"starting".equals(now)) {
                steps.add(step(at + delay / 2, "starting", event));
            }
        }
        steps.add(step(at + delay, target, target.equals("failed") ? "exit" : event));
        world.inventory.transitions.put(key, steps);
    }

    private static ObjectNode step(long at, String state, String event) {
        return Json.object().put("at", at).put("state", state).put("event", event);
    }

    /**
     * With foreign leases on, the first change to each machine finds it leased by another client
     * (as {@code fly deploy} leases every machine it updates), for the configured time.
     */
    private void contest(Request r, String id) {
        long seconds = world.faults().foreignLeaseSeconds();
        if (seconds <= 0 || !contested.add(id) || world.inventory.leases.containsKey(id)) {
            return;
        }
        ObjectNode lease = Json.object();
        lease.put("nonce", world.newId("", 12, HEX));
        lease.put("expires_at", Instant.now().getEpochSecond() + seconds);
        lease.put("owner", "deploy@flyctl.example");
        lease.put("description", "fly deploy");
        lease.put("version", world.newId("01", 24, ULID));
        world.inventory.leases.put(id, lease);
    }

    /** Path: v1 apps APP machines [ID [ACTION [KEY]]]. */
    Reply handle(Request r) throws InterruptedException {
        String app = r.segment(2);
        world.visibleApp(r.caller(), app);
        Map<String, ObjectNode> machines = world.inventory.machinesOf(app);
        int n = r.path().size();
        if (n == 4) {
            return switch (r.method()) {
                case "GET" -> list(r, machines);
                case "POST" -> create(r, app, machines);
                default -> null;
            };
        }
        ObjectNode machine = machines.get(r.segment(4));
        if (machine == null) {
            throw new ApiError(404, "machine not found");
        }
        String id = machine.get("id").asText();
        String action = n >= 6 ? r.segment(5) : "";
        if (n == 5 && r.method().equals("GET")) {
            return Reply.ok(withCheckStatuses(machine));
        }
        if (action.equals("wait") && r.method().equals("GET")) {
            return await(r, machine);
        }
        if (action.equals("lease")) {
            if (r.method().equals("POST")) {
                contest(r, id);
            }
            return lease(r, id);
        }
        if (action.equals("metadata") && r.method().equals("GET")) {
            if (n == 6) {
                return Reply.ok(metadata(machine));
            }
            JsonNode value = metadata(machine).get(r.segment(6));
            if (value == null) {
                throw new ApiError(404, "metadata key not found");
            }
            return Reply.ok(Json.object().put("value", value.asText()));
        }
        if (r.method().equals("GET")) {
            return null;
        }
        contest(r, id);
        requireNonce(r, id);
        if (n == 5 && r.method().equals("POST")) {
            return update(r, machine);
        }
        if (n == 5 && r.method().equals("DELETE")) {
            return destroy(r, app, machine);
        }
        if (state(machine).equals("destroyed") || state(machine).equals("destroying")) {
            throw new ApiError(404, "machine not found");
        }
        if (action.equals("metadata") && n == 7) {
            if (r.method().equals("POST")) {
                String value = Json.text(r.body(), "value");
                if (value == null) {
                    throw new ApiError(400, "value is required");
                }
                metadata(machine).put(r.segment(6), value);
                touch(machine);
                return Reply.noContent();
            }
            if (r.method().equals("DELETE")) {
                metadata(machine).remove(r.segment(6));
                touch(machine);
                return Reply.noContent();
            }
        }
        return switch (r.method() + " " + action) {
            case "POST start" -> {
                String previous = state(machine);
                transition(app, machine, "starting", "started", "start");
                yield Reply.ok(Json.object().put("previous_state", previous).put("migrated", false).put("new_host", ""));
            }
            case "POST stop" -> {
                transition(app, machine, "stopping", "stopped", "stop");
                yield Reply.ok(Json.ok());
            }
            case "POST suspend" -> {
                transition(app, machine, "suspending", "suspended", "suspend");
                yield Reply.ok(Json.ok());
            }
            case "POST restart" -> {
                transition(app, machine, "restarting", "started", "restart");
                yield Reply.ok(Json.ok());
            }
            case "POST cordon", "POST uncordon" -> {
                machine.put("cordoned", action.equals("cordon"));
                touch(machine);
                yield Reply.ok(Json.ok());
            }
            default -> null;
        };
    }

    private Reply list(Request r, Map<String, ObjectNode> machines) {
        boolean includeDeleted = "true".equals(r.param("include_deleted"));
        String region = r.param("region");
        ArrayNode answer = Json.array();
        for (ObjectNode m : world.listed(machines.values())) {
            if (!includeDeleted && state(m).equals("destroyed")) {
                continue;
            }
            if (region != null && !region.equals(m.get("region").asText())) {
                continue;
            }
            if (!matchesMetadata(r, m)) {
                continue;
            }
            answer.add(withCheckStatuses(m));
        }
        return Reply.ok(answer);
    }

    /** Every {@code metadata.KEY=VALUE} query parameter must hold. */
    private boolean matchesMetadata(Request r, ObjectNode machine) {
        for (Map.Entry<String, List<String>> q : r.query().entrySet()) {
            if (q.getKey().startsWith("metadata.")) {
                JsonNode v = metadata(machine).get(q.getKey().substring("metadata.".length()));
                if (v == null || !q.getValue().contains(v.asText())) {
                    return false;
                }
            }
        }
        return true;
    }

    private Reply create(Request r, String app, Map<String, ObjectNode> machines) {
        JsonNode config = r.body().get("config");
        if (config == null || !config.isObject() || Json.text(config, "image") == null) {
            throw new ApiError(400, "invalid config: image is required");
        }
        String region = world.region(Json.text(r.body(), "region"));
        String name = Json.text(r.body(), "name");
        ObjectNode machine = Json.object();
        String id = world.newId("", 14, HEX);
        machine.put("id", id);
        machine.put("name", name == null || name.isBlank() ? generatedName() : name);
        machine.put("state", "created");
        machine.put("region", region);
        machine.put("instance_id", world.newId("01", 24, ULID));
        machine.put("private_ip", "fdaa:0:1:a7b:" + Integer.toHexString(machines.size() + 1) + "::2");
        String now = Json.now();
        machine.put("created_at", now);
        machine.put("updated_at", now);
        machine.set("config", withDefaults((ObjectNode) config.deepCopy()));
        machine.set("image_ref", imageRef(Json.text(config, "image")));
        machine.set("events", Json.array());
        machine.put("host_status", "ok");
        machine.put("cordoned", false);
        attachMounts(app, id, machine.get("config"), region);
        machines.put(id, machine);
        event(machine, "launch", "created");
        if (!r.body().path("skip_launch").asBoolean(false)) {
            // Answered as created; it starts a moment later.
            transition(app, machine, null, "started", "launch");
        }
        int ttl = r.body().path("lease_ttl").asInt(0);
        if (ttl > 0) {
            ObjectNode lease = newLease(r, ttl, "");
            world.inventory.leases.put(id, lease);
            ObjectNode answer = machine.deepCopy();
            answer.put("nonce", lease.get("nonce").asText());
            return Reply.ok(answer);
        }
        return Reply.ok(machine);
    }

    private Reply update(Request r, ObjectNode machine) {
        if (state(machine).equals("destroyed") || state(machine).equals("destroying")) {
            throw new ApiError(404, "machine not found");
        }
        String version = Json.text(r.body(), "current_version");
        if (version != null && !version.equals(machine.get("instance_id").asText())) {
            throw new ApiError(412, "failed_precondition: machine version " + version + " is not the current version "
                    + machine.get("instance_id").asText());
        }
        JsonNode config = r.body().get("config");
        if (config == null || !config.isObject() || Json.text(config, "image") == null) {
            throw new ApiError(400, "invalid config: image is required");
        }
        String name = Json.text(r.body(), "name");
        if (name != null && !name.equals(machine.get("name").asText())) {
            throw new ApiError(400, "name is immutable: cannot change " + machine.get("name").asText() + " to " + name);
        }
        String region = Json.text(r.body(), "region");
        if (region != null && !region.equals(machine.get("region").asText())) {
            throw new ApiError(400, "region is immutable: cannot move a machine from " + machine.get("region").asText()
                    + " to " + region);
        }
        String app = r.segment(2);
        String id = machine.get("id").asText();
        detachMounts(app, id);
        // An update replaces the whole config: what the caller left out is gone.
        machine.set("config", withDefaults((ObjectNode) config.deepCopy()));
        machine.set("image_ref", imageRef(Json.text(config, "image")));
        attachMounts(app, id, machine.get("config"), machine.get("region").asText());
        machine.put("instance_id", world.newId("01", 24, ULID));
        touch(machine);
        if (Set.of("started", "starting", "replacing", "created").contains(state(machine))
                && !r.body().path("skip_launch").asBoolean(false)) {
            transition(app, machine, "replacing", "started", "update");
        }
        return Reply.ok(machine);
    }

    private Reply destroy(Request r, String app, ObjectNode machine) {
        if (state(machine).equals("destroyed")) {
            throw new ApiError(404, "machine not found");
        }
        boolean force = "true".equals(r.param("force")) || "true".equals(r.param("kill"));
        if (Set.of("started", "starting", "replacing").contains(state(machine)) && !force) {
            throw new ApiError(412, "failed_precondition: machine still active, refusing to delete");
        }
        if (!state(machine).equals("destroying")) {
            // Destroyed a moment later: until then its volumes stay attached.
            transition(app, machine, "destroying", "destroyed", "destroy");
        }
        return Reply.ok(Json.ok());
    }

    private Reply await(Request r, ObjectNode machine) throws InterruptedException {
        Set<String> wanted = new java.util.TreeSet<>();
        for (String value : r.query().getOrDefault("state", List.of("started"))) {
            for (String s : value.split(",")) {
                if (!WAITABLE.contains(s.strip())) {
                    throw new ApiError(400, "invalid state: " + s + " (use " + String.join(", ", new java.util.TreeSet<>(WAITABLE)) + ")");
                }
                wanted.add(s.strip());
            }
        }
        String version = r.param("version") != null ? r.param("version") : r.param("instance_id");
        int timeout;
        try {
            timeout = r.param("timeout") == null ? 60 : Integer.parseInt(r.param("timeout"));
        } catch (NumberFormatException e) {
            throw new ApiError(400, "invalid timeout: " + r.param("timeout"));
        }
        if (timeout < 1 || timeout > 60) {
            throw new ApiError(400, "timeout must be between 1 and 60 seconds");
        }
        if (wanted.equals(Set.of("stopped")) && version == null) {
            throw new ApiError(400, "instance_id is required to wait for stopped");
        }
        String key = r.segment(2) + "/" + machine.get("id").asText();
        long deadline = System.currentTimeMillis() + timeout * 1000L;
        while (true) {
            long now = System.currentTimeMillis();
            settle(now);
            String state = state(machine);
            boolean settled = SETTLED.contains(state) && !world.inventory.transitions.containsKey(key);
            boolean versionHolds = version == null || version.equals(machine.get("instance_id").asText());
            if (versionHolds && (wanted.contains(state) || (wanted.contains("settled") && settled))) {
                return Reply.ok(Json.object().put("ok", true).put("state", state));
            }
            long wait = Math.min(deadline, nextTransition()) - now;
            if (now >= deadline) {
                throw new ApiError(408, "timeout waiting for machine to be " + String.join(" or ", wanted));
            }
            if (wait > 0) {
                world.lock.wait(wait);   // releases the emulator's lock while waiting
            }
        }
    }

    private Reply lease(Request r, String id) {
        Map<String, ObjectNode> leases = world.inventory.leases;
        ObjectNode current = leases.get(id);
        if (current != null && current.get("expires_at").asLong() < Instant.now().getEpochSecond()) {
            leases.remove(id);
            current = null;
        }
        switch (r.method()) {
            case "GET" -> {
                if (current == null) {
                    throw new ApiError(404, "lease not found");
                }
                return Reply.ok(envelope(current));
            }
            case "POST" -> {
                if (current != null && !current.get("nonce").asText().equals(r.header("fly-machine-lease-nonce"))) {
                    throw new ApiError(409, "lease currently held by " + current.get("owner").asText());
                }
                int ttl = r.body().path("ttl").asInt(0);
                if (ttl <= 0 && r.param("ttl") != null) {
                    ttl = Integer.parseInt(r.param("ttl"));
                }
                ObjectNode lease = newLease(r, ttl <= 0 ? 30 : ttl, Json.text(r.body(), "description"));
                if (current != null) {
                    lease.put("nonce", current.get("nonce").asText());   // a refresh keeps the nonce
                }
                leases.put(id, lease);
                return Reply.created(envelope(lease));
            }
            case "DELETE" -> {
                requireNonce(r, id);
                leases.remove(id);
                return Reply.ok(Json.object().put("status", "success").set("data", Json.ok()));
            }
            default -> {
                return null;
            }
        }
    }

    private ObjectNode newLease(Request r, int ttl, String description) {
        ObjectNode lease = Json.object();
        lease.put("nonce", world.newId("", 12, HEX));
        lease.put("expires_at", Instant.now().getEpochSecond() + ttl);
        lease.put("owner", r.caller().slug() + "@emulator");
        lease.put("description", description == null ? "" : description);
        lease.put("version", world.newId("01", 24, ULID));
        return lease;
    }

    private static ObjectNode envelope(ObjectNode lease) {
        ObjectNode e = Json.object().put("status", "success");
        e.set("data", lease);
        return e;
    }

    /** While a lease is held, a mutating call must carry its nonce. */
    private void requireNonce(Request r, String id) {
        ObjectNode lease = world.inventory.leases.get(id);
        if (lease == null || lease.get("expires_at").asLong() < Instant.now().getEpochSecond()) {
            return;
        }
        if (!lease.get("nonce").asText().equals(r.header("fly-machine-lease-nonce"))) {
            throw new ApiError(409, "lease currently held by " + lease.get("owner").asText()
                    + "; send its nonce in fly-machine-lease-nonce");
        }
    }

    private void attachMounts(String app, String machineId, JsonNode config, String region) {
        JsonNode mounts = config.get("mounts");
        if (mounts == null || !mounts.isArray()) {
            return;
        }
        Map<String, ObjectNode> volumes = world.inventory.volumesOf(app);
        for (JsonNode mount : mounts) {
            String volumeId = Json.text(mount, "volume");
            ObjectNode volume = volumeId == null ? null : volumes.get(volumeId);
            if (volume == null || !"created".equals(Json.text(volume, "state"))) {
                throw new ApiError(400, "volume " + volumeId + " not found in app " + app);
            }
            if (!region.equals(Json.text(volume, "region"))) {
                throw new ApiError(400, "volume " + volumeId + " is in " + Json.text(volume, "region")
                        + ", not in the machine's region " + region);
            }
            String holder = Json.text(volume, "attached_machine_id");
            if (holder != null && !holder.equals(machineId)) {
                throw new ApiError(400, "volume " + volumeId + " is already attached to machine " + holder);
            }
        }
        for (JsonNode mount : mounts) {
            volumes.get(Json.text(mount, "volume")).put("attached_machine_id", machineId);
        }
    }

    private void detachMounts(String app, String machineId) {
        for (ObjectNode volume : world.inventory.volumesOf(app).values()) {
            if (machineId.equals(Json.text(volume, "attached_machine_id"))) {
                volume.remove("attached_machine_id");   // Fly leaves the field out when unattached
            }
        }
    }

    private static ObjectNode withDefaults(ObjectNode config) {
        ObjectNode guest = config.has("guest") && config.get("guest").isObject() ? (ObjectNode) config.get("guest") : config.putObject("guest");
        if (!guest.has("cpu_kind")) {
            guest.put("cpu_kind", "shared");
        }
        if (!guest.has("cpus")) {
            guest.put("cpus", 1);
        }
        if (!guest.has("memory_mb")) {
            guest.put("memory_mb", 256);
        }
        return config;
    }

    private static ObjectNode imageRef(String image) {
        String rest = image;
        String registry = "registry-1.docker.io";
        int slash = rest.indexOf('/');
        if (slash > 0 && (rest.substring(0, slash).contains(".") || rest.substring(0, slash).contains(":"))) {
            registry = rest.substring(0, slash);
            rest = rest.substring(slash + 1);
        }
        String tag = "latest";
        int colon = rest.lastIndexOf(':');
        if (colon > 0) {
            tag = rest.substring(colon + 1);
            rest = rest.substring(0, colon);
        }
        if (!rest.contains("/")) {
            rest = "library/" + rest;
        }
        ObjectNode ref = Json.object();
        ref.put("registry", registry);
        ref.put("repository", rest);
        ref.put("tag", tag);
        ref.put("digest", "sha256:" + Integer.toHexString(image.hashCode()) + "0".repeat(56));
        ref.putObject("labels");
        return ref;
    }

    private String generatedName() {
        long n = world.inventory.nextId();
        return ADJECTIVES[(int) (n % ADJECTIVES.length)] + "-" + NOUNS[(int) (n / ADJECTIVES.length % NOUNS.length)]
                + "-" + (1000 + n % 9000);
    }

    private static ObjectNode metadata(ObjectNode machine) {
        ObjectNode config = (ObjectNode) machine.get("config");
        JsonNode m = config.get("metadata");
        return m != null && m.isObject() ? (ObjectNode) m : config.putObject("metadata");
    }

    private static String state(ObjectNode machine) {
        return machine.get("state").asText();
    }

    /**
     * The health of the checks a machine's config declares (top-level, and its services'), as Fly
     * reports them beside the machine: {@code critical} until it has been started for a while
     * ({@code checksPassingMs}), then {@code passing}; never passing for an unhealthy image.
     */
    private ObjectNode withCheckStatuses(ObjectNode machine) {
        JsonNode config = machine.path("config");
        List<String> names = new java.util.ArrayList<>();
        config.path("checks").fieldNames().forEachRemaining(names::add);
        int index = 0;
        for (JsonNode service : config.path("services")) {
            for (JsonNode check : service.path("checks")) {
                names.add(String.format("servicecheck-%02d-%s-%s", index++, check.path("type").asText("tcp"),
                        check.path("port").asText(service.path("internal_port").asText())));
            }
        }
        if (names.isEmpty()) {
            return machine;
        }
        long startedAt = -1;
        for (JsonNode e : machine.path("events")) {   // newest first
            if ("started".equals(e.path("status").asText())) {
                startedAt = e.path("timestamp").asLong();
                break;
            }
        }
        boolean running = state(machine).equals("started") && startedAt >= 0;
        boolean passing = running && !world.faults().unhealthyImages().contains(config.path("image").asText())
                && System.currentTimeMillis() - startedAt >= world.faults().checksPassingMs();
        ArrayNode checks = Json.array();
        ObjectNode answer = machine.deepCopy();   // read as it is asked for: the inventory holds no statuses
        for (String name : names) {
            ObjectNode c = checks.addObject();
            c.put("name", name);
            c.put("status", passing ? "passing" : "critical");
            c.put("output", passing ? "Success" : running ? "connect: connection refused" : "the machine is not running");
            c.put("updated_at", Json.now());
        }
        answer.set("checks", checks);
        return answer;
    }

    private void setState(ObjectNode machine, String state, String eventType) {
        machine.put("state", state);
        event(machine, eventType, state);
        touch(machine);
    }

    private void touch(ObjectNode machine) {
        machine.put("updated_at", Json.now());
        world.changed();
    }

    private static void event(ObjectNode machine, String type, String status) {
        ArrayNode events = (ArrayNode) machine.get("events");
        ObjectNode e = Json.object();
        e.put("type", type);
        e.put("status", status);
        e.put("source", "user");
        e.put("timestamp", System.currentTimeMillis());
        events.insert(0, e);
        while (events.size() > 10) {   // the newest few, as Fly shows
            events.remove(events.size() - 1);
        }
    }
}
