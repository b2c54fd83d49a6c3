package dev.flyform.provider.fly.internal;

import com.fasterxml.jackson.databind.JsonNode;
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
 * {@code fly_secret}: one secret of an app. Fly never gives a value back, so the state keeps
 * the engine's keyed digest of the value (it is a sensitive attribute) and Fly's own digest:
 * when Fly's digest moves without flyform, the value was changed by hand and is set again.
 * Unless {@code staged}, setting a secret restarts the app's started machines so they see it,
 * once, when the apply is done ({@link SecretRestarts}).
 */
public final class SecretResource extends AppScoped {

    public static final String TYPE = "fly_secret";
    /** What a refresh reports for a value changed outside flyform: it matches no digest. */
    static final String CHANGED_OUTSIDE = "(changed outside flyform)";
    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private static final ResourceSchema SCHEMA = ResourceSchema.of(TYPE, List.of(
            AttributeSchema.required("app", AttributeType.STRING, "Name of the app.").forcingReplacement(),
            AttributeSchema.required("name", AttributeType.STRING, "The variable name machines see.").forcingReplacement(),
            AttributeSchema.required("value", AttributeType.STRING, "The value; never stored, never shown.").asSensitive(),
            AttributeSchema.optional("staged", AttributeType.BOOL,
                    "Set without restarting the app's machines (they see it when next updated or started).").defaultingTo(false),
            AttributeSchema.readOnly("fly_digest", AttributeType.STRING, "Fly's digest of the value, to notice changes by hand.")),
            AppResource.TYPE)
            .naming("app", AppResource.TYPE)
            .identifiedBy("app", "name")
            .referencedAs("name");

    private final SecretRestarts restarts;

    public SecretResource(MachinesApi api, SecretRestarts restarts) {
        super(api, SCHEMA, "secrets", "set", "set", "unset");
        this.restarts = restarts;
    }

    @Override
    public ValidateResponse validate(ValidateRequest request) {
        return matching(request, "name", NAME, "secret name", "Use letters, digits and underscores, starting with a letter or underscore.");
    }

    @Override
    public ReadResponse read(ReadRequest request) {
        ResourceState prior = request.prior();
        String app = Attrs.string(prior.attributes(), "app");
        return Failures.reading(prior.address(),
                () -> ReadResponse.of(refreshed(prior, api.get("apps", app, "secrets", prior.id()).path("digest").asText())));
    }

    @Override
    public PrepareCreateResponse prepareCreate(PrepareCreateRequest request) {
        return new PrepareCreateResponse(Map.of("name", request.planned().get("name")), List.of());
    }

    /** A secret is found by its name. Setting one is idempotent, so a lost answer is harmless. */
    @Override
    public ReconcileResponse reconcile(ReconcileRequest request) {
        String app = Attrs.string(request.planned(), "app");
        String name = String.valueOf(request.intentData().get("name"));
        return Failures.reconciling(request.address(), () -> {
            JsonNode secret = api.forIntent(String.valueOf(request.intentData().get("intent_id"))).get("apps", app, "secrets", name);
            return ReconcileResponse.created(state(request.address(), app, name, request.planned(), secret));
        });
    }

    /**
     * A secret of the declared name that exists without a state entry (the state was lost) is
     * taken over and assumed to hold the declared value: Fly never shows values, and its digest
     * cannot be compared. Its value is set again only when the configuration changes it.
     */
    @Override
    public LookupResponse lookup(LookupRequest request) {
        if (!(request.planned().get("app") instanceof String app) || !(request.planned().get("name") instanceof String name)
                || request.owned().contains(FlyResourceType.inApp(app, name))) {
            return LookupResponse.none();
        }
        return Failures.lookingUp(request.address(), () -> {
            return LookupResponse.of(state(request.address(), app, name, request.planned(), api.get("apps", app, "secrets", name)));
        });
    }

    /** The engine keeps only a digest of {@code value}, never the value. */
    private static ResourceState state(dev.flyform.engine.addr.ResourceAddress address, String app, String name,
                                       Map<String, Object> planned, JsonNode secret) {
        Map<String, Object> attrs = new LinkedHashMap<>();
        attrs.put("app", app);
        attrs.put("name", name);
        attrs.put("value", planned.get("value"));
        attrs.put("staged", planned.getOrDefault("staged", false));
        attrs.put("fly_digest", secret.path("digest").asText());
        return new ResourceState(address, name, attrs);
    }

    /** When Fly's digest moved without flyform, the value was changed by hand: it is set again. */
    static ResourceState refreshed(ResourceState prior, String flyDigest) {
        Map<String, Object> attrs = new LinkedHashMap<>(prior.attributes());
        if (!flyDigest.equals(prior.attributes().get("fly_digest"))) {
            attrs.put("value", CHANGED_OUTSIDE);
        }
        attrs.put("fly_digest", flyDigest);
        return prior.withAttributes(attrs);
    }

    @Override
    protected ApplyResponse create(ApplyRequest request) {
        return set(request);
    }

    @Override
    protected ApplyResponse update(ApplyRequest request) {
        return set(request);
    }

    /** Setting a value is idempotent, but a first set is a create like any other: sent once, reconciled by name when its answer is lost. */
    private ApplyResponse set(ApplyRequest request) {
        Map<String, Object> p = request.planned();
        String app = app(p);
        String name = Attrs.string(p, "name");
        Map<String, String> body = Map.of("value", Attrs.string(p, "value"));
        JsonNode set;
        if (request.isCreate()) {
            try {
                set = underIntent(api, request).create(body, "apps", app, "secrets", name);
            } catch (FlyApiException | FlyUnreachableException e) {
                return Failures.createFailed("set", request.address(), e);
            }
        } else {
            set = api.post(body, "apps", app, "secrets", name);
        }
        if (!Boolean.TRUE.equals(p.get("staged"))) {
            restarts.secretSet(app);   // restarted once the apply is done
        }
        Map<String, Object> attrs = new LinkedHashMap<>();
        attrs.put("app", app);
        attrs.put("name", name);
        attrs.put("value", p.get("value"));   // the engine keeps only its digest
        attrs.put("staged", p.get("staged"));
        attrs.put("fly_digest", set.path("digest").asText());
        return ApplyResponse.of(new ResourceState(request.address(), name, attrs));
    }

    @Override
    public ImportResponse importResource(ImportRequest request) {
        return Failures.importing(request, "secret", "NAME", (app, name) -> {
            JsonNode secret = api.get("apps", app, "secrets", name);
            Map<String, Object> attrs = new LinkedHashMap<>();
            attrs.put("app", app);
            attrs.put("name", name);
            attrs.put("value", dev.flyform.engine.state.SecretDigest.UNSEEN);   // the first declared value is taken as it
            attrs.put("staged", false);
            attrs.put("fly_digest", secret.path("digest").asText());
            return new ResourceState(request.address(), name, attrs);
        });
    }

}
