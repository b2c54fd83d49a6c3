package dev.flyform.provider.fly.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flyform.engine.addr.ResourceAddress;
import dev.flyform.engine.diag.Diagnostic;
import dev.flyform.engine.provider.AttributeSchema;
import dev.flyform.engine.provider.AttributeType;
import dev.flyform.engine.provider.ReadResponse;
import dev.flyform.engine.provider.ResourceSchema;
import dev.flyform.engine.state.ResourceState;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Fly's data sources: read-only lookups of what flyform does not manage, read while planning —
 * an app by name (with its addresses and certificates), an organization by slug, the regions.
 */
public final class DataSources {

    public static final String APP = "fly_app";
    public static final String ORGANIZATION = "fly_organization";
    public static final String REGIONS = "fly_regions";

    private static final String ORGANIZATION_QUERY =
            "query Organization($slug: String!) { organization(slug: $slug) { id slug name type } }";

    public static final Map<String, ResourceSchema> SCHEMAS = Map.of(
            APP, ResourceSchema.of(APP, List.of(
                    AttributeSchema.required("name", AttributeType.STRING, "The app's name."),
                    AttributeSchema.readOnly("id", AttributeType.STRING, "Fly's id for the app."),
                    AttributeSchema.readOnly("org", AttributeType.STRING, "Slug of the organization that owns it."),
                    AttributeSchema.readOnly("network", AttributeType.STRING, "Its private network."),
                    AttributeSchema.readOnly("ip_addresses", AttributeType.LIST,
                            "Its addresses, each {address, type, region}; the shared IPv4 too."),
                    AttributeSchema.readOnly("ipv6", AttributeType.LIST, "Its public IPv6 addresses."),
                    AttributeSchema.readOnly("ipv4", AttributeType.LIST, "Its public IPv4 addresses, dedicated or shared."),
                    AttributeSchema.readOnly("certificates", AttributeType.LIST, "The hostnames it has certificates for.")))
                    .referencedAs("name"),
            ORGANIZATION, ResourceSchema.of(ORGANIZATION, List.of(
                    AttributeSchema.required("slug", AttributeType.STRING, "The organization's slug."),
                    AttributeSchema.readOnly("id", AttributeType.STRING, "Fly's id for it."),
                    AttributeSchema.readOnly("name", AttributeType.STRING, "Its name."),
                    AttributeSchema.readOnly("type", AttributeType.STRING, "PERSONAL or SHARED.")))
                    .referencedAs("slug"),
            REGIONS, ResourceSchema.of(REGIONS, List.of(
                    AttributeSchema.readOnly("codes", AttributeType.LIST, "Fly's current region codes, deprecated ones left out.")))
                    .referencedAs("codes"));

    private final MachinesApi api;
    private final GraphqlClient graphql;

    public DataSources(MachinesApi api, GraphqlClient graphql) {
        this.api = api;
        this.graphql = graphql;
    }

    public ReadResponse read(ResourceAddress address, Map<String, Object> config) {
        try {
            return switch (address.baseType()) {
                case APP -> app(address, Attrs.string(config, "name"));
                case ORGANIZATION -> organization(address, Attrs.string(config, "slug"));
                case REGIONS -> {
                    Map<String, Object> attrs = new LinkedHashMap<>();
                    attrs.put("codes", new ArrayList<>(Regions.fetch(graphql)));
                    yield ReadResponse.of(new ResourceState(address, "regions", attrs));
                }
                default -> new ReadResponse(null, List.of(Diagnostic.error("Unknown data source " + address.baseType(),
                        "Fly's data sources: " + String.join(", ", new TreeMap<>(SCHEMAS).keySet()) + ".").forResource(address)));
            };
        } catch (FlyApiException e) {
            return new ReadResponse(null, List.of(Failures.refused("read", address, e)));
        } catch (FlyUnreachableException e) {
            return new ReadResponse(null, List.of(Failures.unreachable(e)));
        }
    }

    private ReadResponse app(ResourceAddress address, String name) {
        JsonNode app;
        try {
            app = api.get("apps", name);
        } catch (FlyApiException e) {
            if (Failures.notFound(e)) {
                return new ReadResponse(null, List.of(Diagnostic.error("No app named \"" + name + "\"",
                        "Your token's organizations hold no such app: check the name.").forResource(address).forAttribute("name")));
            }
            throw e;
        }
        List<Object> ips = new ArrayList<>();
        List<Object> v4 = new ArrayList<>();
        List<Object> v6 = new ArrayList<>();
        for (JsonNode ip : api.get("apps", name, "ip_assignments").path("ips")) {
            String type = IpResource.typeOf(ip);
            Map<String, Object> one = new LinkedHashMap<>();
            one.put("address", ip.path("ip").asText());
            one.put("type", type);
            one.put("region", ip.path("region").asText("global").isEmpty() ? "global" : ip.path("region").asText("global"));
            ips.add(one);
            if (type.equals("v6")) {
                v6.add(ip.path("ip").asText());
            } else if (type.equals("v4") || type.equals("shared_v4")) {
                v4.add(ip.path("ip").asText());
            }
        }
        List<Object> hostnames = new ArrayList<>();
        api.get("apps", name, "certificates").path("certificates").forEach(c -> hostnames.add(c.path("hostname").asText()));
        Map<String, Object> attrs = new LinkedHashMap<>();
        attrs.put("name", app.path("name").asText());
        attrs.put("id", app.path("id").asText());
        attrs.put("org", app.path("organization").path("slug").asText());
        attrs.put("network", app.path("network").asText("default"));
        attrs.put("ip_addresses", ips);
        attrs.put("ipv6", v6);
        attrs.put("ipv4", v4);
        attrs.put("certificates", hostnames);
        return ReadResponse.of(new ResourceState(address, app.path("name").asText(), attrs));
    }

    private ReadResponse organization(ResourceAddress address, String slug) {
        JsonNode org = graphql.query(ORGANIZATION_QUERY, Map.of("slug", slug)).path("data").path("organization");
        if (!org.isObject()) {
            return new ReadResponse(null, List.of(Diagnostic.error("No organization \"" + slug + "\"",
                    "Your token sees no organization of that slug.").forResource(address).forAttribute("slug")));
        }
        Map<String, Object> attrs = new LinkedHashMap<>();
        attrs.put("slug", org.path("slug").asText());
        attrs.put("id", org.path("id").asText());
        attrs.put("name", org.path("name").asText());
        attrs.put("type", org.path("type").asText());
        return ReadResponse.of(new ResourceState(address, org.path("slug").asText(), attrs));
    }
}
