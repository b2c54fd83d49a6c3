package dev.flyform.provider.fly.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flyform.engine.addr.ResourceAddress;
import dev.flyform.engine.diag.Diagnostic;
import dev.flyform.engine.provider.ReadManyResponse;
import dev.flyform.engine.provider.ReadResponse;
import dev.flyform.engine.state.ResourceState;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Refresh in a few round trips: everything of up to {@value #APPS_PER_REQUEST} apps (IPs,
 * secrets, volumes, machines with their config) in one GraphQL request, one
 * alias per app, instead of one REST read per resource. Values GraphQL does not carry (a
 * volume's backup setting) keep their last known value; certificates, whose status and DNS
 * requirements GraphQL does not carry whole, are read over REST.
 *
 * <p>The batch only ever finds objects. An object it does not show (its app answered null beside
 * an error, or a list left it out) is left to a direct REST read: only a 404 there means gone.
 */
public final class BatchedRefresh {

    static final int APPS_PER_REQUEST = 25;

    private static final String APP_FIELDS = """
            name network organization { slug } sharedIpAddress
            ipAddresses(first: 500) { nodes { address type region serviceName } }
            secrets { name digest }
            volumes(first: 500) { nodes { id name region sizeGb encrypted snapshotRetentionDays state } }
            machines(first: 500) { nodes { id name region state config } }""";

    private final GraphqlClient graphql;

    public BatchedRefresh(GraphqlClient graphql) {
        this.graphql = graphql;
    }

    /** GraphQL requests {@link #read} makes for {@code priors}. */
    public int requestsFor(List<ResourceState> priors) {
        int apps = byApp(priors).size();
        return (apps + APPS_PER_REQUEST - 1) / APPS_PER_REQUEST;
    }

    private static Map<String, List<ResourceState>> byApp(List<ResourceState> priors) {
        Map<String, List<ResourceState>> byApp = new TreeMap<>();
        for (ResourceState p : priors) {
            String app = p.address().type().equals(AppResource.TYPE) ? Attrs.string(p.attributes(), "name")
                    : Attrs.string(p.attributes(), "app");
            byApp.computeIfAbsent(app, k -> new ArrayList<>()).add(p);
        }
        return byApp;
    }

    public ReadManyResponse read(List<ResourceState> priors) {
        Map<String, List<ResourceState>> byApp = byApp(priors);
        Map<ResourceAddress, ReadResponse> results = new LinkedHashMap<>();
        List<Diagnostic> diags = new ArrayList<>();
        List<String> apps = new ArrayList<>(byApp.keySet());
        for (int from = 0; from < apps.size(); from += APPS_PER_REQUEST) {
            List<String> chunk = apps.subList(from, Math.min(apps.size(), from + APPS_PER_REQUEST));
            StringBuilder doc = new StringBuilder("query Refresh(");
            Map<String, Object> vars = new LinkedHashMap<>();
            for (int i = 0; i < chunk.size(); i++) {
                doc.append(i == 0 ? "" : ", ").append("$n").append(i).append(": String");
                vars.put("n" + i, chunk.get(i));
            }
            doc.append(") {\n");
            for (int i = 0; i < chunk.size(); i++) {
                doc.append("  a").append(i).append(": app(name: $n").append(i).append(") { ").append(APP_FIELDS).append(" }\n");
            }
            doc.append("}");
            JsonNode answer;
            try {
                answer = graphql.query(doc.toString(), vars);
            } catch (FlyApiException | FlyUnreachableException e) {
                // Left out of the results: the caller reads these objects one by one over REST.
                if (diags.isEmpty()) {
                    diags.add(Diagnostic.warning("Refreshed over REST, one object at a time",
                            "The batched GraphQL refresh failed: " + (e instanceof FlyApiException a ? a.describe() : e.getMessage())));
                }
                continue;
            }
            for (int i = 0; i < chunk.size(); i++) {
                // A null app is no proof it is gone: Fly answers null beside an error when one of
                // its fields failed. Whatever the batch does not show is read directly.
                JsonNode app = answer.path("data").path("a" + i);
                if (!app.isObject()) {
                    continue;
                }
                for (ResourceState prior : byApp.get(chunk.get(i))) {
                    ReadResponse found = current(prior, app);
                    if (found != null) {
                        results.put(prior.address(), found);
                    }
                }
            }
        }
        return new ReadManyResponse(results, diags);
    }

    /** The object as the batch shows it; null when the batch does not show it (lists can leave items out). */
    private static ReadResponse current(ResourceState prior, JsonNode app) {
        Map<String, Object> p = prior.attributes();
        switch (prior.address().type()) {
            case AppResource.TYPE -> {
                Map<String, Object> attrs = new LinkedHashMap<>(p);
                attrs.put("name", app.path("name").asText());
                attrs.put("org", app.path("organization").path("slug").asText());
                attrs.put("network", app.path("network").asText("default"));
                return ReadResponse.of(prior.withAttributes(attrs));
            }
            case IpResource.TYPE -> {
                if (prior.id().equals(app.path("sharedIpAddress").asText(null))) {
                    ObjectNode ip = Attrs.JSON.createObjectNode().put("ip", prior.id()).put("shared", true)
                            .put("region", "global").put("service_name", "");
                    return ReadResponse.of(IpResource.toState(prior.address(), Attrs.string(p, "app"), ip, p));
                }
                for (JsonNode node : app.path("ipAddresses").path("nodes")) {
                    if (node.path("address").asText().equals(prior.id())) {
                        ObjectNode ip = Attrs.JSON.createObjectNode().put("ip", prior.id()).put("shared", false)
                                .put("region", node.path("region").asText("global"))
                                .put("service_name", node.path("serviceName").asText(""));
                        return ReadResponse.of(IpResource.toState(prior.address(), Attrs.string(p, "app"), ip, p));
                    }
                }
                return null;
            }
            case CertificateResource.TYPE -> {
                // Its status and DNS requirements come whole only from its REST read.
                return null;
            }
            case SecretResource.TYPE -> {
                for (JsonNode node : app.path("secrets")) {
                    if (node.path("name").asText().equals(prior.id())) {
                        return ReadResponse.of(SecretResource.refreshed(prior, node.path("digest").asText()));
                    }
                }
                return null;
            }
            case VolumeResource.TYPE -> {
                for (JsonNode node : app.path("volumes").path("nodes")) {
                    if (node.path("id").asText().equals(prior.id())) {
                        if (VolumeResource.GONE.contains(node.path("state").asText())) {
                            return ReadResponse.gone();
                        }
                        ObjectNode v = Attrs.JSON.createObjectNode().put("id", prior.id()).put("name", node.path("name").asText())
                                .put("region", node.path("region").asText()).put("size_gb", node.path("sizeGb").asInt())
                                .put("encrypted", node.path("encrypted").asBoolean(true))
                                .put("snapshot_retention", node.path("snapshotRetentionDays").asInt(5))
                                .put("auto_backup_enabled", !Boolean.FALSE.equals(p.get("auto_backup_enabled")))
                                .put("state", node.path("state").asText());
                        return ReadResponse.of(VolumeResource.toState(prior.address(), Attrs.string(p, "app"), v));
                    }
                }
                return null;
            }
            case MachineResource.TYPE -> {
                for (JsonNode node : app.path("machines").path("nodes")) {
                    if (node.path("id").asText().equals(prior.id())) {
                        if ("destroyed".equals(node.path("state").asText())) {
                            return ReadResponse.gone();
                        }
                        ObjectNode m = ((ObjectNode) node.deepCopy()).put("private_ip", Attrs.stringOr(p, "private_ip", ""));
                        return ReadResponse.of(MachineResource.toState(prior.address(), Attrs.string(p, "app"), m, p));
                    }
                }
                return null;
            }
            default -> {
                return null;   // a type the batch does not carry: read directly
            }
        }
    }
}
