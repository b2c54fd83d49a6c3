package dev.flyform.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;

/**
 * A stateful Fly API on loopback, written from Fly's documentation and sharing no code with the
 * provider. It is strict where Fly is strict (global app names, 422 {@code name_taken}, 403 for
 * another organization's app, lease nonces, immutable machine name and region, volumes that
 * only grow) and messy where Fly is messy (non-idempotent creates, a new app invisible for a
 * while, rate limits, 5xx, answers lost after the change was made).
 *
 * <p>REST lives under {@code /v1}, GraphQL at {@code /graphql}; both share one store. A control
 * API under {@code /_emulator} exposes the call log and the inventory and takes fault settings.
 */
public final class FlyEmulator implements AutoCloseable {

    /** The organization and token every emulator starts with; fake values, never real ones. */
    public static final String PERSONAL_ORG = "personal";
    public static final String PERSONAL_TOKEN = "fm2_emulator_personal_token";
    /** A second organization, so tests can hold an app name elsewhere. */
    public static final String OTHER_ORG = "other-org";
    public static final String OTHER_TOKEN = "fo1_emulator_other_token";

    private static final int MAX_CALLS_KEPT = 20_000;

    static {
        // The JDK's server writes a response's head and body apart; with Nagle's algorithm on,
        // the body then waits for the client's delayed ACK, ~40 ms per call that Fly does not
        // have. Read once, when the first server starts; an explicit -D setting wins.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }
    private static final String DATA_FILE = "emulator.json";

    private final Object lock = new Object();
    private final Path dataDir;
    private final Inventory inventory;
    private final World world;
    private final AppsApi apps;
    private final MachinesApi machines;
    private final VolumesApi volumes;
    private final IpAssignmentsApi ips;
    private final CertificatesApi certificates;
    private final SecretsApi secrets;
    private volatile GraphqlApi graphql;
    private final RateLimiter rateLimiter = new RateLimiter();
    private final List<Consumer<Exchange>> observers = new CopyOnWriteArrayList<>();
    private final HttpServer server;
    private final ExecutorService executor;

    private volatile FaultSettings faults = FaultSettings.NONE;
    /** The rate limiter's clock; tests stop it to make bursts exact. */
    private volatile java.util.function.LongSupplier rateClock = System::nanoTime;
    private Random random = new Random(0);
    private long mutatingSinceFaults;
    /** Client address and port (one keep-alive connection) → when its last exchange ended, in ms. */
    private final Map<String, Long> lastSeen = new java.util.concurrent.ConcurrentHashMap<>();

    private FlyEmulator(int port, Path dataDir) throws IOException {
        this.dataDir = dataDir;
        this.inventory = load(dataDir);
        inventory.session++;
        inventory.organizations.putIfAbsent(PERSONAL_ORG, new Organization(PERSONAL_ORG, "Personal", 1, PERSONAL_TOKEN));
        inventory.organizations.putIfAbsent(OTHER_ORG, new Organization(OTHER_ORG, "Other Org", 2, OTHER_TOKEN));
        this.world = new World(inventory, lock, () -> faults, () -> random);
        this.apps = new AppsApi(world);
        this.machines = new MachinesApi(world);
        this.volumes = new VolumesApi(world);
        this.ips = new IpAssignmentsApi(world);
        this.certificates = new CertificatesApi(world);
        this.secrets = new SecretsApi(world);
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 64);
        this.executor = Executors.newFixedThreadPool(16, r -> {
            Thread t = new Thread(r, "fly-emulator");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
        save();
    }

    /** Starts on {@code port} (0 picks a free one), keeping nothing on disk. */
    public static FlyEmulator start(int port) {
        return start(port, null);
    }

    /** Starts on {@code port}, loading and saving everything under {@code dataDir} when given. */
    public static FlyEmulator start(int port, Path dataDir) {
        try {
            return new FlyEmulator(port, dataDir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the Fly API emulator on port " + port + ": " + e.getMessage(), e);
        }
    }

    public URI baseUrl() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    public int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
        save();
    }

    // ---- what tests and benchmarks use ------------------------------------------------------

    /** Replaces the fault settings; "Nth mutating call" counts from here. */
    public void faults(FaultSettings settings) {
        synchronized (lock) {
            faults = settings;
            random = new Random(settings.seed());
            mutatingSinceFaults = 0;
            rateLimiter.reset();
            machines.reset();
            lastSeen.clear();
        }
    }

    public FaultSettings faults() {
        return faults;
    }

    /** For tests: the rate limiter's clock (nanoseconds), so that a burst does not depend on how fast a machine is. */
    public void rateClock(java.util.function.LongSupplier clock) {
        rateClock = clock;
    }

    /**
     * For tests: the clock (epoch milliseconds) apps and certificates age by: how long a new app
     * stays invisible or answers 401, a deleted one lingers, a certificate waits to be issued.
     * A test that moves it itself depends on no machine's speed.
     */
    public void clock(java.util.function.LongSupplier epochMillis) {
        world.clock = epochMillis;
    }

    /** Sees every exchange after it is answered (or dropped): for contract checks. */
    public void observe(Consumer<Exchange> observer) {
        observers.add(observer);
    }

    public List<Call> calls() {
        synchronized (lock) {
            return List.copyOf(inventory.calls);
        }
    }

    /** Calls answered since this emulator started (not those of earlier sessions on the same data). */
    public List<Call> callsThisSession() {
        synchronized (lock) {
            return inventory.calls.stream().filter(c -> c.session() == inventory.session).toList();
        }
    }

    public List<EmulatedApp> apps() {
        synchronized (lock) {
            settle();
            return List.copyOf(inventory.apps.values());
        }
    }

    public Optional<EmulatedApp> app(String name) {
        synchronized (lock) {
            settle();
            return Optional.ofNullable(inventory.apps.get(name));
        }
    }

    /** The app's IP assignments, in allocation order. */
    public List<IpAssignment> ips(String app) {
        synchronized (lock) {
            settle();
            return List.copyOf(inventory.ips.getOrDefault(app, List.of()));
        }
    }

    /** Everything the emulated Fly holds, as the control endpoint shows it. */
    public JsonNode inventory() {
        synchronized (lock) {
            settle();
            return inventoryJson();
        }
    }

    /** Reads the call log a stopped emulator left in {@code dataDir}. */
    public static List<Call> savedCalls(Path dataDir) throws IOException {
        return load(dataDir).calls;
    }

    /** The session number of the last emulator that ran on {@code dataDir}. */
    public static long savedSession(Path dataDir) throws IOException {
        return load(dataDir).session;
    }

    /** Brings Fly's asynchronous changes (machine states, app deletions) up to now. Under the lock. */
    private void settle() {
        apps.settle(world.now());
        machines.settle(System.currentTimeMillis());
    }

    // ---- HTTP -------------------------------------------------------------------------------

    private enum AfterCommit { ANSWER, DROP, FAIL }

    private void handle(HttpExchange exchange) throws IOException {
        String method = exchange.getRequestMethod().toUpperCase(Locale.ROOT);
        String path = exchange.getRequestURI().getPath();
        byte[] requestBytes;
        try (InputStream in = exchange.getRequestBody()) {
            requestBytes = in.readAllBytes();
        }
        if (path.startsWith("/_emulator/")) {
            send(exchange, control(method, path, requestBytes));
            return;
        }
        FaultSettings settings = faults;
        if (closedWhileIdle(exchange, settings)) {
            // The server closed this keep-alive connection while it was idle: the request was
            // never seen, and the client learns so only from the connection's end.
            boolean mutating = !method.equals("GET") && !method.equals("HEAD");
            record(method, exchange.getRequestURI().getRawPath(), null, 0, mutating,
                    exchange.getRequestHeaders().getFirst("x-flyform-intent"));
            exchange.close();
            return;
        }
        if (settings.latencyMs() > 0) {
            sleep(settings.latencyMs());
        }
        boolean isGraphql = path.equals("/graphql");
        JsonNode body = null;
        Reply reply;
        AfterCommit after = AfterCommit.ANSWER;
        GraphqlApi.Operation operation = new GraphqlApi.Operation(null, false);
        try {
            body = parse(requestBytes);
            if (isGraphql) {
                operation = GraphqlApi.describe(body);
            }
            boolean mutating = isGraphql ? operation.mutation() : !method.equals("GET") && !method.equals("HEAD");
            synchronized (lock) {
                settle();
                injectFailure(settings);
                Organization caller = authenticate(exchange);
                Request request = new Request(method, segments(path), query(exchange.getRequestURI()),
                        headers(exchange), body, caller);
                limitRate(settings, request, isGraphql);
                reply = dispatch(request, isGraphql);
                if (reply == null) {
                    throw new ApiError(404, "Not Found: " + method + " " + path);
                }
                if (mutating && reply.status() < 300) {
                    long n = ++mutatingSinceFaults;
                    after = settings.dropAfterCommit().contains(n) ? AfterCommit.DROP
                            : settings.errorAfterCommit().contains(n) ? AfterCommit.FAIL : AfterCommit.ANSWER;
                }
            }
        } catch (ApiError e) {
            reply = error(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            reply = error(new ApiError(503, "emulator shutting down"));
        } catch (RuntimeException e) {
            reply = error(new ApiError(500, "internal error: " + e));
        }
        boolean mutating = isGraphql ? operation.mutation() : !method.equals("GET") && !method.equals("HEAD");
        if (after == AfterCommit.FAIL) {
            reply = error(new ApiError(503, "upstream connect error or disconnect/reset before headers"));
        }
        String path1 = exchange.getRequestURI().getRawPath();
        String intent = exchange.getRequestHeaders().getFirst("x-flyform-intent");
        if (after == AfterCommit.DROP) {
            record(method, path1, operation.name(), 0, mutating, intent);
            notifyObservers(exchange, requestBytes, 0, Map.of(), "");
            save();
            // Closing before any response header: the client sees the connection end with no answer.
            exchange.close();
            return;
        }
        record(method, path1, operation.name(), reply.status(), mutating, intent);
        if (mutating) {
            save();
        }
        send(exchange, reply, requestBytes);
    }

    /**
     * With idle closes on: whether this request came on a connection idle for longer than the
     * server keeps one. Every answered exchange marks its connection as in use until now.
     */
    private boolean closedWhileIdle(HttpExchange exchange, FaultSettings settings) {
        if (settings.idleCloseMs() <= 0) {
            return false;
        }
        String connection = String.valueOf(exchange.getRemoteAddress());
        Long last = lastSeen.get(connection);
        if (last != null && System.currentTimeMillis() - last > settings.idleCloseMs()) {
            lastSeen.remove(connection);
            return true;
        }
        return false;
    }

    private Reply dispatch(Request r, boolean isGraphql) throws InterruptedException {
        if (isGraphql) {
            if (!r.method().equals("POST")) {
                throw new ApiError(405, "GraphQL takes POST");
            }
            return graphql().handle(r);
        }
        List<String> p = r.path();
        if (p.size() < 2 || !p.get(0).equals("v1") || !p.get(1).equals("apps")) {
            return null;
        }
        if (p.size() <= 3) {
            return apps.handle(r);
        }
        return switch (p.get(3)) {
            case "machines" -> machines.handle(r);
            case "volumes" -> volumes.handle(r);
            case "ip_assignments" -> ips.handle(r);
            case "certificates" -> certificates.handle(r);
            case "secrets" -> secrets.handle(r);
            default -> null;
        };
    }

    private GraphqlApi graphql() {
        GraphqlApi g = graphql;
        if (g == null) {
            g = new GraphqlApi(world, ips, certificates, secrets);
            graphql = g;
        }
        return g;
    }

    /** A failure before anything is done: the request may safely be sent again. */
    private void injectFailure(FaultSettings settings) {
        if (settings.failureRate() > 0 && random.nextDouble() < settings.failureRate()) {
            int status = settings.failureStatuses().get(random.nextInt(settings.failureStatuses().size()));
            throw new ApiError(status, status == 429 ? "rate limited" : status == 408 ? "request timed out"
                    : "injected failure (" + status + ")");
        }
    }

    private void limitRate(FaultSettings settings, Request r, boolean isGraphql) {
        if (!settings.rateLimits() || isGraphql) {
            return;
        }
        List<String> p = r.path();
        StringBuilder action = new StringBuilder(r.method());
        String scope = "org:" + r.caller().slug();
        for (int i = 1; i < p.size(); i++) {
            boolean identifier = i == 2 || (i == 4 && p.size() > 4);
            action.append('/').append(identifier ? "*" : p.get(i));
        }
        // Per machine for a machine's actions, else per app: /apps/A/secrets/NAME counts against
        // app A, not against every app's secret of that name.
        if (p.size() > 2) {
            scope = p.size() > 4 && p.get(3).equals("machines") ? "machine:" + p.get(4) : "app:" + p.get(2);
        }
        String key = action.toString().replaceFirst("^(\\w+)/", "$1 /");
        if (!rateLimiter.allow(key, scope, rateClock.getAsLong())) {
            throw new ApiError(429, "rate limited: too many requests for " + key);
        }
    }

    private Organization authenticate(HttpExchange exchange) {
        String header = exchange.getRequestHeaders().getFirst("Authorization");
        if (header == null) {
            throw new ApiError(401, "You must be authenticated to view this.");
        }
        String token;
        if (header.startsWith("Bearer ")) {
            token = header.substring("Bearer ".length()).trim();
        } else if (header.startsWith("FlyV1 ")) {
            token = header.substring("FlyV1 ".length()).trim();
        } else {
            throw new ApiError(401, "unsupported authorization scheme");
        }
        for (String candidate : token.split(",")) {
            for (Organization org : inventory.organizations.values()) {
                if (org.token().equals(candidate.trim())) {
                    return org;
                }
            }
        }
        throw new ApiError(401, "invalid or unknown token");
    }

    private static Reply error(ApiError e) {
        ObjectNode body = Json.object().put("error", e.getMessage());
        if (e.code != null) {
            body.put("status", e.code);
        }
        return new Reply(e.httpStatus, body);
    }

    private void send(HttpExchange exchange, Reply reply) throws IOException {
        send(exchange, reply, new byte[0]);
    }

    private void send(HttpExchange exchange, Reply reply, byte[] requestBytes) throws IOException {
        byte[] bytes = reply.body() == null ? new byte[0] : Json.MAPPER.writeValueAsBytes(reply.body());
        exchange.getResponseHeaders().set("fly-request-id", requestId());
        if (reply.body() != null) {
            exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
        }
        if (reply.status() == 429) {
            // Fly documents no Retry-After; the emulator sends one (its own choice) so clients can honour it.
            exchange.getResponseHeaders().set("Retry-After", "1");
        }
        // Observers see the exchange before the client does: a test that checks them right after
        // its call returns must find it there.
        if (!exchange.getRequestURI().getPath().startsWith("/_emulator/")) {
            notifyObservers(exchange, requestBytes, reply.status(), exchange.getResponseHeaders(),
                    new String(bytes, StandardCharsets.UTF_8));
        }
        try (exchange) {
            exchange.sendResponseHeaders(reply.status(), bytes.length == 0 ? -1 : bytes.length);
            if (bytes.length > 0) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(bytes);
                }
            }
        } finally {
            if (faults.idleCloseMs() > 0) {
                lastSeen.put(String.valueOf(exchange.getRemoteAddress()), System.currentTimeMillis());
            }
        }
    }

    private void notifyObservers(HttpExchange exchange, byte[] requestBytes, int status,
                                 Map<String, List<String>> responseHeaders, String responseBody) {
        if (observers.isEmpty()) {
            return;
        }
        Exchange e = new Exchange(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(),
                exchange.getRequestURI().getRawQuery(), Map.copyOf(exchange.getRequestHeaders()),
                new String(requestBytes, StandardCharsets.UTF_8), status, Map.copyOf(responseHeaders), responseBody);
        observers.forEach(o -> o.accept(e));
    }

    private String requestId() {
        synchronized (lock) {
            return String.format("01EMU%021d", inventory.nextSequence);
        }
    }

    private void record(String method, String path, String operation, int status, boolean mutating, String intent) {
        synchronized (lock) {
            inventory.calls.add(new Call(inventory.nextSequence++, inventory.session, method, path, operation, status,
                    mutating, intent));
            if (inventory.calls.size() > MAX_CALLS_KEPT) {
                inventory.calls.subList(0, inventory.calls.size() - MAX_CALLS_KEPT).clear();
            }
        }
    }

    private Reply control(String method, String path, byte[] body) {
        synchronized (lock) {
            switch (method + " " + path) {
                case "GET /_emulator/calls":
                    return Reply.ok(Map.of("calls", inventory.calls));
                case "GET /_emulator/inventory":
                    return Reply.ok(inventoryJson());
                case "GET /_emulator/faults":
                    return Reply.ok(faults);
                case "POST /_emulator/faults":
                    try {
                        faults(body.length == 0 ? FaultSettings.NONE : Json.MAPPER.readValue(body, FaultSettings.class));
                    } catch (IOException | IllegalArgumentException e) {
                        return error(new ApiError(400, "invalid fault settings: " + firstLine(e.getMessage())));
                    }
                    return Reply.ok(faults);
                default:
                    return error(new ApiError(404, "no such control endpoint: " + method + " " + path
                            + " (GET calls, GET inventory, GET or POST faults)"));
            }
        }
    }

    private ObjectNode inventoryJson() {
        ObjectNode root = Json.object();
        ObjectNode appsNode = root.putObject("apps");
        for (EmulatedApp app : inventory.apps.values()) {
            ObjectNode a = appsNode.putObject(app.name());
            a.put("org", app.orgSlug());
            a.put("id", app.id());
            a.set("machines", Json.MAPPER.valueToTree(inventory.machinesOf(app.name()).values()));
            a.set("volumes", Json.MAPPER.valueToTree(inventory.volumesOf(app.name()).values()));
            a.set("ips", Json.MAPPER.valueToTree(inventory.ipsOf(app.name())));
            a.set("certificates", Json.MAPPER.valueToTree(inventory.certificatesOf(app.name()).keySet()));
            a.set("egress_ips", Json.MAPPER.valueToTree(inventory.egressIps.getOrDefault(app.name(), List.of()).stream()
                    .map(e -> e.get("ip").asText()).toList()));
            a.set("secrets", Json.MAPPER.valueToTree(inventory.secretsOf(app.name()).keySet()));
            a.put("secrets_version", inventory.secretVersions.getOrDefault(app.name(), 0L));
        }
        return root;
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    private static JsonNode parse(byte[] bytes) {
        if (bytes.length == 0) {
            return Json.object();
        }
        try {
            return Json.MAPPER.readTree(bytes);
        } catch (IOException e) {
            throw new ApiError(400, "request body is not valid JSON");
        }
    }

    private static Map<String, String> headers(HttpExchange exchange) {
        Map<String, String> h = new LinkedHashMap<>();
        exchange.getRequestHeaders().forEach((k, v) -> h.put(k.toLowerCase(Locale.ROOT), v.isEmpty() ? "" : v.get(0)));
        return h;
    }

    private static List<String> segments(String path) {
        List<String> parts = new ArrayList<>();
        for (String p : path.split("/")) {
            if (!p.isEmpty()) {
                parts.add(p);
            }
        }
        return parts;
    }

    private static Map<String, List<String>> query(URI uri) {
        Map<String, List<String>> params = new LinkedHashMap<>();
        String raw = uri.getRawQuery();
        if (raw == null) {
            return params;
        }
        for (String pair : raw.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            params.computeIfAbsent(k, x -> new ArrayList<>()).add(v);
        }
        return params;
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ---- persistence ------------------------------------------------------------------------

    private static Inventory load(Path dataDir) throws IOException {
        if (dataDir == null) {
            return new Inventory();
        }
        Path file = dataDir.resolve(DATA_FILE);
        if (!Files.exists(file)) {
            return new Inventory();
        }
        return Json.MAPPER.readValue(file.toFile(), Inventory.class);
    }

    /** Written to a temporary file and moved into place, so a crash never leaves half a file. */
    private void save() {
        if (dataDir == null) {
            return;
        }
        synchronized (lock) {
            try {
                Files.createDirectories(dataDir);
                Path tmp = dataDir.resolve(DATA_FILE + ".tmp");
                Json.MAPPER.writerWithDefaultPrettyPrinter().writeValue(tmp.toFile(), inventory);
                Files.move(tmp, dataDir.resolve(DATA_FILE), StandardCopyOption.REPLACE_EXISTING,
                        StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot save the emulator's data in " + dataDir, e);
            }
        }
    }
}
