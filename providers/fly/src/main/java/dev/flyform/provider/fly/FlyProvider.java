package dev.flyform.provider.fly;

import dev.flyform.engine.diag.Diagnostic;
import dev.flyform.engine.provider.ApplyRequest;
import dev.flyform.engine.provider.ApplyResponse;
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
import dev.flyform.engine.provider.Provider;
import dev.flyform.engine.provider.ProviderSchema;
import dev.flyform.engine.provider.ReadRequest;
import dev.flyform.engine.provider.ReadResponse;
import dev.flyform.engine.state.ResourceState;
import dev.flyform.engine.provider.ResourceSchema;
import dev.flyform.engine.provider.ValidateRequest;
import dev.flyform.engine.provider.ValidateResponse;
import dev.flyform.provider.fly.internal.AppResource;
import dev.flyform.provider.fly.internal.AppVisibility;
import dev.flyform.provider.fly.internal.BatchedRefresh;
import dev.flyform.provider.fly.internal.GraphqlClient;
import dev.flyform.engine.provider.ReadManyRequest;
import dev.flyform.engine.provider.ReadManyResponse;
import dev.flyform.provider.fly.internal.CertificateResource;
import dev.flyform.provider.fly.internal.IpResource;
import dev.flyform.provider.fly.internal.MachineResource;
import dev.flyform.provider.fly.internal.SecretResource;
import dev.flyform.provider.fly.internal.SecretRestarts;
import dev.flyform.provider.fly.internal.VolumeResource;
import dev.flyform.provider.fly.internal.FlyResourceType;
import dev.flyform.provider.fly.internal.MachinesApi;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The Fly.io provider: every {@code fly_*} resource type, through Fly's Machines REST API. */
public final class FlyProvider implements Provider {

    private final Map<String, FlyResourceType> types = new TreeMap<>();
    private final MachinesApi api;
    private final GraphqlClient graphql;
    private final BatchedRefresh batched;
    private final ProviderSchema schema;
    private final AppResource apps;
    private final SecretRestarts restarts;
    private final dev.flyform.provider.fly.internal.EgressIpResource egress;
    private final dev.flyform.provider.fly.internal.DataSources data;
    private final java.util.Set<dev.flyform.engine.addr.ResourceAddress> certificatesMade = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final java.util.Set<String> addressesMoved = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final dev.flyform.provider.fly.internal.Regions regions;

    /**
     * @param defaultOrg the organization for resources that name none (flyctl's FLY_ORG, else personal)
     */
    public FlyProvider(FlySettings settings, String defaultOrg, String userAgent) {
        this(settings, defaultOrg, userAgent, CrashPoints.NONE);
    }

    /** @param crashPoints TEST ONLY: where to halt the JVM ({@link CrashPoints#NONE} otherwise) */
    public FlyProvider(FlySettings settings, String defaultOrg, String userAgent, CrashPoints crashPoints) {
        this(settings, defaultOrg, userAgent, crashPoints, true);
    }

    /**
     * @param batchedRefresh refresh through GraphQL, a few apps per request; false reads one
     *                       object per REST call (the naive baseline benchmarks compare with)
     */
    public FlyProvider(FlySettings settings, String defaultOrg, String userAgent, CrashPoints crashPoints,
                       boolean batchedRefresh) {
        this(settings, defaultOrg, userAgent, crashPoints, batchedRefresh, Timeouts.DEFAULT);
    }

    private final dev.flyform.provider.fly.internal.Patience patience;

    /** Tells of every exchange with Fly there (FLYFORM_LOG), tokens and secret values never. */
    public void logTo(ApiLog log) {
        patience.logTo(log);
    }

    /** @param timeouts how long to wait for Fly, and where a long wait is reported */
    public FlyProvider(FlySettings settings, String defaultOrg, String userAgent, CrashPoints crashPoints,
                       boolean batchedRefresh, Timeouts timeouts) {
        dev.flyform.provider.fly.internal.Patience patience = new dev.flyform.provider.fly.internal.Patience(timeouts);
        this.patience = patience;
        MachinesApi api = new MachinesApi(settings.machinesBaseUrl(), settings.token().orElse(null), userAgent, crashPoints,
                patience);
        this.api = api;
        this.graphql = new GraphqlClient(settings.graphqlBaseUrl(), settings.token().orElse(null), userAgent, patience);
        this.batched = batchedRefresh ? new BatchedRefresh(graphql) : null;
        this.apps = new AppResource(api, defaultOrg, new AppVisibility(Duration.ofSeconds(30)));
        register(apps);
        this.regions = new dev.flyform.provider.fly.internal.Regions();
        register(new IpResource(api, graphql, regions));
        this.egress = new dev.flyform.provider.fly.internal.EgressIpResource(api, graphql, regions);
        register(egress);
        register(new CertificateResource(api));
        this.restarts = new SecretRestarts(api);
        register(new SecretResource(api, restarts));
        register(new VolumeResource(api, regions));
        register(new MachineResource(api, restarts, regions));
        Map<String, ResourceSchema> schemas = new TreeMap<>();
        types.forEach((k, v) -> schemas.put(k, v.schema()));
        this.schema = new ProviderSchema(schemas, dev.flyform.provider.fly.internal.DataSources.SCHEMAS)
                .withReaders(new dev.flyform.provider.fly.internal.FlyToml());
        this.data = new dev.flyform.provider.fly.internal.DataSources(api, graphql);
    }

    /** An app by name, an organization by slug, the regions: read while planning. */
    @Override
    public ReadResponse readData(dev.flyform.engine.addr.ResourceAddress address, Map<String, Object> config) {
        return data.read(address, config);
    }

    private void register(FlyResourceType type) {
        types.put(type.schema().type(), type);
    }

    @Override
    public ProviderSchema schema() {
        return schema;
    }

    @Override
    public ValidateResponse validate(ValidateRequest request) {
        FlyResourceType type = types.get(request.config().address().type());
        return type == null ? new ValidateResponse(List.of(unknown(request.config().address().type())))
                : type.validate(request);
    }

    @Override
    public ReadResponse read(ReadRequest request) {
        return type(request.prior().address().type()).read(request);
    }

    @Override
    public PlanResponse plan(PlanRequest request) {
        return type(request.address().type()).plan(request);
    }

    @Override
    public ApplyResponse apply(ApplyRequest request) {
        ApplyResponse response = type(request.address().type()).apply(request);
        if (!response.failed()) {
            String type = request.address().type();
            if (type.equals(IpResource.TYPE)) {
                ResourceState either = request.prior() != null ? request.prior() : response.newState();
                addressesMoved.add(String.valueOf(either == null ? request.planned().get("app") : either.attributes().get("app")));
            } else if (type.equals(CertificateResource.TYPE) && response.newState() != null) {
                certificatesMade.add(request.address());
            }
        }
        return response;
    }

    @Override
    public ImportResponse importResource(ImportRequest request) {
        FlyResourceType type = types.get(request.address().type());
        return type == null ? new ImportResponse(List.of(), List.of(unknown(request.address().type())))
                : type.importResource(request);
    }

    @Override
    public ReadManyResponse readMany(ReadManyRequest request) {
        // A batch pays only when it saves round trips: an object or two read over REST is as few
        // requests, and a REST read is lighter for Fly than a GraphQL query.
        if (batched == null || request.priors().size() <= batched.requestsFor(request.priors())) {
            return Provider.super.readMany(request);
        }
        ReadManyResponse fast = batched.read(request.priors());
        Map<dev.flyform.engine.addr.ResourceAddress, ReadResponse> results = new java.util.LinkedHashMap<>(fast.results());
        for (var prior : request.priors()) {
            if (!results.containsKey(prior.address())) {
                results.put(prior.address(), read(new ReadRequest(prior)));
            }
        }
        return new ReadManyResponse(results, fast.diagnostics());
    }

    /** Secrets and certificates are told apart by app and name: their names repeat across apps. */
    @Override
    public String identity(dev.flyform.engine.state.ResourceState state) {
        String type = state.address().type();
        return type.equals(SecretResource.TYPE) || type.equals(CertificateResource.TYPE)
                ? FlyResourceType.inApp(String.valueOf(state.attributes().get("app")), state.id()) : state.id();
    }

    /**
     * A certificate's DNS records name its app's addresses: certificates made in this apply, and
     * those of apps that gained or lost an address, are read again.
     */
    @Override
    public ReadManyResponse readAgainAfterApply(List<ResourceState> recorded) {
        Map<dev.flyform.engine.addr.ResourceAddress, ReadResponse> results = new java.util.LinkedHashMap<>();
        for (ResourceState r : recorded) {
            if (r.address().type().equals(CertificateResource.TYPE)
                    && (certificatesMade.contains(r.address()) || addressesMoved.contains(String.valueOf(r.attributes().get("app"))))) {
                results.put(r.address(), read(new ReadRequest(r)));
            }
        }
        certificatesMade.clear();
        addressesMoved.clear();
        return new ReadManyResponse(results, List.of());
    }

    /** Machines whose app's secrets changed during the apply are restarted now, once each. */
    @Override
    public List<Diagnostic> applyFinished() {
        return restarts.restartPending();
    }

    @Override
    public PrepareCreateResponse prepareCreate(PrepareCreateRequest request) {
        return type(request.address().type()).prepareCreate(request);
    }

    @Override
    public ReconcileResponse reconcile(ReconcileRequest request) {
        patience.log().note("reconciling " + request.address() + ": a create of it may have been made without an answer"
                + " (intent " + request.intentData().get("intent_id") + ")");
        ReconcileResponse response = type(request.address().type()).reconcile(request);
        patience.log().note("reconciled " + request.address() + ": " + response.outcome().name().toLowerCase(java.util.Locale.ROOT));
        return response;
    }

    @Override
    public LookupResponse lookup(LookupRequest request) {
        // The children of an app that does not exist yet cannot exist: no call needed. (Apps are
        // planned, and so looked up, before what they hold.)
        if (!request.address().type().equals(AppResource.TYPE) && request.planned().get("app") instanceof String app
                && apps.knownAbsent(app)) {
            return LookupResponse.none();
        }
        return type(request.address().type()).lookup(request);
    }

    /**
     * Everything an app holds, for {@code flyform import app}: the app, its IPs (the shared IPv4
     * too), certificates, secrets (names only: Fly never gives values), live volumes and machines.
     *
     * @throws IllegalArgumentException naming what is wrong when the app cannot be read
     */
    public java.util.List<Discovered> discoverApp(String name) {
        java.util.List<Discovered> found = new java.util.ArrayList<>();
        try {
            api.get("apps", name);
            found.add(new Discovered(AppResource.TYPE, name, name));
            api.get("apps", name, "ip_assignments").path("ips").forEach(ip -> found.add(
                    new Discovered(IpResource.TYPE, name + "/" + ip.path("ip").asText(), IpResource.typeOf(ip))));
            api.get("apps", name, "certificates").path("certificates").forEach(c -> found.add(
                    new Discovered(CertificateResource.TYPE, name + "/" + c.path("hostname").asText(), c.path("hostname").asText())));
            api.get("apps", name, "secrets").path("secrets").forEach(s -> found.add(
                    new Discovered(SecretResource.TYPE, name + "/" + s.path("name").asText(), s.path("name").asText())));
            api.get("apps", name, "volumes").forEach(v -> {
                if ("created".equals(v.path("state").asText())) {
                    found.add(new Discovered(VolumeResource.TYPE, name + "/" + v.path("id").asText(), v.path("name").asText()));
                }
            });
            api.get("apps", name, "machines").forEach(m -> {
                if (!"destroyed".equals(m.path("state").asText())) {
                    found.add(new Discovered(MachineResource.TYPE, name + "/" + m.path("id").asText(), m.path("name").asText()));
                }
            });
            egress.pairs(name).forEach(p -> found.add(new Discovered(dev.flyform.provider.fly.internal.EgressIpResource.TYPE,
                    name + "/" + p.id(), "egress_" + p.attributes().get("region"))));
            return found;
        } catch (dev.flyform.provider.fly.internal.FlyApiException e) {
            throw new IllegalArgumentException(e.httpStatus() == 404 ? "No app named \"" + name + "\" exists"
                    : e.httpStatus() == 403 ? "App \"" + name + "\" belongs to an organization your token cannot see"
                    : "Cannot read app \"" + name + "\": " + e.describe());
        } catch (dev.flyform.provider.fly.internal.FlyUnreachableException e) {
            throw new IllegalArgumentException("Cannot reach the Fly API: " + e.getMessage());
        }
    }

    /** The names of an organization's apps, for {@code flyform import org}. */
    public java.util.List<String> appsOf(String orgSlug) {
        try {
            java.util.List<String> names = new java.util.ArrayList<>();
            api.get(Map.of("org_slug", orgSlug), "apps").path("apps").forEach(a -> names.add(a.path("name").asText()));
            java.util.Collections.sort(names);
            return names;
        } catch (dev.flyform.provider.fly.internal.FlyApiException e) {
            throw new IllegalArgumentException("Cannot list the apps of organization \"" + orgSlug + "\": " + e.describe());
        } catch (dev.flyform.provider.fly.internal.FlyUnreachableException e) {
            throw new IllegalArgumentException("Cannot reach the Fly API: " + e.getMessage());
        }
    }

    /** When an app was created, as Fly's GraphQL API says ({@code App.createdAt}); for {@code sweep}'s -older-than. */
    public java.time.Instant appCreatedAt(String name) {
        try {
            com.fasterxml.jackson.databind.JsonNode app = graphql.query("query AppCreated($name: String!) { app(name: $name) { createdAt } }", Map.of("name", name))
                    .path("data").path("app");
            return java.time.Instant.parse(app.path("createdAt").asText());
        } catch (dev.flyform.provider.fly.internal.FlyApiException e) {
            throw new IllegalArgumentException("Cannot read app " + name + ": " + e.describe());
        } catch (dev.flyform.provider.fly.internal.FlyUnreachableException e) {
            throw new IllegalArgumentException("Cannot reach the Fly API: " + e.getMessage());
        } catch (java.time.format.DateTimeParseException e) {
            throw new IllegalArgumentException("Fly gave no creation time for app " + name);
        }
    }

    /**
     * Deletes app {@code name} and everything in it, waiting until Fly has it gone (for
     * {@code sweep}: an app no state holds).
     */
    public void deleteApp(String name) {
        dev.flyform.engine.addr.ResourceAddress address = new dev.flyform.engine.addr.ResourceAddress(AppResource.TYPE, "swept");
        dev.flyform.engine.provider.ImportResponse found = importResource(new dev.flyform.engine.provider.ImportRequest(address, name));
        if (found.imported().isEmpty()) {
            return;   // gone already
        }
        dev.flyform.engine.provider.ApplyResponse done = apply(new dev.flyform.engine.provider.ApplyRequest(address,
                found.imported().get(0), null, Map.of(), what -> { }));
        if (done.failed()) {
            throw new IllegalArgumentException(done.diagnostics().get(0).summary() + ": " + done.diagnostics().get(0).detail());
        }
    }

    /** Regions fetched from Fly earlier ({@code flyform regions}), accepted beside the ones flyform keeps. */
    public void addRegions(java.util.Set<String> fetched) {
        regions.add(fetched);
    }

    /** Fly's regions now, for {@code flyform regions}. */
    public java.util.Set<String> fetchRegions() {
        try {
            return dev.flyform.provider.fly.internal.Regions.fetch(graphql);
        } catch (dev.flyform.provider.fly.internal.FlyApiException e) {
            throw new IllegalArgumentException("Cannot list Fly's regions: " + e.describe());
        } catch (dev.flyform.provider.fly.internal.FlyUnreachableException e) {
            throw new IllegalArgumentException("Cannot reach the Fly API: " + e.getMessage());
        }
    }

    /** API calls retried after transient failures since this provider was made. */
    public long transportRetries() {
        return api.retries() + graphql.retries();
    }

    private FlyResourceType type(String name) {
        FlyResourceType type = types.get(name);
        if (type == null) {
            throw new IllegalArgumentException("the Fly provider has no resource type " + name);
        }
        return type;
    }

    private static Diagnostic unknown(String type) {
        return Diagnostic.error("Unknown resource type " + type, "");
    }
}
