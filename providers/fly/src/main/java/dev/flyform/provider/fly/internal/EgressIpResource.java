package dev.flyform.provider.fly.internal;

import com.fasterxml.jackson.databind.JsonNode;
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
import dev.flyform.engine.provider.PlanRequest;
import dev.flyform.engine.provider.PlanResponse;
import dev.flyform.engine.provider.PrepareCreateRequest;
import dev.flyform.engine.provider.PrepareCreateResponse;
import dev.flyform.engine.provider.ReadRequest;
import dev.flyform.engine.provider.ReadResponse;
import dev.flyform.engine.provider.ReconcileRequest;
import dev.flyform.engine.provider.ReconcileResponse;
import dev.flyform.engine.provider.ResourceSchema;
import dev.flyform.engine.provider.ValidateRequest;
import dev.flyform.engine.provider.ValidateResponse;
import dev.flyform.engine.state.ResourceState;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code fly_egress_ip}: an app's static egress addresses in one region, a v4 and a v6 that
 * Fly allocates together (GraphQL {@code allocateEgressIpAddress}); known by its v4 address.
 * Like any address, an allocation makes a new pair each time: a create records the pairs the
 * app held before, so a lost answer is reconciled rather than allocated again. The DSL has no
 * block of its own for it: {@code egress_ip('out') { app = web; region = 'iad' }} comes from
 * this schema alone.
 */
public final class EgressIpResource extends AppScoped {

    public static final String TYPE = "fly_egress_ip";

    private static final ResourceSchema SCHEMA = ResourceSchema.of(TYPE, List.of(
            AttributeSchema.required("app", AttributeType.STRING, "Name of the app whose machines send from it.").forcingReplacement(),
            AttributeSchema.required("region", AttributeType.STRING, "The region whose machines use it.").forcingReplacement(),
            AttributeSchema.readOnly("v4", AttributeType.STRING, "The IPv4 address traffic leaves from."),
            AttributeSchema.readOnly("v6", AttributeType.STRING, "The IPv6 address traffic leaves from.")),
            AppResource.TYPE)
            .referencedAs("v4")
            .naming("app", AppResource.TYPE);

    private static final String LIST = """
            query EgressIps($app: String) { app(name: $app) { egressIpAddresses(first: 500) { nodes { id ip region version } } } }""";
    private static final String ALLOCATE = """
            mutation AllocateEgressIp($input: AllocateEgressIPAddressInput!) { allocateEgressIpAddress(input: $input) { v4 v6 } }""";
    private static final String RELEASE = """
            mutation ReleaseEgressIp($input: ReleaseEgressIPAddressInput!) { releaseEgressIpAddress(input: $input) { v4 v6 } }""";

    private final GraphqlClient graphql;
    private final Regions regions;

    public EgressIpResource(MachinesApi api, GraphqlClient graphql, Regions regions) {
        super(api, SCHEMA, null, "allocate", "allocate", "release");
        this.graphql = graphql;
        this.regions = regions;
    }

    @Override
    public ValidateResponse validate(ValidateRequest request) {
        List<Diagnostic> diags = new ArrayList<>();
        new Checks(diags, regions).region(request.config().attributes().get("region"), "region");
        return new ValidateResponse(diags);
    }

    /** A pair that a list leaves out is looked for again: only when none of three lists shows it is it gone. */
    @Override
    public ReadResponse read(ReadRequest request) {
        ResourceState prior = request.prior();
        String app = Attrs.string(prior.attributes(), "app");
        return Failures.reading(prior.address(), () -> {
            for (int attempt = 0; attempt < 3; attempt++) {
                Optional<ResourceState> found = pairs(app).stream().filter(p -> p.id().equals(prior.id())).findFirst()
                        .map(p -> new ResourceState(prior.address(), p.id(), p.attributes()));
                if (found.isPresent()) {
                    return ReadResponse.of(found.get());
                }
            }
            return ReadResponse.gone();
        });
    }

    @Override
    public PrepareCreateResponse prepareCreate(PrepareCreateRequest request) {
        return Failures.listingBefore(request.address(), "egress addresses",
                () -> pairs(Attrs.string(request.planned(), "app")).stream().map(ResourceState::id).toList());
    }

    /** The pair the create made: present now, absent before, in the planned region, owned by no one else. */
    @Override
    public ReconcileResponse reconcile(ReconcileRequest request) {
        String app = Attrs.string(request.planned(), "app");
        List<?> before = request.intentData().get("before") instanceof List<?> l ? l : List.of();
        return Failures.reconciling(request.address(), () -> pairs(app).stream()
                .filter(p -> !before.contains(p.id()) && !request.owned().contains(p.id())
                        && p.attributes().get("region").equals(request.planned().get("region")))
                .findFirst().map(p -> ReconcileResponse.created(new ResourceState(request.address(), p.id(), p.attributes())))
                .orElse(ReconcileResponse.notCreated()));
    }

    @Override
    public LookupResponse lookup(LookupRequest request) {
        return LookupResponse.none();   // pairs have no name: one that exists is never taken for a declared one
    }

    /** Released through GraphQL: the pair is named by its IPv4 address. */
    @Override
    protected ApplyResponse delete(ApplyRequest request) {
        ResourceState prior = request.prior();
        Failures.deleting(() -> mutate(RELEASE, Map.of("appId", app(prior.attributes()), "ip", prior.id()), false));
        return ApplyResponse.of(null);
    }

    @Override
    protected ApplyResponse create(ApplyRequest request) {
        String app = app(request.planned());
        JsonNode made;
        try {
            made = mutate(ALLOCATE, Map.of("appId", app, "region", Attrs.string(request.planned(), "region")), true)
                    .path("allocateEgressIpAddress");
        } catch (FlyApiException | FlyUnreachableException e) {
            return Failures.createFailed("allocate", request.address(), e);
        }
        Map<String, Object> attrs = new LinkedHashMap<>();
        attrs.put("app", app);
        attrs.put("region", request.planned().get("region"));
        attrs.put("v4", made.path("v4").asText());
        attrs.put("v6", made.path("v6").asText());
        return ApplyResponse.of(new ResourceState(request.address(), made.path("v4").asText(), attrs));
    }

    @Override
    public ImportResponse importResource(ImportRequest request) {
        return Failures.importing(request, "egress address", "V4_ADDRESS", (app, v4) -> pairs(app).stream()
                .filter(p -> p.id().equals(v4)).findFirst()
                .map(p -> new ResourceState(request.address(), p.id(), p.attributes()))
                .orElseThrow(() -> new FlyApiException(404, null, "no such egress address", null)));
    }

    /** The app's egress pairs, each as a state keyed by its v4 address (for {@code import app} too). */
    public List<ResourceState> pairs(String app) {
        JsonNode answer = graphql.query(LIST, Map.of("app", app));
        if (answer.path("errors").size() > 0) {
            String message = answer.path("errors").get(0).path("message").asText();
            throw new FlyApiException(message.contains("Could not find") ? 404 : 502, null, message, null);
        }
        List<ResourceState> pairs = new ArrayList<>();
        Map<String, String> v6ByPair = new LinkedHashMap<>();
        List<JsonNode> nodes = new ArrayList<>();
        answer.path("data").path("app").path("egressIpAddresses").path("nodes").forEach(nodes::add);
        for (JsonNode n : nodes) {
            if (n.path("version").asInt() == 6) {
                v6ByPair.put(pairOf(n.path("id").asText()), n.path("ip").asText());
            }
        }
        for (JsonNode n : nodes) {
            if (n.path("version").asInt() == 4) {
                Map<String, Object> attrs = new LinkedHashMap<>();
                attrs.put("app", app);
                attrs.put("region", n.path("region").asText());
                attrs.put("v4", n.path("ip").asText());
                attrs.put("v6", v6ByPair.getOrDefault(pairOf(n.path("id").asText()), ""));
                pairs.add(new ResourceState(new ResourceAddress(TYPE, "read"), n.path("ip").asText(), attrs));
            }
        }
        return pairs;
    }

    /** Fly's node ids of one allocation share their stem ({@code egress_7_v4}, {@code egress_7_v6}). */
    private static String pairOf(String nodeId) {
        int cut = nodeId.lastIndexOf("_v");
        return cut < 0 ? nodeId : nodeId.substring(0, cut);
    }

    /** @param once an allocation: sent once, never retried (a release of what is gone is done, so it may be) */
    private JsonNode mutate(String document, Map<String, Object> input, boolean once) {
        JsonNode answer = once ? graphql.mutateOnce(document, Map.of("input", input)) : graphql.query(document, Map.of("input", input));
        if (answer.path("errors").size() > 0) {
            String message = answer.path("errors").get(0).path("message").asText();
            throw new FlyApiException(message.contains("not found") || message.contains("Could not find") ? 404 : 422, null, message, null);
        }
        return answer.path("data");
    }
}
