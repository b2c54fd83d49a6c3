package dev.flyform.provider.fly.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flyform.engine.addr.ResourceAddress;
import dev.flyform.engine.config.Unknown;
import dev.flyform.engine.diag.Diagnostic;
import dev.flyform.engine.provider.ApplyRequest;
import dev.flyform.engine.provider.ApplyResponse;
import dev.flyform.engine.provider.AttributeSchema;
import dev.flyform.engine.provider.AttributeType;
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
import java.util.Optional;
import java.util.Set;

/**
 * {@code fly_ip}: an address allocated to an app through {@code ip_assignments}. Fly makes a new
 * address on every v4, v6 or private_v6 allocation, and REST shows no id and no type: identity
 * is the address, and the type is read from its shape.
 */
public final class IpResource extends AppScoped {

    public static final String TYPE = "fly_ip";
    static final Set<String> TYPES = Set.of("v4", "v6", "shared_v4", "private_v6");

    private static final ResourceSchema SCHEMA = ResourceSchema.of(TYPE, List.of(
            AttributeSchema.required("app", AttributeType.STRING, "Name of the app the address belongs to.").forcingReplacement(),
            AttributeSchema.required("type", AttributeType.STRING,
                    "v4 (dedicated, paid), shared_v4, v6 or private_v6 (Flycast).").forcingReplacement(),
            AttributeSchema.optional("region", AttributeType.STRING, "A region, or global (default).").defaultingTo("global").forcingReplacement(),
            AttributeSchema.optional("network", AttributeType.STRING, "For private_v6: the 6PN network it routes in.")
                    .defaultingTo("").forcingReplacement(),
            AttributeSchema.optional("service_name", AttributeType.STRING, "For private_v6: a service name.")
                    .defaultingTo("").forcingReplacement(),
            AttributeSchema.readOnly("address", AttributeType.STRING, "The allocated address.")), AppResource.TYPE)
            .referencedAs("address")
            .naming("app", AppResource.TYPE);

    private static final String DIRECT_READ = """
            query ReadIp($app: String, $ip: String!) {
              app(name: $app) { sharedIpAddress ipAddress(address: $ip) { address type region serviceName } }
            }""";

    private final GraphqlClient graphql;

    /** @param graphql for the one direct read of an address Fly has (REST only lists them) */
    private final Regions regions;

    public IpResource(MachinesApi api, GraphqlClient graphql, Regions regions) {
        super(api, SCHEMA, "ip_assignments", "allocate", "allocate", "release");
        this.graphql = graphql;
        this.regions = regions;
    }

    @Override
    public ValidateResponse validate(ValidateRequest request) {
        Object type = request.config().attributes().get("type");
        List<Diagnostic> diags = new java.util.ArrayList<>();
        if (type instanceof String s && !TYPES.contains(s)) {
            diags.add(Diagnostic.error("Unknown IP type \"" + s + "\"", "Use v4, v6, shared_v4 or private_v6.").forAttribute("type"));
        }
        Object region = request.config().attributes().get("region");
        if (!"global".equals(region)) {
            new Checks(diags, regions).region(region, "region");
        }
        return new ValidateResponse(diags);
    }

    @Override
    public PlanResponse plan(PlanRequest request) {
        Map<String, Object> prior = request.prior() == null ? null : request.prior().attributes();
        Map<String, Object> planned = new LinkedHashMap<>();
        planned.put("app", request.config().get("app"));
        planned.put("type", request.config().get("type"));
        planned.put("region", Attrs.configuredOrPrior(request.config(), prior, "region", "global"));
        planned.put("network", Attrs.configuredOrPrior(request.config(), prior, "network", ""));
        planned.put("service_name", Attrs.configuredOrPrior(request.config(), prior, "service_name", ""));
        planned.put("address", prior == null ? Unknown.AFTER_APPLY : prior.get("address"));
        return new PlanResponse(planned, Set.of(), List.of());
    }

    @Override
    public ReadResponse read(ReadRequest request) {
        ResourceState prior = request.prior();
        String app = Attrs.string(prior.attributes(), "app");
        return Failures.reading(prior.address(), () -> find(app, prior.id())
                .map(ip -> ReadResponse.of(toState(prior.address(), app, ip, prior.attributes())))
                .orElseGet(() -> readDirectly(prior, app)));
    }

    /**
     * A list that leaves the address out is no proof it is gone (Fly's lists have come back
     * with items missing): only a direct read of the address can say so.
     */
    private ReadResponse readDirectly(ResourceState prior, String app) {
        JsonNode answer;
        try {
            answer = graphql.query(DIRECT_READ, Map.of("app", app, "ip", prior.id()));
        } catch (FlyApiException e) {
            return new ReadResponse(null, List.of(Failures.refused("read", prior.address(), e)));
        }
        if (answer.path("errors").size() > 0) {
            return new ReadResponse(null, List.of(Diagnostic.error("Cannot tell whether " + prior.address() + " (" + prior.id()
                    + ") still exists", "Fly's list of the app's addresses left it out, and reading it directly failed: "
                    + answer.path("errors").get(0).path("message").asText()).forResource(prior.address())));
        }
        JsonNode found = answer.path("data").path("app");
        if (prior.id().equals(found.path("sharedIpAddress").asText(null))) {
            ObjectNode ip = Attrs.JSON.createObjectNode().put("ip", prior.id()).put("shared", true)
                    .put("region", "global").put("service_name", "");
            return ReadResponse.of(toState(prior.address(), app, ip, prior.attributes()));
        }
        JsonNode node = found.path("ipAddress");
        if (node.isObject()) {
            ObjectNode ip = Attrs.JSON.createObjectNode().put("ip", prior.id()).put("shared", false)
                    .put("region", node.path("region").asText("global")).put("service_name", node.path("serviceName").asText(""));
            return ReadResponse.of(toState(prior.address(), app, ip, prior.attributes()));
        }
        return ReadResponse.gone();
    }

    private Optional<JsonNode> find(String app, String address) {
        for (JsonNode ip : api.get("apps", app, "ip_assignments").path("ips")) {
            if (ip.path("ip").asText().equals(address)) {
                return Optional.of(ip);
            }
        }
        return Optional.empty();
    }

    /** An IP has no name: record what the app held before, so the new address can be told apart. */
    @Override
    public PrepareCreateResponse prepareCreate(PrepareCreateRequest request) {
        return Failures.listingBefore(request.address(), "addresses", () -> addresses(Attrs.string(request.planned(), "app")));
    }

    /** The address the create made: present now, absent before, of the planned type, owned by no one else. */
    @Override
    public ReconcileResponse reconcile(ReconcileRequest request) {
        String app = Attrs.string(request.planned(), "app");
        List<?> before = request.intentData().get("before") instanceof List<?> l ? l : List.of();
        return Failures.reconciling(request.address(), () -> {
            JsonNode ips = api.forIntent(String.valueOf(request.intentData().get("intent_id"))).get("apps", app, "ip_assignments");
            for (JsonNode ip : ips.path("ips")) {
                String address = ip.path("ip").asText();
                boolean sharedAlready = "shared_v4".equals(request.planned().get("type")) && ip.path("shared").asBoolean();
                if ((sharedAlready || !before.contains(address)) && !request.owned().contains(address) && matches(ip, request.planned())) {
                    return ReconcileResponse.created(toState(request.address(), app, ip, request.planned()));
                }
            }
            return ReconcileResponse.notCreated();
        });
    }

    /** With no state entry: an address of the declared type that no other entry owns (oldest first). */
    @Override
    public LookupResponse lookup(LookupRequest request) {
        if (!(request.planned().get("app") instanceof String app) || !(request.planned().get("type") instanceof String)) {
            return LookupResponse.none();
        }
        return Failures.lookingUp(request.address(), () -> {
            for (JsonNode ip : api.get("apps", app, "ip_assignments").path("ips")) {
                if (!request.owned().contains(ip.path("ip").asText()) && matches(ip, request.planned())) {
                    return LookupResponse.of(toState(request.address(), app, ip, request.planned()));
                }
            }
            return LookupResponse.none();
        });
    }

    private static boolean matches(JsonNode ip, Map<String, Object> planned) {
        String region = Attrs.stringOr(planned, "region", "global");
        String actualRegion = ip.path("region").asText("global").isEmpty() ? "global" : ip.path("region").asText("global");
        return typeOf(ip).equals(planned.get("type")) && region.equals(actualRegion);
    }

    private List<String> addresses(String app) {
        List<String> out = new java.util.ArrayList<>();
        api.get("apps", app, "ip_assignments").path("ips").forEach(ip -> out.add(ip.path("ip").asText()));
        return out;
    }

    @Override
    protected ApplyResponse create(ApplyRequest request) {
        Map<String, Object> p = request.planned();
        String app = app(p);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", Attrs.string(p, "type"));
        String region = Attrs.stringOr(p, "region", "global");
        if (!region.equals("global")) {
            body.put("region", region);
        }
        if (!Attrs.stringOr(p, "network", "").isEmpty()) {
            body.put("network", Attrs.string(p, "network"));
        }
        if (!Attrs.stringOr(p, "service_name", "").isEmpty()) {
            body.put("service_name", Attrs.string(p, "service_name"));
        }
        try {
            JsonNode ip = underIntent(api, request).create(body, "apps", app, "ip_assignments");
            return ApplyResponse.of(toState(request.address(), app, ip, p));
        } catch (FlyApiException | FlyUnreachableException e) {
            return Failures.createFailed("allocate", request.address(), e);
        }
    }

    @Override
    public ImportResponse importResource(ImportRequest request) {
        return Failures.importing(request, "address", "ADDRESS", (app, address) -> find(app, address)
                .map(ip -> toState(request.address(), app, ip, Map.of()))
                .orElseThrow(() -> new FlyApiException(404, null, "no such address", null)));
    }

    /** REST has no type field: shared flag, then the address's shape, tell it. */
    public static String typeOf(JsonNode ip) {
        String address = ip.path("ip").asText();
        if (ip.path("shared").asBoolean(false)) {
            return "shared_v4";
        }
        if (address.startsWith("fdaa:")) {
            return "private_v6";
        }
        return address.contains(":") ? "v6" : "v4";
    }

    static ResourceState toState(ResourceAddress address, String app, JsonNode ip, Map<String, Object> known) {
        Map<String, Object> attrs = new LinkedHashMap<>();
        attrs.put("app", app);
        attrs.put("type", typeOf(ip));
        attrs.put("region", ip.path("region").asText("global").isEmpty() ? "global" : ip.path("region").asText("global"));
        // REST does not echo the network; keep what was asked for.
        attrs.put("network", Attrs.stringOr(known, "network", ""));
        attrs.put("service_name", ip.path("service_name").asText(""));
        attrs.put("address", ip.path("ip").asText());
        return new ResourceState(address, ip.path("ip").asText(), attrs);
    }
}
