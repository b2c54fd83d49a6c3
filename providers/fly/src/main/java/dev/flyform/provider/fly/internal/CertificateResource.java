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
import java.util.regex.Pattern;

/**
 * {@code fly_certificate}: a Let's Encrypt certificate for a hostname of an app. Adding a
 * hostname the app already has fails, so create looks it up first and takes it over.
 */
public final class CertificateResource extends AppScoped {

    public static final String TYPE = "fly_certificate";
    private static final Pattern HOSTNAME = Pattern.compile("(\\*\\.)?([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z]{2,63}");

    private static final ResourceSchema SCHEMA = ResourceSchema.of(TYPE, List.of(
            AttributeSchema.required("app", AttributeType.STRING, "Name of the app that serves the hostname.").forcingReplacement(),
            AttributeSchema.required("hostname", AttributeType.STRING, "The hostname, e.g. www.example.com or *.example.com.")
                    .forcingReplacement(),
            AttributeSchema.readOnly("status", AttributeType.STRING, "pending_validation, pending_ownership or active."),
            AttributeSchema.readOnly("dns_a", AttributeType.LIST, "A records to point the hostname at."),
            AttributeSchema.readOnly("dns_aaaa", AttributeType.LIST, "AAAA records to point the hostname at."),
            AttributeSchema.readOnly("dns_cname", AttributeType.STRING, "CNAME target, instead of A/AAAA."),
            AttributeSchema.readOnly("dns_validation_hostname", AttributeType.STRING, "The _acme-challenge name."),
            AttributeSchema.readOnly("dns_validation_target", AttributeType.STRING, "Where the _acme-challenge CNAME points."),
            AttributeSchema.readOnly("ownership_txt_name", AttributeType.STRING, "The _fly-ownership TXT record's name."),
            AttributeSchema.readOnly("ownership_txt_value", AttributeType.STRING, "The _fly-ownership TXT record's value.")),
            AppResource.TYPE)
            .naming("app", AppResource.TYPE)
            .identifiedBy("hostname");   // a hostname is served by one app only

    public CertificateResource(MachinesApi api) {
        super(api, SCHEMA, "certificates", "add", "read", "delete");
    }

    @Override
    public ValidateResponse validate(ValidateRequest request) {
        return matching(request, "hostname", HOSTNAME, "hostname",
                "Use a lowercase DNS name such as www.example.com, or *.example.com for a wildcard.");
    }

    @Override
    public ReadResponse read(ReadRequest request) {
        ResourceState prior = request.prior();
        String app = Attrs.string(prior.attributes(), "app");
        return Failures.reading(prior.address(),
                () -> ReadResponse.of(toState(prior.address(), app, api.get("apps", app, "certificates", prior.id()))));
    }

    @Override
    public PrepareCreateResponse prepareCreate(PrepareCreateRequest request) {
        return new PrepareCreateResponse(Map.of("hostname", request.planned().get("hostname")), List.of());
    }

    /** A certificate is found by its hostname. */
    @Override
    public ReconcileResponse reconcile(ReconcileRequest request) {
        String app = Attrs.string(request.planned(), "app");
        String hostname = String.valueOf(request.intentData().get("hostname"));
        return Failures.reconciling(request.address(), () -> {
            JsonNode cert = api.forIntent(String.valueOf(request.intentData().get("intent_id"))).get("apps", app, "certificates", hostname);
            return ReconcileResponse.created(toState(request.address(), app, cert));
        });
    }

    @Override
    public LookupResponse lookup(LookupRequest request) {
        if (!(request.planned().get("app") instanceof String app) || !(request.planned().get("hostname") instanceof String hostname)
                || request.owned().contains(FlyResourceType.inApp(app, hostname))) {
            return LookupResponse.none();
        }
        return Failures.lookingUp(request.address(), () -> {
            return LookupResponse.of(toState(request.address(), app, api.get("apps", app, "certificates", hostname)));
        });
    }

    /** Nothing of a certificate changes in place: it is read again. */
    @Override
    protected ApplyResponse update(ApplyRequest request) {
        String app = app(request.planned());
        return ApplyResponse.of(toState(request.address(), app, api.get("apps", app, "certificates", Attrs.string(request.planned(), "hostname"))));
    }

    @Override
    protected ApplyResponse create(ApplyRequest request) {
        String app = app(request.planned());
        String hostname = Attrs.string(request.planned(), "hostname");
        // A hostname the app already has cannot be added again: take it over instead.
        try {
            return ApplyResponse.of(toState(request.address(), app, api.get("apps", app, "certificates", hostname)));
        } catch (FlyApiException e) {
            if (!Failures.notFound(e)) {
                throw e;
            }
        }
        try {
            JsonNode created = underIntent(api, request).create(Map.of("hostname", hostname), "apps", app, "certificates", "acme");
            return ApplyResponse.of(toState(request.address(), app, created));
        } catch (FlyApiException | FlyUnreachableException e) {
            return Failures.createFailed("add", request.address(), e);
        }
    }

    @Override
    public ImportResponse importResource(ImportRequest request) {
        return Failures.importing(request, "certificate", "HOSTNAME",
                (app, hostname) -> toState(request.address(), app, api.get("apps", app, "certificates", hostname)));
    }

    private static ResourceState toState(ResourceAddress address, String app, JsonNode cert) {
        JsonNode dns = cert.path("dns_requirements");
        Map<String, Object> attrs = new LinkedHashMap<>();
        attrs.put("app", app);
        attrs.put("hostname", cert.path("hostname").asText());
        attrs.put("status", cert.path("status").asText());
        attrs.put("dns_a", Attrs.plain(dns.path("a")) == null ? List.of() : Attrs.plain(dns.path("a")));
        attrs.put("dns_aaaa", Attrs.plain(dns.path("aaaa")) == null ? List.of() : Attrs.plain(dns.path("aaaa")));
        attrs.put("dns_cname", dns.path("cname").asText(""));
        attrs.put("dns_validation_hostname", dns.path("acme_challenge").path("name").asText(""));
        attrs.put("dns_validation_target", dns.path("acme_challenge").path("target").asText(""));
        attrs.put("ownership_txt_name", dns.path("ownership").path("name").asText(""));
        attrs.put("ownership_txt_value", dns.path("ownership").path("app_value").asText(""));
        return new ResourceState(address, cert.path("hostname").asText(), attrs);
    }
}
