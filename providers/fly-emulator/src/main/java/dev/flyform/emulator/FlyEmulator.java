package dev.flyform.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Pattern;

/**
 * A stateful Fly API on loopback, written from Fly's documentation and independent of the
 * provider's code. It is strict where Fly is strict: app names are global across
 * organizations, a taken name answers 422 {@code name_taken}, another organization's app
 * answers 403, and deleting an app takes everything in it.
 *
 * <p>Besides {@code /v1}, a control API under {@code /_emulator} exposes the call log and the
 * inventory so tests can assert what exists.
 */
public final class FlyEmulator implements AutoCloseable {

    /** The organization and token every emulator starts with; fake values, never real ones. */
    public static final String PERSONAL_ORG = "personal";
    public static final String PERSONAL_TOKEN = "fm2_emulator_personal_token";
    /** A second organization, so tests can hold an app name elsewhere. */
    public static final String OTHER_ORG = "other-org";
    public static final String OTHER_TOKEN = "fo1_emulator_other_token";

    private static final Pattern APP_NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");
    private static final int MAX_CALLS_KEPT = 20_000;
    private static final String DATA_FILE = "emulator.json";

    private final ObjectMapper json = new ObjectMapper();
    private final Object lock = new Object();
    private final Path dataDir;
    private final Inventory inventory;
    private final HttpServer server;
    private final ExecutorService executor;

    private FlyEmulator(int port, Path dataDir) throws IOException {
        this.dataDir = dataDir;
        this.inventory = load(dataDir);
        inventory.session++;
        inventory.organizations.putIfAbsent(PERSONAL_ORG,
                new Organization(PERSONAL_ORG, "Personal", 1, PERSONAL_TOKEN));
        inventory.organizations.putIfAbsent(OTHER_ORG,
                new Organization(OTHER_ORG, "Other Org", 2, OTHER_TOKEN));
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 64);
        this.executor = Executors.newFixedThreadPool(8, r -> {
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

    // ---- what tests see -----------------------------------------------------------------

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
            return List.copyOf(inventory.apps.values());
        }
    }

    public Optional<EmulatedApp> app(String name) {
        synchronized (lock) {
            return Optional.ofNullable(inventory.apps.get(name));
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

    // ---- HTTP -------------------------------------------------------------------------------

    private void handle(HttpExchange exchange) throws IOException {
        String method = exchange.getRequestMethod().toUpperCase(Locale.ROOT);
        String path = exchange.getRequestURI().getPath();
        int status;
        try (exchange) {
            Reply reply;
            try {
                reply = path.startsWith("/_emulator/") ? control(method, path) : api(exchange, method, path);
            } catch (ApiError e) {
                ObjectNode body = json.createObjectNode().put("error", e.getMessage());
                if (e.code != null) {
                    body.put("status", e.code);
                }
                reply = new Reply(e.httpStatus, body);
            } catch (RuntimeException e) {
                reply = new Reply(500, json.createObjectNode().put("error", "internal error: " + e));
            }
            status = reply.status;
            if (!path.startsWith("/_emulator/")) {
                record(method, path, status);
            }
            send(exchange, reply);
        }
    }

    private record Reply(int status, Object body) {
    }

    private void send(HttpExchange exchange, Reply reply) throws IOException {
        byte[] bytes = reply.body == null ? new byte[0] : json.writeValueAsBytes(reply.body);
        exchange.getResponseHeaders().set("fly-request-id", requestId());
        if (reply.body != null) {
            exchange.getResponseHeaders().set("Content-Type", "application/json");
        }
        boolean noBody = reply.body == null;
        exchange.sendResponseHeaders(reply.status, noBody ? -1 : bytes.length);
        if (!noBody) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    private String requestId() {
        synchronized (lock) {
            return String.format("01EMU%021d", inventory.nextSequence);
        }
    }

    private void record(String method, String path, int status) {
        boolean mutating = !method.equals("GET") && !method.equals("HEAD");
        synchronized (lock) {
            inventory.calls.add(new Call(inventory.nextSequence++, inventory.session, method, path, status, mutating));
            if (inventory.calls.size() > MAX_CALLS_KEPT) {
                inventory.calls.subList(0, inventory.calls.size() - MAX_CALLS_KEPT).clear();
            }
        }
        if (mutating) {
            save();
        }
    }

    private Reply control(String method, String path) {
        synchronized (lock) {
            return switch (path) {
                case "/_emulator/calls" -> new Reply(200, Map.of("calls", inventory.calls));
                case "/_emulator/inventory" -> new Reply(200, Map.of("apps", inventory.apps.values()));
                default -> throw new ApiError(404, "no such control endpoint: " + method + " " + path);
            };
        }
    }

    private Reply api(HttpExchange exchange, String method, String path) throws IOException {
        Organization caller = authenticate(exchange);
        List<String> parts = segments(path);
        if (parts.size() >= 2 && parts.get(0).equals("v1") && parts.get(1).equals("apps")) {
            if (parts.size() == 2 && method.equals("POST")) {
                return createApp(caller, readBody(exchange));
            }
            if (parts.size() == 2 && method.equals("GET")) {
                return listApps(caller, query(exchange.getRequestURI()).get("org_slug"));
            }
            if (parts.size() == 3 && method.equals("GET")) {
                return new Reply(200, appJson(visibleApp(caller, parts.get(2))));
            }
            if (parts.size() == 3 && method.equals("DELETE")) {
                return deleteApp(caller, parts.get(2));
            }
        }
        throw new ApiError(404, "Not Found: " + method + " " + path);
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
        synchronized (lock) {
            for (String candidate : token.split(",")) {
                for (Organization org : inventory.organizations.values()) {
                    if (org.token().equals(candidate.trim())) {
                        return org;
                    }
                }
            }
        }
        throw new ApiError(401, "invalid or unknown token");
    }

    private Reply createApp(Organization caller, JsonNode body) {
        String name = text(body, "app_name");
        if (name == null) {
            name = text(body, "name");
        }
        String orgSlug = text(body, "org_slug");
        if (name == null || name.isBlank()) {
            throw new ApiError(422, "Validation failed: Name can't be blank");
        }
        if (orgSlug == null || orgSlug.isBlank()) {
            throw new ApiError(400, "org_slug is required");
        }
        if (!orgSlug.equals(caller.slug())) {
            throw new ApiError(404, "Organization not found: " + orgSlug);
        }
        if (!APP_NAME.matcher(name).matches() || name.endsWith("-")) {
            throw new ApiError(422, "Validation failed: Name under 63 chars using numbers, lowercase letters and dashes");
        }
        String network = text(body, "network");
        synchronized (lock) {
            if (inventory.apps.containsKey(name)) {
                throw new ApiError(422, "Validation failed: Name has already been taken", "name_taken");
            }
            long numeric = inventory.nextNumericId++;
            EmulatedApp app = new EmulatedApp(idFor(numeric), name, caller.slug(), "pending",
                    network == null || network.isBlank() ? "default" : network, numeric, System.currentTimeMillis());
            inventory.apps.put(name, app);
            ObjectNode answer = appJson(app);
            answer.put("created_at", app.createdAt());
            return new Reply(201, answer);
        }
    }

    private Reply listApps(Organization caller, String orgSlug) {
        if (orgSlug == null || orgSlug.isBlank()) {
            throw new ApiError(400, "org_slug is required");
        }
        if (!orgSlug.equals(caller.slug())) {
            throw new ApiError(404, "Organization not found: " + orgSlug);
        }
        synchronized (lock) {
            List<Object> apps = new ArrayList<>();
            for (EmulatedApp app : inventory.apps.values()) {
                if (app.orgSlug().equals(orgSlug)) {
                    Map<String, Object> item = new LinkedHashMap<>();
                    item.put("id", app.id());
                    item.put("name", app.name());
                    item.put("machine_count", 0);
                    item.put("volume_count", 0);
                    item.put("network", app.network());
                    apps.add(item);
                }
            }
            return new Reply(200, Map.of("total_apps", apps.size(), "apps", apps));
        }
    }

    private Reply deleteApp(Organization caller, String name) {
        synchronized (lock) {
            visibleApp(caller, name);
            // Deleting an app takes its machines, volumes, IPs, certificates and secrets with it.
            inventory.apps.remove(name);
            return new Reply(202, null);
        }
    }

    private EmulatedApp visibleApp(Organization caller, String name) {
        synchronized (lock) {
            EmulatedApp app = inventory.apps.get(name);
            if (app == null) {
                throw new ApiError(404, "Could not find App \"" + name + "\"");
            }
            if (!app.orgSlug().equals(caller.slug())) {
                throw new ApiError(403, "You are not authorized to access this app");
            }
            return app;
        }
    }

    private ObjectNode appJson(EmulatedApp app) {
        Organization org = inventory.organizations.get(app.orgSlug());
        ObjectNode node = json.createObjectNode();
        node.put("id", app.id());
        node.put("name", app.name());
        node.put("status", app.status());
        node.put("network", app.network());
        node.put("internal_numeric_id", app.internalNumericId());
        ObjectNode o = node.putObject("organization");
        o.put("name", org.name());
        o.put("slug", org.slug());
        o.put("internal_numeric_id", org.internalNumericId());
        node.put("cname_target", app.name() + ".fly.dev");
        node.put("app_role", "");
        return node;
    }

    private static String idFor(long numeric) {
        // Fly ids are 14-16 lowercase base-36 characters.
        StringBuilder id = new StringBuilder(Long.toString(numeric * 7919L + 1_000_003L, 36));
        while (id.length() < 16) {
            id.insert(0, 'e');
        }
        return id.toString();
    }

    private JsonNode readBody(HttpExchange exchange) throws IOException {
        try (InputStream in = exchange.getRequestBody()) {
            byte[] bytes = in.readAllBytes();
            if (bytes.length == 0) {
                return json.createObjectNode();
            }
            try {
                return json.readTree(bytes);
            } catch (IOException e) {
                throw new ApiError(400, "request body is not valid JSON");
            }
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }

    private static List<String> segments(String path) {
        List<String> parts = new ArrayList<>();
        for (String p : path.split("/")) {
            if (!p.isEmpty()) {
                parts.add(URLDecoder.decode(p, StandardCharsets.UTF_8));
            }
        }
        return parts;
    }

    private static Map<String, String> query(URI uri) {
        Map<String, String> params = new LinkedHashMap<>();
        String raw = uri.getRawQuery();
        if (raw == null) {
            return params;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            params.put(k, v);
        }
        return params;
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
        return new ObjectMapper().readValue(file.toFile(), Inventory.class);
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
                json.writerWithDefaultPrettyPrinter().writeValue(tmp.toFile(), inventory);
                Files.move(tmp, dataDir.resolve(DATA_FILE), StandardCopyOption.REPLACE_EXISTING,
                        StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot save the emulator's data in " + dataDir, e);
            }
        }
    }
}
