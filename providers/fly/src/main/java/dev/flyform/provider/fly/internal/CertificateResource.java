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
            AttributeSchema.optional("wait_for", AttributeType.STRING, "waitFor 'issued': apply waits until the certificate "
                    + "is issued (its DNS points at the app), up to waitTimeout; off by default. flyform's own.")
                    .oneOf(List.of("issued")),
            AttributeSchema.optional("wait_timeout", AttributeType.STRING, "How long waitFor waits: e.g. 90s, 10m (the "
                    + "default), 1h. flyform's own."),
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
        ValidateResponse named = matching(request, "hostname", HOSTNAME, "hostname",
                "Use a lowercase DNS name such as www.example.com, or *.example.com for a wildcard.");
        if (request.config().attributes().get("wait_timeout") instanceof String t && MachineResource.seconds(t) < 0) {
            List<dev.flyform.engine.diag.Diagnostic> diags = new java.util.ArrayList<>(named.diagnostics());
            diags.add(dev.flyform.engine.diag.Diagnostic.error("Invalid waitTimeout \"" + t + "\"", "Give a duration: 90s, 10m, 1h.")
                    .forAttribute("wait_timeout"));
            return new ValidateResponse(diags);
        }
        return named;
    }

    /** As declared; the waiting rules only when declared (flyform's own, never sent). */
    @Override
    public dev.flyform.engine.provider.PlanResponse plan(dev.flyform.engine.provider.PlanRequest request) {
        Map<String, Object> planned = planned(request);
        planned.values().removeIf(java.util.Objects::isNull);
        return new dev.flyform.engine.provider.PlanResponse(planned, Set.of(), List.of());
    }

    /**
     * With {@code waitFor 'issued'}: read again, more slowly each time, until Fly says it is
     * issued or {@code waitTimeout} (10 min) has passed; then an error with the DNS records it needs.
     */
    private ApplyResponse issued(ResourceAddress address, String app, ResourceState made, Map<String, Object> planned) {
        ResourceState state = withWaiting(made, planned);
        if (!"issued".equals(planned.get("wait_for"))) {
            return ApplyResponse.of(state);
        }
        String timeout = Attrs.stringOr(planned, "wait_timeout", "10m");
        long deadline = System.nanoTime() + MachineResource.seconds(timeout) * 1_000_000_000L;
        long pause = 250;
        while (!"active".equals(state.attributes().get("status"))) {
            if (System.nanoTime() >= deadline) {
                Map<String, Object> a = state.attributes();
                String records = !"".equals(a.get("dns_cname")) ? "CNAME " + a.get("dns_cname")
                        : "A " + a.get("dns_a") + ", AAAA " + a.get("dns_aaaa");
                return new ApplyResponse(state, List.of(dev.flyform.engine.diag.Diagnostic.error("Certificate for "
                        + a.get("hostname") + " was not issued within " + timeout, "Fly says " + a.get("status")
                        + ": point " + a.get("hostname") + " at the app (" + records + ") or add the CNAME "
                        + a.get("dns_validation_hostname") + " -> " + a.get("dns_validation_target") + ". It is recorded in "
                        + "the state; the next apply waits again.").forResource(address)), false);
            }
            try {
                Thread.sleep(pause);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new FlyUnreachableException("interrupted while waiting for the certificate of " + address);
            }
            pause = Math.min(5000, pause * 2);
            state = withWaiting(toState(address, app, api.get("apps", app, "certificates", state.id())), planned);
        }
        return ApplyResponse.of(state);
    }

    /** The waiting rules kept beside what Fly holds, as declared. */
    private static ResourceState withWaiting(ResourceState state, Map<String, Object> from) {
        Map<String, Object> attrs = new LinkedHashMap<>();
        attrs.put("app", state.attributes().get("app"));
        attrs.put("hostname", state.attributes().get("hostname"));
        for (String own : List.of("wait_for", "wait_timeout")) {
            if (from != null && from.get(own) instanceof String v) {
                attrs.put(own, v);
            }
        }
        attrs.putAll(state.attributes());
        return state.withAttributes(attrs);
    }

    @Override
    public ReadResponse read(ReadRequest request) {
        ResourceState prior = request.prior();
        String app = Attrs.string(prior.attributes(), "app");
        return Failures.reading(prior.address(),
                () -> ReadResponse.of(withWaiting(toState(prior.address(), app, api.get("apps", app, "certificates", prior.id())),
                        prior.attributes())));
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
            return ReconcileResponse.created(withWaiting(toState(request.address(), app, cert), request.planned()));
        });
    }

    @Override
    public LookupResponse lookup(LookupRequest request) {
        if (!(request.planned().get("app") instanceof String app) || !(request.planned().get("hostname") instanceof String hostname)
                || request.owned().contains(FlyResourceType.inApp(app, hostname))) {
            return LookupResponse.none();
        }
        return Failures.lookingUp(request.address(), () -> {
            return LookupResponse.of(withWaiting(toState(request.address(), app, api.get("apps", app, "certificates", hostname)),
                    request.planned()));
        });
    }

    /** Nothing of a certificate changes in place: it is read again. */
    @Override
    protected ApplyResponse update(ApplyRequest request) {
        String app = app(request.planned());
        return issued(request.address(), app, toState(request.address(), app,
                api.get("apps", app, "certificates", Attrs.string(request.planned(), "hostname"))), request.planned());
    }

    @Override
    protected ApplyResponse create(ApplyRequest request) {
        String app = app(request.planned());
        String hostname = Attrs.string(request.planned(), "hostname");
        // A hostname the app already has cannot be added again: take it over instead.
        try {
            return issued(request.address(), app, toState(request.address(), app, api.get("apps", app, "certificates", hostname)),
                    request.planned());
        } catch (FlyApiException e) {
            if (!Failures.notFound(e)) {
                throw e;
            }
        }
        try {
            JsonNode created = underIntent(api, request).create(Map.of("hostname", hostname), "apps", app, "certificates", "acme");
            return issued(request.address(), app, toState(request.address(), app, created), request.planned());
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
