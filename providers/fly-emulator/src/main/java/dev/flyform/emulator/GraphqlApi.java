package dev.flyform.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import graphql.ExecutionInput;
import graphql.ExecutionResult;
import graphql.GraphQL;
import graphql.GraphQLContext;
import graphql.GraphqlErrorBuilder;
import graphql.execution.CoercedVariables;
import graphql.execution.DataFetcherExceptionHandler;
import graphql.execution.DataFetcherExceptionHandlerResult;
import graphql.language.ArrayValue;
import graphql.language.BooleanValue;
import graphql.language.Document;
import graphql.language.FloatValue;
import graphql.language.IntValue;
import graphql.language.ObjectValue;
import graphql.language.OperationDefinition;
import graphql.language.ScalarTypeDefinition;
import graphql.language.StringValue;
import graphql.language.Value;
import graphql.parser.Parser;
import graphql.schema.Coercing;
import graphql.schema.DataFetcher;
import graphql.schema.DataFetchingEnvironment;
import graphql.schema.GraphQLScalarType;
import graphql.schema.GraphQLSchema;
import graphql.schema.TypeResolver;
import graphql.schema.idl.FieldWiringEnvironment;
import graphql.schema.idl.InterfaceWiringEnvironment;
import graphql.schema.idl.RuntimeWiring;
import graphql.schema.idl.SchemaGenerator;
import graphql.schema.idl.SchemaParser;
import graphql.schema.idl.TypeDefinitionRegistry;
import graphql.schema.idl.UnionWiringEnvironment;
import graphql.schema.idl.WiringFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * {@code POST /graphql} against Fly's own schema ({@code fly-schema.graphql}, a byte-for-byte
 * copy of flyctl's), sharing one store with REST. A document Fly would reject (unknown field,
 * wrong argument) is rejected here by the same validation.
 */
final class GraphqlApi {

    /** Parsing Fly's 190 KB schema takes a while: once per JVM. */
    private static final class Schema {
        static final TypeDefinitionRegistry TYPES = parse();

        private static TypeDefinitionRegistry parse() {
            try (InputStream in = GraphqlApi.class.getResourceAsStream("fly-schema.graphql")) {
                if (in == null) {
                    throw new IllegalStateException("fly-schema.graphql is missing from the emulator's jar");
                }
                return new SchemaParser().parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** What the call log records of a GraphQL request. */
    record Operation(String name, boolean mutation) {
    }

    private final World world;
    private final IpAssignmentsApi ips;
    private final CertificatesApi certificates;
    private final SecretsApi secrets;
    private final GraphQL graphql;

    GraphqlApi(World world, IpAssignmentsApi ips, CertificatesApi certificates, SecretsApi secrets) {
        this.world = world;
        this.ips = ips;
        this.certificates = certificates;
        this.secrets = secrets;
        this.graphql = GraphQL.newGraphQL(schema()).defaultDataFetcherExceptionHandler(errors()).build();
    }

    /** The operation a request body names, for the call log; unparsable documents count as queries. */
    static Operation describe(JsonNode body) {
        String query = Json.text(body, "query");
        String wanted = Json.text(body, "operationName");
        if (query == null) {
            return new Operation(null, false);
        }
        try {
            Document doc = Parser.parse(query);
            for (OperationDefinition op : doc.getDefinitionsOfType(OperationDefinition.class)) {
                if (wanted == null || wanted.equals(op.getName())) {
                    return new Operation(op.getName(), op.getOperation() == OperationDefinition.Operation.MUTATION);
                }
            }
        } catch (RuntimeException invalid) {
            // Answered with GraphQL's own parse error below.
        }
        return new Operation(wanted, false);
    }

    Reply handle(Request r) {
        String query = Json.text(r.body(), "query");
        if (query == null) {
            throw new ApiError(400, "query is required");
        }
        Map<String, Object> variables = new LinkedHashMap<>();
        JsonNode vars = r.body().get("variables");
        if (vars != null && vars.isObject()) {
            variables = Json.MAPPER.convertValue(vars, Map.class);
        }
        ExecutionResult result = graphql.execute(ExecutionInput.newExecutionInput()
                .query(query)
                .operationName(Json.text(r.body(), "operationName"))
                .variables(variables)
                .graphQLContext(Map.of("caller", r.caller())));
        return Reply.ok(result.toSpecification());
    }

    // ---- schema wiring ----------------------------------------------------------------------

    private GraphQLSchema schema() {
        RuntimeWiring.Builder wiring = RuntimeWiring.newRuntimeWiring().wiringFactory(new MapWiring());
        for (ScalarTypeDefinition scalar : Schema.TYPES.scalars().values()) {
            if (!List.of("String", "Int", "Float", "Boolean", "ID").contains(scalar.getName())) {
                wiring.scalar(passThrough(scalar.getName()));
            }
        }
        wiring.type("Queries", t -> t
                .dataFetcher("organization", this::organization)
                .dataFetcher("platform", env -> Map.of("requestRegion", "iad", "regions", world.regions().stream()
                        .map(code -> Map.of("code", code, "name", code.toUpperCase(Locale.ROOT), "deprecated", false,
                                "gatewayAvailable", true, "requiresPaidPlan", false)).toList()))
                .dataFetcher("app", env -> appMap(caller(env), env.getArgument("name"))));
        wiring.type("App", t -> t
                .dataFetcher("machines", env -> {
                    Map<String, Object> app = env.getSource();
                    if (world.faults().partialGraphql((String) app.get("name"))) {
                        // machines is non-null in Fly's schema: the failure nulls the whole app,
                        // with an error whose path points into it, as Fly answers.
                        throw new ApiError(500, "failed to list machines: upstream request timed out");
                    }
                    return app.get("machines");
                })
                .dataFetcher("certificate", env -> {
                    Map<String, Object> app = env.getSource();
                    Map<String, ObjectNode> certs = world.inventory.certificatesOf((String) app.get("name"));
                    ObjectNode c = certs.get((String) env.getArgument("hostname"));
                    return c == null ? null : certificateMap(certificates.current((String) app.get("name"), c));
                })
                .dataFetcher("ipAddress", env -> {
                    Map<String, Object> app = env.getSource();
                    if (world.faults().partialGraphql((String) app.get("name"))) {
                        throw new ApiError(500, "failed to read the address: upstream request timed out");
                    }
                    return world.inventory.ipsOf((String) app.get("name")).stream()
                            .filter(ip -> ip.ip().equals(env.getArgument("address")) && !ip.shared())
                            .findFirst().map(this::ipMap).orElse(null);
                }));
        wiring.type("Mutations", t -> t
                .dataFetcher("allocateIpAddress", this::allocateIpAddress)
                .dataFetcher("releaseIpAddress", this::releaseIpAddress)
                .dataFetcher("allocateEgressIpAddress", this::allocateEgressIpAddress)
                .dataFetcher("releaseEgressIpAddress", this::releaseEgressIpAddress)
                .dataFetcher("addCertificate", this::addCertificate)
                .dataFetcher("deleteCertificate", this::deleteCertificate)
                .dataFetcher("setSecrets", this::setSecrets)
                .dataFetcher("unsetSecrets", this::unsetSecrets));
        return new SchemaGenerator().makeExecutableSchema(Schema.TYPES, wiring.build());
    }

    private static Organization caller(DataFetchingEnvironment env) {
        GraphQLContext context = env.getGraphQlContext();
        return context.get("caller");
    }

    private Object organization(DataFetchingEnvironment env) {
        String slug = env.getArgument("slug");
        Organization caller = caller(env);
        if (slug == null || !slug.equals(caller.slug())) {
            return null;   // unknown, or not visible to this token
        }
        Map<String, Object> org = new LinkedHashMap<>();
        org.put("id", "org_" + caller.slug());
        org.put("internalNumericId", String.valueOf(caller.internalNumericId()));
        org.put("slug", caller.slug());
        org.put("rawSlug", caller.slug());
        org.put("name", caller.name());
        org.put("type", caller.slug().equals("personal") ? "PERSONAL" : "SHARED");
        org.put("billable", false);
        return org;
    }

    private Map<String, Object> appMap(Organization caller, String name) {
        if (name == null) {
            throw new ApiError(404, "Could not find App");
        }
        EmulatedApp app = world.visibleApp(caller, name);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", app.name());
        m.put("internalNumericId", String.valueOf(app.internalNumericId()));
        m.put("name", app.name());
        m.put("createdAt", java.time.Instant.ofEpochMilli(app.createdAt()).toString());
        m.put("status", app.status());
        m.put("state", app.status().toUpperCase(Locale.ROOT));
        m.put("deployed", !world.inventory.machinesOf(app.name()).isEmpty());
        m.put("network", app.network());
        m.put("hostname", app.name() + ".fly.dev");
        m.put("appUrl", "https://" + app.name() + ".fly.dev");
        m.put("organization", Map.of("id", "org_" + app.orgSlug(), "slug", app.orgSlug(),
                "name", world.organization(app.orgSlug()).name()));
        List<IpAssignment> all = world.inventory.ipsOf(app.name());
        // The shared IPv4 is not an IPAddress node: only the scalar sharedIpAddress shows it.
        m.put("ipAddresses", connection(all.stream().filter(ip -> !ip.shared()).map(this::ipMap).toList()));
        m.put("sharedIpAddress", all.stream().filter(IpAssignment::shared).map(IpAssignment::ip).findFirst().orElse(null));
        m.put("egressIpAddresses", connection(world.inventory.egressIps.getOrDefault(app.name(), List.of()).stream().map(e -> {
            Map<String, Object> em = new LinkedHashMap<>();
            em.put("id", e.get("id").asText());
            em.put("ip", e.get("ip").asText());
            em.put("region", e.get("region").asText());
            em.put("version", e.get("version").asInt());
            em.put("updatedAt", e.get("updatedAt").asText());
            return em;
        }).toList()));
        m.put("certificates", connection(world.inventory.certificatesOf(app.name()).values().stream()
                .map(c -> certificateMap(certificates.current(app.name(), c))).toList()));
        m.put("volumes", connection(world.inventory.volumesOf(app.name()).values().stream().map(v -> {
            Map<String, Object> vm = new LinkedHashMap<>();
            vm.put("id", v.get("id").asText());
            vm.put("name", v.get("name").asText());
            vm.put("region", v.get("region").asText());
            vm.put("sizeGb", v.get("size_gb").asInt());
            vm.put("encrypted", v.get("encrypted").asBoolean());
            vm.put("snapshotRetentionDays", v.get("snapshot_retention").asInt());
            vm.put("state", v.get("state").asText());
            vm.put("status", v.get("state").asText());
            vm.put("createdAt", v.get("created_at").asText());
            return vm;
        }).toList()));
        m.put("machines", connection(world.inventory.machinesOf(app.name()).values().stream()
                .filter(mc -> !"destroyed".equals(mc.get("state").asText())).map(mc -> {
            Map<String, Object> mm = new LinkedHashMap<>();
            mm.put("id", mc.get("id").asText());
            mm.put("name", mc.get("name").asText());
            mm.put("region", mc.get("region").asText());
            mm.put("state", mc.get("state").asText());
            mm.put("instanceId", mc.get("instance_id").asText());
            mm.put("config", Json.MAPPER.convertValue(mc.get("config"), Map.class));
            mm.put("createdAt", mc.get("created_at").asText());
            mm.put("updatedAt", mc.get("updated_at").asText());
            return mm;
        }).toList()));
        m.put("secrets", world.listed(world.inventory.secretsOf(app.name()).values()).stream().map(s -> Map.of(
                "id", s.get("name").asText(), "name", s.get("name").asText(), "digest", s.get("digest").asText(),
                "createdAt", s.get("created_at").asText())).toList());
        return m;
    }

    private Map<String, Object> ipMap(IpAssignment ip) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", ip.id());
        m.put("address", ip.ip());
        m.put("type", ip.type());
        m.put("region", ip.region());
        m.put("createdAt", ip.createdAt());
        m.put("serviceName", ip.serviceName());
        m.put("network", ip.network().isEmpty() ? null : Map.of("name", ip.network()));
        return m;
    }

    private Map<String, Object> certificateMap(ObjectNode c) {
        String hostname = c.get("hostname").asText();
        JsonNode challenge = c.path("dns_requirements").path("acme_challenge");
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", "cert_" + hostname);
        m.put("hostname", hostname);
        boolean issued = c.path("status").asText().equals("active");
        m.put("clientStatus", issued ? "Ready" : "Awaiting configuration");
        m.put("configured", issued);
        m.put("isConfigured", issued);
        m.put("acmeDnsConfigured", issued);
        m.put("isAcmeDnsConfigured", issued);
        m.put("acmeAlpnConfigured", false);
        m.put("isAcmeAlpnConfigured", false);
        m.put("isAcmeHttpConfigured", false);
        m.put("dnsValidationHostname", challenge.path("name").asText());
        m.put("dnsValidationTarget", challenge.path("target").asText());
        m.put("dnsValidationInstructions", "CNAME " + challenge.path("name").asText() + " to " + challenge.path("target").asText());
        m.put("dnsProvider", c.path("dns_provider").asText());
        m.put("certificateAuthority", "lets_encrypt");
        m.put("source", c.path("has_custom_certificate").asBoolean() ? "custom" : "fly");
        m.put("isApex", hostname.chars().filter(ch -> ch == '.').count() == 1);
        m.put("isWildcard", hostname.startsWith("*."));
        m.put("createdAt", c.get("created_at").asText());
        m.put("check", false);
        m.put("issued", connection(List.of()));
        m.put("validationErrors", List.of());
        return m;
    }

    /** A connection as Fly's store may answer it: with list omissions on, some nodes are left out. */
    private Map<String, Object> connection(List<Map<String, Object>> all) {
        List<Map<String, Object>> nodes = world.listed(all);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("nodes", nodes);
        List<Map<String, Object>> edges = new ArrayList<>();
        for (int i = 0; i < nodes.size(); i++) {
            edges.add(Map.of("cursor", String.valueOf(i), "node", nodes.get(i)));
        }
        m.put("edges", edges);
        m.put("totalCount", nodes.size());
        Map<String, Object> page = new LinkedHashMap<>();
        page.put("hasNextPage", false);
        page.put("hasPreviousPage", false);
        page.put("startCursor", nodes.isEmpty() ? null : "0");
        page.put("endCursor", nodes.isEmpty() ? null : String.valueOf(nodes.size() - 1));
        m.put("pageInfo", page);
        return m;
    }

    // ---- mutations ---------------------------------------------------------------------------

    private Object allocateIpAddress(DataFetchingEnvironment env) {
        Map<String, Object> input = env.getArgument("input");
        String appName = (String) input.get("appId");
        world.visibleApp(caller(env), appName);
        IpAssignment ip = ips.allocate(appName, (String) input.get("type"), (String) input.get("region"),
                (String) input.get("network"), (String) input.get("serviceName"));
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("ipAddress", ip.shared() ? null : ipMap(ip));
        payload.put("app", appMap(caller(env), appName));
        payload.put("clientMutationId", input.get("clientMutationId"));
        return payload;
    }

    /**
     * An app-scoped egress address pair (v4 and v6) in a region: a new pair each time, as an IP
     * allocation is. Released by either of its addresses, the pair goes together (an emulator choice).
     */
    private Object allocateEgressIpAddress(DataFetchingEnvironment env) {
        Map<String, Object> input = env.getArgument("input");
        String appName = (String) input.get("appId");
        world.visibleApp(caller(env), appName);
        String region = (String) input.get("region");
        if (region == null || !world.regions().contains(region)) {
            throw new ApiError(422, "region is required and must be one of Fly's regions");
        }
        long n = world.inventory.nextObjectId++;
        String v4 = "137.66." + ((n >> 8) & 255) + "." + (n & 255);
        String v6 = "2a09:8280:e::" + Long.toHexString(n);
        String pair = "egress_" + n;
        List<ObjectNode> all = world.inventory.egressIps.computeIfAbsent(appName, k -> new java.util.ArrayList<>());
        for (String[] a : new String[][] {{v4, "4"}, {v6, "6"}}) {
            ObjectNode e = Json.object();
            e.put("id", pair + "_v" + a[1]);
            e.put("ip", a[0]);
            e.put("region", region);
            e.put("version", Integer.parseInt(a[1]));
            e.put("pair", pair);
            e.put("updatedAt", Json.now());
            all.add(e);
        }
        world.changed();
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("v4", v4);
        payload.put("v6", v6);
        payload.put("clientMutationId", input.get("clientMutationId"));
        return payload;
    }

    private Object releaseEgressIpAddress(DataFetchingEnvironment env) {
        Map<String, Object> input = env.getArgument("input");
        String appName = (String) input.get("appId");
        world.visibleApp(caller(env), appName);
        List<ObjectNode> all = world.inventory.egressIps.getOrDefault(appName, new java.util.ArrayList<>());
        String pair = all.stream().filter(e -> e.get("ip").asText().equals(input.get("ip"))).map(e -> e.get("pair").asText())
                .findFirst().orElseThrow(() -> new ApiError(404, "egress IP address not found"));
        Map<String, Object> payload = new LinkedHashMap<>();
        all.stream().filter(e -> e.get("pair").asText().equals(pair))
                .forEach(e -> payload.put(e.get("version").asInt() == 4 ? "v4" : "v6", e.get("ip").asText()));
        all.removeIf(e -> e.get("pair").asText().equals(pair));
        world.changed();
        payload.put("clientMutationId", input.get("clientMutationId"));
        return payload;
    }

    private Object releaseIpAddress(DataFetchingEnvironment env) {
        Map<String, Object> input = env.getArgument("input");
        String appName = (String) input.get("appId");
        world.visibleApp(caller(env), appName);
        String address = (String) input.get("ip");
        if (address == null && input.get("ipAddressId") != null) {
            address = world.inventory.ipsOf(appName).stream().filter(i -> i.id().equals(input.get("ipAddressId")))
                    .map(IpAssignment::ip).findFirst().orElseThrow(() -> new ApiError(404, "IP address not found"));
        }
        if (address == null) {
            throw new ApiError(400, "give ip or ipAddressId");
        }
        ips.release(appName, address);
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("app", appMap(caller(env), appName));
        payload.put("clientMutationId", input.get("clientMutationId"));
        return payload;
    }

    private Object addCertificate(DataFetchingEnvironment env) {
        String appName = env.getArgument("appId");
        EmulatedApp app = world.visibleApp(caller(env), appName);
        ObjectNode cert = certificates.add(app, env.getArgument("hostname"), false);
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("certificate", certificateMap(cert));
        payload.put("app", appMap(caller(env), appName));
        payload.put("check", Map.of("aRecords", List.of(), "aaaaRecords", List.of(), "cnameRecords", List.of(),
                "resolvedAddresses", List.of(), "soa", "", "dnsProvider", "", "dnsVerificationRecord", ""));
        payload.put("errors", List.of());
        return payload;
    }

    private Object deleteCertificate(DataFetchingEnvironment env) {
        String appName = env.getArgument("appId");
        world.visibleApp(caller(env), appName);
        String hostname = env.getArgument("hostname");
        ObjectNode cert = world.inventory.certificatesOf(appName).get(hostname);
        if (cert == null) {
            throw new ApiError(404, "Could not find Certificate");
        }
        Map<String, Object> before = certificateMap(cert);
        certificates.remove(appName, hostname);
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("certificate", before);
        payload.put("app", appMap(caller(env), appName));
        payload.put("errors", List.of());
        return payload;
    }

    private Object setSecrets(DataFetchingEnvironment env) {
        Map<String, Object> input = env.getArgument("input");
        String appName = (String) input.get("appId");
        world.visibleApp(caller(env), appName);
        Map<String, String> values = new LinkedHashMap<>();
        for (Object o : (List<?>) input.get("secrets")) {
            Map<?, ?> s = (Map<?, ?>) o;
            values.put((String) s.get("key"), (String) s.get("value"));
        }
        if (Boolean.TRUE.equals(input.get("replaceAll"))) {
            List<String> others = world.inventory.secretsOf(appName).keySet().stream()
                    .filter(k -> !values.containsKey(k)).toList();
            others.forEach(world.inventory.secretsOf(appName)::remove);
        }
        secrets.set(appName, values);
        return releasePayload(env, appName, input);
    }

    private Object unsetSecrets(DataFetchingEnvironment env) {
        Map<String, Object> input = env.getArgument("input");
        String appName = (String) input.get("appId");
        world.visibleApp(caller(env), appName);
        @SuppressWarnings("unchecked")
        List<String> keys = (List<String>) input.get("keys");
        secrets.unset(appName, keys);
        return releasePayload(env, appName, input);
    }

    private Map<String, Object> releasePayload(DataFetchingEnvironment env, String appName, Map<String, Object> input) {
        long version = secrets.version(appName);
        Map<String, Object> release = new LinkedHashMap<>();
        release.put("id", "rel_" + appName + "_" + version);
        release.put("version", (int) version);
        release.put("createdAt", Json.now());
        release.put("updatedAt", Json.now());
        release.put("description", "Secrets updated");
        release.put("reason", "secrets");
        release.put("status", "complete");
        release.put("stable", true);
        release.put("inProgress", false);
        release.put("deploymentStrategy", "IMMEDIATE");
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("release", release);
        payload.put("app", appMap(caller(env), appName));
        payload.put("clientMutationId", input.get("clientMutationId"));
        return payload;
    }

    // ---- plumbing ----------------------------------------------------------------------------

    /** Fly's API errors become GraphQL errors with Fly's message (flyctl matches "Could not find App"). */
    private static DataFetcherExceptionHandler errors() {
        return params -> {
            Throwable e = params.getException();
            String message = e instanceof ApiError ? e.getMessage() : "internal error: " + e;
            Map<String, Object> extensions = new LinkedHashMap<>();
            if (e instanceof ApiError api) {
                extensions.put("code", api.code != null ? api.code : String.valueOf(api.httpStatus));
            }
            return CompletableFuture.completedFuture(DataFetcherExceptionHandlerResult.newResult()
                    .error(GraphqlErrorBuilder.newError(params.getDataFetchingEnvironment())
                            .message(message).extensions(extensions).build())
                    .build());
        };
    }

    /** Objects are maps keyed by field name; interfaces and unions resolve by {@code __typename}. */
    private static final class MapWiring implements WiringFactory {
        private static final TypeResolver BY_TYPENAME = env -> {
            Object source = env.getObject();
            String name = source instanceof Map<?, ?> m ? (String) m.get("__typename") : null;
            return name == null ? null : env.getSchema().getObjectType(name);
        };

        @Override
        public boolean providesTypeResolver(InterfaceWiringEnvironment environment) {
            return true;
        }

        @Override
        public TypeResolver getTypeResolver(InterfaceWiringEnvironment environment) {
            return BY_TYPENAME;
        }

        @Override
        public boolean providesTypeResolver(UnionWiringEnvironment environment) {
            return true;
        }

        @Override
        public TypeResolver getTypeResolver(UnionWiringEnvironment environment) {
            return BY_TYPENAME;
        }

        @Override
        public DataFetcher<?> getDefaultDataFetcher(FieldWiringEnvironment environment) {
            String field = environment.getFieldDefinition().getName();
            return env -> env.getSource() instanceof Map<?, ?> m ? m.get(field) : null;
        }
    }

    /** Fly's custom scalars (BigInt, ISO8601DateTime, JSON, CaveatSet) carried as they come. */
    private static GraphQLScalarType passThrough(String name) {
        return GraphQLScalarType.newScalar().name(name).coercing(new Coercing<Object, Object>() {
            @Override
            public Object serialize(Object value, GraphQLContext context, Locale locale) {
                return value;
            }

            @Override
            public Object parseValue(Object input, GraphQLContext context, Locale locale) {
                return input;
            }

            @Override
            public Object parseLiteral(Value<?> literal, CoercedVariables variables, GraphQLContext context, Locale locale) {
                return literalValue(literal);
            }
        }).build();
    }

    private static Object literalValue(Value<?> v) {
        if (v instanceof StringValue s) {
            return s.getValue();
        }
        if (v instanceof IntValue i) {
            return i.getValue();
        }
        if (v instanceof FloatValue f) {
            return f.getValue();
        }
        if (v instanceof BooleanValue b) {
            return b.isValue();
        }
        if (v instanceof ArrayValue a) {
            return a.getValues().stream().map(GraphqlApi::literalValue).toList();
        }
        if (v instanceof ObjectValue o) {
            Map<String, Object> m = new LinkedHashMap<>();
            o.getObjectFields().forEach(f -> m.put(f.getName(), literalValue(f.getValue())));
            return m;
        }
        return null;
    }
}
